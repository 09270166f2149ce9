// The code and the name of a unit, counter or campaign (spec §3): one rule for the API's
// request schemas, the command line and the CSV imports.
import * as z from 'zod';
import { CODE_MAX, CODE_PATTERN, NAME_MAX } from '../../shared/rules.ts';
import {
  alsoOnLine,
  fieldErrorsFromZod,
  longerThan,
  required,
  says,
  text,
  type Text,
} from '../errors.ts';
import { at, type ImportProblems } from './csv.ts';
import { isCalendarDate } from './vietnam-time.ts';

const CODE = new RegExp(`^${CODE_PATTERN}$`);

export const codeSchema = z.string().regex(
  CODE,
  says((issue) =>
    issue.input === ''
      ? required
      : text(
          `mã gồm 1 đến ${CODE_MAX} chữ cái, chữ số, dấu chấm, gạch ngang hoặc gạch dưới`,
          `a code is 1 to ${CODE_MAX} letters, digits, dots, hyphens or underscores`,
        ),
  ),
);

/** A calendar day, YYYY-MM-DD: a campaign's first or last, a map's. */
export const daySchema = z
  .string()
  .refine(
    isCalendarDate,
    says((issue: { input?: unknown }) =>
      text(
        `${String(issue.input)} không phải ngày dạng YYYY-MM-DD`,
        `${String(issue.input)} is not a date YYYY-MM-DD`,
      ),
    ),
  )
  .meta({ format: 'date' });

const TYPE = /^[a-z][a-z0-9_-]{0,31}$/;

/** The type of a unit that no file gives one (units.csv without it, a new unit of a reorganisation). */
export const DEFAULT_TYPE = 'other';

/** Why a unit's type is unacceptable, or null: types are lower-case words (province, commune…). */
export const typeProblem = (type: string): Text | null =>
  TYPE.test(type)
    ? null
    : text(
        'một loại viết thường như province, department, commune',
        'a lower-case type such as province, department, commune',
      );

/**
 * Why a unit or counter of an ended unit cannot be corrected: a correction fixes today's map,
 * and a unit that has ended is on it no more (a change is a reorganisation, with its date).
 */
export const endedUnit = (code: string, validTo: string): Text =>
  text(
    `đơn vị ${code} đã kết thúc từ ngày ${validTo}, không còn trên bản đồ hiện hành để sửa`,
    `unit ${code} ended on ${validTo}: it is not on today's map, so it cannot be corrected`,
  );

/** A name as stored: trimmed, not blank. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, says(required))
  .max(NAME_MAX, says(longerThan(NAME_MAX)));

const firstProblem = (result: z.ZodSafeParseResult<string>): Text | null =>
  result.error ? (fieldErrorsFromZod(result.error)[0]?.message ?? null) : null;

/** Why a unit, counter or campaign code is unacceptable, or null. */
export const codeProblem = (code: string): Text | null => firstProblem(codeSchema.safeParse(code));

/** Why a name is unacceptable, or null. */
export const nameProblem = (name: string): Text | null => firstProblem(nameSchema.safeParse(name));

/** What an import of units.csv or counters.csv did. */
export const importCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
});
export type ImportCounts = z.output<typeof importCountsSchema>;

/** Checks a code column of an imported file, and that the code appears once in it. */
export function checkCodeCell(
  problems: ImportProblems,
  seen: Map<string, number>,
  line: number,
  column: string,
  code: string,
): void {
  const problem = codeProblem(code);
  const first = seen.get(code);
  if (problem) problems.add({ path: at(line, column), message: problem });
  else if (first !== undefined) {
    problems.add({ path: at(line, column), message: alsoOnLine(code, first) });
  } else seen.set(code, line);
}

/**
 * The cycle a unit's ancestry runs into, as a field's message ("a cycle: A → B → A"), or null
 * when it reaches a root.
 */
export function cycleProblem(
  start: string,
  parentOf: ReadonlyMap<string, string | null>,
): Text | null {
  const path: string[] = [];
  const onPath = new Set<string>();
  let code: string | null | undefined = start;
  while (code !== null && code !== undefined) {
    if (onPath.has(code)) {
      if (code !== start) return null;
      const loop = [...path, code].join(' → ');
      return text(`một vòng lặp: ${loop}`, `a cycle: ${loop}`);
    }
    path.push(code);
    onPath.add(code);
    code = parentOf.get(code);
  }
  return null;
}
