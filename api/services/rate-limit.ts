// Rate limits on survey submissions (interchange §4): fixed one-minute windows, keyed on the
// counter token and the phone's device id, and on the IP address. Many citizens share a
// counter's Wi-Fi, so going over a limit quarantines an answer rather than refusing it; only
// a ceiling far above any human rate (a script, a flood) refuses, until the window ends.
// Nothing leaves memory, and even there an IP address or device id is kept only as a hash
// salted with a secret that changes every day, so yesterday's keys cannot be linked to today's.
import { createHmac, randomBytes } from 'node:crypto';
import { vietnamDate } from './vietnam-time.ts';

/** Submissions a minute; 0 turns a limit off. */
export interface RateLimits {
  /** Per token and device: over it, an answer is quarantined. */
  readonly perDevice: number;
  /** Per IP address: over it, an answer is quarantined. */
  readonly perIp: number;
  /** Per token and device: over it, a submission is refused. */
  readonly ceilingPerDevice: number;
  /** Per IP address: over it, a submission is refused. */
  readonly ceilingPerIp: number;
}

export interface Submitter {
  /** The counter's survey token (its hash will do). */
  readonly token: string;
  readonly device?: string | undefined;
  readonly ip?: string | undefined;
}

/** A submission within the limits, over one (quarantined), or over a ceiling (refused). */
export type Verdict =
  | { readonly kind: 'within' | 'over' }
  | { readonly kind: 'refused'; readonly retryAfterSeconds: number };

const WINDOW_MS = 60_000;

export class SubmissionLimiter {
  #window = -1;
  #counts = new Map<string, number>();
  #saltDay = '';
  #salt = Buffer.alloc(0);

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one submission, refused ones too: a client that will not wait stays refused. */
  hit(limits: RateLimits, submitter: Submitter): Verdict {
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
    // Submissions without a device id share one count per token: leaving it out is no way
    // around the limit (a device id is never empty, so '' names no phone).
    const device = `d${this.#hash(`${submitter.token}\n${submitter.device ?? ''}`)}`;
    const keys: [string, number, number][] = [[device, limits.perDevice, limits.ceilingPerDevice]];
    if (submitter.ip !== undefined) {
      keys.push([`i${this.#hash(submitter.ip)}`, limits.perIp, limits.ceilingPerIp]);
    }
    let over = false;
    let refused = false;
    for (const [key, limit, ceiling] of keys) {
      if (limit === 0 && ceiling === 0) continue;
      const count = (this.#counts.get(key) ?? 0) + 1;
      this.#counts.set(key, count);
      if (limit > 0 && count > limit) over = true;
      if (ceiling > 0 && count > ceiling) refused = true;
    }
    if (refused) {
      const left = (window + 1) * WINDOW_MS - now;
      return { kind: 'refused', retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
    }
    return { kind: over ? 'over' : 'within' };
  }

  #hash(value: string): string {
    return createHmac('sha256', this.#salt).update(value).digest('base64url').slice(0, 22);
  }
}

/**
 * Failed attempts per key (a login, a client address) in fixed windows: over `max` in a
 * window, further attempts are refused until it ends, whether or not they would succeed, so
 * that guessing passwords goes no faster than `max` a window. Keys are kept only as hashes.
 */
export class AttemptLimiter {
  #window = -1;
  #failures = new Map<string, number>();
  readonly #salt = randomBytes(32);

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before the key may try again; 0 when it may now. */
  retryAfter(key: string): number {
    this.#roll();
    if ((this.#failures.get(this.#hash(key)) ?? 0) < this.max) return 0;
    const left = (this.#window + 1) * this.windowMs - this.now();
    return Math.max(1, Math.ceil(left / 1000));
  }

  fail(key: string): void {
    this.#roll();
    const hashed = this.#hash(key);
    this.#failures.set(hashed, (this.#failures.get(hashed) ?? 0) + 1);
  }

  #roll() {
    const window = Math.floor(this.now() / this.windowMs);
    if (window !== this.#window) {
      this.#window = window;
      this.#failures = new Map();
    }
  }

  #hash(value: string): string {
    return createHmac('sha256', this.#salt).update(value).digest('base64url').slice(0, 22);
  }
}

/**
 * Look-ups of a counter's short code per client address, in fixed one-minute windows: a code is
 * short enough to guess, so a client that tries many is stopped (issue 14).
 */
export class LookupLimiter {
  #window = -1;
  #counts = new Map<string, number>();
  /** Per client address and key it found (`pass`): until when opening that key is not counted. */
  #passes = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current window, starting a new one (and forgetting expired passes) when due. */
  #roll(now: number): number {
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
      for (const [key, until] of this.#passes) if (until <= now) this.#passes.delete(key);
    }
    return window;
  }

  /** Counts one look-up; the seconds to wait when over the limit, else undefined. */
  hit(ip: string | undefined): number | undefined {
    const now = this.now();
    const window = this.#roll(now);
    const key = ip ?? '';
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    if (count <= this.perMinute) return undefined;
    return Math.ceil(((window + 1) * WINDOW_MS - now) / 1000);
  }

  /**
   * Records that the client found `key` by a look-up that counted: opening that key again
   * within a minute (`hitUnlessPassed`) tells it nothing new, so is not another look-up.
   */
  pass(ip: string | undefined, key: string): void {
    const now = this.now();
    this.#roll(now);
    this.#passes.set(passKey(ip, key), now + WINDOW_MS);
  }

  /** `hit`, unless the client found `key` within the last minute (`pass`). */
  hitUnlessPassed(ip: string | undefined, key: string): number | undefined {
    const until = this.#passes.get(passKey(ip, key));
    return until !== undefined && this.now() < until ? undefined : this.hit(ip);
  }
}

const passKey = (ip: string | undefined, key: string) => `${ip ?? ''} ${key}`;
