import { describe, expect, it } from 'vitest';
import { jsonPieces } from './output.ts';

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
