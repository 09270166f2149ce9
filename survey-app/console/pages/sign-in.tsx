// Sign-in with a login and password. The server answers with an HttpOnly session cookie the
// page never sees, and the session's CSRF token, kept in memory only (api.ts).
import { useState } from 'preact/hooks';
import { ApiError, request } from '../api.ts';
import { ErrorNote, PageTitle } from '../components/common.tsx';
import { TextField } from '../components/fields.tsx';
import { SingleSignOnLink } from '../components/single-sign-on.tsx';
import { useI18n } from '../i18n.ts';
import { signedInSchema, type Me } from '../schemas.ts';

export function SignInPage(props: { onSignIn: (me: Me) => void; notice: string }) {
  const { t } = useI18n();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const reply = await request(signedInSchema, '/session', {
        method: 'POST',
        json: { login: login.trim(), password },
      });
      setPassword('');
      props.onSignIn(reply.account);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in">
      <PageTitle>{t.signInTitle}</PageTitle>
      {props.notice ? (
        <p class="note" role="status">
          {props.notice}
        </p>
      ) : null}
      <form onSubmit={submit} class="stack">
        <TextField
          id="login"
          name="username"
          label={t.loginLabel}
          autoComplete="username"
          spellcheck={false}
          required
          value={login}
          onValue={setLogin}
        />
        <TextField
          id="password"
          name="password"
          label={t.passwordLabel}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        <button type="submit" disabled={busy}>
          {t.signIn}
        </button>
      </form>
      <SingleSignOnLink />
      {error ? (
        <ErrorNote
          error={error}
          title={error instanceof ApiError && error.status === 401 ? t.signInRefused : undefined}
        />
      ) : null}
    </section>
  );
}
