// `sipas plan …` (par-cycle.md §6, docs/plans.md): a unit's remediation plan drafted from its
// results (printed, never stored) and a stored plan shown. "Today", for overdue tasks, is the
// day in Vietnam.
import { findPlanFor } from '../../services/plans.ts';
import { draftPlanFor } from '../../services/plan-facts.ts';
import { frameworkTree, readTargets } from '../../services/frameworks.ts';
import { vietnamDate } from '../../services/vietnam-time.ts';
import { requireOption, UsageError, type Command } from '../command.ts';
import { OUT_USAGE, outputFormat, outputOptions, withOutput, writeText } from '../output.ts';

const PLAN_FORMATS = ['json'] as const;

const target = {
  framework: { type: 'string' },
  period: { type: 'string' },
  unit: { type: 'string' },
} as const;

export const planDraft: Command = {
  name: 'plan draft',
  existingOnly: true,
  usage:
    '--framework CODE --period PERIOD --unit UNIT [--peers GROUP|UNIT] ' +
    `[--top K | --targets TARGETS.CSV] [--campaign CODE] [--format json] ${OUT_USAGE}`,
  options: {
    ...target,
    peers: { type: 'string' },
    top: { type: 'string' },
    targets: { type: 'string' },
    campaign: { type: 'string' },
    ...outputOptions,
  },
  async run(context, invocation) {
    const format = outputFormat(invocation, PLAN_FORMATS, 'json');
    const { top, targets: targetsFile, peers, campaign } = invocation.values;
    if (top !== undefined && (typeof top !== 'string' || !/^[1-9]\d*$/.test(top))) {
      throw new UsageError('--top must be a whole number from 1');
    }
    if (top !== undefined && targetsFile !== undefined) {
      throw new UsageError('--top or --targets, not both: a targets file gives the total a row');
    }
    const framework = requireOption(invocation, 'framework');
    const db = await context.db();
    // `node,top` rows, as `sipas par scorecard --targets` reads them; `total` for the total.
    const targets =
      typeof targetsFile === 'string'
        ? await context.files.read(targetsFile, async (input) =>
            readTargets(await frameworkTree(db, framework), input),
          )
        : undefined;
    const draft = await draftPlanFor(db, context.principal, {
      framework,
      period: requireOption(invocation, 'period'),
      unit: requireOption(invocation, 'unit'),
      ...(typeof peers === 'string' ? { peers } : {}),
      ...(typeof campaign === 'string' ? { campaign } : {}),
      ...(typeof top === 'string' ? { top: Number(top) } : {}),
      ...(targets ? { targets: Object.fromEntries(targets) } : {}),
    });
    await withOutput(context, invocation, format, writeText(`${JSON.stringify(draft, null, 2)}\n`));
  },
};

export const planShow: Command = {
  name: 'plan show',
  existingOnly: true,
  usage: `--framework CODE --period PERIOD --unit UNIT [--format json] ${OUT_USAGE}`,
  options: { ...target, ...outputOptions },
  async run(context, invocation) {
    const format = outputFormat(invocation, PLAN_FORMATS, 'json');
    const plan = await findPlanFor(
      await context.db(),
      context.principal,
      {
        framework: requireOption(invocation, 'framework'),
        period: requireOption(invocation, 'period'),
        unit: requireOption(invocation, 'unit'),
      },
      vietnamDate(new Date()),
    );
    await withOutput(context, invocation, format, writeText(`${JSON.stringify(plan, null, 2)}\n`));
  },
};
