import { describe, expect, it } from 'vitest';
import { chunked, jsonPieces } from './output.ts';

describe('jsonPieces', () => {
  it('is JSON.stringify(value, null, 2), to the character, whatever it opens', () => {
    const document = {
      campaign: 'BẮC-2025',
      empty: {},
      none: [],
      gone: undefined,
      rules: { satisfied: [4, 5], design: 'srs', at: new Date(Date.UTC(2025, 0, 2)) },
      groups: [
        { key: { counter: 'S.D01.Q01' }, name: 'Quầy "một"\nhai', sipas: 71.25, items: [] },
        [1, [2, [3, { deep: null }]]],
        undefined,
        () => 0,
        null,
        'text',
        0,
      ],
      sparse: Object.assign(new Array<number>(3).fill(1, 0, 1), { extra: true }),
    };
    for (const levels of [0, 1, 2, 3, 6]) {
      expect([...jsonPieces(document, levels)].join('')).toBe(JSON.stringify(document, null, 2));
    }
    for (const value of [null, 1, 'a', [], {}, [undefined], new Date(0)]) {
      expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(value, null, 2));
    }
  });
});

describe('chunked', () => {
  it('joins the pieces into chunks of at least the size, the same text in the same order', () => {
    const pieces = Array.from({ length: 1000 }, (_, n) => `${n},`.repeat(n % 7));
    const chunks = [...chunked(pieces, 100)];
    expect(chunks.join('')).toBe(pieces.join(''));
    expect(chunks.slice(0, -1).every((chunk) => chunk.length >= 100)).toBe(true);
    expect(chunks.length).toBeGreaterThan(10);
    expect([...chunked([], 100)]).toEqual([]);
    expect([...chunked(['', ''], 100)]).toEqual([]);
  });
});
