import { describe, expect, it } from 'vitest';
import { illFormedText, jsonProblems, MAX_JSON_DEPTH } from './input.ts';

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

describe('what no input may hold', () => {
  it('finds a lone surrogate, high or low, and lets a pair through', () => {
    expect(illFormedText('Tốt 👍', 'x')).toBeUndefined();
    expect(illFormedText('x\ud800', 'a')?.path).toBe('a');
    expect(illFormedText('\udc00x', 'b')?.path).toBe('b');
    expect(illFormedText('\ud83d\ud83d', 'c')?.path).toBe('c');
  });

  it('names every ill-formed value and key by its path', () => {
    const problems = jsonProblems({ a: ['ok', 'x\ud800'], b: { ['k\udc00']: 'fine' } }, ['body']);
    expect(problems.map((p) => p.path)).toEqual(['body.a.1', 'body.b.k\ufffd']);
    expect(problems[0]?.message).toEqual({
      vi: 'không phải Unicode hợp lệ (nửa cặp UTF-16 đứng lẻ)',
      en: 'not well-formed Unicode',
    });
  });

  it(`allows ${MAX_JSON_DEPTH} levels of nesting and refuses one more, at the deepest path`, () => {
    expect(jsonProblems({ a: nested(MAX_JSON_DEPTH - 1) })).toEqual([]);
    const [problem, ...rest] = jsonProblems({ a: nested(MAX_JSON_DEPTH) });
    expect(rest).toEqual([]);
    expect(problem?.path).toBe(`a${'.0'.repeat(MAX_JSON_DEPTH - 1)}`);
    expect(problem?.message).toEqual({
      vi: 'lồng sâu quá 32 cấp',
      en: 'nested deeper than 32 levels',
    });
  });

  it('walks a value far deeper than the stack allows without overflowing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonProblems(deep)).toHaveLength(1);
  });

  it('lists at most 20 problems', () => {
    expect(jsonProblems(Array.from({ length: 1_000 }, () => '\ud800'))).toHaveLength(20);
  });
});
