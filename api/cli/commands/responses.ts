import { text as readText } from 'node:stream/consumers';
import { stringify } from 'csv-stringify/sync';
import { correctableFormId, replaceForm, voidForm } from '../../services/corrections.ts';
import {
  exportResponses,
  importResponses,
  listQuarantined,
  releaseQuarantined,
} from '../../services/responses.ts';
import {
  delimiterOf,
  formatOfName,
  SHEET_FORMATS,
  tableAsCsv,
} from '../../services/spreadsheet.ts';
import {
  choiceOption,
  type CliContext,
  type Command,
  DELIMITER_USAGE,
  delimiterOption,
  delimiterOptions,
  requireOption,
  UsageError,
} from '../command.ts';
import { OUT_USAGE, outputFormat, outputOptions, withOutput } from '../output.ts';

/** A long import or export counts its rows on stderr, and only when stderr is a terminal. */
function progressReporter(context: CliContext, verb: string) {
  return context.interactive
    ? (rows: number) => context.stderr.write(`\r${verb} ${rows} rows`)
    : undefined;
}

export const responsesImport: Command = {
  name: 'responses import',
  usage:
    '--campaign CODE RESPONSES.CSV|RESPONSES.XLSX|- [--format csv|xlsx] [--dry-run] ' +
    `[--ignore-unknown] ${DELIMITER_USAGE}   (the format: --format, else the file name, else CSV)`,
  options: {
    campaign: { type: 'string' },
    format: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'ignore-unknown': { type: 'boolean' },
    ...delimiterOptions,
  },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const campaign = requireOption(invocation, 'campaign');
    const dryRun = invocation.values['dry-run'] === true;
    const file = invocation.positionals[0] ?? '';
    const format = choiceOption(invocation, 'format', SHEET_FORMATS) ?? formatOfName(file) ?? 'csv';
    const delimiter = delimiterOf(format, delimiterOption(invocation));
    const progress = progressReporter(context, 'read');
    try {
      const { stored, duplicates } = await context.files.read(file, async (input) =>
        importResponses(
          await context.db(),
          context.principal,
          campaign,
          await tableAsCsv(format, input),
          {
            dryRun,
            ignoreUnknown: invocation.values['ignore-unknown'] === true,
            delimiter,
            ...(progress ? { onProgress: progress } : {}),
          },
        ),
      );
      if (progress) context.stderr.write('\n');
      for (const id of duplicates) {
        context.stderr.write(`duplicate, already stored (skipped): ${id}\n`);
      }
      context.stdout.write(
        dryRun
          ? `dry run: would store ${stored}, duplicates ${duplicates.length}\n`
          : `stored ${stored}, duplicates ${duplicates.length}\n`,
      );
    } catch (error) {
      if (progress) context.stderr.write('\n');
      throw error;
    }
  },
};

export const responsesExport: Command = {
  name: 'responses export',
  existingOnly: true,
  usage: `--campaign CODE [--format csv|xlsx] ${OUT_USAGE} [--include-quarantined] [--include-voided]`,
  options: {
    campaign: { type: 'string' },
    ...outputOptions,
    'include-quarantined': { type: 'boolean' },
    'include-voided': { type: 'boolean' },
  },
  async run(context, invocation) {
    const campaign = requireOption(invocation, 'campaign');
    const format = outputFormat(invocation, SHEET_FORMATS, 'csv');
    const progress = progressReporter(context, 'wrote');
    const db = await context.readDb();
    try {
      await withOutput(context, invocation, format, (output) =>
        exportResponses(
          db,
          context.principal,
          campaign,
          {
            format,
            includeQuarantined: invocation.values['include-quarantined'] === true,
            includeVoided: invocation.values['include-voided'] === true,
            ...(progress ? { onProgress: progress } : {}),
          },
          output,
        ),
      );
    } finally {
      if (progress) context.stderr.write('\n');
    }
  },
};

export const quarantineList: Command = {
  name: 'quarantine list',
  existingOnly: true,
  usage: '--campaign CODE',
  options: { campaign: { type: 'string' } },
  async run(context, invocation) {
    const rows = await listQuarantined(
      await context.db(),
      context.principal,
      requireOption(invocation, 'campaign'),
    );
    context.stdout.write(
      stringify([
        ['id', 'response_id', 'counter', 'submitted_at', 'received_at', 'mode', 'reason'],
        ...rows.map((r) => [
          r.id,
          r.responseId,
          r.counter,
          r.submittedAt,
          r.receivedAt,
          r.mode,
          r.reason,
        ]),
      ]),
    );
  },
};

export const quarantineRelease: Command = {
  name: 'quarantine release',
  existingOnly: true,
  usage: 'ID… [--note TEXT]',
  options: { note: { type: 'string' } },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(context, invocation) {
    const note = invocation.values.note;
    const { released } = await releaseQuarantined(
      await context.db(),
      context.principal,
      invocation.positionals,
      typeof note === 'string' ? note : null,
    );
    context.stdout.write(`released ${released}\n`);
  },
};

export const responsesVoid: Command = {
  name: 'responses void',
  existingOnly: true,
  usage: '--campaign CODE FORM --reason TEXT   (FORM: the response_id of a keyed form)',
  options: { campaign: { type: 'string' }, reason: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const db = await context.db();
    const campaign = requireOption(invocation, 'campaign');
    const form = invocation.positionals[0] ?? '';
    const id = await correctableFormId(db, context.principal, campaign, form);
    const voided = await voidForm(db, context.principal, campaign, id, {
      reason: requireOption(invocation, 'reason'),
    });
    context.stdout.write(`form ${form}: response ${voided.id} voided\n`);
  },
};

export const responsesReplace: Command = {
  name: 'responses replace',
  existingOnly: true,
  usage:
    "--campaign CODE FORM ANSWERS.JSON|- --reason TEXT   (the corrected copy's answers, " +
    'item code → value, as POST …/replace takes them)',
  options: { campaign: { type: 'string' }, reason: { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run(context, invocation) {
    const campaign = requireOption(invocation, 'campaign');
    const reason = requireOption(invocation, 'reason');
    const [form = '', file = ''] = invocation.positionals;
    const answers = await context.files.read(file, async (input) => {
      const source = await readText(input);
      try {
        const parsed: unknown = JSON.parse(source);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          return Object.fromEntries(Object.entries(parsed));
        }
      } catch {
        // Said below, as for any other shape.
      }
      throw new UsageError(`${file} is not a JSON object of answers, e.g. {"TC1": 4, "TC2": 5}`);
    });
    const db = await context.db();
    const id = await correctableFormId(db, context.principal, campaign, form);
    const { original, replacement } = await replaceForm(db, context.principal, campaign, id, {
      reason,
      answers,
    });
    context.stdout.write(`form ${form}: response ${original.id} replaced by ${replacement.id}\n`);
  },
};
