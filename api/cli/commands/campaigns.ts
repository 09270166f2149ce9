import type { ScoringRulesInput } from '../../../analysis/rules.ts';
import { createCampaign, importTransactions } from '../../services/campaigns/index.ts';
import {
  choiceOption,
  DELIMITER_USAGE,
  delimiterOption,
  delimiterOptions,
  type Command,
  type Invocation,
  requireOption,
  UsageError,
} from '../command.ts';

/** The scoring rules named on the command line; the service validates the rest. */
function rulesOf(invocation: Invocation): ScoringRulesInput {
  const rules: ScoringRulesInput = {};
  const design = choiceOption(invocation, 'design', ['srs', 'stratified'] as const);
  if (design) rules.design = design;
  const score = choiceOption(invocation, 'score', ['share', 'mean'] as const);
  if (score) rules.score = score;
  const blanks = choiceOption(invocation, 'blanks', ['exclude', 'unsatisfied'] as const);
  if (blanks) rules.blanks = blanks;
  const factor = choiceOption(invocation, 'factor', [
    'meanOfItems',
    'pooled',
    'overallItem',
  ] as const);
  if (factor) rules.factor = factor;
  const sipas = choiceOption(invocation, 'sipas', [
    'meanOfFactors',
    'pooled',
    'overallItem',
  ] as const);
  if (sipas) rules.sipas = sipas;
  const above = choiceOption(invocation, 'above', ['pooled', 'meanOfChildren'] as const);
  if (above) rules.above = above;
  const satisfied = invocation.values.satisfied;
  if (typeof satisfied === 'string') {
    const values = satisfied.split(',').map((v) => v.trim());
    if (!values.every((v) => /^[1-5]$/.test(v))) {
      throw new UsageError('--satisfied lists answers from 1 to 5, e.g. 4,5');
    }
    rules.satisfied = values.map(Number);
  }
  return rules;
}

export const campaignCreate: Command = {
  name: 'campaign create',
  usage:
    'CODE --instrument CODE --from YYYY-MM-DD --to YYYY-MM-DD [--name NAME] ' +
    '[--counters all|CODE,CODE] [--design srs|stratified] [--score share|mean] ' +
    '[--satisfied 4,5] [--blanks exclude|unsatisfied] [--factor meanOfItems|pooled|overallItem] ' +
    '[--sipas meanOfFactors|pooled|overallItem] [--above pooled|meanOfChildren]',
  options: {
    instrument: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    name: { type: 'string' },
    counters: { type: 'string' },
    design: { type: 'string' },
    score: { type: 'string' },
    satisfied: { type: 'string' },
    blanks: { type: 'string' },
    factor: { type: 'string' },
    sipas: { type: 'string' },
    above: { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const [code = ''] = invocation.positionals;
    const counters = invocation.values.counters ?? 'all';
    if (typeof counters !== 'string') throw new UsageError('--counters takes all or CODE,CODE');
    const name = invocation.values.name;
    const campaign = await createCampaign(await context.db(), context.principal, {
      code,
      ...(typeof name === 'string' ? { name } : {}),
      instrument: requireOption(invocation, 'instrument'),
      from: requireOption(invocation, 'from'),
      to: requireOption(invocation, 'to'),
      counters:
        counters === 'all'
          ? 'all'
          : counters
              .split(',')
              .map((c) => c.trim())
              .filter((c) => c !== ''),
      rules: rulesOf(invocation),
    });
    context.stdout.write(
      `campaign ${campaign.code}: ${campaign.instrument.code}, ${campaign.startsOn} to ${campaign.endsOn}\n`,
    );
  },
};

export const transactionsImport: Command = {
  name: 'transactions import',
  usage: `--campaign CODE TRANSACTIONS.CSV|- ${DELIMITER_USAGE}`,
  options: { campaign: { type: 'string' }, ...delimiterOptions },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const campaign = requireOption(invocation, 'campaign');
    const delimiter = delimiterOption(invocation);
    const { updated } = await context.files.read(invocation.positionals[0] ?? '', async (input) =>
      importTransactions(await context.db(), context.principal, campaign, input, delimiter),
    );
    context.stdout.write(`transactions: ${updated} counters\n`);
  },
};
