import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import {
  exportResponses,
  importResponses,
  listQuarantined,
  releaseQuarantined,
} from '../../services/responses.ts';
import { choiceOption, type CliContext, type Command, requireOption } from '../command.ts';
import { withInput } from './input.ts';

/** A long import or export counts its rows on stderr, and only when stderr is a terminal. */
function progressReporter(context: CliContext, verb: string) {
  return context.interactive
    ? (rows: number) => context.stderr.write(`\r${verb} ${rows} rows`)
    : undefined;
}

export const responsesImport: Command = {
  name: 'responses import',
  usage: '--campaign CODE RESPONSES.CSV|- [--dry-run] [--ignore-unknown]',
  options: {
    campaign: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'ignore-unknown': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const campaign = requireOption(invocation, 'campaign');
    const dryRun = invocation.values['dry-run'] === true;
    const progress = progressReporter(context, 'read');
    try {
      const { stored, duplicates } = await withInput(
        invocation.positionals[0] ?? '',
        async (input) =>
          importResponses(await context.db(), context.principal, campaign, input, {
            dryRun,
            ignoreUnknown: invocation.values['ignore-unknown'] === true,
            ...(progress ? { onProgress: progress } : {}),
          }),
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
  usage: '--campaign CODE [--format csv|xlsx] [--include-quarantined]',
  options: {
    campaign: { type: 'string' },
    format: { type: 'string' },
    'include-quarantined': { type: 'boolean' },
  },
  async run(context, invocation) {
    const campaign = requireOption(invocation, 'campaign');
    const format = choiceOption(invocation, 'format', ['csv', 'xlsx'] as const) ?? 'csv';
    const progress = progressReporter(context, 'wrote');
    const db = await context.db();
    // The export ends its output; stdout stays open for whatever the process writes after.
    const output = new PassThrough();
    // A reader that has seen enough (`| head`) closes the pipe: stop quietly.
    let readerGone = false;
    const stop = () => {
      readerGone = true;
      output.destroy();
    };
    context.stdout.on('error', stop);
    output.pipe(context.stdout, { end: false });
    try {
      await exportResponses(
        db,
        campaign,
        {
          format,
          includeQuarantined: invocation.values['include-quarantined'] === true,
          ...(progress ? { onProgress: progress } : {}),
        },
        output,
      );
      await finished(output);
    } catch (error) {
      if (!readerGone) throw error;
    } finally {
      if (progress) context.stderr.write('\n');
      context.stdout.off('error', stop);
    }
  },
};

export const quarantineList: Command = {
  name: 'quarantine list',
  existingOnly: true,
  usage: '--campaign CODE',
  options: { campaign: { type: 'string' } },
  async run(context, invocation) {
    const rows = await listQuarantined(await context.db(), requireOption(invocation, 'campaign'));
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
  usage: 'ID…',
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(context, invocation) {
    const { released } = await releaseQuarantined(
      await context.db(),
      context.principal,
      invocation.positionals,
    );
    context.stdout.write(`released ${released}\n`);
  },
};
