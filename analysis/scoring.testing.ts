// Test support: the per-counter tallies and linearized sums that the database keeps (the fold,
// db/repositories/tally-fold.sql), computed here from responses in memory, so that the scoring
// arithmetic can be checked on hand-worked cases without a database.
import type { Instrument } from './instrument.ts';
import { NOT_ASKED, TALLIED_ANSWERS } from './linearization.ts';
import {
  answerSlots,
  type CounterFacts,
  type LinearizedSums,
  type SumLinearized,
} from './scoring.ts';

export interface MemoryResponse {
  counterId: number;
  mode: string;
  /** Stored answers, in `storedItems` order; null is a blank. */
  answers: readonly (number | null)[];
}

/** Each sat5 item's answer code in a response: 0 blank … 5, or NOT_ASKED by its skip rule. */
function answerCodes(instrument: Instrument): (response: MemoryResponse) => number[] {
  const slots = answerSlots(instrument);
  return ({ answers }) =>
    slots.map(({ position, askedWhen }) =>
      askedWhen?.every((rule) => answers[rule.position - 1] === rule.equals) === true
        ? (answers[position - 1] ?? 0)
        : NOT_ASKED,
    );
}

export function tallies(
  instrument: Instrument,
  counters: readonly Omit<CounterFacts, 'modes' | 'answers'>[],
  responses: readonly MemoryResponse[],
): CounterFacts[] {
  const codes = answerCodes(instrument);
  const items = answerSlots(instrument).length;
  return counters.map((counter) => {
    const mine = responses.filter((r) => r.counterId === counter.id);
    const modes: Record<string, number> = {};
    const answers = new Array<number>(items * TALLIED_ANSWERS).fill(0);
    for (const r of mine) {
      modes[r.mode] = (modes[r.mode] ?? 0) + 1;
      codes(r).forEach((a, k) => {
        const at = TALLIED_ANSWERS * k + a;
        if (a !== NOT_ASKED) answers[at] = (answers[at] ?? 0) + 1;
      });
    }
    return { ...counter, modes, answers };
  });
}

export function sumLinearizedInMemory(
  instrument: Instrument,
  responses: readonly MemoryResponse[],
): SumLinearized {
  const codes = answerCodes(instrument);
  return (slot): LinearizedSums => {
    const ys: number[] = [];
    for (const r of responses) {
      if (r.counterId !== slot.counterId) continue;
      const answers = codes(r);
      let y = 0;
      for (const term of slot.terms) y += term.phi[answers[term.item] ?? 0] ?? 0;
      ys.push(y);
    }
    // About the first value: respondents all alike give exactly 0.
    const reference = ys[0] ?? 0;
    const shift = ys.reduce((total, y) => total + (y - reference), 0) / Math.max(1, ys.length);
    const ss = ys.reduce((total, y) => total + (y - reference - shift) ** 2, 0);
    return { mean: reference + shift, ss };
  };
}

/** The value, or a failed test when it is missing. */
export function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value, found none');
  return value;
}
