// Sign-in with a login and password. The server answers with an HttpOnly session cookie the
// page never sees, and the session's CSRF token, kept in memory only (api.ts).
import { useState } from 'preact/hooks';
import { ApiError, request } from '../api.ts';
import { ErrorNote, PageTitle } from '../components/common.tsx';
import { LoginField, PasswordField } from '../components/fields.tsx';
import { SingleSignOnLink } from '../components/single-sign-on.tsx';
import { useI18n } from '../i18n.ts';
import { signedInSchema, type Me } from '../schemas.ts';

/**
 * A form's request that signs in (this page's, and the first admin's setup): it posts the body,
 * and on success runs `then` and hands the account to `onSignIn`; meanwhile `busy`, after a
 * refusal its `error`.
 */
export function useSignInRequest(path: '/session' | '/setup', onSignIn: (me: Me) => void) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const post = async (json: object, then: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      const reply = await request(signedInSchema, path, { method: 'POST', json });
      then();
      onSignIn(reply.account);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, post };
}

export function SignInPage(props: { onSignIn: (me: Me) => void; notice: string }) {
  const { t } = useI18n();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, post } = useSignInRequest('/session', props.onSignIn);

  const submit = async (event: Event) => {
    event.preventDefault();
    await post({ login: login.trim(), password }, () => setPassword(''));
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
        <LoginField
          id="login"
          name="username"
          autoComplete="username"
          value={login}
          onValue={setLogin}
          failure={error}
        />
        <PasswordField
          id="password"
          name="password"
          label={t.passwordLabel}
          path="password"
          value={password}
          onValue={setPassword}
          failure={error}
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
