// Sign-in with an API token. The token is checked against GET /api/v1/me and kept in
// sessionStorage only, so that closing the tab signs out.
import { useState } from 'preact/hooks';
import { ApiError, request, session } from '../api.ts';
import { ErrorNote, PageTitle } from '../components/common.tsx';
import { TextField } from '../components/fields.tsx';
import { SingleSignOnLink } from '../components/single-sign-on.tsx';
import { useI18n } from '../i18n.ts';
import { meSchema, type Me } from '../schemas.ts';

export function SignInPage(props: { onSignIn: (me: Me) => void; notice: string }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    session.signIn(token.trim());
    try {
      props.onSignIn(await request(meSchema, '/me'));
    } catch (failure) {
      session.signOut();
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
          id="token"
          name="token"
          label={t.tokenLabel}
          help={t.tokenHelp}
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={token}
          onValue={setToken}
        />
        <button type="submit" disabled={busy}>
          {t.signIn}
        </button>
      </form>
      <SingleSignOnLink />
      {error ? (
        <ErrorNote
          error={error}
          title={error instanceof ApiError && error.status === 401 ? t.tokenRefused : undefined}
        />
      ) : null}
    </section>
  );
}
