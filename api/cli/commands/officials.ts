// `sipas officials …` (par-cycle.md §5, docs/officials.md "Running a survey"): the instruments,
// a survey created, its group file loaded (issuing the links), the links exported for
// mail-merge, a link reissued, and the response rate. Links use SIPAS_PUBLIC_URL, as the
// server's do.
import { loadPublicUrl } from '../../config.ts';
import {
  officialInstrumentSummaries,
  saveOfficialInstrument,
} from '../../services/official-instruments.ts';
import {
  createOfficialSurvey,
  importOfficialGroups,
  invitationRows,
  officialInvitations,
  officialProgress,
  reissueInvitation,
} from '../../services/official-surveys/index.ts';
import {
  delimiterOf,
  formatOfName,
  SHEET_FORMATS,
  tableAsCsv,
  writeTable,
} from '../../services/spreadsheet.ts';
import {
  choiceOption,
  type Command,
  DELIMITER_USAGE,
  delimiterOption,
  delimiterOptions,
  readJsonFile,
  requireOption,
  UsageError,
} from '../command.ts';
import { OUT_USAGE, outputFormat, outputOptions, withOutput } from '../output.ts';
import { renderTable } from '../table.ts';

const percent = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(1)}%`);

export const officialsInstruments: Command = {
  name: 'officials instruments',
  existingOnly: true,
  usage: '[--format table|json]',
  options: { format: { type: 'string' } },
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['table', 'json'] as const) ?? 'table';
    const instruments = await officialInstrumentSummaries(await context.db());
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(instruments, null, 2)}\n`);
      return;
    }
    context.stdout.write(
      renderTable(
        ['instrument', 'name'],
        instruments.map((i) => [i.code, i.name.vi]),
      ),
    );
  },
};

export const officialsInstrumentsAdd: Command = {
  name: 'officials instruments add',
  usage: "FILE.json   # an officials' instrument as data (analysis/official-instrument.ts)",
  positionals: { min: 1, max: 1 },
  async run(context, { positionals: [file] }) {
    if (file === undefined) throw new UsageError('FILE is required');
    const definition = await readJsonFile(context.files, file);
    const { code, outcome } = await saveOfficialInstrument(
      await context.db(),
      context.principal,
      definition,
    );
    context.stdout.write(`${code}: ${outcome}\n`);
  },
};

export const officialsCreate: Command = {
  name: 'officials create',
  usage:
    'CODE --name NAME --instrument CODE --framework CODE --period P ' +
    '--opens YYYY-MM-DD --closes YYYY-MM-DD [--min-group N]',
  options: {
    name: { type: 'string' },
    instrument: { type: 'string' },
    framework: { type: 'string' },
    period: { type: 'string' },
    opens: { type: 'string' },
    closes: { type: 'string' },
    'min-group': { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const minGroup = invocation.values['min-group'];
    if (minGroup !== undefined && (typeof minGroup !== 'string' || !/^[1-9]\d*$/.test(minGroup))) {
      throw new UsageError('--min-group must be a whole number from 1');
    }
    const survey = await createOfficialSurvey(await context.db(), context.principal, {
      code: invocation.positionals[0] ?? '',
      name: requireOption(invocation, 'name'),
      instrument: requireOption(invocation, 'instrument'),
      framework: requireOption(invocation, 'framework'),
      period: requireOption(invocation, 'period'),
      opensOn: requireOption(invocation, 'opens'),
      closesOn: requireOption(invocation, 'closes'),
      ...(typeof minGroup === 'string' ? { minGroup: Number(minGroup) } : {}),
    });
    context.stdout.write(
      `created ${survey.code}: ${survey.framework} ${survey.period}, ` +
        `${survey.opensOn} to ${survey.closesOn}\n`,
    );
  },
};

export const officialsGroups: Command = {
  name: 'officials groups',
  usage:
    `CODE GROUPS.CSV|GROUPS.XLSX|- [--format csv|xlsx] ${DELIMITER_USAGE}   ` +
    '(columns unit, group, count)',
  options: { format: { type: 'string' }, ...delimiterOptions },
  positionals: { min: 2, max: 2 },
  async run(context, invocation) {
    const [code = '', file = ''] = invocation.positionals;
    const format = choiceOption(invocation, 'format', SHEET_FORMATS) ?? formatOfName(file) ?? 'csv';
    const delimiter = delimiterOf(format, delimiterOption(invocation));
    const { groups, issued } = await context.files.read(file, async (input) =>
      importOfficialGroups(
        await context.db(),
        context.principal,
        code,
        await tableAsCsv(format, input),
        delimiter,
      ),
    );
    context.stdout.write(`${groups} groups, ${issued} links issued\n`);
  },
};

export const officialsLinks: Command = {
  name: 'officials links',
  existingOnly: true,
  usage: `CODE [--format csv|xlsx] [--unit UNIT] ${OUT_USAGE}`,
  options: { ...outputOptions, unit: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const format = outputFormat(invocation, SHEET_FORMATS, 'csv');
    const unit = invocation.values.unit;
    const links = await officialInvitations(
      await context.db(),
      context.principal,
      invocation.positionals[0] ?? '',
      loadPublicUrl(),
      typeof unit === 'string' ? unit : undefined,
    );
    await withOutput(context, invocation, format, (output) =>
      writeTable(format, invitationRows(links), output, 'links'),
    );
  },
};

export const officialsReissue: Command = {
  name: 'officials reissue',
  existingOnly: true,
  usage: 'CODE NUMBER --reason TEXT',
  options: { reason: { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run(context, invocation) {
    const [code = '', number = ''] = invocation.positionals;
    if (!/^[1-9]\d{0,9}$/.test(number)) throw new UsageError('NUMBER is a link number');
    const reissued = await reissueInvitation(
      await context.db(),
      context.principal,
      code,
      Number(number),
      { reason: requireOption(invocation, 'reason') },
      loadPublicUrl(),
    );
    context.stdout.write(`${reissued.number}\t${reissued.link}\n`);
    context.stderr.write(`link ${number} revoked; link ${reissued.number} issued in its place\n`);
  },
};

export const officialsProgress: Command = {
  name: 'officials progress',
  existingOnly: true,
  usage: 'CODE [--format table|json]',
  options: { format: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['table', 'json'] as const) ?? 'table';
    const progress = await officialProgress(
      await context.db(),
      context.principal,
      invocation.positionals[0] ?? '',
    );
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(progress, null, 2)}\n`);
      return;
    }
    const rows = progress.units.flatMap((unit) => [
      [unit.unit, '', String(unit.invited), String(unit.answered), percent(unit.rate), ''],
      ...unit.groups.map((g) => [
        '',
        g.group,
        String(g.invited),
        String(g.answered),
        percent(g.rate),
        String(g.revoked),
      ]),
    ]);
    context.stdout.write(
      renderTable(
        ['unit', 'group', 'invited', 'answered', 'rate', 'revoked'],
        [
          ...rows,
          [
            'total',
            '',
            String(progress.invited),
            String(progress.answered),
            percent(progress.rate),
            '',
          ],
        ],
      ),
    );
  },
};
