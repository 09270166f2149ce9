import type { ScoringRulesInput } from '../../../analysis/rules.ts';
import {
  addCampaignCounters,
  createCampaign,
  importTransactions,
  removeCampaignCounter,
  setTransactions,
  updateCampaign,
  type CampaignView,
} from '../../services/campaigns/index.ts';
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

/**
 * `COUNTER=N` pairs, as given (repeated --target, or positionals); `COUNTER=` is null where
 * `clear` allows it. The service checks the counters and the numbers.
 */
function counterValues(pairs: string[], what: string, clear: true): Record<string, number | null>;
function counterValues(pairs: string[], what: string, clear: false): Record<string, number>;
function counterValues(pairs: string[], what: string, clear: boolean) {
  const values: Record<string, number | null> = {};
  for (const pair of pairs) {
    const match = /^([^=]+)=(.*)$/.exec(pair);
    const [counter = '', given = ''] = match ? match.slice(1) : [];
    if (!match || (given.trim() === '' && !clear) || !/^\s*\d*\s*$/.test(given)) {
      throw new UsageError(
        `${what} takes COUNTER=N, a whole number${clear ? ' (COUNTER= clears it)' : ''}: ${pair}`,
      );
    }
    values[counter] = given.trim() === '' ? null : Number(given);
  }
  return values;
}

/** The values of an option given any number of times. */
function repeated(invocation: Invocation, name: string): string[] {
  const value = invocation.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** What an edit leaves: the period and each counter with its target and transactions. */
function printCampaign(context: { stdout: NodeJS.WritableStream }, campaign: CampaignView) {
  const dash = (value: number | null) => (value === null ? '-' : String(value));
  context.stdout.write(
    `campaign ${campaign.code}: ${campaign.startsOn} to ${campaign.endsOn}, ` +
      `${campaign.counters.length} counters\n` +
      campaign.counters
        .map((c) => `  ${c.code}: target ${dash(c.target)}, transactions ${dash(c.transactions)}\n`)
        .join(''),
  );
}

export const campaignEdit: Command = {
  name: 'campaign edit',
  existingOnly: true,
  usage: 'CODE [--name NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--target COUNTER=N]…',
  options: {
    name: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    target: { type: 'string', multiple: true },
  },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const [code = ''] = invocation.positionals;
    const { name, from, to } = invocation.values;
    const targets = repeated(invocation, 'target');
    if (name === undefined && from === undefined && to === undefined && targets.length === 0) {
      throw new UsageError('give what changes: --name, --from, --to or --target');
    }
    const campaign = await updateCampaign(await context.db(), context.principal, code, {
      ...(typeof name === 'string' ? { name } : {}),
      ...(typeof from === 'string' ? { from } : {}),
      ...(typeof to === 'string' ? { to } : {}),
      ...(targets.length > 0 ? { targets: counterValues(targets, '--target', true) } : {}),
    });
    printCampaign(context, campaign);
  },
};

export const campaignCountersAdd: Command = {
  name: 'campaign counters add',
  existingOnly: true,
  usage: 'CAMPAIGN COUNTER… [--target COUNTER=N]…',
  options: { target: { type: 'string', multiple: true } },
  positionals: { min: 2, max: Number.POSITIVE_INFINITY },
  async run(context, invocation) {
    const [code = '', ...counters] = invocation.positionals;
    const targets = repeated(invocation, 'target');
    const campaign = await addCampaignCounters(await context.db(), context.principal, code, {
      counters,
      ...(targets.length > 0 ? { targets: counterValues(targets, '--target', false) } : {}),
    });
    printCampaign(context, campaign);
  },
};

export const campaignCountersRemove: Command = {
  name: 'campaign counters remove',
  existingOnly: true,
  usage: 'CAMPAIGN COUNTER   (only a counter without responses)',
  positionals: { min: 2, max: 2 },
  async run(context, invocation) {
    const [code = '', counter = ''] = invocation.positionals;
    printCampaign(
      context,
      await removeCampaignCounter(await context.db(), context.principal, code, counter),
    );
  },
};

export const transactionsSet: Command = {
  name: 'transactions set',
  existingOnly: true,
  usage: '--campaign CODE COUNTER=N…   (counters left out keep their counts)',
  options: { campaign: { type: 'string' } },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(context, invocation) {
    const campaign = await setTransactions(
      await context.db(),
      context.principal,
      requireOption(invocation, 'campaign'),
      counterValues(invocation.positionals, 'transactions set', false),
    );
    printCampaign(context, campaign);
  },
};
