// Group commit: calls that arrive while earlier ones are on their way to the database share one
// round trip. Under load, one statement storing twenty responses costs the database one commit
// and this process one query instead of twenty (issue 7: ingestion); with no load, a call waits
// only for the current turn of the event loop to end.
import { isDatabaseUnavailable } from './errors.ts';

export interface BatchOptions {
  /** Items in one round trip at most. */
  maxBatch: number;
  /** Round trips under way at once at most; the items that arrive meanwhile wait and join. */
  maxInFlight: number;
}

/**
 * A function of one item that runs `run` on many: `run` answers each item of its array, in
 * order. A batch of several that fails is run again one item at a time, so that an item that
 * makes the statement fail fails alone and the others are answered as if sent by themselves;
 * unless the database is unavailable, which is no item's fault: a second round trip each would
 * only make every caller wait for it again.
 */
export function batched<I, O>(
  run: (items: I[]) => Promise<O[]>,
  { maxBatch, maxInFlight }: BatchOptions,
): (item: I) => Promise<O> {
  interface Waiting {
    item: I;
    resolve: (output: O) => void;
    reject: (error: unknown) => void;
  }
  let queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  const settle = async (batch: Waiting[]): Promise<void> => {
    try {
      const outputs = await run(batch.map((w) => w.item));
      if (outputs.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} was answered with ${outputs.length}`);
      }
      batch.forEach((w, i) => w.resolve(outputs[i] as O));
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) batch.forEach((w) => w.reject(error));
      else await Promise.all(batch.map((w) => settle([w])));
    }
  };

  const flush = (): void => {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight += 1;
      void settle(batch).finally(() => {
        inFlight -= 1;
        schedule();
      });
    }
  };

  // setImmediate rather than a microtask: the requests whose bytes arrived in the same turn
  // of the event loop reach this point in that turn and go together.
  const schedule = (): void => {
    if (scheduled || queue.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(flush);
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
