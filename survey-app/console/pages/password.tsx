// A person changes their own password, giving the current one.
import { useState } from 'preact/hooks';
import { send } from '../api.ts';
import { ActionOutcome, PageTitle, useAction } from '../components/common.tsx';
import { NewPasswordField, PasswordField } from '../components/fields.tsx';
import { useI18n } from '../i18n.ts';

export function PasswordPage() {
  const { t } = useI18n();
  const action = useAction();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run(
      () => send('/me/password', { method: 'PUT', json: { current, password } }),
      t.passwordChanged,
    );
    if (ok) {
      setCurrent('');
      setPassword('');
    }
  };
  return (
    <section>
      <PageTitle>{t.passwordTitle}</PageTitle>
      <form onSubmit={submit} class="stack card">
        <PasswordField
          id="current-password"
          label={t.currentPasswordLabel}
          path="current"
          value={current}
          onValue={setCurrent}
          failure={action.error}
        />
        <NewPasswordField
          id="new-password"
          label={t.newPasswordLabel}
          value={password}
          onValue={setPassword}
          failure={action.error}
        />
        <button type="submit" disabled={action.busy}>
          {t.passwordChange}
        </button>
      </form>
      <ActionOutcome action={action} />
    </section>
  );
}
