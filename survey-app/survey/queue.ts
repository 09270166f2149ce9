// A kiosk's queue (store.ts): its responses sent oldest first, marked as the kiosk's, until each
// has the server's final reply.
import { sendOnce, type Outcome, type Retry } from './send.ts';
import { loadQueue, saveQueue, setAside } from './store.ts';

/**
 * One round over the queue, until it is empty or the server cannot be reached or is busy: a
 * stored response leaves the queue; one refused for good leaves it for the tablet's set-aside
 * list, never dropped. `told` hears each reply with its response's id, once the queue holds it;
 * the round returns the retry that ended it, if any.
 */
export async function sendQueue(
  token: string,
  told: (id: string, outcome: Outcome) => void,
  stopped: () => boolean = () => false,
): Promise<Retry | undefined> {
  for (let next = loadQueue(token)[0]; next && !stopped(); next = loadQueue(token)[0]) {
    const sent = next;
    const outcome = await sendOnce(token, sent, true);
    if (outcome.kind === 'retry') {
      told(sent.id, outcome);
      return outcome;
    }
    if (outcome.kind === 'refused') {
      setAside(token, sent, { status: outcome.status, detail: outcome.detail });
    }
    saveQueue(
      token,
      loadQueue(token).filter((s) => s.id !== sent.id),
    );
    told(sent.id, outcome);
  }
  return undefined;
}
