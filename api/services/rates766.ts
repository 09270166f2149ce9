// The 766 rates of a cases.csv (interchange.md §2). A file in, a report out: no database.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { tally766, type Rates766Row } from '../../analysis/rates766.ts';
import { at, ImportProblems, readRecords } from './csv.ts';

export const caseColumns = [
  'unit',
  'period',
  'kind',
  'on_time',
  'dissatisfied',
  'in_competence',
] as const;

const flag = z
  .string()
  .trim()
  .pipe(z.enum(['1', '0'], { message: 'must be 1 or 0' }))
  .transform((value) => value === '1');

const caseRowSchema = z
  .object({
    unit: z.string().trim().min(1, 'required'),
    period: z.string().trim().min(1, 'required'),
    kind: z
      .string()
      .trim()
      .pipe(z.enum(['file', 'feedback'], { message: 'must be file or feedback' })),
    on_time: flag,
    dissatisfied: flag,
    // Competence is a property of feedback; a file may leave it empty.
    in_competence: z
      .string()
      .trim()
      .pipe(z.enum(['1', '0', ''], { message: 'must be 1 or 0' })),
  })
  .superRefine((row, ctx) => {
    if (row.kind === 'feedback' && row.in_competence === '') {
      ctx.addIssue({ code: 'custom', path: ['in_competence'], message: 'required for feedback' });
    }
  })
  .transform((row) => ({
    unit: row.unit,
    period: row.period,
    kind: row.kind,
    onTime: row.on_time,
    dissatisfied: row.dissatisfied,
    inCompetence: row.in_competence === '1',
  }));

export interface Rates766Report {
  /** Says which metric family this is: never SIPAS. */
  family: '766';
  rows: Rates766Row[];
}

/** A file of a million bad rows should not print a million lines. */
const MAX_LISTED = 1000;

/** The rates per unit and period; a file with any bad row gives no rates, only its problems. */
export async function rates766FromCsv(input: Readable): Promise<Rates766Report> {
  const tally = tally766();
  const problems = new ImportProblems(MAX_LISTED);
  await readRecords(input, caseColumns, problems, ({ line, fields }, header) => {
    const row = Object.fromEntries(header.map((name, i) => [name, fields[i] ?? '']));
    const parsed = caseRowSchema.safeParse(row);
    if (parsed.success) tally.add(parsed.data);
    else {
      for (const issue of parsed.error.issues) {
        problems.add({ path: at(line, String(issue.path[0])), message: issue.message });
      }
    }
  });
  problems.throwIfAny('no rates were computed');
  return { family: '766', rows: tally.rows() };
}
