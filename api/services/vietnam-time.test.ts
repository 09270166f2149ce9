import { describe, expect, it } from 'vitest';
import { formatVietnamTime, isCalendarDate, parseInstant, vietnamDate } from './vietnam-time.ts';

describe('Vietnam time', () => {
  it('reads ISO 8601 dates and date-times, without an offset as UTC+7', () => {
    const cases: [string, string][] = [
      ['2025-05-26', '2025-05-25T17:00:00.000Z'],
      ['2025-05-26T15:30', '2025-05-26T08:30:00.000Z'],
      ['2025-05-26 15:30:12', '2025-05-26T08:30:12.000Z'],
      ['2025-05-26T15:30:12.5', '2025-05-26T08:30:12.500Z'],
      ['2025-05-26T15:30:00+07:00', '2025-05-26T08:30:00.000Z'],
      ['2025-05-26T15:30:00Z', '2025-05-26T15:30:00.000Z'],
      ['2025-05-26T15:30:00-0230', '2025-05-26T18:00:00.000Z'],
      ['2024-02-29T00:00:00+07', '2024-02-28T17:00:00.000Z'],
    ];
    for (const [text, utc] of cases) expect(parseInstant(text)?.toISOString(), text).toBe(utc);
  });

  it('refuses what is not a real date or time', () => {
    for (const text of [
      '',
      '2025-02-29',
      '2025-13-01',
      '2025-05-26T24:00',
      '2025-05-26T10:60',
      '26/05/2025',
      '2025-05-26T10:00+15:00',
      '2025-05-26+07:00',
    ]) {
      expect(parseInstant(text), text).toBeUndefined();
    }
    expect(isCalendarDate('2025-12-31')).toBe(true);
    expect(isCalendarDate('2025-11-31')).toBe(false);
    expect(isCalendarDate('2025-12-31T00:00')).toBe(false);
  });

  it('counts days and writes times in Vietnam', () => {
    expect(vietnamDate(new Date('2025-12-31T16:59:59.999Z'))).toBe('2025-12-31');
    expect(vietnamDate(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
    expect(formatVietnamTime(new Date('2025-05-26T08:30:00Z'))).toBe('2025-05-26T15:30:00+07:00');
    expect(formatVietnamTime(new Date('2025-12-31T17:00:00.250Z'))).toBe(
      '2026-01-01T00:00:00.250+07:00',
    );
  });
});
