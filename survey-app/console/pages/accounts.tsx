// The admin's page "Tài khoản & token": staff accounts (create, disable, enable, reset a
// password) and API tokens for scripts (create, shown once; list; revoke).
import { useState } from 'preact/hooks';
import type { NewApiToken, NewStaffAccount } from '../../../api/contract.ts';
import { request, send } from '../api.ts';
import {
  ActionOutcome,
  Loaded,
  PageTitle,
  Table,
  useAction,
  useResource,
  type Action,
} from '../components/common.tsx';
import {
  CodeOptions,
  LoginField,
  NameField,
  NewPasswordField,
  PersonNameField,
  SelectField,
} from '../components/fields.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.ts';
import {
  apiTokenSchema,
  createdTokenSchema,
  list,
  staffAccountSchema,
  unitSchema,
  type Role,
  type StaffAccount,
  type Unit,
} from '../schemas.ts';

const ROLES: readonly Role[] = ['admin', 'surveyor', 'analyst', 'appraiser', 'unit'];

/** A role and, for every role but admin, the unit whose subtree it reaches. */
function RoleAndUnit(props: {
  prefix: string;
  units: Unit[];
  role: Role;
  unit: string;
  onRole: (role: Role) => void;
  onUnit: (unit: string) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <SelectField
        id={`${props.prefix}-role`}
        label={t.accountRole}
        value={props.role}
        onValue={(value) => props.onRole(ROLES.find((role) => role === value) ?? 'analyst')}
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {t.roleName[role]}
          </option>
        ))}
      </SelectField>
      {props.role === 'admin' ? null : (
        <SelectField
          id={`${props.prefix}-unit`}
          label={t.accountUnit}
          required
          value={props.unit}
          onValue={props.onUnit}
        >
          <option value="">{t.noUnit}</option>
          <CodeOptions items={props.units} />
        </SelectField>
      )}
    </>
  );
}

function NewAccountForm(props: { units: Unit[]; action: Action; onDone: () => void }) {
  const { t } = useI18n();
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [unit, setUnit] = useState('');
  const [password, setPassword] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const body: NewStaffAccount = {
      login: login.trim(),
      name: name.trim(),
      role,
      // None: the account signs in by single sign-on only, until a password is set for it.
      ...(password ? { password } : {}),
      ...(role !== 'admin' && unit ? { unit } : {}),
    };
    const ok = await props.action.run(
      () => send('/accounts', { json: body }),
      t.accountCreated(body.login),
    );
    if (ok) {
      setLogin('');
      setName('');
      setPassword('');
      props.onDone();
    }
  };
  return (
    <form onSubmit={submit} class="stack card" aria-labelledby="new-account-h">
      <h3 id="new-account-h">{t.newAccount}</h3>
      <LoginField
        id="account-login"
        autoComplete="off"
        value={login}
        onValue={setLogin}
        failure={props.action.error}
      />
      <PersonNameField
        id="account-name"
        value={name}
        onValue={setName}
        failure={props.action.error}
      />
      <RoleAndUnit
        prefix="account"
        units={props.units}
        role={role}
        unit={unit}
        onRole={setRole}
        onUnit={setUnit}
      />
      <NewPasswordField
        id="account-password"
        label={t.passwordLabel}
        help={t.accountPasswordHelp}
        required={false}
        value={password}
        onValue={setPassword}
        failure={props.action.error}
      />
      <button type="submit" disabled={props.action.busy}>
        {t.createAccount}
      </button>
    </form>
  );
}

function ResetForm(props: { account: StaffAccount; action: Action; onDone: () => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const { login } = props.account;
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await props.action.run(
      () =>
        send(`/accounts/${encodeURIComponent(login)}/password`, {
          method: 'PUT',
          json: { password },
        }),
      t.passwordReset(login),
    );
    if (ok) props.onDone();
  };
  return (
    <form onSubmit={submit} class="stack card">
      <NewPasswordField
        id="reset-password"
        label={t.resetFor(login)}
        value={password}
        onValue={setPassword}
        failure={props.action.error}
      />
      <button type="submit" disabled={props.action.busy}>
        {t.resetPassword}
      </button>
    </form>
  );
}

