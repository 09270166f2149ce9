// The PAR composite (spec §6): a framework is data, components with maximum points; the ranking
// rules of PAR scores and the scorecard document (interchange.md §6), which par-tree.ts
// `scorecard` computes on any framework read as a tree. Pure functions only.
import * as z from 'zod';
import { PUBLISHED_DECIMALS, thousandths } from '../shared/notation.ts';
import { rankAmong } from '../shared/rules.ts';
import { customIssue, says, text } from '../shared/text.ts';
import type { NodeCard, ScorecardLevel } from './par-tree.ts';

export const parComponentSchema = z.object({
  code: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
      says(text('một mã như appraisal', 'a code such as appraisal')),
    ),
  name: z.string().trim().min(1),
  max: z.number().finite().positive(),
});

export const parFrameworkSchema = z
  .object({
    code: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{0,63}$/,
        says(text('một mã chữ thường như par-2020', 'a lower-case code such as par-2020')),
      ),
    name: z.string().trim().min(1),
    components: z.array(parComponentSchema).min(1),
  })
  .superRefine((framework, ctx) => {
    const seen = new Set<string>();
    framework.components.forEach((component, i) => {
      if (seen.has(component.code)) {
        ctx.addIssue(
          customIssue(
            ['components', i, 'code'],
            text(
              `mã thành phần ${component.code} bị trùng`,
              `duplicate component code ${component.code}`,
            ),
          ),
        );
      }
      seen.add(component.code);
    });
  });

export type ParComponent = z.infer<typeof parComponentSchema>;
export type ParFramework = z.infer<typeof parFrameworkSchema>;

/** The component that SIPAS feeds, and that `sipas par derive` fills from a campaign. */
export const SIPAS_COMPONENT = 'sipas';

/** The component the officials' survey scores (par-cycle.md §5), of source `survey`. */
export const OFFICIALS_COMPONENT = 'leaders';

/** The provincial PAR Index of 2020 (spec §6): 66.5 + 10 + 23.5 = 100 points. */
export const par2020Province: ParFramework = parFrameworkSchema.parse({
  code: 'par-2020-province',
  name: 'Chỉ số cải cách hành chính cấp tỉnh (2020)',
  components: [
    { code: 'appraisal', name: 'Điểm đánh giá, thẩm định', max: 66.5 },
    {
      code: 'sipas',
      name: 'Điểm khảo sát sự hài lòng của người dân, tổ chức (SIPAS)',
      max: 10,
    },
    { code: 'leaders', name: 'Điểm điều tra xã hội học (lãnh đạo, quản lý)', max: 23.5 },
  ],
});

export const builtinFrameworks: readonly ParFramework[] = [par2020Province];

/**
 * The source of a leaf's points self-scored by the unit and not yet appraised: a scorecard of
 * them is provisional (par-cycle.md §2, "self-scores until appraised, marked as such").
 */
export const SELF_ASSESSED = 'self-assessed';

/** A SIPAS index (percent) converted to a component's points: 92.9% of 10 is 9.29. */
export function sipasPoints(index: number, max: number): number {
  return (index * max) / 100;
}

// The published precision is the documents' too (shared/notation.ts writes points with it).
export { thousandths };

/**
 * Points as published (3 decimals), for files: 23.5 − 19.1 is written 4.4, not the
 * 4.399999999999999 a double makes of it.
 */
export const publishedPoints = (points: number) => thousandths(points) / 10 ** PUBLISHED_DECIMALS;

/**
 * A sum or difference of points without the binary noise of its arithmetic, which is far below
 * a billionth of a point: 23.5 − 19.1 is 4.4 (not 4.399999999999999), 88.4 − 88.7 is −0.3,
 * while 85.6204 stays 85.6204.
 */
export const exact = (value: number) => Math.round(value * 1e9) / 1e9;

/** The one ranking of totals and components alike (shared/rules.ts, `rankAmong`). */
export const rankWithTies = (scores: readonly number[]) => rankAmong(scores, PUBLISHED_DECIMALS);

/** True when `score` reaches `target` at the precision of published scores. */
export function reaches(score: number, target: number): boolean {
  return thousandths(score) >= thousandths(target);
}

/** The latest period before `period` (periods sort as text), or null. */
export function previousPeriod(periods: Iterable<string>, period: string): string | null {
  let latest: string | null = null;
  for (const p of periods) {
    if (p < period && (latest === null || p > latest)) latest = p;
  }
  return latest;
}

/** Unit code → component code → points; a unit appears only when it has points. */
export type PointsByUnit = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** A leaf as a component; points, available and rank null where it is not applicable. */
export interface ScorecardComponent {
  points: number | null;
  max: number;
  available: number | null;
  change: number | null;
  rank: number | null;
  rankChange: number | null;
}

export interface ScorecardRow {
  unit: string;
  /**
   * Present when the previous points are derived from predecessors (a merge, a split share, a
   * re-code): their codes, sorted. The row's rank changes are then null.
   */
  previousFrom?: string[];
  total: number;
  change: number | null;
  rank: number;
  rankChange: number | null;
  gapToTarget: number | null;
  components: Record<string, ScorecardComponent>;
  /** True when its points include a self-score not yet appraised (par-cycle.md §2). */
  provisional: boolean;
  /** With a level (par-tree.ts): the total's applicable maximum, percent of it, and band. */
  applicableMax?: number;
  percent?: number | null;
  band?: string | null;
  /** With a level: each node of it, by code. */
  nodes?: Record<string, NodeCard>;
}

export interface Scorecard {
  framework: string;
  period: string;
  previous: string | null;
  peers: string;
  top: number | null;
  target: number | null;
  /** The level asked for, when one was. */
  level?: ScorecardLevel;
  rows: ScorecardRow[];
}
