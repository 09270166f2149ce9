import { describe, expect, it } from 'vitest';
import {
  askedWhen,
  keyedByCode,
  CODE_MAX,
  CODE_PATTERN,
  isAsked,
  isMode,
  KEYED_MODES,
  MODES,
  rankAmong,
  SATISFIED_DEFAULT,
} from './rules.ts';

describe('the skip rule', () => {
  // Q asks A; A asks B; B asks C: C is asked only when B was asked, and so on up.
  const items = keyedByCode([
    { code: 'Q' },
    { code: 'A', askIf: { item: 'Q', equals: 1 } },
    { code: 'B', askIf: { item: 'A', equals: 2 } },
    { code: 'C', askIf: { item: 'B', equals: 3 } },
  ]);
  const item = (code: string) => {
    const found = items.get(code);
    if (!found) throw new Error(`no ${code}`);
    return found;
  };

  it('asks an item without a rule always, one with a rule when its item has that answer', () => {
    expect(isAsked(item('Q'), {}, items)).toBe(true);
    expect(isAsked(item('A'), {}, items)).toBe(false);
    expect(isAsked(item('A'), { Q: 0 }, items)).toBe(false);
    expect(isAsked(item('A'), { Q: 1 }, items)).toBe(true);
  });

  it('does not ask an item whose rule reads an item not asked, whatever that item holds', () => {
    expect(isAsked(item('C'), { Q: 1, A: 2, B: 3 }, items)).toBe(true);
    expect(isAsked(item('C'), { Q: 0, A: 2, B: 3 }, items)).toBe(false);
    expect(isAsked(item('B'), { Q: 0, A: 2 }, items)).toBe(false);
  });

  it('lists the conditions of the chain, the item’s own first', () => {
    expect(askedWhen(item('Q'), items)).toEqual([]);
    expect(askedWhen(item('C'), items)).toEqual([
      { item: 'B', equals: 3 },
      { item: 'A', equals: 2 },
      { item: 'Q', equals: 1 },
    ]);
  });

  it('never asks an item whose rule reads no item, or whose rules go round', () => {
    const lost = { code: 'L', askIf: { item: 'GONE', equals: 1 } };
    expect(askedWhen(lost, keyedByCode([lost]))).toBeNull();
    expect(isAsked(lost, { GONE: 1 }, keyedByCode([lost]))).toBe(false);
    const round = keyedByCode([
      { code: 'X', askIf: { item: 'Y', equals: 1 } },
      { code: 'Y', askIf: { item: 'X', equals: 1 } },
    ]);
    const x = round.get('X');
    if (!x) throw new Error('no X');
    expect(askedWhen(x, round)).toBeNull();
    expect(isAsked(x, { X: 1, Y: 1 }, round)).toBe(false);
  });
});

describe('the collection modes', () => {
  it('are the seven of spec §3, the keyed ones among them', () => {
    expect(MODES).toEqual(['qr', 'kiosk', 'paper', 'post', 'phone', 'interview', 'online']);
    expect(KEYED_MODES.every(isMode)).toBe(true);
    expect(['paper', 'online', 'Paper', 'email', ''].map(isMode)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('a code', () => {
  it('is 1 to CODE_MAX letters, digits, dots, hyphens or underscores, not starting with one', () => {
    const code = new RegExp(`^${CODE_PATTERN}$`);
    const html = new RegExp(`^(?:${CODE_PATTERN})$`, 'v');
    for (const pattern of [code, html]) {
      expect(
        ['BRVT', 'BRVT.SKHDT', 'a_1-b', 'X'.repeat(CODE_MAX)].every((c) => pattern.test(c)),
      ).toBe(true);
      expect(
        ['', '.BRVT', 'BRVT SKHDT', 'Sở', 'X'.repeat(CODE_MAX + 1)].some((c) => pattern.test(c)),
      ).toBe(false);
    }
  });
});

describe('the satisfied rule', () => {
  it('counts 4 and 5 as satisfied by default', () => {
    expect(SATISFIED_DEFAULT).toEqual([4, 5]);
  });
});

describe('rankAmong: the tie ranking', () => {
  it('shares a rank between scores equal at the given decimals, and the next rank skips', () => {
    const rank = rankAmong([80, 85.62, 90, 85.62 + 1e-12, 85.6204], 3);
    expect([90, 85.62, 85.6204, 80].map(rank)).toEqual([1, 2, 2, 5]);
  });

  it('compares at the precision asked for: apart at 3 decimals, equal at 2', () => {
    expect([79.996, 80.001].map(rankAmong([79.996, 80.001], 3))).toEqual([2, 1]);
    expect([79.996, 80.001].map(rankAmong([79.996, 80.001], 2))).toEqual([1, 1]);
  });

  it('ranks every one first when all are equal', () => {
    expect([0, 0, 0].map(rankAmong([0, 0, 0], 3))).toEqual([1, 1, 1]);
  });
});
