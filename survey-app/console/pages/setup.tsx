// The first admin account, through the one-time link the server prints at start-up while no
// admin can sign in: /console/setup#TOKEN. The token stays in the fragment, which no request
// carries, until this form sends it.
import { useState } from 'preact/hooks';
import { ErrorNote, PageTitle } from '../components/common.tsx';
import { LoginField, NewPasswordField, PersonNameField } from '../components/fields.tsx';
import { useI18n } from '../i18n.ts';
import type { Me } from '../schemas.ts';
import { useSignInRequest } from './sign-in.tsx';

export function SetupPage(props: { onSignIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [token] = useState(() => location.hash.slice(1));
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, post } = useSignInRequest('/setup', props.onSignIn);

  const submit = async (event: Event) => {
    event.preventDefault();
    await post({ token, login: login.trim(), name: name.trim(), password }, () =>
      history.replaceState(null, '', location.pathname),
    );
  };

  return (
    <section class="sign-in">
      <PageTitle>{t.setupTitle}</PageTitle>
      <p class="note">{token ? t.setupHelp : t.setupMissing}</p>
      <form onSubmit={submit} class="stack">
        <LoginField
          id="setup-login"
          autoComplete="username"
          value={login}
          onValue={setLogin}
          failure={error}
        />
        <PersonNameField id="setup-name" value={name} onValue={setName} failure={error} />
        <NewPasswordField
          id="setup-password"
          label={t.newPasswordLabel}
          value={password}
          onValue={setPassword}
          failure={error}
        />
        <button type="submit" disabled={busy || !token}>
          {t.setupSubmit}
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
