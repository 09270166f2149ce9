// Scores of a campaign (spec §5, interchange.md §5) and the change between two campaigns.
// The responses that the campaign's last fold did not see are folded into its tallies first
// (./tallies.ts); then every query of one document reads one repeatable-read snapshot of the
// tallies, a few rows per counter however many responses there are.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  compareScores,
  comparisonDocumentSchema,
  type ComparisonDocument,
} from '../../analysis/compare.ts';
import { sumsFromProducts } from '../../analysis/linearization.ts';
import { campaignCounters, campaignTallies, unitTree } from '../../analysis/queries/index.ts';
import { designSchema, scoringRulesSchema } from '../../analysis/rules.ts';
import {
  answerPositions,
  scoreGroups,
  stratifiedProblems,
  type CounterFacts,
} from '../../analysis/scoring.ts';
import {
  byValues,
  scoresDocumentSchema,
  type ScoresDocument,
} from '../../analysis/scores-document.ts';
import type { Database } from '../../db/database.ts';
import { invalid, parseInput } from '../errors.ts';
import { assertCampaignInScope, type Principal } from './access.ts';
import { campaignByCode } from './campaigns/index.ts';
import { campaignAtoms, foldCampaignTallies } from './tallies.ts';

export const scoresRequestSchema = z.object({
  campaign: z.string().min(1),
  by: z.enum(byValues),
  /** Overrides the campaign's design for this request. */
  design: designSchema.optional(),
});

export const compareRequestSchema = z.object({
  campaign: z.string().min(1),
  with: z.string().min(1),
  by: z.enum(byValues),
});

export type ScoresRequest = z.input<typeof scoresRequestSchema>;
export type CompareRequest = z.input<typeof compareRequestSchema>;

/** The scores of a campaign the principal reaches. */
export async function campaignScores(
  db: Kysely<Database>,
  principal: Principal,
  input: ScoresRequest,
): Promise<ScoresDocument> {
  const request = parseInput(scoresRequestSchema, input, 'The scores request is not valid.');
  await assertCampaignInScope(db, principal, request.campaign);
  const campaign = await campaignByCode(db, request.campaign);
  await foldCampaignTallies(db, campaign);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const { instrument } = campaign;
      const rules = scoringRulesSchema.parse({
        ...campaign.rules,
        design: request.design ?? campaign.rules.design,
      });

      const items = answerPositions(instrument).length;
      const atoms = campaignAtoms(campaign);
      const counters = await campaignCounters(trx, campaign.id);
      const tallies = new Map(
        (await campaignTallies(trx, campaign.id, items, atoms.length)).map((t) => [t.counterId, t]),
      );
      const units = await unitTree(trx, [...new Set(counters.map((c) => c.unitId))]);

      const counterFacts = counters.map((counter): CounterFacts => {
        const tally = tallies.get(counter.id);
        return {
          ...counter,
          modes: tally?.modes ?? {},
          answers: tally?.answers ?? [],
        };
      });

      if (rules.design === 'stratified') {
        const problems = stratifiedProblems(counterFacts);
        if (problems.length > 0) {
          throw invalid(
            `A stratified design needs, at every counter with respondents, a transaction count ` +
              `no smaller than its respondents: ${problems.map((p) => p.counter).join(', ')}.`,
            problems.map((p) => ({ path: `counters.${p.counter}`, message: p.message })),
          );
        }
      }

      const groups = scoreGroups(
        { instrument, rules, by: request.by, counters: counterFacts, units },
        (slot) => {
          const tally = tallies.get(slot.counterId);
          return tally
            ? sumsFromProducts(atoms, tally.products, slot.terms)
            : { sumY: 0, sumY2: 0 };
        },
      );
      return scoresDocumentSchema.parse({
        campaign: campaign.code,
        instrument: instrument.code,
        rules,
        groups,
        names: {
          campaign: campaign.name,
          units: Object.fromEntries(units.map((u) => [u.code, u.name])),
          counters: Object.fromEntries(counters.map((c) => [c.code, c.name])),
        },
      });
    });
}

/** Each campaign is scored under its own rules and design. */
export async function compareCampaigns(
  db: Kysely<Database>,
  principal: Principal,
  input: CompareRequest,
): Promise<ComparisonDocument> {
  const request = parseInput(compareRequestSchema, input, 'The scores request is not valid.');
  await assertCampaignInScope(db, principal, request.campaign);
  await assertCampaignInScope(db, principal, request.with);
  const current = await campaignScores(db, principal, {
    campaign: request.campaign,
    by: request.by,
  });
  const previous = await campaignScores(db, principal, { campaign: request.with, by: request.by });
  return comparisonDocumentSchema.parse(compareScores(current, previous, request.by));
}
