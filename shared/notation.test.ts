import { describe, expect, it } from 'vitest';
import { publishedPoints } from '../analysis/par.ts';
import { count, day, decimal, percent, points, rank, signedPoints } from './notation.ts';

describe('Vietnamese notation', () => {
  it.each([
    // 85.62 is 85620 thousandths: a decimal comma and the trailing zero kept.
    [85.62, '85,620'],
    [85.6204, '85,620'],
    [85.6205, '85,621'],
    // 23.5 − 19.1 is 4.399999999999999 as a double; published, 4.400.
    [23.5 - 19.1, '4,400'],
    [0, '0,000'],
    [0.0004, '0,000'],
    [0.05, '0,050'],
    [100, '100,000'],
    // A dot between thousands: 1234.5 is 1.234,500.
    [1234.5, '1.234,500'],
    [1234567.0009, '1.234.567,001'],
    [-1.25, '\u22121,250'],
  ])('%s points are written %s', (value, written) => {
    expect(points(value)).toBe(written);
  });

  it('writes what publishedPoints rounds to, digit for digit', () => {
    for (const value of [85.6205, 4.4, 23.5 - 19.1, 0.0015, 99.9995, 12.3456]) {
      const published = publishedPoints(value).toFixed(3).replace('.', ',');
      expect(points(value)).toBe(published);
    }
  });

  it.each([
    [5.421, '+5,421'],
    [-1.25, '\u22121,250'],
    // 88.4 − 88.7 is −0.29999999999999716: −0,300.
    [88.4 - 88.7, '\u22120,300'],
    // Below half a thousandth either way: no change, and no sign.
    [0.0004, '0,000'],
    [-0.0004, '0,000'],
    [null, '—'],
  ])('a change of %s is written %s', (value, written) => {
    expect(signedPoints(value)).toBe(written);
  });

  it.each([
    [90, '90,00%'],
    // 100 × 85.62 / 95 = 90.126315…: 90,13%.
    [(100 * 85.62) / 95, '90,13%'],
    [7.005, '7,01%'],
    [100, '100,00%'],
    [null, '—'],
  ])('a percent of %s is written %s', (value, written) => {
    expect(percent(value)).toBe(written);
  });

  it('writes other figures with the decimals asked, and counts whole', () => {
    expect(decimal(-10, 2, { signed: true })).toBe('\u221210,00');
    expect(decimal(2.5, 2, { signed: true })).toBe('+2,50');
    expect(decimal(0.05, 1)).toBe('0,1');
    expect(count(1234)).toBe('1.234');
    expect(count(21)).toBe('21');
  });

  it('writes a rank among the peers and a day', () => {
    expect(rank(11, 21)).toBe('11/21');
    expect(rank(null, 21)).toBe('—');
    expect(day('2026-03-31')).toBe('31/03/2026');
    expect(day('2027-09-30')).toBe('30/09/2027');
  });
});
