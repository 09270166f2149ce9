import { stringify } from 'csv-stringify/sync';
import type { Rates766Row } from '../../../analysis/rates766.ts';
import { rates766FromCsv } from '../../services/rates766.ts';
import { neutralise } from '../../services/spreadsheet.ts';
import { choiceOption, type Command } from '../command.ts';
import { fixed, renderTable } from '../table.ts';

const csvColumns: [keyof Rates766Row, string][] = [
  ['unit', 'unit'],
  ['period', 'period'],
  ['files', 'files'],
  ['filesDissatisfiedOrLate', 'files_dissatisfied_or_late'],
  ['fileSatisfaction', 'file_satisfaction'],
  ['feedback', 'feedback'],
  ['feedbackDissatisfiedOrLate', 'feedback_dissatisfied_or_late'],
  ['feedbackSatisfaction', 'feedback_satisfaction'],
  ['feedbackInCompetence', 'feedback_in_competence'],
  ['feedbackInCompetenceOnTime', 'feedback_in_competence_on_time'],
  ['feedbackOnTime', 'feedback_on_time'],
];

export const rates766: Command = {
  name: 'rates766',
  usage: 'CASES.CSV|- [--format json|csv|table]',
  options: { format: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['json', 'csv', 'table'] as const) ?? 'json';
    const [file = ''] = invocation.positionals;
    const report = await context.files.read(file, rates766FromCsv);
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (format === 'csv') {
      context.stdout.write(
        stringify(
          // Units and periods come from the input file: a spreadsheet must not run them.
          report.rows.map((row) => csvColumns.map(([key]) => neutralise(row[key]))),
          { header: true, columns: csvColumns.map(([, header]) => header) },
        ),
      );
    } else {
      context.stdout.write(
        renderTable(
          [
            'unit',
            'period',
            'files',
            'satisfied %',
            'feedback',
            'satisfied %',
            'in competence',
            'on time %',
          ],
          report.rows.map((row) => [
            row.unit,
            row.period,
            String(row.files),
            fixed(row.fileSatisfaction),
            String(row.feedback),
            fixed(row.feedbackSatisfaction),
            String(row.feedbackInCompetence),
            fixed(row.feedbackOnTime),
          ]),
          2,
        ),
      );
    }
  },
};
