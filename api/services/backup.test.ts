// Backup and restore on real engines: the example campaign, enriched with every kind of row,
// comes back identical (every column of every table, text forms compared, and every score),
// on each engine and from the embedded engine to PostgreSQL; a restore refuses what it must
// and then leaves the database as it was.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../db/connect.ts';
import type { Database } from '../../db/database.ts';
import { migrations } from '../../db/migrations/index.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { backupDatabase, backupToFile, restoreDatabase } from './backup.ts';
import { ensureBuiltins } from './builtins.ts';
import { createAccount, issueSetupToken } from './accounts.ts';
import { createApiToken, issueCounterToken } from './credentials.ts';
import { exampleActor as actor, openExampleCampaign, textStream } from './examples.testing.ts';
import { importUnits } from './units.ts';
import { applyReorganisation } from './reorganisations.ts';
import { deriveSipasPoints } from './par.ts';
import { importPeers } from './peers.ts';
import { importPublication } from './publications.ts';
import { SubmissionLimiter } from './rate-limit.ts';
import { campaignScores } from './scores.ts';
import { signInWithIdentity } from './identities.ts';
import { openSession } from './sessions.ts';
import { submitResponse } from './submissions.ts';
import { operator } from './access.ts';

/** The schema's tables, from the catalog, and the migration the schema is at. */
async function schemaTables(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely\_%'
    order by 1
  `.execute(db);
  return rows.map((r) => r.name);
}
const latestMigration = Object.keys(migrations).at(-1) ?? '';

/**
 * What a backup leaves out: the tallies and each campaign's fold snapshot, and the transaction
 * id of each response, all tied to the server it came from; a restored database folds afresh.
 */
const derivedTables = ['response_tally', 'tally_fold'];

/**
 * Every row of every table but the derived, as jsonb text, sorted: an independent picture of
 * the contents.
 */
async function contents(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const picture: Record<string, string[]> = {};
  for (const table of await schemaTables(db)) {
    if (derivedTables.includes(table)) continue;
    const { rows } = await sql<{ row: string }>`
      select (to_jsonb(t) - 'fold_xid')::text as row from ${sql.table(table)} t order by 1
    `.execute(db);
    picture[table] = rows.map((r) => r.row);
  }
  return picture;
}

async function allScores(db: Kysely<Database>) {
  const documents = [];
  for (const design of ['srs', 'stratified'] as const) {
    for (const by of ['all', 'unit', 'counter'] as const) {
      documents.push(await campaignScores(db, operator(), { campaign: 'BRVT-2025', by, design }));
    }
  }
  return documents;
}

/** The example campaign, and a row in every table, with text that quoting could break. */
async function fillSource(db: Kysely<Database>) {
  await openExampleCampaign(db);
  // A child inserted before its parent: a restore in id order would break the reference.
  await importUnits(
    db,
    actor,
    textStream(
      'unit,name,parent\n' +
        'BRVT.KHOI.A,"Khối ""A"", {1,2} \\ \'; drop table unit; --",BRVT.KHOI\n' +
        'BRVT.KHOI,"=HYPERLINK(""x"")\nhai dòng",BRVT\n',
    ),
  );
  await issueCounterToken(db, actor, 'BRVT.STP.Q1');
  const token = await issueCounterToken(db, actor, 'BRVT.STP.Q1');
  await createApiToken(db, actor, { role: 'admin' });
  await createApiToken(db, actor, { role: 'analyst', unit: 'BRVT.STP' });
  const limiter = new SubmissionLimiter();
  const at = new Date('2025-06-02T01:16:40.123Z');
  for (const [id, website] of [
    ['0b6f4f0e-8a1f-4c53-9d55-2f7f8f0f4a11', ''],
    ['0b6f4f0e-8a1f-4c53-9d55-2f7f8f0f4a12', 'http://spam'],
  ] as const) {
    await submitResponse(db, {
      token,
      body: {
        id,
        answers: { TC1: 4, TC2: 5, PAQ: 0, HL: 4 },
        startedAt: '2025-06-02T08:14:05+07:00',
        submittedAt: '2025-06-02T08:16:40+07:00',
        device: 'd',
        website,
      },
      receivedAt: at,
      mode: 'qr',
      limits: { perDevice: 0, perIp: 0, ceilingPerDevice: 0, ceilingPerIp: 0 },
      revokedTokenGraceMs: 0,
      limiter,
    });
  }
  await deriveSipasPoints(db, actor, {
    framework: 'par-2020-province',
    period: '2025',
    campaign: 'BRVT-2025',
  });
  // A later reorganisation, for its lineage and dated links: Khối A merges into Khối.
  await applyReorganisation(db, actor, {
    on: '2026-01-01',
    files: {
      reorganisation: textStream(
        'predecessor,successor,share,successor_name,successor_parent\nBRVT.KHOI.A,BRVT.KHOI,,,\n',
      ),
    },
  });
  // A peer group of 2025, on whose map Khối A still stands beside Khối.
  await importPeers(
    db,
    actor,
    textStream('group,period,unit\nkhoi,2025,BRVT.KHOI\nkhoi,2025,BRVT.KHOI.A\n'),
  );
  // Staff: a first-admin link (issued while no admin can sign in), an account, the identity
  // single sign-on linked it to, and its session.
  expect(await issueSetupToken(db)).toEqual(expect.any(String));
  await createAccount(db, operator(), {
    login: 'lan.nguyen',
    name: 'Nguyễn "Lan", {1,2} \\ \'',
    role: 'admin',
    password: 'một mật khẩu đủ dài',
  });
  const issuer = 'https://id.example.vn/realms/brvt';
  const account = await signInWithIdentity(
    db,
    { issuer, subject: 'a1b2-c3', login: 'lan.nguyen' },
    'preferred_username',
  );
  await openSession(db, account, { method: 'oidc', issuer });
  await fillAssessment(db);
  await fillPlan(db);
  await fillOfficialSurvey(db);
  // Ranks published elsewhere, their source text one that quoting could break.
  await importPublication(
    db,
    actor,
    {
      framework: 'par-2020-province',
      period: '2024',
      peers: 'VN63',
      origin: 'Bộ "Nội vụ", {1,2} \\ \'',
    },
    textStream('unit,points,rank,band\nBRVT,85.62,11,B\n'),
  );
}

/**
 * An assessment with a leaf and an evidence file written as rows: the round trip must keep
 * every byte of a file (here every byte value, as a PDF holds) and a null-points mark.
 */
async function fillAssessment(db: Kysely<Database>) {
  const framework = await db
    .selectFrom('par_framework')
    .select('id')
    .where('code', '=', 'par-2020-province')
    .executeTakeFirstOrThrow();
  const unit = await db
    .selectFrom('unit')
    .select('id')
    .where('code', '=', 'BRVT.KHOI')
    .executeTakeFirstOrThrow();
  const round = await db
    .insertInto('assessment_round')
    .values({
      framework_id: framework.id,
      period: '2026',
      peers: 'khoi',
      deadline: '2026-03-31',
      stages: JSON.stringify(['parent', 'top']),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const assessment = await db
    .insertInto('assessment')
    .values({ round_id: round.id, unit_id: unit.id, state: 'returned', stage: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('assessment_leaf')
    .values({
      assessment_id: assessment.id,
      node: 'appraisal',
      self_score: 60.25,
      explanation: 'Báo cáo số 12/BC-UBND, "trích"\nhai dòng',
      document_refs: JSON.stringify([{ number: '12/BC-UBND', date: '2026-01-05', issuer: 'UBND' }]),
      not_applicable: false,
      returned: true,
      return_comment: 'Thiếu phụ lục',
    })
    .execute();
  const content = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
  await db
    .insertInto('evidence')
    .values({
      assessment_id: assessment.id,
      node: 'appraisal',
      file_name: 'báo cáo.pdf',
      media_type: 'application/pdf',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
      uploaded_by: 'cli',
    })
    .execute();
  await db
    .insertInto('par_points')
    .values({
      framework_id: framework.id,
      unit_id: unit.id,
      period: '2026',
      component: 'leaders',
      points: null,
      source: 'assessment',
    })
    .execute();
}

/**
 * A plan with a task, a progress report and its evidence file written as rows: the round trip
 * must keep the JSON documents, a date, a null deadline and every byte of a file.
 */
async function fillPlan(db: Kysely<Database>) {
  const framework = await db
    .selectFrom('par_framework')
    .select('id')
    .where('code', '=', 'par-2020-province')
    .executeTakeFirstOrThrow();
  const unit = await db
    .selectFrom('unit')
    .select('id')
    .where('code', '=', 'BRVT.KHOI')
    .executeTakeFirstOrThrow();
  const plan = await db
    .insertInto('plan')
    .values({
      unit_id: unit.id,
      framework_id: framework.id,
      period: '2026',
      peers: 'khoi',
      campaign_id: null,
      facts: JSON.stringify({ total: 85.62, note: 'Bộ "Nội vụ", {1,2} \\ \'' }),
      sections: JSON.stringify({ summary: 'Khắc phục\nhai dòng' }),
      drafted_by: 'cli',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [task] = await db
    .insertInto('plan_task')
    .values([
      {
        plan_id: plan.id,
        position: 1,
        content: 'Rà soát "thủ tục", {1,2}',
        lead: 'Văn phòng',
        coordinating: JSON.stringify(['Sở Nội vụ', 'Sở Tư pháp']),
        deadline: '2026-09-30',
        expected_output: 'Báo cáo',
        nodes: JSON.stringify(['1.2']),
        factors: JSON.stringify(['TT']),
        status: 'in-progress',
      },
      {
        plan_id: plan.id,
        position: 2,
        content: 'Thường xuyên',
        lead: 'Văn phòng',
        deadline: null,
        expected_output: 'Kết quả',
      },
    ])
    .returning('id')
    .execute();
  const progress = await db
    .insertInto('plan_progress')
    .values({
      task_id: task?.id ?? 0,
      reported_on: '2026-06-30',
      text: 'Đã xong\nmột nửa',
      reported_by: 'cli',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const content = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
  await db
    .insertInto('plan_evidence')
    .values({
      progress_id: progress.id,
      file_name: 'biên bản.pdf',
      media_type: 'application/pdf',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
      uploaded_by: 'cli',
    })
    .execute();
}

/**
 * An officials' survey with a group, a used link, a revoked link and the one issued in its
 * place, and an answer: the round trip must keep the self-reference, the array and the uuid.
 */
async function fillOfficialSurvey(db: Kysely<Database>) {
  const framework = await db
    .selectFrom('par_framework')
    .select('id')
    .where('code', '=', 'par-2020-province')
    .executeTakeFirstOrThrow();
  const instrument = await db
    .selectFrom('official_instrument')
    .select('id')
    .where('code', '=', 'par-officials-2020')
    .executeTakeFirstOrThrow();
  const unit = await db
    .selectFrom('unit')
    .select('id')
    .where('code', '=', 'BRVT.KHOI')
    .executeTakeFirstOrThrow();
  const survey = await db
    .insertInto('official_survey')
    .values({
      code: 'LD-2026',
      name: 'Điều tra "lãnh đạo", {1,2}',
      instrument_id: instrument.id,
      framework_id: framework.id,
      period: '2026',
      opens_on: '2026-10-01',
      closes_on: '2026-10-31',
      created_by: 'cli',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const group = await db
    .insertInto('official_group')
    .values({ survey_id: survey.id, unit_id: unit.id, name: 'Lãnh đạo cấp phòng', invited: 3 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const revoked = await db
    .insertInto('official_invitation')
    .values({
      group_id: group.id,
      token: 'AAAAAAAAAAAAAAAAAAAAAA',
      revoked_at: new Date('2026-10-02T03:00:00Z'),
      revoke_reason: 'gửi nhầm\nngười',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('official_invitation')
    .values([
      { group_id: group.id, token: 'BBBBBBBBBBBBBBBBBBBBBB', replaces: revoked.id },
      {
        group_id: group.id,
        token: 'CCCCCCCCCCCCCCCCCCCCCC',
        used: true,
        submission_key: '0b6c2b8e-8a8f-4f0e-9d4c-6a1f2f3c4d5e',
      },
    ])
    .execute();
  await db
    .insertInto('official_response')
    .values({ group_id: group.id, answers: [0, 1, 2, 3, 0, 1, 2, 3] })
    .execute();
}

const folder = mkdtempSync(join(tmpdir(), 'sipas-backup-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const backupFile = () => join(folder, `backup-${++files}.sipas.gz`);

/** The decompressed lines of a backup, and a way to write changed ones back. */
const linesOf = (path: string) => gunzipSync(readFileSync(path)).toString('utf8').split('\n');
const fileFrom = (lines: string[]) => {
  const path = backupFile();
  writeFileSync(path, gzipSync(lines.join('\n')));
  return path;
};

async function refusal(db: Kysely<Database>, path: string): Promise<DomainError> {
  const error: unknown = await restoreDatabase(db, createReadStream(path)).catch((e) => e);
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${error}`);
  return error;
}

