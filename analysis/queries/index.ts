// The report queries: one static .sql file each, read once, run with the user's data only as
// parameters ($1, $2, …), their rows checked with zod on the way out.
import { readFileSync } from 'node:fs';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { LinearizedSlot, LinearizedSums, UnitFacts } from '../scoring.ts';

type Db = Kysely<Database> | Transaction<Database>;

const load = (name: string) => readFileSync(new URL(`./${name}.sql`, import.meta.url), 'utf8');

const text = {
  campaignCounters: load('campaign-counters'),
  unitTree: load('unit-tree'),
  counterModes: load('counter-modes'),
  answerCounts: load('answer-counts'),
  linearizedSums: load('linearized-sums'),
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

export async function campaignCounters(db: Db, campaignId: number) {
  const found = await rows(
    db,
    text.campaignCounters,
    [campaignId],
    z.object({ id, code: z.string(), unit_id: id, transactions: count.nullable() }),
  );
  return found.map((c) => ({
    id: c.id,
    code: c.code,
    unitId: c.unit_id,
    transactions: c.transactions,
  }));
}

export async function unitTree(db: Db, unitIds: readonly number[]): Promise<UnitFacts[]> {
  const found = await rows(
    db,
    text.unitTree,
    [unitIds],
    z.object({ id, code: z.string(), parent_id: id.nullable() }),
  );
  return found.map((u) => ({ id: u.id, code: u.code, parentId: u.parent_id }));
}

export async function counterModes(db: Db, campaignId: number) {
  const found = await rows(
    db,
    text.counterModes,
    [campaignId],
    z.object({ counter_id: id, mode: z.string(), respondents: count }),
  );
  return found.map((m) => ({ counterId: m.counter_id, mode: m.mode, respondents: m.respondents }));
}

/** Per counter, item ordinal (0-based) and answer: how many valid responses gave it. */
export async function answerCounts(db: Db, campaignId: number, positions: readonly number[]) {
  const found = await rows(
    db,
    text.answerCounts,
    [campaignId, positions],
    z.object({ counter_id: id, item: count, answer: z.number().int(), responses: count }),
  );
  return found.map((a) => ({
    counterId: a.counter_id,
    item: a.item - 1,
    answer: a.answer,
    responses: a.responses,
  }));
}

/**
 * Σ y and Σ y² for each slot (analysis/queries/linearized-sums.sql), in the order given.
 * Slots that share their terms (one index of a group, at each of its counters) share them in
 * the parameters too.
 */
export async function linearizedSums(
  db: Db,
  campaignId: number,
  slots: readonly LinearizedSlot[],
): Promise<LinearizedSums[]> {
  const counters: number[] = [];
  const firstTerm: number[] = [];
  const lastTerm: number[] = [];
  const positions: number[] = [];
  const phi: number[] = [];
  const ranges = new Map<LinearizedSlot['terms'], [number, number]>();
  for (const slot of slots) {
    let range = ranges.get(slot.terms);
    if (!range) {
      range = [positions.length + 1, positions.length + slot.terms.length];
      for (const term of slot.terms) {
        if (term.phi.length !== 6) throw new Error('phi takes one value per answer, 0 to 5');
        positions.push(term.position);
        phi.push(...term.phi);
      }
      ranges.set(slot.terms, range);
    }
    counters.push(slot.counterId);
    firstTerm.push(range[0]);
    lastTerm.push(range[1]);
  }
  const found = await rows(
    db,
    text.linearizedSums,
    [campaignId, counters, firstTerm, lastTerm, positions, phi],
    z.object({ slot: count, sum_y: z.number(), sum_y2: z.number() }),
  );
  const sums: LinearizedSums[] = slots.map(() => ({ sumY: 0, sumY2: 0 }));
  for (const row of found) sums[row.slot - 1] = { sumY: row.sum_y, sumY2: row.sum_y2 };
  return sums;
}
