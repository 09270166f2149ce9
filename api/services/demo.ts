// The demo province seeded on an empty database (codes DEMO…), so that `npm start` on a new
// machine gives something to scan, answer and score straight away, and every console page
// shows something: a campaign with transactions, a few hundred responses in several modes
// (some answers blank, some responses quarantined), PAR points and an officials' survey whose
// answers give this year's leaders' points. Everything goes through the
// services real data goes through, so the demo obeys the same rules; the answers come from a
// seeded generator, so every fresh install shows the same figures.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Instrument } from '../../analysis/instrument.ts';
import { parOfficials2020 } from '../../analysis/official-instruments/par-officials-2020.ts';
import { par2020Province } from '../../analysis/par.ts';
import type { Database } from '../../db/database.ts';
import * as units from '../../db/repositories/units.ts';
import type { Mode } from '../../shared/rules.ts';
import { operator } from './access.ts';
import { campaignByCode, createCampaign, importTransactions } from './campaigns/index.ts';
import { importCounters } from './counters.ts';
import { issueCounterToken } from './credentials.ts';
import { submitOfficialAnswers } from './official-answers.ts';
import { deriveOfficialPoints } from './official-results.ts';
import {
  createOfficialSurvey,
  importOfficialGroups,
  officialInvitations,
} from './official-surveys/index.ts';
import { deriveSipasPoints, importPoints } from './par.ts';
import { SubmissionLimiter } from './rate-limit.ts';
import { importResponses } from './responses.ts';
import { submitResponse } from './submissions.ts';
import { importUnits } from './units.ts';
import { formatVietnamTime, vietnamDate } from './vietnam-time.ts';

const unitsCsv = `unit,name,parent
DEMO,Tỉnh Demo,
DEMO.SNV,Sở Nội vụ,DEMO
DEMO.STP,Sở Tư pháp,DEMO
DEMO.HUYEN1,UBND huyện Demo 1,DEMO
DEMO.HUYEN1.XA01,UBND xã Demo 1,DEMO.HUYEN1
`;

/**
 * Each counter with its planned sample (target), its transactions in the campaign, its
 * respondents, and how satisfied its citizens tend to be: the chance in percent that an answer
 * is 4 or 5.
 */
const counters = [
  {
    code: 'DEMO.SNV.Q1',
    unit: 'DEMO.SNV',
    name: 'Quầy 1',
    target: 160,
    transactions: 640,
    n: 96,
    mood: 88,
  },
  {
    code: 'DEMO.STP.Q1',
    unit: 'DEMO.STP',
    name: 'Quầy 1',
    target: 150,
    transactions: 520,
    n: 84,
    mood: 74,
  },
  {
    code: 'DEMO.HUYEN1.Q1',
    unit: 'DEMO.HUYEN1',
    name: 'Bộ phận Một cửa huyện',
    target: 180,
    transactions: 910,
    n: 72,
    mood: 81,
  },
  {
    code: 'DEMO.HUYEN1.XA01.Q1',
    unit: 'DEMO.HUYEN1.XA01',
    name: 'Bộ phận Một cửa xã',
    target: 120,
    transactions: 380,
    n: 48,
    mood: 66,
  },
] as const;

/** How the demo's responses were collected, with their weights. */
const MODE_WEIGHTS: readonly [Mode, number][] = [
  ['qr', 45],
  ['paper', 25],
  ['kiosk', 15],
  ['post', 10],
  ['phone', 5],
];

/** Percent of answers to a satisfaction item left blank ("no opinion"). */
const BLANK_PERCENT = 4;
/** Percent of respondents who gave feedback (PAQ yes), and so were asked PA2 to PA4. */
const FEEDBACK_PERCENT = 30;
/** The same demo on every fresh install. */
const SEED = 2017;

/** Appraisal and leaders' points of the peer units under DEMO (sipas comes from the campaign). */
const parPoints = {
  previous: [
    ['DEMO.SNV', 52.25, 8.61, 18.4],
    ['DEMO.STP', 55.1, 8.02, 19.1],
    ['DEMO.HUYEN1', 49.75, 7.9, 17.65],
  ],
  current: [
    ['DEMO.SNV', 54.3],
    ['DEMO.STP', 55.8],
    ['DEMO.HUYEN1', 51.2],
  ],
} as const;

/**
 * This year's officials' survey (docs/officials.md): each group with the officials invited, how
 * many answered, and the weights of options A–D in their answers. The Sở Tư pháp's civil
 * servants answered too few (3 of 12) for their group's results to be shown.
 */