async function emptyDatabase(engine: Engine): Promise<TestDatabase> {
  const database = await openTestDatabase(engine);
  await ensureBuiltins(database.db);
  return database;
}

describe.each(engines)('backup and restore on %s', (engine) => {
  let source: TestDatabase;
  let file: string;
  let before: Record<string, string[]>;
  let scoresBefore: Awaited<ReturnType<typeof allScores>>;
  const opened: TestDatabase[] = [];
  const fresh = async () => {
    const database = await emptyDatabase(engine);
    opened.push(database);
    return database;
  };

  beforeAll(async () => {
    source = await openTestDatabase(engine);
    await fillSource(source.db);
    before = await contents(source.db);
    scoresBefore = await allScores(source.db);
    file = backupFile();
    await backupToFile(source.db, file, { now: new Date('2026-05-01T03:00:00Z') });
  });
  afterAll(async () => {
    await source.close();
    for (const database of opened) await database.close();
  });

  it('fills every table of the source, so that the round trip tests them all', async () => {
    for (const [table, rows] of Object.entries(before)) expect(rows, table).not.toHaveLength(0);
    for (const table of derivedTables) {
      expect(await schemaTables(source.db)).toContain(table);
    }
    expect(before.response).toHaveLength(62);
    expect(scoresBefore[0]?.groups[0]?.respondents).toBe(61);
  });

  it('writes the documented header, every table parents first, and the trailer', () => {
    const lines = linesOf(file);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      format: 'sipas-backup',
      version: 1,
      migration: latestMigration,
      createdAt: '2026-05-01T03:00:00.000Z',
    });
    const order = lines.flatMap((line) => {
      const value: unknown = line ? JSON.parse(line) : null;
      return value && typeof value === 'object' && 'table' in value ? [String(value.table)] : [];
    });
    expect([...order].sort()).toEqual(Object.keys(before));
    for (const [child, parent] of [
      ['counter', 'unit'],
      ['campaign', 'instrument'],
      ['response', 'campaign'],
      ['api_token', 'account'],
      ['par_points', 'par_framework'],
    ] as const) {
      expect(order.indexOf(child), child).toBeGreaterThan(order.indexOf(parent));
    }
    const trailer: unknown = JSON.parse(lines.at(-2) ?? '');
    expect(trailer).toEqual({
      end: Object.fromEntries(order.map((t) => [t, before[t]?.length])),
    });
    expect(lines.at(-1)).toBe('');
  });

  describe('into an empty database', () => {
    let target: TestDatabase;
    beforeAll(async () => {
      target = await fresh();
    });

    it('restores every row of every table and every score exactly', async () => {
      const summary = await restoreDatabase(target.db, createReadStream(file));
      expect(summary).toEqual(
        Object.fromEntries(Object.entries(before).map(([t, rows]) => [t, rows.length])),
      );
      expect(await contents(target.db)).toEqual(before);
      expect(await allScores(target.db)).toEqual(scoresBefore);
    });

    it('refuses the database once it holds more than the built-ins, and changes nothing', async () => {
      const error = await refusal(target.db, file);
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(/^The database is not empty: .*unit \(6 rows\)/);
      expect(await contents(target.db)).toEqual(before);
    });

    it('continues every identity after the largest id restored', async () => {
      await importUnits(target.db, actor, textStream('unit,name,parent\nBRVT.MOI,Mới,BRVT\n'));
      const { rows } = await sql<{ unit: number; audit: number }>`
        select (select max(id) from unit) as unit, (select max(id) from audit_log) as audit
      `.execute(source.db);
      const added = await target.db
        .selectFrom('unit')
        .select('id')
        .where('code', '=', 'BRVT.MOI')
        .executeTakeFirstOrThrow();
      const audit = await target.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      expect(added.id).toBe((rows[0]?.unit ?? 0) + 1);
      expect(audit.id).toBe((rows[0]?.audit ?? 0) + 1);
    });
  });

  it('streams to any writable, the same bytes as the file', async () => {
    const chunks: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => chunks.push(chunk));
    await backupDatabase(source.db, sink, { now: new Date('2026-05-01T03:00:00Z') });
    expect(gunzipSync(Buffer.concat(chunks)).toString('utf8')).toBe(linesOf(file).join('\n'));
  });

  it('writes the same file whatever the session prints times, dates, bytes and doubles as', async () => {
    // One connection, so that the settings hold for the backup's and the restore's transactions.
    const underVietnamSession = <T>(
      db: Kysely<Database>,
      work: (db: Kysely<Database>) => Promise<T>,
    ) =>
      db.connection().execute(async (connection) => {
        await sql`set timezone = 'Asia/Ho_Chi_Minh'`.execute(connection);
        await sql`set datestyle = 'SQL, DMY'`.execute(connection);
        await sql`set bytea_output = 'escape'`.execute(connection);
        await sql`set extra_float_digits = 0`.execute(connection);
        try {
          return await work(connection);
        } finally {
          await sql`reset all`.execute(connection);
        }
      });
    const chunks: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => chunks.push(chunk));
    await underVietnamSession(source.db, (db) =>
      backupDatabase(db, sink, { now: new Date('2026-05-01T03:00:00Z') }),
    );
    const lines = gunzipSync(Buffer.concat(chunks)).toString('utf8').split('\n');
    expect(lines).toEqual(linesOf(file));

    const target = await fresh();
    await underVietnamSession(target.db, (db) =>
      restoreDatabase(db, Readable.from([gzipSync(lines.join('\n'))])),
    );
    expect(await contents(target.db)).toEqual(before);
    expect(await allScores(target.db)).toEqual(scoresBefore);
  });

  it('refuses a file of another version, cut short, damaged or foreign, leaving the database empty', async () => {
    const target = await fresh();
    const held = await contents(target.db);
    const lines = linesOf(file);
    const bytes = readFileSync(file);
    const cut = backupFile();
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    const foreign = backupFile();
    writeFileSync(foreign, 'unit,name,parent\n');
    const responseRow = lines.findIndex((l) => l.startsWith('{"table":"response"')) + 1;
    const header = lines[0] ?? '';
    const cases: [string, RegExp][] = [
      [
        fileFrom([header.replace(latestMigration, '2027_01_01_0000_future'), ...lines.slice(1)]),
        new RegExp(
          `^The backup is of schema version 2027_01_01_0000_future; this database is at ${latestMigration}\\.`,
        ),
      ],
      [
        fileFrom([header.replace('"version":1', '"version":2'), ...lines.slice(1)]),
        /format version 2/,
      ],
      [fileFrom(['{"format":"other","version":1,"migration":"x","createdAt":""}']), /header/],
      [fileFrom(lines.slice(0, -2)), /cut short/],
      [cut, /damaged|cut short/],
      [foreign, /damaged|not a SIPAS backup/],
      [
        fileFrom([...lines.slice(0, responseRow), '[1,2]', ...lines.slice(responseRow)]),
        /^Line \d+: a row of response/,
      ],
      [fileFrom(lines.map((l, i) => (i === lines.length - 2 ? '{"end":{}}' : l))), /trailer/],
    ];
    for (const [path, message] of cases) {
      expect((await refusal(target.db, path)).message).toMatch(message);
      expect(await contents(target.db)).toEqual(held);
    }
    // Still empty and usable: the real file, from any stream, restores after all those.
    await restoreDatabase(target.db, Readable.from([bytes]));
    expect(await contents(target.db)).toEqual(before);
  });
});

describe.runIf(engines.includes('postgres'))('a backup across engines on postgres', () => {
  it('moves an embedded database to PostgreSQL with every row and score', async () => {
    const source = await openTestDatabase('pglite');
    const target = await emptyDatabase('postgres');
    try {
      await fillSource(source.db);
      const file = backupFile();
      await backupToFile(source.db, file);
      await restoreDatabase(target.db, createReadStream(file));
      expect(await contents(target.db)).toEqual(await contents(source.db));
      expect(await allScores(target.db)).toEqual(await allScores(source.db));
      const back = backupFile();
      await backupToFile(target.db, back, { now: new Date(0) });
      const again = backupFile();
      await backupToFile(source.db, again, { now: new Date(0) });
      expect(linesOf(back)).toEqual(linesOf(again));
    } finally {
      await source.close();
      await target.close();
    }
  });
});
