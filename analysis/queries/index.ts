// The report queries: one static .sql file each, read once, run with the user's data only as
// parameters ($1, $2, …), their rows checked with zod on the way out.
import { readFileSync } from 'node:fs';
import { CompiledQuery } from 'kysely';
import * as z from 'zod';
import type { Db } from '../../db/database.ts';
import type { Day } from '../../db/repositories/links.ts';
import { MODES } from '../../shared/rules.ts';
import { TALLIED_ANSWERS } from '../linearization.ts';
import type { UnitFacts } from '../scoring.ts';

const load = (name: string) => readFileSync(new URL(`./${name}.sql`, import.meta.url), 'utf8');

const text = {
  campaignCounters: load('campaign-counters'),
  unitTree: load('unit-tree'),
  counterModes: load('counter-modes'),
  campaignTallies: load('campaign-tallies'),
  quarantineCounts: load('quarantine-counts'),
  unitTransactions: load('unit-transactions'),
  planRollUp: load('plan-roll-up'),
  officialLeafSums: load('official-leaf-sums'),
};

async function rows<T extends z.ZodType>(
  db: Db,
  sql: string,
  parameters: unknown[],
  row: T,
): Promise<z.output<T>[]> {
  const result = await db.executeQuery(CompiledQuery.raw(sql, parameters));
  return z.array(row).parse(result.rows);
}

const id = z.number().int();
const count = z.number().int().nonnegative();

/** The counters to keep, by id: a scoped account's; null for every counter. */
export type CounterFilter = readonly number[] | null;

/** The campaign's counters, each with its unit on the map of `on` (null: none that day). */
export async function campaignCounters(db: Db, campaignId: number, only: CounterFilter, on: Day) {
  const found = await rows(
    db,
    text.campaignCounters,
    [campaignId, only, on],
    z.object({
      id,
      code: z.string(),
      name: z.string(),
      unit_id: id.nullable(),
      transactions: count.nullable(),
    }),
  );
  return found.map((c) => ({
    id: c.id,
    code: c.code,
    name: c.name,
    unitId: c.unit_id,
    transactions: c.transactions,
  }));
}

/** The units and their ancestors as they stood on `on`, each under its parent of that day. */
export async function unitTree(
  db: Db,
  unitIds: readonly number[],
  on: Day,
): Promise<(UnitFacts & { name: string })[]> {
  const found = await rows(
    db,
    text.unitTree,
    [unitIds, on],
    z.object({ id, code: z.string(), name: z.string(), parent_id: id.nullable() }),
  );
  return found.map((u) => ({ id: u.id, code: u.code, name: u.name, parentId: u.parent_id }));
}

export async function counterModes(db: Db, campaignId: number, only: CounterFilter) {
  const found = await rows(
    db,
    text.counterModes,
    [campaignId, only],
    z.object({ counter_id: id, mode: z.string(), respondents: count }),
  );
  return found.map((m) => ({ counterId: m.counter_id, mode: m.mode, respondents: m.respondents }));
}

export interface CounterTally {
  counterId: number;
  /** Respondents by mode, leaving out modes without any. */
  modes: Record<string, number>;
  /**
   * answers[TALLIED_ANSWERS × k + a]: respondents asked the k-th sat5 item who answered a
   * (a = 1 … 5) or left it blank (a = 0).
   */
  answers: Float64Array;
  /** Pairwise counts of the campaign's answer sets (linearization.ts, `tallyAtoms`). */
  products: Float64Array;
}

const DIGIT_0 = 48;
const COMMA = 44;

/**
 * The counts of a bigint[] in PostgreSQL's text form, '{1,2,3}', into `counts`: false unless it
 * is that, with exactly as many. A loop over the characters: a campaign's tallies hold a million
 * of them.
 */
function parseCounts(text: string, counts: Float64Array): boolean {
  if (text.charAt(0) !== '{' || text.charAt(text.length - 1) !== '}') return false;
  let k = 0;
  let value = 0;
  let digits = 0;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= DIGIT_0 && c <= DIGIT_0 + 9) {
      value = value * 10 + (c - DIGIT_0);
      digits++;
    } else if (c === COMMA || i === text.length - 1) {
      if (digits === 0 || digits > 15 || k >= counts.length) return false;
      counts[k++] = value;
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return k === counts.length;
}

