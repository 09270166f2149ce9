import { describe, expect, it } from 'vitest';
import { LookupLimiter, SubmissionLimiter, type RateLimits, type Submitter } from './rate-limit.ts';

describe('the submission limiter', () => {
  const minute = 60_000;
  const start = Date.UTC(2025, 5, 2, 1, 0, 0); // 08:00 in Vietnam, on a minute boundary
  const limits = (set: Partial<RateLimits>): RateLimits => ({
    perDevice: 0,
    perIp: 0,
    ceilingPerDevice: 0,
    ceilingPerIp: 0,
    ...set,
  });
  const kinds = (limiter: SubmissionLimiter, set: RateLimits, submitter: Submitter, n: number) =>
    Array.from({ length: n }, () => limiter.hit(set, submitter).kind);

  it('counts per token and device in fixed one-minute windows', () => {
    let now = start;
    const limiter = new SubmissionLimiter(() => now);
    const set = limits({ perDevice: 2 });
    const phone = { token: 't1', device: 'd1', ip: '10.0.0.1' };
    expect(kinds(limiter, set, phone, 3)).toEqual(['within', 'within', 'over']);
    // Another device, or the same device at another counter, has its own count.
    expect(limiter.hit(set, { ...phone, device: 'd2' }).kind).toBe('within');
    expect(limiter.hit(set, { ...phone, token: 't2' }).kind).toBe('within');
    now = start + minute - 1;
    expect(limiter.hit(set, phone).kind).toBe('over');
    now = start + minute;
    expect(limiter.hit(set, phone).kind).toBe('within');
  });

  it('counts per IP address, and 0 turns a limit off', () => {
    const limiter = new SubmissionLimiter(() => start);
    const set = limits({ perDevice: 1, perIp: 3 });
    const hits = ['d1', 'd2', 'd3', 'd4'].map(
      (device) => limiter.hit(set, { token: 't', device, ip: '10.0.0.9' }).kind,
    );
    expect(hits).toEqual(['within', 'within', 'within', 'over']);
    const off = new SubmissionLimiter(() => start);
    expect(new Set(kinds(off, limits({}), { token: 't', device: 'd', ip: 'x' }, 100))).toEqual(
      new Set(['within']),
    );
  });

  it('counts submissions without a device id together, per token', () => {
    const limiter = new SubmissionLimiter(() => start);
    const set = limits({ perDevice: 2, ceilingPerDevice: 3 });
    const anonymous = { token: 't' };
    expect(kinds(limiter, set, anonymous, 4).map(String)).toEqual([
      'within',
      'within',
      'over',
      'refused',
    ]);
    expect(limiter.hit(set, { token: 'other' }).kind).toBe('within');
  });

  it('refuses over a ceiling until its window ends, saying how many seconds are left', () => {
    let now = start + 20_500;
    const limiter = new SubmissionLimiter(() => now);
    const set = limits({ perDevice: 2, ceilingPerDevice: 4, perIp: 5, ceilingPerIp: 6 });
    const phone = { token: 't', device: 'd', ip: '10.0.0.1' };
    expect(kinds(limiter, set, phone, 4)).toEqual(['within', 'within', 'over', 'over']);
    expect(limiter.hit(set, phone)).toEqual({ kind: 'refused', retryAfterSeconds: 40 });
    // Other phones behind the same address: over the address's limit, then its ceiling.
    expect(limiter.hit(set, { ...phone, device: 'e' }).kind).toBe('over');
    expect(limiter.hit(set, { ...phone, device: 'g' }).kind).toBe('refused');
    expect(limiter.hit(set, { ...phone, device: 'f', ip: '10.0.0.2' }).kind).toBe('within');
    now = start + minute - 1;
    expect(limiter.hit(set, phone)).toEqual({ kind: 'refused', retryAfterSeconds: 1 });
    now = start + minute;
    expect(limiter.hit(set, phone).kind).toBe('within');
  });
});

describe('the look-up limiter', () => {
  const start = Date.UTC(2025, 5, 2, 1, 0, 0);

  it('counts look-ups per client address in one-minute windows', () => {
    let now = start;
    const limiter = new LookupLimiter(2, () => now);
    expect([limiter.hit('a'), limiter.hit('a'), limiter.hit('b')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    now += 15_000;
    // 45 seconds left in the window.
    expect(limiter.hit('a')).toBe(45);
    now = start + 60_000;
    expect(limiter.hit('a')).toBeUndefined();
  });

  it('does not count again what the client found, for a minute; a key it did not find counts', () => {
    let now = start + 50_000;
    const limiter = new LookupLimiter(2, () => now);
    expect(limiter.hit('a')).toBeUndefined();
    limiter.pass('a', 'ABCDEFG');
    // Opened again and again: still one look-up. Another client, or another key, counts.
    for (let i = 0; i < 5; i++) expect(limiter.hitUnlessPassed('a', 'ABCDEFG')).toBeUndefined();
    expect(limiter.hitUnlessPassed('b', 'ABCDEFG')).toBeUndefined();
    expect(limiter.hitUnlessPassed('a', 'HJKMNPQ')).toBeUndefined();
    expect(limiter.hitUnlessPassed('a', 'HJKMNPQ')).toBe(10);
    // Into the next window, the pass lasts its minute, then the key counts again.
    now = start + 109_999;
    expect(limiter.hitUnlessPassed('a', 'ABCDEFG')).toBeUndefined();
    now = start + 110_000;
    expect([
      limiter.hitUnlessPassed('a', 'ABCDEFG'),
      limiter.hitUnlessPassed('a', 'ABCDEFG'),
    ]).toEqual([undefined, undefined]);
    expect(limiter.hitUnlessPassed('a', 'ABCDEFG')).toBe(10);
  });
});
