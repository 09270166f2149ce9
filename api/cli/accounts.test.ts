import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { checkPassword } from '../services/accounts.ts';
import { cliFor } from './testing.ts';

describe.each(engines)('sipas account create on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
  });
  afterAll(() => database.close());

  it('creates an admin whose password comes from stdin, never an argument', async () => {
    const created = await sipas.withInput(
      'mật khẩu quản trị\n',
      'account',
      'create',
      '--role',
      'admin',
      '--login',
      'root',
      '--name',
      'Quản trị',
    );
    expect(created).toEqual({ status: 0, stdout: 'account root created (admin)\n', stderr: '' });
    const weak = await sipas.withInput(
      'short\n',
      'account',
      'create',
      '--role',
      'admin',
      '--login',
      'other',
    );
    expect(weak).toEqual({
      status: 1,
      stdout: '',
      stderr: 'Invalid account.\npassword: at least 10 characters\n',
    });
    const unit = await sipas.withInput(
      'mật khẩu đủ dài\n',
      'token',
      'create',
      '--role',
      'unit',
      '--unit',
      'NOWHERE',
    );
    expect(unit.stderr).not.toMatch(/--role must be one of/);

    // For single sign-on only: stdin is not read, and no password signs in.
    const ssoOnly = await sipas.withInput(
      'mật khẩu không được đọc\n',
      'account',
      'create',
      '--role',
      'admin',
      '--login',
      'sso.admin',
      '--no-password',
    );
    expect(ssoOnly).toEqual({
      status: 0,
      stdout: 'account sso.admin created (admin, single sign-on only)\n',
      stderr: '',
    });

    const connection = sipas.open();
    try {
      expect(await checkPassword(connection.db, 'ROOT', 'mật khẩu quản trị')).toMatchObject({
        login: 'root',
        name: 'Quản trị',
        role: 'admin',
      });
      expect(
        await checkPassword(connection.db, 'sso.admin', 'mật khẩu không được đọc'),
      ).toBeUndefined();
      const created = await connection.db
        .selectFrom('account')
        .select(['name', 'password_hash'])
        .where('login', '=', 'sso.admin')
        .executeTakeFirstOrThrow();
      expect(created).toEqual({ name: 'sso.admin', password_hash: null });
    } finally {
      await connection.close();
    }
  });
});
