// Times in files and requests: ISO 8601, read as Vietnam's time (UTC+7) when they carry no
// offset, and campaign days counted in Vietnam's calendar (spec §3, interchange.md).
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  return match !== null && validDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Offset in minutes east of UTC, or undefined when out of range. */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return 7 * 60;
  if (zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** An ISO 8601 date or date-time as an instant; no offset means UTC+7. Undefined if invalid. */
export function parseInstant(text: string): Date | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const part = (i: number) => Number(match[i] ?? 0);
  const [year, month, day, hour, minute, second] = [
    part(1),
    part(2),
    part(3),
    part(4),
    part(5),
    part(6),
  ];
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = match[8];
  const offset = offsetMinutes(zone);
  if (offset === undefined) return undefined;
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return new Date(local - offset * 60_000);
}

/** The calendar day in Vietnam at the instant, YYYY-MM-DD. */
export function vietnamDate(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The instant as a Date whose UTC fields are Vietnam's wall-clock time: what a spreadsheet's
 * date cell, which has no time zone, holds (api/services/spreadsheet.ts, read back by xlsx.ts).
 */
export const vietnamWallClock = (instant: Date): Date =>
  new Date(instant.getTime() + VIETNAM_OFFSET_MS);

/** The instant in Vietnam's time with its offset, e.g. 2025-05-26T15:30:00+07:00. */
export function formatVietnamTime(instant: Date): string {
  const local = new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString();
  const millis = local.slice(19, 23);
  return `${local.slice(0, 19)}${millis === '.000' ? '' : millis}+07:00`;
}
