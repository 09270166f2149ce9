import { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedItems } from '../../analysis/instrument.ts';
import type { QuarantineReason } from '../../db/database.ts';
import * as responses from '../../db/repositories/responses.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { campaignByCode, type Campaign } from './campaigns/index.ts';
import {
  exampleActor as actor,
  exampleFile,
  openExampleCampaign,
  textStream,
} from './examples.testing.ts';
import {
  exportResponses,
  importResponses,
  listQuarantined,
  quarantineSummary,
  releaseQuarantined,
  type ExportOptions,
} from './responses.ts';

const CODE = 'BRVT-2025';

async function exported(database: TestDatabase, options: ExportOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await exportResponses(database.db, actor, CODE, options, sink);
  return Buffer.concat(chunks);
}

async function problemsOf(work: Promise<unknown>): Promise<{ message: string; lines: string[] }> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError))
    throw new Error(`expected a DomainError, got ${String(error)}`);
  expect(error.code).toBe('invalid');
  return { message: error.message, lines: error.errors.map((e) => `${e.path}: ${e.message.en}`) };
}

async function count(database: TestDatabase): Promise<number> {
  const { n } = await database.db
    .selectFrom('response')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Every stored response as comparable text, in id order. */
async function storedRows(database: TestDatabase) {
  const rows = await database.db
    .selectFrom('response as r')
    .innerJoin('counter as k', 'k.id', 'r.counter_id')
    .select(['r.source_id', 'k.code', 'r.submitted_at', 'r.mode', 'r.service_area', 'r.answers'])
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({ ...r, submitted_at: r.submitted_at.toISOString() }));
}

const fixtureRecords: string[][] = parse(exampleFile('responses.csv'));
const fixtureIds = fixtureRecords.slice(1).map((record) => record[0]);

