import {
  comparisonCsv,
  comparisonTable,
  scoresCsv,
  scoresTable,
} from '../../../analysis/scores-format.ts';
import { byValues, viewValues } from '../../../analysis/scores-document.ts';
import { campaignScores, compareCampaigns } from '../../services/scores.ts';
import {
  choiceOption,
  type Command,
  type Invocation,
  requireOption,
  UsageError,
} from '../command.ts';
import {
  outputFormat,
  outputOptions,
  REPORT_FORMATS,
  REPORT_USAGE,
  writeReport,
} from '../output.ts';

function by(invocation: Invocation) {
  const value = choiceOption(invocation, 'by', byValues);
  if (!value) throw new UsageError('--by is required');
  return value;
}

export const scores: Command = {
  name: 'scores',
  existingOnly: true,
  usage: `--campaign CODE --by all|unit|counter [--design srs|stratified] [--on DATE] [--peers GROUP] [--view full|league] ${REPORT_USAGE}`,
  options: {
    campaign: { type: 'string' },
    by: { type: 'string' },
    design: { type: 'string' },
    on: { type: 'string' },
    peers: { type: 'string' },
    view: { type: 'string' },
    ...outputOptions,
  },
  async run(context, invocation) {
    const campaign = requireOption(invocation, 'campaign');
    const design = choiceOption(invocation, 'design', ['srs', 'stratified'] as const);
    const view = choiceOption(invocation, 'view', viewValues);
    const { on, peers } = invocation.values;
    const request = {
      campaign,
      by: by(invocation),
      ...(design === undefined ? {} : { design }),
      ...(typeof on === 'string' ? { on } : {}),
      ...(typeof peers === 'string' ? { peers } : {}),
      ...(view === undefined ? {} : { view }),
    };
    const format = outputFormat(invocation, REPORT_FORMATS, 'json');
    const document = await campaignScores(await context.readDb(), context.principal, request);
    await writeReport(context, invocation, format, {
      document,
      csv: scoresCsv,
      table: scoresTable,
      sheetName: campaign,
    });
  },
};

export const compare: Command = {
  name: 'compare',
  existingOnly: true,
  usage: `--campaign CODE --with OTHER --by all|unit|counter ${REPORT_USAGE}`,
  options: {
    campaign: { type: 'string' },
    with: { type: 'string' },
    by: { type: 'string' },
    ...outputOptions,
  },
  async run(context, invocation) {
    const request = {
      campaign: requireOption(invocation, 'campaign'),
      with: requireOption(invocation, 'with'),
      by: by(invocation),
    };
    const format = outputFormat(invocation, REPORT_FORMATS, 'json');
    const document = await compareCampaigns(
      await context.readDb(),
      context.principal,
      request,
      context.reports,
    );
    await writeReport(context, invocation, format, {
      document,
      csv: comparisonCsv,
      table: comparisonTable,
      sheetName: `${request.campaign} ${request.with}`,
    });
  },
};
