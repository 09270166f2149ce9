// What the benchmarks feed the service: a province of counters in one open campaign of
// sipas-2017, and realistic answers (mostly satisfied, some blanks, the skip rules kept).
// Random but reproducible: every generator takes a seed.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { builtinInstruments } from '../analysis/instruments/index.ts';
import { storedItems, type Instrument, type Item } from '../analysis/instrument.ts';
import type { Database } from '../db/database.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';
import { issueCounterToken } from '../api/services/credentials.ts';
import { importUnits } from '../api/services/units.ts';
import { importCounters } from '../api/services/counters.ts';
import { vietnamDate } from '../api/services/vietnam-time.ts';
import { operator } from '../api/services/access.ts';
import { isAsked, keyedByCode } from '../shared/rules.ts';

const found = builtinInstruments.find((i) => i.code === 'sipas-2017');
if (!found) throw new Error('sipas-2017 is not built in');
export const sipas2017: Instrument = found;

const actor = operator('bench');

/** A small fast generator (mulberry32): the same seed gives the same answers. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Province {
  campaign: string;
  /** Counter codes, in order. */
  counters: string[];
  /** The survey token of each counter, in the same order. */
  tokens: string[];
  /** The campaign's period, which holds today (Vietnam time). */
  from: string;
  to: string;
}

/** Units, `counters` counters and one campaign over all of them this year; a token for each. */
export async function seedProvince(
  db: Kysely<Database>,
  { counters, tokens = true }: { counters: number; tokens?: boolean },
): Promise<Province> {
  await importUnits(db, actor, Readable.from(['unit,name,parent\nB,Tỉnh Thử,\nB.S,Sở Thử,B\n']));
  const codes = Array.from(
    { length: counters },
    (_, i) => `B.S.Q${String(i + 1).padStart(4, '0')}`,
  );
  await importCounters(
    db,
    actor,
    Readable.from([`counter,unit,name\n${codes.map((c) => `${c},B.S,Quầy ${c}`).join('\n')}\n`]),
  );
  const year = vietnamDate(new Date()).slice(0, 4);
  const province = {
    campaign: `BENCH-${year}`,
    counters: codes,
    tokens: [] as string[],
    from: `${year}-01-01`,
    to: `${year}-12-31`,
  };
  await createCampaign(db, actor, {
    code: province.campaign,
    name: `Đo hiệu năng ${year}`,
    instrument: 'sipas-2017',
    from: province.from,
    to: province.to,
    counters: 'all',
  });
  if (tokens) {
    for (const code of codes) province.tokens.push(await issueCounterToken(db, actor, code));
  }
  return province;
}

export type Answers = Record<string, number | number[]>;

// Satisfaction leans to 4 and 5, as in the example campaign.
const SAT5 = [0.03, 0.07, 0.15, 0.45, 0.3];

/** A respondent's answers: each item of its scale, about 3% left blank, skip rules kept. */
export function answerGenerator(instrument: Instrument, seed: number): () => Answers {
  const next = random(seed);
  const scales = new Map(instrument.scales.map((s) => [s.code, s]));
  const pick = (values: number[]) => values[Math.floor(next() * values.length)] ?? 0;
  const answerOf = (item: Item): number | number[] | undefined => {
    const scale = scales.get(item.scale);
    if (!scale || scale.kind === 'text' || next() < 0.03) return undefined;
    const values = scale.options.map((o) => o.value);
    if (item.multiple) return values.filter(() => next() < 0.3);
    if (scale.code === 'sat5') {
      let u = next();
      return SAT5.findIndex((p) => (u -= p) < 0) + 1 || 5;
    }
    return pick(values);
  };
  const itemsByCode = keyedByCode(instrument.items);
  return () => {
    const answers: Answers = {};
    for (const item of instrument.items) {
      if (!isAsked(item, answers, itemsByCode)) continue;
      const answer = answerOf(item);
      if (answer !== undefined && !(Array.isArray(answer) && answer.length === 0)) {
        answers[item.code] = answer;
      }
    }
    return answers;
  };
}

/**
 * The answers as stored (analysis/instrument.ts): one entry per stored item, null a blank,
 * a multi-choice answer as a bit set. For baselines that store the same row unvalidated.
 */
export function storedAnswers(instrument: Instrument, answers: Answers): (number | null)[] {
  return storedItems(instrument).map((item) => {
    const answer = answers[item.code];
    if (answer === undefined) return null;
    if (!Array.isArray(answer)) return answer;
    const bits = answer.reduce((set, value) => set | (1 << value), 0);
    return bits >= 0x8000 ? bits - 0x10000 : bits;
  });
}

/** A phone's submission body (interchange §4) answered in a believable three minutes. */
export function submissionBody(id: string, answers: Answers, device: string): string {
  const submitted = new Date();
  const started = new Date(submitted.getTime() - 180_000);
  return JSON.stringify({
    id,
    answers,
    startedAt: started.toISOString(),
    submittedAt: submitted.toISOString(),
    device,
    lang: 'vi',
    website: '',
  });
}

/** The header of a responses CSV for the instrument (interchange §1). */
export function csvHeader(instrument: Instrument): string {
  return ['response_id', 'counter', 'submitted_at', 'mode', 'service_area']
    .concat(instrument.items.map((item) => item.code))
    .join(',');
}

export interface ImportRow {
  sourceId: string;
  counter: string;
  /** ISO 8601 with the Vietnam offset, within March of the province's year. */
  submittedAt: string;
  answers: Answers;
}

/** Rows of a paper-form import: ids P-1, P-2, …, round the counters, answers as generated. */
export function* importRows(
  instrument: Instrument,
  province: Pick<Province, 'counters' | 'from'>,
  { rows, seed }: { rows: number; seed: number },
): Generator<ImportRow> {
  const answers = answerGenerator(instrument, seed);
  const month = `${province.from.slice(0, 4)}-03-1`;
  for (let i = 0; i < rows; i++) {
    yield {
      sourceId: `P-${i + 1}`,
      counter: province.counters[i % province.counters.length] ?? '',
      submittedAt: `${month}${i % 10}T0${i % 10}:${String(i % 60).padStart(2, '0')}:00+07:00`,
      answers: answers(),
    };
  }
}

/** The row as a line of the responses CSV, in `csvHeader`'s columns. */
export function csvLine(instrument: Instrument, row: ImportRow): string {
  const cells = instrument.items.map((item) => {
    const answer = row.answers[item.code];
    return answer === undefined ? '' : Array.isArray(answer) ? answer.join(';') : String(answer);
  });
  return `${row.sourceId},${row.counter},${row.submittedAt},paper,,${cells.join(',')}`;
}
