// Rate limits on survey submissions (interchange §4): fixed one-minute windows, keyed on the
// counter token and the phone's device id, and on the IP address. Many citizens share a
// counter's Wi-Fi, so going over a limit quarantines an answer rather than refusing it.
// Nothing leaves memory, and even there an IP address or device id is kept only as a hash
// salted with a secret that changes every day, so yesterday's keys cannot be linked to today's.
import { createHmac, randomBytes } from 'node:crypto';
import { vietnamDate } from './vietnam-time.ts';

export interface RateLimits {
  /** Submissions a minute per token and device; 0 turns the limit off. */
  readonly perDevice: number;
  /** Submissions a minute per IP address; 0 turns the limit off. */
  readonly perIp: number;
}

export interface Submitter {
  /** The counter's survey token (its hash will do). */
  readonly token: string;
  readonly device?: string | undefined;
  readonly ip?: string | undefined;
}

const WINDOW_MS = 60_000;

export class SubmissionLimiter {
  #window = -1;
  #counts = new Map<string, number>();
  #saltDay = '';
  #salt = Buffer.alloc(0);

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one submission; true when it goes over a limit. */
  hit(limits: RateLimits, submitter: Submitter): boolean {
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
    }
    const day = vietnamDate(new Date(now));
    if (day !== this.#saltDay) {
      this.#saltDay = day;
      this.#salt = randomBytes(32);
    }
    const keys: [string, number][] = [];
    if (submitter.device !== undefined && limits.perDevice > 0) {
      keys.push([`d${this.#hash(`${submitter.token}\n${submitter.device}`)}`, limits.perDevice]);
    }
    if (submitter.ip !== undefined && limits.perIp > 0) {
      keys.push([`i${this.#hash(submitter.ip)}`, limits.perIp]);
    }
    let over = false;
    for (const [key, limit] of keys) {
      const count = (this.#counts.get(key) ?? 0) + 1;
      this.#counts.set(key, count);
      if (count > limit) over = true;
    }
    return over;
  }

  #hash(value: string): string {
    return createHmac('sha256', this.#salt).update(value).digest('base64url').slice(0, 22);
  }
}
