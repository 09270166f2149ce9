import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { operator, principalOf } from './access.ts';
import {
  changeOwnPassword,
  checkPassword,
  completeSetup,
  createAccount,
  issueSetupToken,
  listAccounts,
  resetPassword,
  setAccountDisabled,
} from './accounts.ts';
import { openSession, sessionAccount } from './sessions.ts';
import { importUnits } from './units.ts';

const PASSWORD = 'đủ mười ký tự';
const testActor = operator('test');
const UNITS = 'unit,name,parent\nBRVT,Bà Rịa - Vũng Tàu,\nBRVT.SKHDT,Sở Kế hoạch và Đầu tư,BRVT\n';

/** The error a promise is refused with, for its code, message and field errors. */
async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`not refused: ${String(error)}`);
  return error;
}

describe.each(engines)('staff accounts on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await importUnits(database.db, testActor, Readable.from([UNITS]));
  });
  afterAll(() => database.close());
  const idOf = async (login: string) =>
    (
      await database.db
        .selectFrom('account')
        .select('id')
        .where('login', '=', login)
        .executeTakeFirstOrThrow()
    ).id;

  it('lets the first admin in once, by a setup token, while no admin can sign in', async () => {
    const token = await issueSetupToken(database.db);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const stored = await database.db.selectFrom('setup_token').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash.length)).toEqual([32]);
    const wrong = await refusal(
      completeSetup(database.db, { token: 'x', login: 'root', name: 'Root', password: PASSWORD }),
    );
    expect(wrong.code).toBe('forbidden');
    const admin = await completeSetup(database.db, {
      token,
      login: 'root',
      name: 'Quản trị',
      password: PASSWORD,
    });
    expect(admin).toMatchObject({ login: 'root', role: 'admin', unitId: null });
    const again = await refusal(
      completeSetup(database.db, { token, login: 'root2', name: 'Root', password: PASSWORD }),
    );
    expect(again.code).toBe('forbidden');
    expect(await issueSetupToken(database.db)).toBeUndefined();
  });

  it('creates accounts with a unique login whatever its case, audited', async () => {
    const entry = await createAccount(database.db, testActor, {
      login: 'Lan.Nguyen',
      name: 'Nguyễn Thị Lan',
      role: 'analyst',
      unit: 'BRVT.SKHDT',
      password: PASSWORD,
    });
    expect(entry).toMatchObject({ login: 'Lan.Nguyen', role: 'analyst', unit: 'BRVT.SKHDT' });
    const duplicate = await refusal(
      createAccount(database.db, testActor, {
        login: 'lan.nguyen',
        name: 'Another',
        role: 'analyst',
        unit: 'BRVT',
        password: PASSWORD,
      }),
    );
    expect(duplicate.code).toBe('conflict');
    expect(duplicate.text).toEqual({
      vi: 'Tên đăng nhập lan.nguyen đã có.',
      en: 'The login lan.nguyen is taken.',
    });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'account.create')
      .execute();
    expect(audit).toContainEqual({
      actor: 'test',
      detail: { login: 'Lan.Nguyen', role: 'analyst', unit: 'BRVT.SKHDT', password: true },
    });
    expect((await listAccounts(database.db, testActor)).map((a) => a.login)).toEqual([
      'Lan.Nguyen',
      'root',
    ]);
  });

  it('creates an account without a password, for single sign-on, until an admin sets one', async () => {
    const entry = await createAccount(database.db, testActor, {
      login: 'sso.only',
      name: 'Một cửa',
      role: 'analyst',
      unit: 'BRVT.SKHDT',
    });
    expect(entry).toMatchObject({ login: 'sso.only', hasPassword: false });
    // No password at all is not the empty one, nor any other.
    expect(await checkPassword(database.db, 'sso.only', '')).toBeUndefined();
    expect(await checkPassword(database.db, 'sso.only', PASSWORD)).toBeUndefined();
    const refused = await database.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'session.sign-in-refused')
      .where('subject', '=', `account:${await idOf('sso.only')}`)
      .execute();
    expect(refused.map((r) => r.detail)).toEqual([
      { login: 'sso.only', method: 'password', reason: 'no-password' },
      { login: 'sso.only', method: 'password', reason: 'no-password' },
    ]);
    await resetPassword(database.db, testActor, 'sso.only', { password: PASSWORD });
    expect(await checkPassword(database.db, 'SSO.ONLY', PASSWORD)).toMatchObject({
      login: 'sso.only',
    });
    const listed = await listAccounts(database.db, testActor);
    expect(listed.find((a) => a.login === 'sso.only')?.hasPassword).toBe(true);
  });

  it('refuses a short password, an admin with a unit and another role without one', async () => {
    const account = { login: 'khoa', name: 'Khoa', role: 'surveyor', unit: 'BRVT' } as const;
    const weak = await refusal(
      createAccount(database.db, testActor, { ...account, password: '123456789' }),
    );
    expect(weak.errors).toEqual([
      {
        path: 'password',
        message: { vi: 'mật khẩu cần ít nhất 10 ký tự', en: 'at least 10 characters' },
      },
    ]);
    const admin = await refusal(
      createAccount(database.db, testActor, { ...account, role: 'admin', password: PASSWORD }),
    );
    expect(admin.errors.map((e) => e.path)).toEqual(['unit']);
    const unscoped = await refusal(
      createAccount(database.db, testActor, {
        login: 'khoa',
        name: 'Khoa',
        role: 'unit',
        password: PASSWORD,
      }),
    );
    expect(unscoped.errors).toEqual([
      { path: 'unit', message: { vi: 'bắt buộc với vai trò unit', en: 'required for role unit' } },
    ]);
    const unknown = await refusal(
      createAccount(database.db, testActor, { ...account, unit: 'NOWHERE', password: PASSWORD }),
    );
    expect(unknown.errors.map((e) => e.path)).toEqual(['unit']);
    expect((await listAccounts(database.db, testActor)).map((a) => a.login)).not.toContain('khoa');
  });

  it('changes a password given the current one; an admin reset ends the sessions', async () => {
    const lan = await checkPassword(database.db, 'LAN.NGUYEN', PASSWORD);
    if (!lan) throw new Error('Lan cannot sign in');
    const principal = principalOf(lan);
    const wrong = await refusal(
      changeOwnPassword(database.db, principal, {
        current: 'not it at all',
        password: 'mới đủ dài 10',
      }),
    );
    expect(wrong.errors).toEqual([{ path: 'current', message: { vi: 'không đúng', en: 'wrong' } }]);
    await changeOwnPassword(database.db, principal, {
      current: PASSWORD,
      password: 'mới đủ dài 10',
    });
    expect(await checkPassword(database.db, 'lan.nguyen', PASSWORD)).toBeUndefined();
    expect(await checkPassword(database.db, 'lan.nguyen', 'mới đủ dài 10')).toMatchObject({
      login: 'Lan.Nguyen',
    });

    const opened = await openSession(database.db, lan, { method: 'password' });
    expect(await sessionAccount(database.db, opened.secret)).toMatchObject({ csrf: opened.csrf });
    await resetPassword(database.db, testActor, 'lan.nguyen', { password: PASSWORD });
    expect(await sessionAccount(database.db, opened.secret)).toBeUndefined();
    expect(await checkPassword(database.db, 'lan.nguyen', PASSWORD)).toBeDefined();
  });

  it('disables and enables an account, never an admin their own', async () => {
    const root = await checkPassword(database.db, 'root', PASSWORD);
    if (!root) throw new Error('root cannot sign in');
    const self = await refusal(setAccountDisabled(database.db, principalOf(root), 'root', true));
    expect(self.code).toBe('conflict');
    const disabled = await setAccountDisabled(database.db, principalOf(root), 'lan.nguyen', true);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await checkPassword(database.db, 'lan.nguyen', PASSWORD)).toBeUndefined();
    await setAccountDisabled(database.db, principalOf(root), 'lan.nguyen', false);
    expect(await checkPassword(database.db, 'lan.nguyen', PASSWORD)).toBeDefined();
    const actions = await database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'account.%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'account.create',
      'account.create',
      'account.create',
      'account.reset-password',
      'account.change-password',
      'account.reset-password',
      'account.disable',
      'account.enable',
    ]);
    const analyst = await refusal(
      listAccounts(database.db, { ...principalOf(root), role: 'analyst', unitId: 1 }),
    );
    expect(analyst.code).toBe('forbidden');
  });
});
