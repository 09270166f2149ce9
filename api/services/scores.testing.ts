// Test support: R's figures for the example campaign (fixtures/examples/expected.json), a
// comparison that lists every difference from them, and scores computed straight from the
// stored responses (the reference the tallies are held to).
import type { Kysely } from 'kysely';
import * as z from 'zod';
import { campaignCounters, unitTree } from '../../analysis/queries/index.ts';
import { scoringRulesSchema, type Design } from '../../analysis/rules.ts';
import { groupScoresSchema, type By } from '../../analysis/scores-document.ts';
import { scoreGroups } from '../../analysis/scoring.ts';
import { sumLinearizedInMemory, tallies } from '../../analysis/scoring.testing.ts';
import type { Database } from '../../db/database.ts';
import * as responsesRepo from '../../db/repositories/responses.ts';
import { campaignByCode } from './campaigns/index.ts';
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

/** A campaign's counters with their units, and those units with their ancestors. */
export interface CampaignMap {
  counters: { id: number; code: string; unitId: number | null; transactions: number | null }[];
  units: { id: number; code: string; parentId: number | null }[];
}

/**
 * The campaign's scores computed from its valid responses, without tallies: under the
 * campaign's own design, or the one given, on the map of its last day or the one given.
 */
export async function rawScores(
  db: Kysely<Database>,
  code: string,
  by: By,
  design?: Design,
  map?: CampaignMap,
) {
  const campaign = await campaignByCode(db, code);
  const responses = (await responsesRepo.listValidAnswers(db, campaign.id)).map((r) => ({
    counterId: r.counter_id,
    mode: r.mode,
    answers: r.answers,
  }));
  const { counters, units } = map ?? (await mapOf(db, campaign.id, campaign.endsOn));
  return scoreGroups(
    {
      instrument: campaign.instrument,
      rules: scoringRulesSchema.parse(
        design === undefined ? campaign.rules : { ...campaign.rules, design },
      ),
      by,
      counters: tallies(campaign.instrument, counters, responses),
      units,
    },
    sumLinearizedInMemory(campaign.instrument, responses),
  );
}

async function mapOf(db: Kysely<Database>, campaignId: number, on: string): Promise<CampaignMap> {
  const counters = await campaignCounters(db, campaignId, null, on);
  const unitIds = counters.flatMap((c) => (c.unitId === null ? [] : [c.unitId]));
  return { counters, units: await unitTree(db, [...new Set(unitIds)], on) };
}