export async function campaignTallies(
  db: Db,
  campaignId: number,
  items: number,
  atoms: number,
  only: CounterFilter,
): Promise<CounterTally[]> {
  const found = await rows(
    db,
    text.campaignTallies,
    [campaignId, only],
    z.object({ counter_id: id, modes: z.string(), answers: z.string(), products: z.string() }),
  );
  // Respondents by mode, in the order of MODES (db/repositories/tally-fold.sql).
  const lengths = {
    modes: MODES.length,
    answers: items * TALLIED_ANSWERS,
    products: (atoms * (atoms + 1)) / 2,
  };
  const width = lengths.modes + lengths.answers + lengths.products;
  // Every counter's counts in one buffer: a typed array each is memory outside the heap, a
  // thousand of them a scoring, and the collector ran far more often for them.
  const buffer = new Float64Array(found.length * width);
  return found.map((t, row) => {
    let at = row * width;
    const column = (name: keyof typeof lengths) => {
      const counts = buffer.subarray(at, at + lengths[name]);
      at += lengths[name];
      if (!parseCounts(t[name], counts)) {
        throw new Error(
          `the ${name} of counter ${t.counter_id}'s tally are not ${counts.length} counts`,
        );
      }
      return counts;
    };
    const modes = column('modes');
    return {
      counterId: t.counter_id,
      modes: Object.fromEntries(
        MODES.flatMap((mode, i) => ((modes[i] ?? 0) > 0 ? [[mode, modes[i] ?? 0]] : [])),
      ),
      answers: column('answers'),
      products: column('products'),
    };
  });
}

/** The campaign's quarantined responses per counter (code) and reason, by counter and reason. */
export async function quarantineCounts(db: Db, campaignId: number, only: CounterFilter) {
  return rows(
    db,
    text.quarantineCounts,
    [campaignId, only],
    z.object({ counter: z.string(), reason: z.string().nullable(), responses: count }),
  );
}

/**
 * The transactions behind each unit's points on `component` in a period: those of the campaign
 * the points were derived from (source `campaign:CODE`), at the counters of the unit's subtree
 * on that campaign's last day; only for units where every such counter has a count.
 */
export async function unitTransactions(
  db: Db,
  frameworkId: number,
  period: string,
  component: string,
  unitIds: readonly number[],
): Promise<Map<number, number>> {
  const found = await rows(
    db,
    text.unitTransactions,
    [frameworkId, period, component, unitIds],
    z.object({ unit_id: id, transactions: count }),
  );
  return new Map(found.map((u) => [u.unit_id, u.transactions]));
}

/**
 * The children of a unit on the map of `on` (null: the latest map), each with its plan for the
 * framework's period, if any, and that plan's tasks counted by status and overdue on `today`.
 */
export async function planRollUp(
  db: Db,
  request: { parentId: number; on: Day | null; frameworkId: number; period: string; today: Day },
) {
  const found = await rows(
    db,
    text.planRollUp,
    [request.parentId, request.on, request.frameworkId, request.period, request.today],
    z.object({
      unit_id: id,
      code: z.string(),
      name: z.string(),
      plan_id: id.nullable(),
      updated_at: z.date().nullable(),
      tasks: count,
      not_started: count,
      in_progress: count,
      done: count,
      overdue: count,
    }),
  );
  return found.map((row) => ({
    unit: { code: row.code, name: row.name },
    plan:
      row.plan_id === null || row.updated_at === null
        ? null
        : { id: row.plan_id, updatedAt: row.updated_at },
    counts: {
      tasks: row.tasks,
      notStarted: row.not_started,
      inProgress: row.in_progress,
      done: row.done,
      overdue: row.overdue,
    },
  }));
}

/** One item of an officials' instrument as the leaf sums read it: its leaf, its options' shares. */
export interface OfficialItemLayout {
  leaf: string;
  /** Percent, by the 0-based option index an answer stores. */
  shares: number[];
}

/** A decimal the database computed in numeric, sent as text so that no driver rounds it. */
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .transform(Number);

/**
 * An officials' survey's respondents, mean y_r and its sample variance per unit, group and leaf
 * (official-leaf-sums.sql); `groupId` null on a unit's own rows.
 */
export async function officialLeafSums(
  db: Db,
  surveyId: number,
  items: readonly OfficialItemLayout[],
) {
  const found = await rows(
    db,
    text.officialLeafSums,
    [surveyId, JSON.stringify(items)],
    z.object({
      unit_id: id,
      group_id: id.nullable(),
      leaf: z.string(),
      respondents: count,
      mean: decimal.nullable(),
      variance: decimal.nullable(),
    }),
  );
  return found.map((row) => ({
    unitId: row.unit_id,
    groupId: row.group_id,
    leaf: row.leaf,
    respondents: row.respondents,
    mean: row.mean,
    variance: row.variance,
  }));
}
