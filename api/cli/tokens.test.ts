import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountByTokenHash, findCounterTokenByHash } from '../../db/repositories/tokens.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { hashToken } from '../services/credentials.ts';
import { cliFor } from './testing.ts';

describe.each(engines)('token commands on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
  });
  afterAll(() => database.close());

  it('print only the new token on stdout, store only its hash, and revoke a replaced one', async () => {
    const created = await sipas('token', 'create', '--role', 'admin');
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/^sk_[A-Za-z0-9_-]{43}\n$/);

    let connection = sipas.open();
    const { id: unitId } = await connection.db
      .insertInto('unit')
      .values({ code: 'T', name: 'Tỉnh T' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await connection.db
      .insertInto('counter')
      .values({ code: 'T.Q1', unit_id: unitId, name: 'Q1' })
      .execute();
    await connection.close();

    const first = (await sipas('counters', 'issue-token', 'T.Q1')).stdout;
    const second = await sipas('counters', 'issue-token', 'T.Q1');
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^[A-Za-z0-9_-]{22}\n$/);

    connection = sipas.open();
    try {
      const account = await findAccountByTokenHash(connection.db, hashToken(created.stdout.trim()));
      expect(account).toMatchObject({ role: 'admin', unit_id: null, revoked_at: null });
      const old = await findCounterTokenByHash(connection.db, hashToken(first.trim()));
      const current = await findCounterTokenByHash(connection.db, hashToken(second.stdout.trim()));
      expect(old?.revoked_at).toBeInstanceOf(Date);
      expect(current).toMatchObject({ revoked_at: null });
      const stored = await connection.db.selectFrom('api_token').select('token_hash').execute();
      expect(stored.map((t) => t.token_hash.length)).toEqual([32]);
      const audit = await connection.db
        .selectFrom('audit_log')
        .select('action')
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'token.create',
        'counter.issue-token',
        'counter.issue-token',
      ]);
    } finally {
      await connection.close();
    }
  });

  it('refuse a bad role (usage, exit 2) and an unknown unit or counter (exit 1)', async () => {
    expect((await sipas('token', 'create', '--role', 'boss')).status).toBe(2);
    const unknownUnit = await sipas('token', 'create', '--role', 'analyst', '--unit', 'NOPE');
    expect(unknownUnit).toMatchObject({ status: 1, stdout: '' });
    expect(unknownUnit.stderr).toMatch(/Unknown unit NOPE/);
    const unknownCounter = await sipas('counters', 'issue-token', 'NOPE.Q1');
    expect(unknownCounter).toMatchObject({ status: 1, stdout: '' });
    expect(unknownCounter.stderr).toMatch(/Unknown counter NOPE.Q1/);
  });
});
