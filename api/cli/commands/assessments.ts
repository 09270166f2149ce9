import {
  assessmentOverview,
  IMPORT_STAGES,
  importScores,
  openRound,
  type AssessmentOverview,
} from '../../services/assessments.ts';
import { STAGES } from '../../../shared/assessment.ts';
import { choiceOption, requireOption, UsageError, type Command } from '../command.ts';
import { renderTable } from '../table.ts';

export const assessmentOpen: Command = {
  name: 'assessment open',
  usage:
    '--framework CODE --period PERIOD --peers GROUP|UNIT --deadline YYYY-MM-DD [--stages parent,top]',
  options: {
    framework: { type: 'string' },
    period: { type: 'string' },
    peers: { type: 'string' },
    deadline: { type: 'string' },
    stages: { type: 'string' },
  },
  async run(context, invocation) {
    const given = invocation.values.stages;
    const stages =
      typeof given === 'string'
        ? given.split(',').map((name) => {
            const stage = STAGES.find((s) => s === name.trim());
            if (!stage) throw new UsageError(`--stages takes ${STAGES.join(', ')}, in order`);
            return stage;
          })
        : undefined;
    const round = await openRound(await context.db(), context.principal, {
      framework: requireOption(invocation, 'framework'),
      period: requireOption(invocation, 'period'),
      peers: requireOption(invocation, 'peers'),
      deadline: requireOption(invocation, 'deadline'),
      ...(stages === undefined ? {} : { stages }),
    });
    context.stdout.write(
      `opened ${round.framework} ${round.period} for ${round.units.length} units of ` +
        `${round.peers}, deadline ${round.deadline}, stages ${round.stages.join(', ')}\n`,
    );
  },
};

export const assessmentImport: Command = {
  name: 'assessment import',
  usage:
    '--framework CODE --period PERIOD SCORES.CSV|- [--stage self|appraisal]   ' +
    '(columns unit, node, score, and optionally explanation, evidence, not_applicable)',
  options: {
    framework: { type: 'string' },
    period: { type: 'string' },
    stage: { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const framework = requireOption(invocation, 'framework');
    const period = requireOption(invocation, 'period');
    const stage = choiceOption(invocation, 'stage', IMPORT_STAGES) ?? 'self';
    const db = await context.db();
    const { units, leaves, states } = await context.files.read(
      invocation.positionals[0] ?? '',
      (input) => importScores(db, context.principal, { framework, period, stage }, input),
    );
    const summary = Object.entries(states)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ');
    context.stdout.write(`stored ${leaves} leaves of ${units} units: ${summary}\n`);
  },
};

export const assessmentStatus: Command = {
  name: 'assessment status',
  existingOnly: true,
  usage: '--framework CODE --period PERIOD [--format json|table]',
  options: {
    framework: { type: 'string' },
    period: { type: 'string' },
    format: { type: 'string' },
  },
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['json', 'table'] as const) ?? 'table';
    const overview = await assessmentOverview(await context.db(), context.principal, {
      framework: requireOption(invocation, 'framework'),
      period: requireOption(invocation, 'period'),
    });
    context.stdout.write(
      format === 'json' ? `${JSON.stringify(overview, null, 2)}\n` : overviewTable(overview),
    );
  },
};

function overviewTable(overview: AssessmentOverview): string {
  const heading =
    `${overview.framework} ${overview.period}, peers ${overview.peers}, deadline ` +
    `${overview.deadline}, stages ${overview.stages.join(', ')}`;
  return `${heading}\n${renderTable(
    ['unit', 'name', 'state', 'stage', 'scored', 'returned', 'submitted', 'late'],
    overview.units.map((unit) => [
      unit.unit,
      unit.name,
      unit.state,
      unit.stageName ?? '',
      `${unit.scored}/${unit.leaves}`,
      String(unit.returnedLeaves),
      unit.submittedAt ?? '',
      unit.late ? 'late' : '',
    ]),
    3,
  )}`;
}
