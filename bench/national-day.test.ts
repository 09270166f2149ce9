// The national day's arithmetic (docs/scale-out.md), against values worked by hand.
import { describe, expect, it } from 'vitest';
import {
  dailyResponses,
  HOURLY_SHARES,
  NATIONAL,
  peakPerSecond,
  replaySchedule,
} from './national-day.ts';

describe('the national day', () => {
  it('spreads the whole day over the hours the counters are open', () => {
    // 0.04 + 0.14 + 0.17 + 0.15 + 0.08 + 0.02 + 0.08 + 0.13 + 0.12 + 0.07 = 1.
    expect(HOURLY_SHARES.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('derives the day and its busiest second', () => {
    // 10,000 counters × 60 procedures × 25% answering = 150,000 answers a day.
    expect(dailyResponses(NATIONAL)).toBeCloseTo(150_000, 9);
    // The busiest hour, 09:00, carries 17%: 150,000 × 0.17 / 3,600 = 25,500 / 3,600 = 7.083…/s.
    expect(peakPerSecond(150_000)).toBeCloseTo(25_500 / 3_600, 9);
    // 10× that peak: 70.83…/s.
    expect(10 * peakPerSecond(150_000)).toBeCloseTo(70.833333333, 9);
  });

  it('schedules a compressed day at a multiple of its rates', () => {
    // Two hours of 36,000 answers a day, shares 0.5 and 0.5, at 1×: 18,000 an hour is 5/s;
    // an hour of 2 s then sends 10, and an hour of 0.5 s sends round(2.5) = 3 (rounding half
    // up), 1/6 s apart.
    const due = replaySchedule(36_000, { factor: 1, hourMs: 2_000, shares: [0.5, 0.5] });
    expect(due).toHaveLength(20);
    // The first hour's slots are 200 ms wide: the first request at 100 ms, the last at 1,900.
    expect(due[0]).toBeCloseTo(100, 9);
    expect(due[9]).toBeCloseTo(1_900, 9);
    // The second hour starts at 2,000 ms.
    expect(due[10]).toBeCloseTo(2_100, 9);
    const short = replaySchedule(36_000, { factor: 1, hourMs: 500, shares: [0.5, 0.5] });
    expect(short).toHaveLength(6);
    // Slots of 500 / 3 ms: the second request at 1.5 × 500 / 3 = 250 ms.
    expect(short[1]).toBeCloseTo(250, 9);
    // The national day at 10×, hours of 12 s: 150,000 × 10 × 12 / 3,600 = 5,000 requests, of
    // which the 09:00 hour sends 70.83… × 12 = 850.
    const national = replaySchedule(150_000, { factor: 10, hourMs: 12_000 });
    expect(national).toHaveLength(5_000);
    expect(national.filter((t) => t >= 24_000 && t < 36_000)).toHaveLength(850);
  });
});
