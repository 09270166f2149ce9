// Scores of a campaign (spec §5, interchange.md §5) and the change between two campaigns.
// Reads only: every query of one document runs in one repeatable-read snapshot, so that the
// passes of the scoring engine see the same responses.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  compareScores,
  comparisonDocumentSchema,
  type ComparisonDocument,
} from '../../analysis/compare.ts';
import {
  answerCounts,
  campaignCounters,
  counterModes,
  linearizedSums,
  unitTree,
} from '../../analysis/queries/index.ts';
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
import { invalid } from '../errors.ts';
import { campaignByCode } from './campaigns.ts';

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

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(
    'The scores request is not valid.',
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

export async function campaignScores(
  db: Kysely<Database>,
  input: ScoresRequest,
): Promise<ScoresDocument> {
  const request = parsed(scoresRequestSchema, input);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const campaign = await campaignByCode(trx, request.campaign);
      const { instrument } = campaign;
      const rules = scoringRulesSchema.parse({
        ...campaign.rules,
        design: request.design ?? campaign.rules.design,
      });

      const positions = answerPositions(instrument);
      const counters = await campaignCounters(trx, campaign.id);
      const modes = await counterModes(trx, campaign.id);
      const answers = await answerCounts(trx, campaign.id, positions);
      const units = await unitTree(trx, [...new Set(counters.map((c) => c.unitId))]);

      const facts = new Map(
        counters.map((counter): [number, CounterFacts & { answers: number[][] }] => [
          counter.id,
          {
            ...counter,
            modes: {},
            answers: positions.map(() => [0, 0, 0, 0, 0, 0]),
          },
        ]),
      );
      for (const m of modes) {
        const counter = facts.get(m.counterId);
        if (counter) counter.modes = { ...counter.modes, [m.mode]: m.respondents };
      }
      for (const a of answers) {
        const row = facts.get(a.counterId)?.answers[a.item];
        if (row && a.answer >= 1 && a.answer <= 5) row[a.answer] = a.responses;
      }
      const counterFacts = [...facts.values()];

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

      const groups = await scoreGroups(
        { instrument, rules, by: request.by, counters: counterFacts, units },
        (slots) => linearizedSums(trx, campaign.id, slots),
      );
      return scoresDocumentSchema.parse({
        campaign: campaign.code,
        instrument: instrument.code,
        rules,
        groups,
      });
    });
}

/** Each campaign is scored under its own rules and design. */
export async function compareCampaigns(
  db: Kysely<Database>,
  input: CompareRequest,
): Promise<ComparisonDocument> {
  const request = parsed(compareRequestSchema, input);
  const current = await campaignScores(db, { campaign: request.campaign, by: request.by });
  const previous = await campaignScores(db, { campaign: request.with, by: request.by });
  return comparisonDocumentSchema.parse(compareScores(current, previous, request.by));
}
