// The national day of docs/scale-out.md, as arithmetic: how many citizens answer on a working
// day across the country, how that spreads over the hours the one-stop counters are open, and
// the times at which a replay sends them, compressed and scaled. Pure, so that its worked
// values are tested (national-day.test.ts); bench/national.ts replays it against a server.

/** The national case: every counter of the country surveying at once. */
export interface NationalCase {
  counters: number;
  /** Procedures completed at a counter on an average working day. */
  transactionsPerCounterDay: number;
  /** The share of those citizens who scan the QR code and send an answer. */
  responseRate: number;
}

/** docs/scale-out.md, "The national day": each figure there is an assumption it states. */
export const NATIONAL: NationalCase = {
  counters: 10_000,
  transactionsPerCounterDay: 60,
  responseRate: 0.25,
};

/** The first hour of the working day (Vietnam time): HOURLY_SHARES[0] is 07:00-08:00. */
export const FIRST_HOUR = 7;

/**
 * The share of a working day's answers sent in each hour from 07:00 to 17:00 (summing to 1):
 * a morning peak at 09:00, the lunch break, a smaller afternoon peak.
 */
export const HOURLY_SHARES: readonly number[] = [
  0.04, 0.14, 0.17, 0.15, 0.08, 0.02, 0.08, 0.13, 0.12, 0.07,
];

const SECONDS_PER_HOUR = 3_600;

/** Answers sent across the country on one working day. */
export function dailyResponses(c: NationalCase): number {
  return c.counters * c.transactionsPerCounterDay * c.responseRate;
}

/** Answers a second during the busiest hour of a day of `daily` answers. */
export function peakPerSecond(daily: number, shares: readonly number[] = HOURLY_SHARES): number {
  return (daily * Math.max(...shares)) / SECONDS_PER_HOUR;
}

/**
 * When each request of a replayed day is due, in milliseconds from its start: the day's rates
 * times `factor`, each hour lasting `hourMs`. An hour whose scaled rate is r a second sends
 * round(r × hourMs / 1000) requests, evenly spaced, each in the middle of its slot.
 */
export function replaySchedule(
  daily: number,
  {
    factor,
    hourMs,
    shares = HOURLY_SHARES,
  }: { factor: number; hourMs: number; shares?: readonly number[] },
): number[] {
  const due: number[] = [];
  shares.forEach((share, hour) => {
    const perSecond = (daily * share * factor) / SECONDS_PER_HOUR;
    const count = Math.round((perSecond * hourMs) / 1_000);
    for (let k = 0; k < count; k++) due.push(hour * hourMs + ((k + 0.5) * hourMs) / count);
  });
  return due;
}
