// Test support: the per-counter tallies and linearized sums that analysis/queries computes in
// the database, computed here from responses in memory, so that the scoring arithmetic can be
// checked on hand-worked cases without a database.
import { satisfactionItems, storedItems, type Instrument } from './instrument.ts';
import type { CounterFacts, LinearizedSums, SumLinearized } from './scoring.ts';

export interface MemoryResponse {
  counterId: number;
  mode: string;
  /** Stored answers, in `storedItems` order; null is a blank. */
  answers: readonly (number | null)[];
}

export function tallies(
  instrument: Instrument,
  counters: readonly Omit<CounterFacts, 'modes' | 'answers'>[],
  responses: readonly MemoryResponse[],
): CounterFacts[] {
  const stored = storedItems(instrument);
  const positions = satisfactionItems(instrument).map((item) => stored.indexOf(item));
  return counters.map((counter) => {
    const mine = responses.filter((r) => r.counterId === counter.id);
    const modes: Record<string, number> = {};
    for (const r of mine) modes[r.mode] = (modes[r.mode] ?? 0) + 1;
    const answers = positions.map((position) => {
      const row = [0, 0, 0, 0, 0, 0];
      for (const r of mine) {
        const a = r.answers[position];
        if (a !== null && a !== undefined) row[a] = (row[a] ?? 0) + 1;
      }
      return row;
    });
    return { ...counter, modes, answers };
  });
}

export function sumLinearizedInMemory(responses: readonly MemoryResponse[]): SumLinearized {
  return (slots) =>
    Promise.resolve(
      slots.map((slot): LinearizedSums => {
        let sumY = 0;
        let sumY2 = 0;
        for (const r of responses) {
          if (r.counterId !== slot.counterId) continue;
          let y = 0;
          for (const term of slot.terms) y += term.phi[r.answers[term.position - 1] ?? 0] ?? 0;
          sumY += y;
          sumY2 += y * y;
        }
        return { sumY, sumY2 };
      }),
    );
}

/** The value, or a failed test when it is missing. */
export function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value, found none');
  return value;
}