describe.each(engines)('responses on %s', (engine) => {
  let database: TestDatabase;
  let fresh: TestDatabase;
  let campaign: Campaign;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fresh = await openTestDatabase(engine);
    campaign = await openExampleCampaign(database.db, { responses: false });
    await openExampleCampaign(fresh.db, { responses: false });
  });
  afterAll(async () => {
    await database.close();
    await fresh.close();
  });

  it('imports the example campaign, then reports all 60 again as duplicates', async () => {
    const progress: number[] = [];
    const first = await importResponses(
      database.db,
      actor,
      CODE,
      textStream(exampleFile('responses.csv')),
      { onProgress: (rows) => progress.push(rows) },
    );
    expect(first).toEqual({ stored: 60, duplicates: [] });
    expect(progress).toEqual([60]);
    // The file's first row, read by hand: TT2 and TT5 blank, PAQ 1, PA2 2, HL 4.
    const [row] = await storedRows(database);
    const at = (code: string) => storedItems(campaign.instrument).findIndex((i) => i.code === code);
    expect(row).toMatchObject({
      source_id: '309d6b79-965e-da32-dae4-45508201e2bd',
      code: 'BRVT.STP.Q1',
      submitted_at: '2025-05-26T08:30:00.000Z',
      mode: 'kiosk',
      service_area: 'TP',
    });
    const answers = row?.answers ?? [];
    expect(
      [at('TC1'), at('TC3'), at('TT2'), at('TT5'), at('PAQ'), at('PA2'), at('HL')].map(
        (i) => answers[i],
      ),
    ).toEqual([5, 1, null, null, 1, 2, 4]);
    expect(answers.filter((a) => a !== null)).toHaveLength(22);

    const again = await importResponses(
      database.db,
      actor,
      CODE,
      textStream(exampleFile('responses.csv')),
    );
    expect(again.stored).toBe(0);
    expect(again.duplicates).toEqual(fixtureIds);
    expect(await count(database)).toBe(60);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'subject', 'detail'])
      .where('action', '=', 'responses.import')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      {
        action: 'responses.import',
        subject: CODE,
        detail: { rows: 60, stored: 60, duplicates: 0 },
      },
      {
        action: 'responses.import',
        subject: CODE,
        detail: { rows: 60, stored: 0, duplicates: 60 },
      },
    ]);
  });

  it('refuses a bad file whole, naming each problem by line and column', async () => {
    const file = [
      'response_id,counter,submitted_at,mode,service_area,TC1,TC2,PAQ,PA2,HL,MD',
      'ok-1,BRVT.STP.Q1,2025-05-26T15:30:00+07:00,kiosk,TP,5,4,1,4,5,1;2',
      'bad-2,NOPE.Q1,2025-05-26,kiosk,TP,5,4,1,4,5,',
      'bad-3,BRVT.STP.Q1,2025-05-26 10:00,kiosk,TP,7,4,1,4,5,',
      'bad-4,BRVT.STP.Q1,2026-01-01T00:30:00+07:00,paper,TP,5,4,1,4,5,',
      'bad-5,BRVT.STP.Q1,2025-12-31T16:59:59Z,fax,"two',
      'lines",5,4,0,4,5,6',
      'ok-1,BRVT.STP.Q1,2025-05-26T15:30:00+07:00,qr,TP,5,4,1,4,5,',
      'bad-7,BRVT.STP.Q1,,qr,TP,,,,,,',
      'bad-8,BRVT.STP.Q1,2025-05-26T15:30:00+07:00,qr,TP,5,4',
      `${'x'.repeat(101)},BRVT.STP.Q1,2025-05-26,qr,TP,5,4,1,4,5,`,
      'bad-10,BRVT.STP.Q1,yesterday,qr,T"P,5,4,1,4,5,',
      'ok-11,BRVT.STP.Q1,2025-05-26T15:30:00+07:00,qr,TP,5,4,1,4,5,',
    ].join('\n');
    const { message, lines } = await problemsOf(
      importResponses(database.db, actor, CODE, textStream(file)),
    );
    expect(message).toBe('The file has 12 problems; nothing was stored.');
    // bad-5, at 2025-12-31T16:59:59Z, is 23:59:59 in Vietnam: inside the period.
    expect(lines).toEqual([
      'line 3, column counter: counter NOPE.Q1 is not in campaign BRVT-2025',
      'line 4, column TC1: 7 is not a value of sat5 (1, 2, 3, 4, 5)',
      "line 5, column submitted_at: 2026-01-01T00:30:00+07:00 is outside the campaign's period, 2025-01-01 to 2025-12-31 (Vietnam time)",
      'line 6, column mode: fax is not one of qr, kiosk, paper, post, phone, interview, online',
      'line 6, column MD: 6 is not an option of improve5 (1, 2, 3, 4, 5)',
      'line 6, column PA2: asked only when PAQ is 1: leave it blank',
      'line 8, column response_id: ok-1 is also on line 2',
      'line 9, column submitted_at: required',
      'line 9, column TC1: no answers at all',
      'line 10, column PAQ: missing: the row has 7 values, the header 11 columns',
      'line 11, column response_id: longer than 100 characters',
      'line 12, column service_area: a quote inside an unquoted value (quote the whole value and double the quote)',
    ]);
    expect(await count(database)).toBe(60);
  });

  it('checks the header: required and unknown columns, unless unknown ones are ignored', async () => {
    const noMode = 'response_id,counter,submitted_at,TC1\nh-1,BRVT.STP.Q1,2025-05-26,4\n';
    expect(
      (await problemsOf(importResponses(database.db, actor, CODE, textStream(noMode)))).lines,
    ).toEqual(['line 1, column mode: required column missing']);
    const extra =
      '\uFEFFcounter,submitted_at,mode,note,TC1\r\nBRVT.STP.Q1,2025-05-26,paper,hi,4\r\n';
    expect(
      (await problemsOf(importResponses(database.db, actor, CODE, textStream(extra)))).lines,
    ).toEqual([
      'line 1, column note: unknown column: neither a response field nor an item of sipas-2017',
    ]);
    expect(
      await importResponses(database.db, actor, CODE, textStream(extra), {
        ignoreUnknown: true,
        dryRun: true,
      }),
    ).toEqual({ stored: 1, duplicates: [] });
    expect(
      (await problemsOf(importResponses(database.db, actor, CODE, textStream('')))).lines,
    ).toEqual(['line 1: the file is empty']);
    expect(await count(database)).toBe(60);
    await expect(
      importResponses(database.db, actor, 'NOPE', textStream(extra)),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('exports CSV and XLSX with formula-like text neutralised and numbers kept numbers', async () => {
    const risky = [
      'response_id,counter,submitted_at,mode,service_area,TC1,HL,MD',
      '-12,BRVT.SKHDT.Q1,2025-07-01T09:00:00.250+07:00,paper,"=HYPERLINK(""http://x.example"",""y"")",4,5,2;4',
    ].join('\n');
    expect(await importResponses(database.db, actor, CODE, textStream(risky))).toEqual({
      stored: 1,
      duplicates: [],
    });
    const csv = (await exported(database, { format: 'csv' })).toString('utf8');
    const records: string[][] = parse(csv);
    const header = records[0] ?? [];
    expect(header).toEqual([
      'response_id',
      'counter',
      'submitted_at',
      'mode',
      'service_area',
      ...campaign.instrument.items.map((item) => item.code),
    ]);
    expect(records).toHaveLength(62);
    const last = Object.fromEntries(header.map((name, i) => [name, records[61]?.[i]]));
    expect(last).toMatchObject({
      response_id: "'-12",
      submitted_at: '2025-07-01T09:00:00.250+07:00',
      service_area: `'=HYPERLINK("http://x.example","y")`,
      TC1: '4',
      HL: '5',
      MD: '2;4',
      TC2: '',
    });
    const first = Object.fromEntries(header.map((name, i) => [name, records[1]?.[i]]));
    expect(first).toMatchObject({ submitted_at: '2025-05-26T15:30:00+07:00', TT2: '', PA2: '2' });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(Readable.from([await exported(database, { format: 'xlsx' })]));
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(62);
    const cells = (n: number) => {
      const values = sheet?.getRow(n).values;
      return Array.isArray(values) ? values.slice(1) : [];
    };
    expect(cells(1)).toEqual(header);
    const xlsxLast = Object.fromEntries(header.map((name, i) => [name, cells(62)[i]]));
    expect(xlsxLast).toMatchObject({
      response_id: "'-12",
      service_area: `'=HYPERLINK("http://x.example","y")`,
      TC1: 4,
      HL: 5,
      MD: '2;4',
      TC2: undefined,
    });
    // Every data row holds the same values as the CSV, numbers as numbers, and the time as a
    // date cell holding Vietnam's wall-clock time (a spreadsheet's date has no time zone).
    const at = header.indexOf('submitted_at');
    expect(sheet?.getRow(2).getCell(at + 1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    for (let n = 2; n <= 62; n++) {
      const expected = (records[n - 1] ?? []).map((cell, i) =>
        cell === ''
          ? undefined
          : i === at
            ? new Date(`${cell.replace(/\+07:00$/, '')}Z`)
            : /^\d+$/.test(cell)
              ? Number(cell)
              : cell,
      );
      expect([...cells(n), ...Array<undefined>(header.length - cells(n).length)]).toEqual(expected);
    }
  });

  it('round-trips: an export imports into a fresh campaign unchanged, and exports the same', async () => {
    const csv = await exported(database, { format: 'csv' });
    expect(await importResponses(fresh.db, actor, CODE, textStream(csv.toString('utf8')))).toEqual({
      stored: 61,
      duplicates: [],
    });
    expect(await storedRows(fresh)).toEqual(await storedRows(database));
    const [risky] = (await storedRows(fresh)).filter((r) => r.source_id === '-12');
    expect(risky?.service_area).toBe('=HYPERLINK("http://x.example","y")');
    expect((await exported(fresh, { format: 'csv' })).toString('utf8')).toBe(csv.toString('utf8'));
    // Importing the export again: all duplicates; a dry run stores nothing either way.
    expect(
      await importResponses(fresh.db, actor, CODE, textStream(csv.toString('utf8')), {
        dryRun: true,
      }),
    ).toEqual({ stored: 0, duplicates: [...fixtureIds, '-12'] });
  });

  it('streams a file over several batches, finding a repeat across batches', async () => {
    const head = 'response_id,counter,submitted_at,mode,TC1,HL\n';
    const row = (i: number, hl = 4) =>
      `gen-${i},BRVT.CHAUDUC.Q1,2025-03-01T10:00,paper,${(i % 5) + 1},${hl}\n`;
    const good = head + Array.from({ length: 2345 }, (_, i) => row(i)).join('');
    const lines = good.split('\n');
    lines[2101] = 'gen-4,BRVT.CHAUDUC.Q1,2025-03-01,paper,,5'; // id of line 6
    lines[1501] = 'gen-1500,BRVT.CHAUDUC.Q1,2025-03-01,paper,,9';
    const bad = await problemsOf(
      importResponses(fresh.db, actor, CODE, textStream(lines.join('\n'))),
    );
    expect(bad.lines).toEqual([
      'line 1502, column HL: 9 is not a value of sat5 (1, 2, 3, 4, 5)',
      'line 2102, column response_id: gen-4 is also on line 6',
    ]);
    expect(await count(fresh)).toBe(61);
    const progress: number[] = [];
    expect(
      await importResponses(fresh.db, actor, CODE, textStream(good), {
        onProgress: (rows) => progress.push(rows),
      }),
    ).toEqual({ stored: 2345, duplicates: [] });
    expect(progress).toEqual([1000, 2000, 2345]);
    expect(await count(fresh)).toBe(61 + 2345);
  });

  it('leaves the table it filled analysed, for the exports that follow a large import', async () => {
    const own = await openTestDatabase(engine);
    try {
      await openExampleCampaign(own.db, { responses: false });
      const statistics = async () => {
        const { rows } = await sql<{ tuples: number; analysed: boolean | null }>`
          select c.reltuples::float8 as tuples,
            (select s.last_analyze is not null from pg_stat_user_tables s where s.relid = c.oid)
              as analysed
          from pg_class c where c.oid = 'response'::regclass`.execute(own.db);
        return rows[0];
      };
      expect((await statistics())?.tuples).toBeLessThan(1);
      const file =
        'response_id,counter,submitted_at,mode,TC1,HL\n' +
        Array.from({ length: 1000 }, (_, i) => `a-${i},BRVT.STP.Q1,2025-03-01,paper,4,5\n`).join(
          '',
        );
      expect((await importResponses(own.db, actor, CODE, textStream(file))).stored).toBe(1000);
      const after = await statistics();
      expect(after?.tuples).toBe(1000);
      // PGlite, a single backend without a statistics collector, keeps no last_analyze.
      if (engine === 'postgres') expect(after?.analysed).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('refuses an id repeated between valid rows, within a stored batch or across two', async () => {
    const head = 'response_id,counter,submitted_at,mode,TC1,HL\n';
    const row = (id: string) => `${id},BRVT.CHAUDUC.Q1,2025-03-01T10:00,paper,3,4\n`;
    const before = await count(fresh);
    // 6,000 rows, every one valid on its own: more than one batch goes to the database.
    const lines = Array.from({ length: 6000 }, (_, i) => row(`rep-${i}`));
    lines[20] = row('rep-3'); // line 22; rep-3 is on line 5
    lines[5500] = row('rep-7'); // line 5502; rep-7 is on line 9
    const bad = await problemsOf(
      importResponses(fresh.db, actor, CODE, textStream(head + lines.join(''))),
    );
    expect(bad.lines).toEqual([
      'line 22, column response_id: rep-3 is also on line 5',
      'line 5502, column response_id: rep-7 is also on line 9',
    ]);
    expect(await count(fresh)).toBe(before);
  });

  it('stores the new rows of a file that mixes them with stored ones, duplicates in order', async () => {
    const head = 'response_id,counter,submitted_at,mode,TC1,HL\n';
    const rows = (ids: string[]) =>
      ids.map((id) => `${id},BRVT.CHAUDUC.Q1,2025-03-01T10:00,paper,3,4\n`).join('');
    const before = await count(fresh);
    expect(
      await importResponses(fresh.db, actor, CODE, textStream(head + rows(['m-2', 'm-4']))),
    ).toEqual({ stored: 2, duplicates: [] });
    const mixed = head + rows(['m-1', 'm-2', 'm-3', '', 'm-4', 'm-5']);
    expect(
      await importResponses(fresh.db, actor, CODE, textStream(mixed), { dryRun: true }),
    ).toEqual({ stored: 4, duplicates: ['m-2', 'm-4'] });
    expect(await count(fresh)).toBe(before + 2);
    expect(await importResponses(fresh.db, actor, CODE, textStream(mixed))).toEqual({
      stored: 4,
      duplicates: ['m-2', 'm-4'],
    });
    expect(await count(fresh)).toBe(before + 6);
  });

  it('stores text with backslashes, tabs and line breaks as it was written', async () => {
    const area = 'a\\b\tc\nd\\N';
    const file =
      'response_id,counter,submitted_at,mode,service_area,HL\n' +
      `t-1,BRVT.CHAUDUC.Q1,2025-03-01T10:00,paper,"${area}",4\n`;
    expect(await importResponses(fresh.db, actor, CODE, textStream(file))).toEqual({
      stored: 1,
      duplicates: [],
    });
    const row = await fresh.db
      .selectFrom('response')
      .select('service_area')
      .where('source_id', '=', 't-1')
      .executeTakeFirstOrThrow();
    expect(row.service_area).toBe(area);
  });

  it('lists quarantined responses, exports them on request, and releases them', async () => {
    const template = {
      online_id: null,
      campaign_id: campaign.id,
      counter_id: (
        await database.db
          .selectFrom('counter')
          .select('id')
          .where('code', '=', 'BRVT.STP.Q1')
          .executeTakeFirstOrThrow()
      ).id,
      instrument_id: campaign.instrument.id,
      mode: 'qr' as const,
      service_area: null,
      answers: storedItems(campaign.instrument).map((item) => (item.code === 'HL' ? 5 : null)),
      texts: null,
      status: 'quarantined' as const,
      released_at: null,
    };
    await responses.insertResponses(database.db, [
      {
        ...template,
        source_id: 'q-1',
        submitted_at: new Date('2025-08-01T01:00:00Z'),
        reason: 'too-fast',
      },
      {
        ...template,
        source_id: 'q-2',
        submitted_at: new Date('2025-08-02T01:00:00Z'),
        reason: 'honeypot',
      },
    ]);
    const listed = await listQuarantined(database.db, actor, CODE);
    expect(listed.map((q) => [q.responseId, q.counter, q.submittedAt, q.mode, q.reason])).toEqual([
      ['q-1', 'BRVT.STP.Q1', '2025-08-01T08:00:00+07:00', 'qr', 'too-fast'],
      ['q-2', 'BRVT.STP.Q1', '2025-08-02T08:00:00+07:00', 'qr', 'honeypot'],
    ]);
    expect(parse((await exported(database, { format: 'csv' })).toString())).toHaveLength(62);
    const withQuarantine: string[][] = parse(
      (await exported(database, { format: 'csv', includeQuarantined: true })).toString(),
    );
    expect(withQuarantine).toHaveLength(64);
    expect(withQuarantine[0]?.slice(-2)).toEqual(['status', 'reason']);
    expect(withQuarantine[1]?.slice(-2)).toEqual(['valid', '']);
    expect(withQuarantine[63]?.slice(-2)).toEqual(['quarantined', 'honeypot']);

    const [q1, q2] = listed.map((q) => q.id);
    const refused = await problemsOf(
      releaseQuarantined(database.db, actor, [q1 ?? '', '999999', 'x']),
    );
    expect(refused.lines).toEqual(['x: not a response id']);
    expect(
      (await problemsOf(releaseQuarantined(database.db, actor, [q1 ?? '', '999999']))).lines,
    ).toEqual(['999999: no such response']);
    expect(await releaseQuarantined(database.db, actor, [q1 ?? ''])).toEqual({ released: 1 });
    expect(
      (await problemsOf(releaseQuarantined(database.db, actor, [q1 ?? '', q2 ?? '']))).lines,
    ).toEqual([`${q1}: not quarantined`]);
    const released = await database.db
      .selectFrom('response')
      .select(['source_id', 'status', 'reason', 'released_at'])
      .where('source_id', 'in', ['q-1', 'q-2'])
      .orderBy('source_id')
      .execute();
    expect(released).toEqual([
      { source_id: 'q-1', status: 'valid', reason: 'too-fast', released_at: expect.any(Date) },
      { source_id: 'q-2', status: 'quarantined', reason: 'honeypot', released_at: null },
    ]);
    expect((await listQuarantined(database.db, actor, CODE)).map((q) => q.responseId)).toEqual([
      'q-2',
    ]);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['subject', 'detail'])
      .where('action', '=', 'response.release')
      .execute();
    expect(audit).toEqual([
      {
        subject: `response:${q1}`,
        detail: { campaign: campaign.id, reason: 'too-fast', note: null },
      },
    ]);
    expect((await campaignByCode(database.db, CODE)).code).toBe(CODE);
  });

  it('counts the quarantined by reason and by counter in the database, and lists them a page at a time', async () => {
    const counterId = async (code: string) =>
      (
        await database.db
          .selectFrom('counter')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).id;
    const quarantined = async (sourceId: string, counter: string, reason: QuarantineReason) => ({
      online_id: null,
      source_id: sourceId,
      campaign_id: campaign.id,
      counter_id: await counterId(counter),
      instrument_id: campaign.instrument.id,
      mode: 'qr' as const,
      service_area: null,
      submitted_at: new Date('2025-08-03T01:00:00Z'),
      answers: storedItems(campaign.instrument).map(() => null),
      texts: null,
      status: 'quarantined' as const,
      reason,
      released_at: null,
    });
    // With q-2 (honeypot, BRVT.STP.Q1) still held from the test before.
    await responses.insertResponses(database.db, [
      await quarantined('q-3', 'BRVT.SKHDT.Q1', 'too-fast'),
      await quarantined('q-4', 'BRVT.SKHDT.Q1', 'too-fast'),
      await quarantined('q-5', 'BRVT.CHAUDUC.Q1', 'honeypot'),
      await quarantined('q-6', 'BRVT.STP.Q1', 'too-fast'),
    ]);
    expect(await quarantineSummary(database.db, actor, CODE)).toEqual({
      total: 5,
      byReason: [
        { key: 'too-fast', responses: 3 },
        { key: 'honeypot', responses: 2 },
      ],
      byCounter: [
        { key: 'BRVT.SKHDT.Q1', responses: 2 },
        { key: 'BRVT.STP.Q1', responses: 2 },
        { key: 'BRVT.CHAUDUC.Q1', responses: 1 },
      ],
    });
    // An account scoped to a department counts its own counter's alone.
    const unit = await database.db
      .selectFrom('unit')
      .select('id')
      .where('code', '=', 'BRVT.SKHDT')
      .executeTakeFirstOrThrow();
    const scoped = { ...actor, role: 'analyst' as const, unitId: unit.id, unitCode: 'BRVT.SKHDT' };
    expect(await quarantineSummary(database.db, scoped, CODE)).toEqual({
      total: 2,
      byReason: [{ key: 'too-fast', responses: 2 }],
      byCounter: [{ key: 'BRVT.SKHDT.Q1', responses: 2 }],
    });

    const page = async (limit: string, after?: string) =>
      (await listQuarantined(database.db, actor, CODE, { limit, after })).map((q) => q.responseId);
    const first = await listQuarantined(database.db, actor, CODE, { limit: '2' });
    expect(first.map((q) => q.responseId)).toEqual(['q-2', 'q-3']);
    expect(await page('2', first[1]?.id)).toEqual(['q-4', 'q-5']);
    const [, , , fourth] = await listQuarantined(database.db, actor, CODE);
    expect(await page('2', fourth?.id)).toEqual(['q-6']);
    expect((await problemsOf(page('0'))).lines).toEqual([expect.stringMatching(/^limit: /)]);
  });
});
