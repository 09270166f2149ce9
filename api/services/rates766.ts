// The 766 rates of a cases.csv (interchange.md §2). A file in, a report out: no database.
import type { Readable } from 'node:stream';
import * as z from 'zod';
import { tally766, type Rates766Row } from '../../analysis/rates766.ts';
import { issueText, required, says, text } from '../errors.ts';
import { at, ImportProblems, readRecords } from './csv.ts';

export const caseColumns = [
  'unit',
  'period',
  'kind',
  'on_time',
  'dissatisfied',
  'in_competence',
] as const;

const oneOrZero = text('phải là 1 hoặc 0', 'must be 1 or 0');

const flag = z
  .string()
  .trim()
  .pipe(z.enum(['1', '0'], says(oneOrZero)))
  .transform((value) => value === '1');

const caseRowSchema = z
  .object({
    unit: z.string().trim().min(1, says(required)),
    period: z.string().trim().min(1, says(required)),
    kind: z
      .string()
      .trim()
      .pipe(
        z.enum(
          ['file', 'feedback'],
          says(text('phải là file hoặc feedback', 'must be file or feedback')),
        ),
      ),
    on_time: flag,
    dissatisfied: flag,
    // Competence is a property of feedback; a file may leave it empty.
    in_competence: z
      .string()
      .trim()
      .pipe(z.enum(['1', '0', ''], says(oneOrZero))),
  })
  .superRefine((row, ctx) => {
    if (row.kind === 'feedback' && row.in_competence === '') {
      const message = text('bắt buộc với feedback', 'required for feedback');
      ctx.addIssue({
        code: 'custom',
        path: ['in_competence'],
        message: message.en,
        params: { text: message },
      });
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
        problems.add({ path: at(line, String(issue.path[0])), message: issueText(issue) });
      }
    }
  });
  problems.throwIfAny(text('không tính tỷ lệ nào', 'no rates were computed'));
  return { family: '766', rows: tally.rows() };
}
