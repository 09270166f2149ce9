import {
  comparisonCsv,
  comparisonTable,
  scoresCsv,
  scoresTable,
} from '../../../analysis/scores-format.ts';
import { byValues } from '../../../analysis/scores-document.ts';
import { campaignScores, compareCampaigns } from '../../services/scores.ts';
import {
  choiceOption,
  type Command,
  type Invocation,
  requireOption,
  UsageError,
} from '../command.ts';

const formats = ['json', 'csv', 'table'] as const;

function by(invocation: Invocation) {
  const value = choiceOption(invocation, 'by', byValues);
  if (!value) throw new UsageError('--by is required');
  return value;
}

export const scores: Command = {
  name: 'scores',
  existingOnly: true,
  usage:
    '--campaign CODE --by all|unit|counter [--design srs|stratified] [--format json|csv|table]',
  options: {
    campaign: { type: 'string' },
    by: { type: 'string' },
    design: { type: 'string' },
    format: { type: 'string' },
  },
  async run(context, invocation) {
    const campaign = requireOption(invocation, 'campaign');
    const request = { campaign, by: by(invocation) };
    const design = choiceOption(invocation, 'design', ['srs', 'stratified'] as const);
    const format = choiceOption(invocation, 'format', formats) ?? 'json';
    const document = await campaignScores(
      await context.db(),
      context.principal,
      design === undefined ? request : { ...request, design },
    );
    if (format === 'csv') context.stdout.write(scoresCsv(document));
    else if (format === 'table') context.stdout.write(scoresTable(document));
    else context.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  },
};

export const compare: Command = {
  name: 'compare',
  existingOnly: true,
  usage: '--campaign CODE --with OTHER --by all|unit|counter [--format json|csv|table]',
  options: {
    campaign: { type: 'string' },
    with: { type: 'string' },
    by: { type: 'string' },
    format: { type: 'string' },
  },
  async run(context, invocation) {
    const request = {
      campaign: requireOption(invocation, 'campaign'),
      with: requireOption(invocation, 'with'),
      by: by(invocation),
    };
    const format = choiceOption(invocation, 'format', formats) ?? 'json';
    const document = await compareCampaigns(await context.db(), context.principal, request);
    if (format === 'csv') context.stdout.write(comparisonCsv(document));
    else if (format === 'table') context.stdout.write(comparisonTable(document));
    else context.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  },
};
