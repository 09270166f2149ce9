// Figures as people read them: every index, SE, interval and percent with 2 decimals in the
// reader's language (82,20 in Vietnamese, 82.20 in English); PAR points as published, with 3
// (85,620); counts as whole numbers.
import * as notation from '../../shared/notation.ts';
import type { Lang } from './messages.ts';

const locales: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

export interface Format {
  /** 2 decimals, or an em dash for a figure that does not exist. */
  fixed(value: number | null | undefined): string;
  /** 2 decimals with an explicit sign, for changes. */
  signed(value: number | null | undefined): string;
  count(value: number | null | undefined): string;
  /** A share in [0, 1] as a percent with 2 decimals: 0.6 → 60,00%. */
  share(value: number | null | undefined): string;
  interval(ci: readonly [number, number] | null | undefined): string;
  /** PAR points at the precision they are published with (3 decimals): 85,620, 85.620. */
  points(value: number | null | undefined): string;
  /** A change of points, signed: +5,421, −0,300 (a true minus in Vietnamese, as documents). */
  signedPoints(value: number | null | undefined): string;
  /** A maximum of points, without the decimals it does not have: 100, 6,5. */
  maximum(value: number): string;
}

/** Points rounded as published (half up, to thousandths), for Intl to write. */
const published = (value: number) =>
  notation.thousandths(value) / 10 ** notation.PUBLISHED_DECIMALS;

const cache = new Map<Lang, Format>();

export function formatFor(lang: Lang): Format {
  const known = cache.get(lang);
  if (known) return known;
  const two = new Intl.NumberFormat(locales[lang], {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const twoSigned = new Intl.NumberFormat(locales[lang], {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  });
  const whole = new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 0 });
  const three = new Intl.NumberFormat(locales[lang], {
    minimumFractionDigits: notation.PUBLISHED_DECIMALS,
    maximumFractionDigits: notation.PUBLISHED_DECIMALS,
  });
  const threeSigned = new Intl.NumberFormat(locales[lang], {
    minimumFractionDigits: notation.PUBLISHED_DECIMALS,
    maximumFractionDigits: notation.PUBLISHED_DECIMALS,
    signDisplay: 'exceptZero',
  });
  const upToThree = new Intl.NumberFormat(locales[lang], {
    maximumFractionDigits: notation.PUBLISHED_DECIMALS,
  });
  const missing = '—';
  const format: Format = {
    fixed: (value) => (value === null || value === undefined ? missing : two.format(value)),
    signed: (value) => (value === null || value === undefined ? missing : twoSigned.format(value)),
    count: (value) => (value === null || value === undefined ? missing : whole.format(value)),
    share: (value) =>
      value === null || value === undefined ? missing : `${two.format(value * 100)}%`,
    interval: (ci) => (ci ? `${two.format(ci[0])} – ${two.format(ci[1])}` : missing),
    // In Vietnamese, points are written as the plan's documents write them (shared/notation.ts).
    points: (value) =>
      lang === 'vi'
        ? notation.points(value)
        : value === null || value === undefined
          ? missing
          : three.format(published(value)),
    signedPoints: (value) =>
      lang === 'vi'
        ? notation.signedPoints(value)
        : value === null || value === undefined
          ? missing
          : threeSigned.format(published(value)),
    maximum: (value) => upToThree.format(published(value)),
  };
  cache.set(lang, format);
  return format;
}

/** Today in Vietnam's time (UTC+7), YYYY-MM-DD, the calendar of campaign periods. */
export function vietnamToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** A calendar day (YYYY-MM-DD) as people write it: 31/03/2026 in Vietnamese. */
export function formatDay(lang: Lang, day: string): string {
  // The day is a date of no time zone: read and written at UTC so that it never shifts.
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locales[lang], {
    timeZone: 'UTC',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
}

/** An instant (ISO 8601) as a date and time in Vietnam, or a dash for none. */
export function formatInstant(lang: Lang, iso: string | null): string {
  if (iso === null) return '–';
  return new Date(iso).toLocaleString(locales[lang], {
    timeZone: 'Asia/Ho_Chi_Minh',
    dateStyle: 'short',
    timeStyle: 'short',
  });
}