const officialGroups = [
  {
    unit: 'DEMO.SNV',
    group: 'Lãnh đạo sở, phòng',
    invited: 8,
    answered: 6,
    weights: [50, 35, 10, 5],
  },
  { unit: 'DEMO.SNV', group: 'Công chức', invited: 15, answered: 9, weights: [40, 40, 15, 5] },
  {
    unit: 'DEMO.STP',
    group: 'Lãnh đạo sở, phòng',
    invited: 7,
    answered: 5,
    weights: [45, 35, 15, 5],
  },
  { unit: 'DEMO.STP', group: 'Công chức', invited: 12, answered: 3, weights: [35, 40, 20, 5] },
  {
    unit: 'DEMO.HUYEN1',
    group: 'Lãnh đạo UBND, phòng',
    invited: 10,
    answered: 7,
    weights: [40, 35, 20, 5],
  },
] as const;

export interface DemoCredentials {
  campaign: string;
  surveyUrls: { counter: string; url: string }[];
}

const percent = (rng: RandomGenerator, p: number) => uniformInt(rng, 1, 100) <= p;

function pick<T>(rng: RandomGenerator, weighted: readonly [T, number][]): T {
  let roll = uniformInt(
    rng,
    1,
    weighted.reduce((sum, [, w]) => sum + w, 0),
  );
  for (const [value, weight] of weighted) {
    roll -= weight;
    if (roll <= 0) return value;
  }
  throw new Error('unreachable: the roll lies within the weights');
}

