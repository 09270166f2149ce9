import { describe, expect, it } from 'vitest';
import { batched } from './batch.ts';
import { DatabaseUnavailableError } from './errors.ts';

/** A `run` that records each batch it is given and answers each item doubled. */
function recorder(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const run = async (items: number[]) => {
    batches.push(items);
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight -= 1;
    if (items.some(fail)) throw new Error(`refused ${items.filter(fail).join(', ')}`);
    return items.map((n) => 2 * n);
  };
  return { run, batches, mostInFlight: () => mostInFlight };
}

describe('batched', () => {
  it('sends the calls of one turn together and answers each its own', async () => {
    const r = recorder();
    const double = batched(r.run, { maxBatch: 100, maxInFlight: 2 });
    expect(await Promise.all([1, 2, 3, 4].map(double))).toEqual([2, 4, 6, 8]);
    expect(r.batches).toEqual([[1, 2, 3, 4]]);
  });

  it('keeps at most maxInFlight batches under way, each of at most maxBatch; the rest wait', async () => {
    const r = recorder();
    const double = batched(r.run, { maxBatch: 3, maxInFlight: 2 });
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(await Promise.all(items.map(double))).toEqual(items.map((n) => 2 * n));
    expect(r.mostInFlight()).toBe(2);
    expect(r.batches.map((b) => b.length)).toEqual([3, 3, 3, 1]);
    expect(r.batches.flat()).toEqual(items);
  });

  it('gathers what arrives while a batch is under way into the next', async () => {
    const r = recorder();
    const double = batched(r.run, { maxBatch: 100, maxInFlight: 1 });
    const first = double(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map(double);
    await Promise.all([first, ...later]);
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails only the item that makes its batch fail', async () => {
    const r = recorder((n) => n === 3);
    const double = batched(r.run, { maxBatch: 100, maxInFlight: 2 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(double));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'refused'))).toEqual([
      2,
      4,
      'refused',
      8,
    ]);
    expect(outcomes[2]).toMatchObject({ reason: new Error('refused 3') });
    expect(r.batches).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('fails every item of a batch at once when the database is unavailable', async () => {
    const batches: number[][] = [];
    const double = batched(
      async (items: number[]) => {
        batches.push(items);
        throw new DatabaseUnavailableError('frozen');
      },
      { maxBatch: 100, maxInFlight: 2 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map(double));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('refuses a batch answered with another number of outputs than it had items', async () => {
    const short = batched(async (items: number[]) => items.slice(1), {
      maxBatch: 10,
      maxInFlight: 1,
    });
    await expect(short(1)).rejects.toThrow('a batch of 1 was answered with 0');
  });
});
