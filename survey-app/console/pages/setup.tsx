// The first admin account, through the one-time link the server prints at start-up while no
// admin can sign in: /console/setup#TOKEN. The token stays in the fragment, which no request
// carries, until this form sends it.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import { ErrorNote, PageTitle } from '../components/common.tsx';
import { NameField, TextField } from '../components/fields.tsx';
import { useI18n } from '../i18n.ts';
import { signedInSchema, type Me } from '../schemas.ts';

export function SetupPage(props: { onSignIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [token] = useState(() => location.hash.slice(1));
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const reply = await request(signedInSchema, '/setup', {
        method: 'POST',
        json: { token, login: login.trim(), name: name.trim(), password },
      });
      history.replaceState(null, '', location.pathname);
      props.onSignIn(reply.account);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in">
      <PageTitle>{t.setupTitle}</PageTitle>
      <p class="note">{token ? t.setupHelp : t.setupMissing}</p>
      <form onSubmit={submit} class="stack">
        <TextField
          id="setup-login"
          label={t.loginLabel}
          autoComplete="username"
          spellcheck={false}
          required
          value={login}
          onValue={setLogin}
        />
        <NameField id="setup-name" label={t.nameLabel} required value={name} onValue={setName} />
        <TextField
          id="setup-password"
          label={t.newPasswordLabel}
          help={t.passwordHelp}
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onValue={setPassword}
        />
        <button type="submit" disabled={busy || !token}>
          {t.setupSubmit}
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
