import { z } from '@hono/zod-openapi';
import { comparisonDocumentSchema } from '../../../analysis/compare.ts';
import {
  byValues,
  leagueDocumentSchema,
  scoresDocumentSchema,
  viewValues,
} from '../../../analysis/scores-document.ts';
import { CODE_MAX } from '../../../shared/rules.ts';

// Made before @hono/zod-openapi may have extended zod: named through zod's own metadata.
export const scoresDocument = scoresDocumentSchema.meta({ id: 'Scores' });
export const leagueDocument = leagueDocumentSchema.meta({ id: 'LeagueScores' });
export const comparisonDocument = comparisonDocumentSchema.meta({ id: 'Comparison' });

const by = z.enum(byValues).default('all').openapi({
  description: '`all`: one group; `unit`: each unit with respondents in its subtree; `counter`',
});

export const scoresQuery = z.strictObject({
  by,
  format: z
    .enum(['json', 'csv', 'xlsx'])
    .default('json')
    .openapi({ description: 'The document, or its CSV form (interchange §5) as CSV or XLSX' }),
  design: z
    .enum(['srs', 'stratified'])
    .optional()
    .openapi({ description: "Overrides the campaign's design for this request" }),
  counters: z
    .string()
    .min(1)
    .max(10_000)
    .transform((list) => list.split(',').map((code) => code.trim()))
    .optional()
    .openapi({
      description:
        'Comma-separated counter codes: scores only these counters of the campaign (within ' +
        "the account's reach); the document's `scope` names them",
    }),
  on: z
    .string()
    .optional()
    .openapi({
      format: 'date',
      description:
        "The day of the map units roll up on (YYYY-MM-DD): each counter's unit and each unit's " +
        "parent on that day; default the campaign's last day",
    }),
  peers: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({
      description:
        "With `by=unit`, a league table: only the units of this peer group of the campaign's " +
        "period (the year of its last day); the document's `peers` names it. An unknown group is 404",
    }),
  view: z
    .enum(viewValues)
    .default('full')
    .openapi({
      description:
        '`full`: every index of each group; `league`: each group without its `items`, ' +
        '`factors` and `blocks`, the same figures otherwise, for a league table (by counter ' +
        'a fourteenth of the size); CSV and XLSX then have only the SIPAS rows',
    }),
});

export const compareQuery = z.strictObject({
  with: z.string().min(1).max(CODE_MAX).openapi({ description: 'The campaign to compare with' }),
  by,
  format: z.enum(['json', 'csv']).default('json'),
});
