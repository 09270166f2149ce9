import { describe, expect, it } from 'vitest';
import { SubmissionLimiter } from './rate-limit.ts';

describe('the submission limiter', () => {
  const minute = 60_000;
  const start = Date.UTC(2025, 5, 2, 1, 0, 0); // 08:00 in Vietnam, on a minute boundary

  it('counts per token and device in fixed one-minute windows', () => {
    let now = start;
    const limiter = new SubmissionLimiter(() => now);
    const limits = { perDevice: 2, perIp: 0 };
    const phone = { token: 't1', device: 'd1', ip: '10.0.0.1' };
    expect([1, 2, 3].map(() => limiter.hit(limits, phone))).toEqual([false, false, true]);
    // Another device, or the same device at another counter, has its own count.
    expect(limiter.hit(limits, { ...phone, device: 'd2' })).toBe(false);
    expect(limiter.hit(limits, { ...phone, token: 't2' })).toBe(false);
    now = start + minute - 1;
    expect(limiter.hit(limits, phone)).toBe(true);
    now = start + minute;
    expect(limiter.hit(limits, phone)).toBe(false);
  });

  it('counts per IP address, alone when there is no device, and 0 turns a limit off', () => {
    const limiter = new SubmissionLimiter(() => start);
    const limits = { perDevice: 1, perIp: 3 };
    const hits = ['d1', 'd2', 'd3', 'd4'].map((device) =>
      limiter.hit(limits, { token: 't', device, ip: '10.0.0.9' }),
    );
    expect(hits).toEqual([false, false, false, true]);
    const anonymous = [1, 2, 3, 4].map(() => limiter.hit(limits, { token: 't', ip: '10.0.0.8' }));
    expect(anonymous).toEqual([false, false, false, true]);
    const off = new SubmissionLimiter(() => start);
    for (let i = 0; i < 100; i++) {
      expect(off.hit({ perDevice: 0, perIp: 0 }, { token: 't', device: 'd', ip: 'x' })).toBe(false);
    }
  });
});
