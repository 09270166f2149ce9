// `sipas plan …` (par-cycle.md §6, docs/plans.md): a unit's remediation plan drafted from its
// results (printed, never stored), a stored plan shown or exported as its documents, and its
// task table imported. "Today", for overdue tasks, is the day in Vietnam.
import { buffer } from 'node:stream/consumers';
import { frameworkTree, readTargets } from '../../services/frameworks.ts';
import { draftPlanFor } from '../../services/plan-facts.ts';
import {
  documentOf,
  findPlanFor,
  importTaskTable,
  progressDocumentOf,
} from '../../services/plans.ts';
import { vietnamDate } from '../../services/vietnam-time.ts';
import { requireOption, UsageError, type Command, type Invocation } from '../command.ts';
import { OUT_USAGE, outputFormat, outputOptions, withOutput, writeText } from '../output.ts';

const target = {
  framework: { type: 'string' },
  period: { type: 'string' },
  unit: { type: 'string' },
} as const;

const targetOf = (invocation: Invocation) => ({
  framework: requireOption(invocation, 'framework'),
  period: requireOption(invocation, 'period'),
  unit: requireOption(invocation, 'unit'),
});

const json = (document: unknown) => writeText(`${JSON.stringify(document, null, 2)}\n`);

const today = () => vietnamDate(new Date());

export const planDraft: Command = {
  name: 'plan draft',
  existingOnly: true,
  usage:
    '--framework CODE --period PERIOD --unit UNIT [--peers GROUP|UNIT] ' +
    `[--top K | --targets TARGETS.CSV] [--campaign CODE] [--format json|docx|xlsx] ${OUT_USAGE}`,
  options: {
    ...target,
    peers: { type: 'string' },
    top: { type: 'string' },
    targets: { type: 'string' },
    campaign: { type: 'string' },
    ...outputOptions,
  },
  async run(context, invocation) {
    const format = outputFormat(invocation, ['json', 'docx', 'xlsx'] as const, 'json');
    const { top, targets: targetsFile, peers, campaign } = invocation.values;
    if (top !== undefined && (typeof top !== 'string' || !/^[1-9]\d*$/.test(top))) {
      throw new UsageError('--top must be a whole number from 1');
    }
    if (top !== undefined && targetsFile !== undefined) {
      throw new UsageError('--top or --targets, not both: a targets file gives the total a row');
    }
    const asked = targetOf(invocation);
    const db = await context.readDb();
    // `node,top` rows, as `sipas par scorecard --targets` reads them; `total` for the total.
    const targets =
      typeof targetsFile === 'string'
        ? await context.files.read(targetsFile, async (input) =>
            readTargets(await frameworkTree(db, asked.framework), input),
          )
        : undefined;
    const draft = await draftPlanFor(db, context.principal, {
      ...asked,
      ...(typeof peers === 'string' ? { peers } : {}),
      ...(typeof campaign === 'string' ? { campaign } : {}),
      ...(typeof top === 'string' ? { top: Number(top) } : {}),
      ...(targets ? { targets: Object.fromEntries(targets) } : {}),
    });
    if (format === 'json') return withOutput(context, invocation, format, json(draft));
    const file = await documentOf(db, draft, format === 'docx' ? 'plan' : 'tasks');
    await withOutput(context, invocation, format, writeText(file.content));
  },
};

export const planShow: Command = {
  name: 'plan show',
  existingOnly: true,
  usage: `--framework CODE --period PERIOD --unit UNIT [--format json|docx|xlsx|progress] ${OUT_USAGE}`,
  options: { ...target, ...outputOptions },
  async run(context, invocation) {
    const format = outputFormat(invocation, ['json', 'docx', 'xlsx', 'progress'] as const, 'json');
    const db = await context.readDb();
    const plan = await findPlanFor(db, context.principal, targetOf(invocation), today());
    if (format === 'json') return withOutput(context, invocation, format, json(plan));
    const file =
      format === 'progress'
        ? await progressDocumentOf(db, plan)
        : await documentOf(db, plan, format === 'docx' ? 'plan' : 'tasks');
    // The progress report is a DOCX document like the plan.
    const written = format === 'progress' ? 'docx' : format;
    await withOutput(context, invocation, written, writeText(file.content));
  },
};

export const planTasksImport: Command = {
  name: 'plan tasks import',
  usage:
    '--framework CODE --period PERIOD --unit UNIT TASKS.XLSX   ' +
    '(the task table of `plan show --format xlsx`, edited: a row with an id updates that task)',
  options: target,
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const db = await context.db();
    const before = await findPlanFor(db, context.principal, targetOf(invocation), today());
    const after = await context.files.read(invocation.positionals[0] ?? '', (input) =>
      importTaskTable(db, context.principal, before.id, () => buffer(input), today()),
    );
    context.stdout.write(
      `imported: ${after.tasks.length} tasks on the plan, ` +
        `${after.tasks.length - before.tasks.length} added\n`,
    );
  },
};
