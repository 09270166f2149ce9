// The officials' survey's documents (par-cycle.md §5, docs/officials.md): a survey as the API
// serves it, the response rate by unit and group, and the scored results. One schema each, so
// that the service parses what it returns and the console parses what it receives.
import * as z from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const share = z.number().min(0).max(1).nullable();

export const officialSurveySchema = z.object({
  code: z.string(),
  name: z.string(),
  instrument: z.string(),
  framework: z.string(),
  period: z.string(),
  opensOn: day,
  /** Answers are taken through this day, Vietnam's time. */
  closesOn: day,
  /** Group-level results of fewer respondents are suppressed. */
  minGroup: z.number().int().positive(),
  createdAt: z.string(),
  createdBy: z.string(),
});

/** Counts only: who has not answered is never named, by link or by person. */
const rateCounts = {
  /** Respondents invited (the groups' counts). */
  invited: z.number().int().nonnegative(),
  /** Answers stored. */
  answered: z.number().int().nonnegative(),
  /** answered / invited; null when nobody was invited. */
  rate: share,
};

export const officialProgressSchema = z.object({
  survey: z.string(),
  ...rateCounts,
  units: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      ...rateCounts,
      groups: z.array(
        z.object({
          group: z.string(),
          ...rateCounts,
          /** Links revoked (each reissued or not). */
          revoked: z.number().int().nonnegative(),
        }),
      ),
    }),
  ),
});

/** One `survey` leaf of the framework as a unit's (or a group's) respondents scored it. */
export const officialLeafResultSchema = z.object({
  leaf: z.string(),
  name: z.string(),
  max: z.number().positive(),
  /** Respondents whose answers score the leaf. */
  respondents: z.number().int().nonnegative(),
  /** The mean over respondents of their option shares, in percent; null without respondents. */
  meanShare: z.number().nullable(),
  /** meanShare × max / 100. */
  points: z.number().nullable(),
  /** Simple random sampling of respondents, finite population correction from the invited. */
  se: z.number().nullable(),
  /** 95%: points ± z × SE, clipped to [0, max]. */
  interval: z.tuple([z.number(), z.number()]).nullable(),
});

export const officialGroupResultSchema = z.object({
  group: z.string(),
  ...rateCounts,
  /**
   * `small`: fewer respondents than the survey's minimum; `complementary`: withheld because
   * the unit's results less its other shown groups would give a small group's away. Null: shown.
   */
  suppressed: z.enum(['small', 'complementary']).nullable(),
  /** Null when suppressed. */
  leaves: z.array(officialLeafResultSchema).nullable(),
});

export const officialResultsSchema = z.object({
  survey: z.string(),
  name: z.string(),
  framework: z.string(),
  period: z.string(),
  minGroup: z.number().int().positive(),
  units: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      ...rateCounts,
      leaves: z.array(officialLeafResultSchema),
      groups: z.array(officialGroupResultSchema),
    }),
  ),
});

export type OfficialSurvey = z.output<typeof officialSurveySchema>;
export type OfficialProgress = z.output<typeof officialProgressSchema>;
export type OfficialLeafResult = z.output<typeof officialLeafResultSchema>;
export type OfficialGroupResult = z.output<typeof officialGroupResultSchema>;
export type OfficialResults = z.output<typeof officialResultsSchema>;