function AccountsSection(props: { units: Unit[] }) {
  const { t, lang } = useI18n();
  const action = useAction();
  const accounts = useResource(
    (signal) => request(list(staffAccountSchema), '/accounts', { signal }),
    [],
  );
  const [resetting, setResetting] = useState<StaffAccount | null>(null);
  const toggle = (account: StaffAccount) => {
    const disable = account.disabledAt === null;
    void action
      .run(
        () =>
          send(`/accounts/${encodeURIComponent(account.login)}/${disable ? 'disable' : 'enable'}`, {
            method: 'POST',
          }),
        disable ? t.accountDisabledDone(account.login) : t.accountEnabledDone(account.login),
      )
      .then((ok) => {
        if (ok) accounts.reload();
      });
  };
  return (
    <section aria-labelledby="accounts-h">
      <h2 id="accounts-h">{t.accountsList}</h2>
      <ActionOutcome action={action} />
      <Loaded resource={accounts}>
        {(rows) => (
          <Table
            label={t.accountsList}
            data-table="accounts"
            columns={[
              t.accountLogin,
              t.accountName,
              t.accountRole,
              t.accountUnit,
              t.accountState,
              t.accountActions,
            ]}
          >
            <tbody>
              {rows.map((account) => (
                <tr key={account.login} data-login={account.login}>
                  <td class="code">{account.login}</td>
                  <td>{account.name}</td>
                  <td>{t.roleName[account.role]}</td>
                  <ScopeCell entry={account} />
                  <td>
                    {account.disabledAt === null
                      ? t.accountActive
                      : `${t.accountDisabled} (${formatInstant(lang, account.disabledAt)})`}
                    {account.hasPassword ? null : `; ${t.accountSingleSignOnOnly}`}
                  </td>
                  <td>
                    <button type="button" class="secondary" onClick={() => toggle(account)}>
                      {account.disabledAt === null ? t.disableAccount : t.enableAccount}
                    </button>{' '}
                    <button type="button" class="secondary" onClick={() => setResetting(account)}>
                      {account.hasPassword ? t.resetPassword : t.setPassword}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Loaded>
      {resetting ? (
        <ResetForm account={resetting} action={action} onDone={() => setResetting(null)} />
      ) : null}
      <NewAccountForm units={props.units} action={action} onDone={accounts.reload} />
    </section>
  );
}

function TokensSection(props: { units: Unit[] }) {
  const { t, lang } = useI18n();
  const action = useAction();
  const tokens = useResource((signal) => request(list(apiTokenSchema), '/tokens', { signal }), []);
  const [role, setRole] = useState<Role>('analyst');
  const [unit, setUnit] = useState('');
  const [name, setName] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = async (event: Event) => {
    event.preventDefault();
    const body: NewApiToken = {
      role,
      ...(role !== 'admin' && unit ? { unit } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
    };
    setShown(null);
    await action.run(async () => {
      const created = await request(createdTokenSchema, '/tokens', { json: body });
      setShown(created.token);
      setName('');
      tokens.reload();
    });
  };
  const revoke = (prefix: string) => {
    void action
      .run(
        () => send(`/tokens/${encodeURIComponent(prefix)}`, { method: 'DELETE' }),
        t.apiTokenRevoked(prefix),
      )
      .then((ok) => {
        if (ok) tokens.reload();
      });
  };
  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">{t.tokensList}</h2>
      <ActionOutcome action={action} />
      {shown ? (
        <div class="note">
          <p>{t.apiTokenShown}</p>
          <p>
            <code data-new-token>{shown}</code>
          </p>
        </div>
      ) : null}
      <Loaded resource={tokens}>
        {(rows) => (
          <Table
            label={t.tokensList}
            data-table="tokens"
            columns={[
              t.tokenPrefix,
              t.tokenName,
              t.accountRole,
              t.accountUnit,
              t.tokenOwner,
              t.tokenCreated,
              t.tokenLastUsed,
              t.tokenRevokedAt,
              t.accountActions,
            ]}
          >
            <tbody>
              {rows.map((token) => (
                <tr key={token.prefix} data-prefix={token.prefix}>
                  <td class="code">{token.prefix}</td>
                  <td>{token.name}</td>
                  <td>{t.roleName[token.role]}</td>
                  <ScopeCell entry={token} />
                  <td>{token.owner ?? t.commandLine}</td>
                  <td>{formatInstant(lang, token.createdAt)}</td>
                  <td>{formatInstant(lang, token.lastUsedAt)}</td>
                  <td>{formatInstant(lang, token.revokedAt)}</td>
                  <td>
                    {token.revokedAt === null ? (
                      <button type="button" class="secondary" onClick={() => revoke(token.prefix)}>
                        {t.revokeApiToken}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Loaded>
      <form onSubmit={create} class="stack card" aria-labelledby="new-token-h">
        <h3 id="new-token-h">{t.newApiToken}</h3>
        <NameField id="token-name" label={t.tokenName} value={name} onValue={setName} />
        <RoleAndUnit
          prefix="token"
          units={props.units}
          role={role}
          unit={unit}
          onRole={setRole}
          onUnit={setUnit}
        />
        <button type="submit" disabled={action.busy}>
          {t.createApiToken}
        </button>
      </form>
    </section>
  );
}

/**
 * The unit an account or token reaches; when the unit has ended (a reorganisation), a badge
 * and its successors, for the admin to decide: the scope is never moved by itself.
 */
function ScopeCell(props: {
  entry: { unit: string | null; scopeNeedsReview: boolean; scopeSuccessors: string[] };
}) {
  const { t } = useI18n();
  const { unit, scopeNeedsReview, scopeSuccessors } = props.entry;
  return (
    <td data-scope-review={scopeNeedsReview ? 'yes' : undefined}>
      {unit ?? t.allUnits}
      {scopeNeedsReview ? (
        <>
          {' '}
          <span class="badge badge-warn">{t.scopeNeedsReview}</span>
          <br />
          <span class="muted">{t.scopeReviewNote(scopeSuccessors)}</span>
        </>
      ) : null}
    </td>
  );
}

export function AccountsPage() {
  const { t } = useI18n();
  const units = useResource((signal) => request(list(unitSchema), '/units', { signal }), []);
  return (
    <>
      <PageTitle>{t.accountsTitle}</PageTitle>
      <Loaded resource={units}>
        {(all) => (
          <>
            <AccountsSection units={all} />
            <TokensSection units={all} />
          </>
        )}
      </Loaded>
    </>
  );
}
