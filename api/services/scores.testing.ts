// Test support: R's figures for the example campaign (fixtures/examples/expected.json) and a
// comparison that lists every difference from them.
import { z } from 'zod';
import { groupScoresSchema } from '../../analysis/scores-document.ts';
import { exampleFile } from './examples.testing.ts';

export const expectedScores = z
  .object({ srs: z.array(groupScoresSchema), stratified: z.array(groupScoresSchema) })
  .parse(JSON.parse(exampleFile('expected.json')));

const EXACT = new Set(['respondents', 'valid', 'satisfied']);

/**
 * Every difference between scores and R's: the same keys everywhere; counts, modes and flags
 * exactly; every other number within 1e-9.
 */
export function differences(actual: unknown, wanted: unknown, path = '', key = ''): string[] {
  if (typeof wanted === 'number') {
    const exact = EXACT.has(key) || path.includes('.modes.');
    const ok =
      typeof actual === 'number' && (exact ? actual === wanted : Math.abs(actual - wanted) <= 1e-9);
    return ok ? [] : [`${path}: ${String(actual)}, expected ${wanted}`];
  }
  if (wanted === null || typeof wanted !== 'object') {
    return actual === wanted ? [] : [`${path}: ${String(actual)}, expected ${String(wanted)}`];
  }
  if (actual === null || typeof actual !== 'object') return [`${path}: missing`];
  const fields = new Map(Object.entries(actual));
  const got = [...fields.keys()].sort().join();
  const want = Object.keys(wanted).sort().join();
  const problems = got === want ? [] : [`${path}: keys ${got}, expected ${want}`];
  for (const [k, value] of Object.entries(wanted)) {
    problems.push(...differences(fields.get(k), value, `${path}.${k}`, k));
  }
  return problems;
}
