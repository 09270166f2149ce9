import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tokens from '../../db/repositories/tokens.ts';
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
      const account = await tokens.findAccountByTokenHash(
        connection.db,
        hashToken(created.stdout.trim()),
      );
      expect(account).toMatchObject({ role: 'admin', unit_id: null, revoked_at: null });
      const old = await tokens.findCounterTokenByHash(connection.db, hashToken(first.trim()));
      const current = await tokens.findCounterTokenByHash(
        connection.db,
        hashToken(second.stdout.trim()),
      );
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

  it('list every API token by its prefix, never the token, and revoke one by its prefix', async () => {
    const analyst = await sipas('token', 'create', '--role', 'analyst', '--name', 'Nhóm phân tích');
    const token = analyst.stdout.trim();
    const prefix = hashToken(token).toString('hex').slice(0, 12);
    expect(analyst.stderr).toBe(`token ${prefix} created (sipas token list shows it)\n`);

    const table = await sipas('token', 'list');
    expect(table).toMatchObject({ status: 0, stderr: '' });
    expect(table.stdout).not.toContain(token);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^prefix\s+name\s+role\s+unit\s+created\s+revoked$/);
    expect(lines.at(-1)).toMatch(
      new RegExp(`^${prefix}\\s+Nhóm phân tích\\s+analyst\\s+\\(all\\)\\s+\\S+\\+07:00\\s+–$`),
    );

    const revoked = await sipas('token', 'revoke', prefix.slice(0, 7));
    expect(revoked).toMatchObject({ status: 0, stdout: `revoked ${prefix} (Nhóm phân tích)\n` });
    const again = await sipas('token', 'revoke', prefix);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`^${prefix} \\(Nhóm phân tích\\) was already revoked at `),
    );

    const json = await sipas('token', 'list', '--format', 'json');
    const listed: unknown[] = JSON.parse(json.stdout);
    expect(listed.at(-1)).toMatchObject({ prefix, role: 'analyst', revokedAt: expect.any(String) });
    expect(json.stdout).not.toContain(token);

    const connection = sipas.open();
    try {
      expect(await tokens.findAccountByTokenHash(connection.db, hashToken(token))).toMatchObject({
        revoked_at: expect.any(Date),
      });
      const audit = await connection.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'detail'])
        .where('action', '=', 'token.revoke')
        .execute();
      expect(audit).toEqual([{ actor: 'cli', action: 'token.revoke', detail: { prefix } }]);
    } finally {
      await connection.close();
    }

    const none = await sipas('token', 'revoke', 'ffffff0000');
    expect(none).toMatchObject({ status: 1, stdout: '' });
    expect(none.stderr).toMatch(/ffffff0000/);
    const bad = await sipas('token', 'revoke', 'sk_abc');
    expect(bad).toMatchObject({ status: 1, stdout: '' });
    expect(bad.stderr).toMatch(/sk_abc is not a token prefix/);
    expect((await sipas('token', 'revoke')).status).toBe(2);
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

  it('list a token scoped to a unit that ended as needing review, with its successor', async () => {
    let connection = sipas.open();
    const unit = (code: string) =>
      connection.db
        .insertInto('unit')
        .values({ code, name: code })
        .returning('id')
        .executeTakeFirstOrThrow();
    const [old, successor] = [await unit('OLD'), await unit('NEW')];
    await connection.close();
    expect((await sipas('token', 'create', '--role', 'analyst', '--unit', 'OLD')).status).toBe(0);
    connection = sipas.open();
    try {
      await connection.db
        .updateTable('unit')
        .set({ valid_to: '2025-07-01' })
        .where('id', '=', old.id)
        .execute();
      const { id } = await connection.db
        .insertInto('reorganisation')
        .values({ effective_on: '2025-07-01', applied_by: 'test', plan: JSON.stringify({}) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await connection.db
        .insertInto('unit_lineage')
        .values({
          reorganisation_id: id,
          predecessor_id: old.id,
          successor_id: successor.id,
          share: 1,
        })
        .execute();
    } finally {
      await connection.close();
    }
    expect((await sipas('token', 'list')).stdout).toMatch(
      / analyst@OLD +analyst +OLD \(ended: review; successors NEW\) /,
    );
    const refused = await sipas('token', 'create', '--role', 'analyst', '--unit', 'OLD');
    expect(refused).toMatchObject({ status: 1, stdout: '' });
    expect(refused.stderr).toContain('unit OLD ended on 2025-07-01; its successors: NEW');
  });
});
