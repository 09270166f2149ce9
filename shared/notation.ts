// Figures as a Vietnamese administrative document writes them (docs/plans.md, Documents): a
// decimal comma and a dot between thousands (1.234,500), a true minus sign, ranks as "11/21"
// and days as 31/03/2026. PAR points keep the 3 decimals they are published with. Pure and
// without imports: the documents and the console write the same strings.

/** Published PAR scores carry 3 decimals: scores equal at that precision are equal. */
export const PUBLISHED_DECIMALS = 3;

/** A score in whole thousandths of a point, as published (85.6204 → 85620). */
export const thousandths = (score: number) => Math.round(score * 10 ** PUBLISHED_DECIMALS);

/** A percent (of an applicable maximum, a SIPAS index) is shown with 2 decimals. */
export const PERCENT_DECIMALS = 2;

/** What a document writes for a figure that does not exist. */
export const MISSING = '—';

const MINUS = '\u2212';

/**
 * `units` whole units of the last of `decimals` decimals, written out digit by digit: no
 * floating-point division between the rounding and the text, so 4.4 is "4,400" and never
 * "4,399".
 */
function written(units: number, decimals: number, signed: boolean): string {
  const sign = units < 0 ? MINUS : signed && units > 0 ? '+' : '';
  const digits = String(Math.abs(units)).padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+$)/g, '.');
  const fraction = digits.slice(digits.length - decimals);
  return `${sign}${whole}${decimals > 0 ? `,${fraction}` : ''}`;
}

/** A number with `decimals` decimals (rounded half up, as the published points are). */
export function decimal(
  value: number | null | undefined,
  decimals: number,
  { signed = false }: { signed?: boolean } = {},
): string {
  if (value === null || value === undefined) return MISSING;
  return written(Math.round(value * 10 ** decimals), decimals, signed);
}

/** Points as published: 85,620. */
export const points = (value: number | null | undefined): string =>
  value === null || value === undefined
    ? MISSING
    : written(thousandths(value), PUBLISHED_DECIMALS, false);

/** A change in points, signed: +5,421, −1,250, 0,000. */
export const signedPoints = (value: number | null | undefined): string =>
  value === null || value === undefined
    ? MISSING
    : written(thousandths(value), PUBLISHED_DECIMALS, true);

/** A percent with 2 decimals and its sign: 90,00%. */
export const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? MISSING : `${decimal(value, PERCENT_DECIMALS)}%`;

/** A whole count with the dot between thousands: 1.234. */
export const count = (value: number): string => decimal(value, 0);

/** A rank among the peers ranked: 11/21. */
export const rank = (position: number | null, of: number): string =>
  position === null ? MISSING : `${position}/${of}`;

/** A calendar day (YYYY-MM-DD) as written in Vietnam: 31/03/2026. */
export function day(isoDay: string): string {
  const [year, month, date] = isoDay.split('-');
  return `${date}/${month}/${year}`;
}
