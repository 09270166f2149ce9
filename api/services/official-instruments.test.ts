// An administrator's own officials' instrument: saved as data, validated on entry with every
// problem named, replaced while no survey uses it, and frozen once one does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficialInstrumentInput } from '../../analysis/official-instrument.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { operator, type Principal } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import {
  officialInstrumentByCode,
  officialInstrumentSummaries,
  saveOfficialInstrument,
} from './official-instruments.ts';
import { createOfficialSurvey } from './official-surveys/index.ts';

const yesNo = [
  { code: 'A', label: { vi: 'Có', en: 'Yes' }, share: 100 },
  { code: 'B', label: { vi: 'Không', en: 'No' }, share: 0 },
];

const own: OfficialInstrumentInput = {
  code: 'ld-tinh-2026',
  name: { vi: 'Phiếu lãnh đạo của tỉnh', en: "The province's leaders' form" },
  items: [
    { code: 'Q1', leaf: 'leaders', text: { vi: 'Câu một', en: 'One' } },
    { code: 'Q2', leaf: 'leaders', text: { vi: 'Câu hai', en: 'Two' }, options: yesNo },
  ],
};

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.catch((e: unknown) => e);
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${error}`);
  return error;
}

describe.each(engines)("an officials' instrument as data on %s", (engine) => {
  let database: TestDatabase;
  const admin = operator('test');
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
  });
  afterAll(() => database.close());

  it('saves one, the default options A100 B60 C20 D0 filled in, and again unchanged', async () => {
    expect(await saveOfficialInstrument(database.db, admin, own)).toEqual({
      code: 'ld-tinh-2026',
      outcome: 'created',
    });
    const saved = await officialInstrumentByCode(database.db, 'ld-tinh-2026');
    expect(saved.options.map((o) => [o.code, o.share])).toEqual([
      ['A', 100],
      ['B', 60],
      ['C', 20],
      ['D', 0],
    ]);
    expect(saved.items[1]?.options).toEqual(yesNo);
    expect((await saveOfficialInstrument(database.db, admin, own)).outcome).toBe('unchanged');
    expect((await officialInstrumentSummaries(database.db)).map((i) => i.code)).toEqual([
      'ld-tinh-2026',
      'par-officials-2020',
    ]);
  });

  it('names every problem of a bad definition and stores nothing', async () => {
    const bad = {
      ...own,
      code: 'ld-xau',
      items: [
        { code: 'Q1', leaf: 'leaders', text: { vi: 'Một', en: 'One' } },
        { code: 'Q1', leaf: 'leaders', text: { vi: 'Hai', en: 'Two' } },
        { code: 'Q3', leaf: 'leaders', text: { vi: 'Ba', en: 'Three' }, options: [yesNo[0]] },
      ],
      options: [{ code: 'A', label: { vi: 'Tốt', en: 'Good' }, share: 120 }, ...yesNo],
    };
    const error = await refusal(saveOfficialInstrument(database.db, admin, bad));
    expect(error.code).toBe('invalid');
    // Q1 twice; Q3 with one option; a share over 100; A twice among the options.
    expect(error.errors.map((e) => e.path).sort()).toEqual([
      'items.1.code',
      'items.2.options',
      'options.0.share',
      'options.1.code',
    ]);
    await expect(officialInstrumentByCode(database.db, 'ld-xau')).rejects.toThrow(/ld-xau/);
  });

  it('replaces one no survey uses, and refuses a change once a survey does', async () => {
    const renamed = { ...own, name: { vi: 'Phiếu lãnh đạo', en: "Leaders' form" } };
    expect((await saveOfficialInstrument(database.db, admin, renamed)).outcome).toBe('replaced');
    await createOfficialSurvey(database.db, admin, {
      code: 'LD-2026',
      name: 'Điều tra lãnh đạo 2026',
      instrument: 'ld-tinh-2026',
      framework: 'par-2020-province',
      period: '2026',
      opensOn: '2026-10-01',
      closesOn: '2026-10-31',
    });
    const error = await refusal(saveOfficialInstrument(database.db, admin, own));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/used by a survey/);
    expect((await officialInstrumentByCode(database.db, 'ld-tinh-2026')).name.en).toBe(
      "Leaders' form",
    );
  });

  it('is an admin’s alone', async () => {
    const analyst: Principal = { ...admin, role: 'analyst' };
    const error = await refusal(saveOfficialInstrument(database.db, analyst, own));
    expect(error.code).toBe('forbidden');
  });
});