/** A version-4-shaped UUID from the generator: the responses' ids, the same every install. */
function uuid(rng: RandomGenerator): string {
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => uniformInt(rng, 0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + uniformInt(rng, 0, 3)).toString(16)}${hex(3)}-${hex(12)}`;
}

/** One respondent's answers by item code; null for a blank or an item not asked. */
function answers(
  rng: RandomGenerator,
  instrument: Instrument,
  mood: number,
): Record<string, number | null> {
  const given: Record<string, number | null> = {};
  for (const item of instrument.items) {
    const asked = !item.askIf || given[item.askIf.item] === item.askIf.equals;
    if (!asked) given[item.code] = null;
    else if (item.scale === 'yesno') given[item.code] = percent(rng, FEEDBACK_PERCENT) ? 1 : 0;
    else if (item.scale !== 'sat5' || percent(rng, BLANK_PERCENT)) given[item.code] = null;
    else if (percent(rng, mood)) given[item.code] = uniformInt(rng, 4, 5);
    else given[item.code] = uniformInt(rng, 1, 3);
  }
  return given;
}

/**
 * The responses CSV of interchange §1 for every demo counter, submitted at times spread from
 * the campaign's first day to `now`.
 */
function responsesCsv(rng: RandomGenerator, instrument: Instrument, from: Date, now: Date): string {
  const codes = instrument.items.map((item) => item.code);
  const span = Math.max(now.getTime() - from.getTime(), 0);
  const rows = counters.flatMap((counter) =>
    Array.from({ length: counter.n }, () => {
      const given = answers(rng, instrument, counter.mood);
      const at = new Date(now.getTime() - Math.floor((span * uniformInt(rng, 0, 1000)) / 1000));
      return [
        uuid(rng),
        counter.code,
        formatVietnamTime(at),
        pick(rng, MODE_WEIGHTS),
        '',
        ...codes.map((code) => given[code] ?? ''),
      ];
    }),
  );
  return stringify([
    ['response_id', 'counter', 'submitted_at', 'mode', 'service_area', ...codes],
    ...rows,
  ]);
}

/**
 * Phone answers that the survey's checks hold back: a filled honeypot and one sent too fast,
 * stored quarantined with their reasons for the quarantine page.
 */
async function quarantinedAnswers(
  db: Kysely<Database>,
  rng: RandomGenerator,
  instrument: Instrument,
  tokens: { counter: string; token: string }[],
  now: Date,
): Promise<void> {
  const limits = { perDevice: 0, perIp: 0, ceilingPerDevice: 0, ceilingPerIp: 0 };
  const limiter = new SubmissionLimiter();
  for (const [i, { token }] of tokens.entries()) {
    for (const suspect of ['honeypot', 'too-fast'] as const) {
      const given = answers(rng, instrument, 50);
      const started = new Date(now.getTime() - (suspect === 'too-fast' ? 4_000 : 240_000));
      await submitResponse(db, {
        token,
        receivedAt: now,
        mode: 'qr',
        limits,
        // Tokens issued a moment ago: no revocation to allow for.
        revokedTokenGraceMs: 0,
        limiter,
        body: {
          id: uuid(rng),
          answers: Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null)),
          startedAt: started.toISOString(),
          submittedAt: now.toISOString(),
          device: `demo-device-${i}`,
          ...(suspect === 'honeypot' ? { website: 'http://spam.example' } : {}),
        },
      });
    }
  }
}

/**
 * This year's officials' survey on the framework's `leaders` leaf, its groups' links answered
 * through the officials' own submission path, and the units' points derived from it.
 */
async function officialSurvey(
  db: Kysely<Database>,
  rng: RandomGenerator,
  { framework, year, now }: { framework: string; year: string; now: Date },
) {
  const actor = operator('demo');
  const code = `DEMO-LD-${year}`;
  await createOfficialSurvey(db, actor, {
    code,
    name: `Điều tra xã hội học lãnh đạo, quản lý demo ${year}`,
    instrument: parOfficials2020.code,
    framework,
    period: year,
    opensOn: `${year}-01-01`,
    closesOn: `${year}-12-31`,
  });
  const groupsCsv = stringify([
    ['unit', 'group', 'count'],
    ...officialGroups.map((g) => [g.unit, g.group, g.invited]),
  ]);
  await importOfficialGroups(db, actor, code, Readable.from([groupsCsv]));
  const links = await officialInvitations(db, actor, code, '');
  for (const { unit, group, answered, weights } of officialGroups) {
    const tokens = links
      .filter((link) => link.unit === unit && link.group === group)
      .map((link) => link.link.slice('/o/'.length));
    for (const token of tokens.slice(0, answered)) {
      const chosen = Object.fromEntries(
        parOfficials2020.items.map((item) => [
          item.code,
          pick(
            rng,
            ['A', 'B', 'C', 'D'].map((option, i) => [option, weights[i] ?? 0] as const),
          ),
        ]),
      );
      await submitOfficialAnswers(db, { token, body: { id: uuid(rng), answers: chosen }, now });
    }
  }
  await deriveOfficialPoints(db, actor, code);
}

/** Seeds the demo when the database has no unit at all; otherwise does nothing. */
export async function seedDemoIfEmpty(
  db: Kysely<Database>,
  { publicUrl, now = new Date() }: { publicUrl: string; now?: Date },
): Promise<DemoCredentials | undefined> {
  if (await units.hasUnits(db)) return undefined;
  const actor = operator('demo');
  const rng = xoroshiro128plus(SEED);
  await importUnits(db, actor, Readable.from([unitsCsv]));
  await importCounters(
    db,
    actor,
    Readable.from([
      stringify([['counter', 'unit', 'name'], ...counters.map((c) => [c.code, c.unit, c.name])]),
    ]),
  );
  const year = vietnamDate(now).slice(0, 4);
  const code = `DEMO-${year}`;
  await createCampaign(db, actor, {
    code,
    name: `Khảo sát SIPAS demo ${year}`,
    instrument: 'sipas-2017',
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    counters: 'all',
    targets: Object.fromEntries(counters.map((c) => [c.code, c.target])),
  });
  await importTransactions(
    db,
    actor,
    code,
    Readable.from([
      stringify([['counter', 'transactions'], ...counters.map((c) => [c.code, c.transactions])]),
    ]),
  );
  const { instrument } = await campaignByCode(db, code);
  // The campaign's first moment, Vietnam's midnight of 1 January.
  const from = new Date(`${year}-01-01T00:00:00+07:00`);
  await importResponses(db, actor, code, Readable.from([responsesCsv(rng, instrument, from, now)]));

  const tokens = [];
  for (const { code: counter } of counters) {
    tokens.push({ counter, token: await issueCounterToken(db, actor, counter) });
  }
  await quarantinedAnswers(db, rng, instrument, tokens, now);

  // PAR: last year's points imported whole; this year's SIPAS points derived from the campaign,
  // and its leaders' points from the officials' survey.
  const framework = par2020Province.code;
  const pointsCsv = (rows: readonly (readonly [string, string, number])[]) =>
    Readable.from([stringify([['unit', 'component', 'points'], ...rows])]);
  await importPoints(
    db,
    actor,
    { framework, period: String(Number(year) - 1) },
    pointsCsv(
      parPoints.previous.flatMap(([unit, appraisal, sipas, leaders]) => [
        [unit, 'appraisal', appraisal] as const,
        [unit, 'sipas', sipas] as const,
        [unit, 'leaders', leaders] as const,
      ]),
    ),
  );
  await importPoints(
    db,
    actor,
    { framework, period: year },
    pointsCsv(
      parPoints.current.map(([unit, appraisal]) => [unit, 'appraisal', appraisal] as const),
    ),
  );
  await deriveSipasPoints(db, actor, { framework, period: year, campaign: code });
  await officialSurvey(db, rng, { framework, year, now });

  return {
    campaign: code,
    surveyUrls: tokens.map(({ counter, token }) => ({ counter, url: `${publicUrl}/s/${token}` })),
  };
}
