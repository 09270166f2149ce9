import { componentCodes, nodeCodes, scorecardCsv } from '../../../analysis/par-format.ts';
import { SCORECARD_LEVELS } from '../../../analysis/par-tree.ts';
import { frameworkTree, readTargets } from '../../services/frameworks.ts';
import { deriveSipasPoints, importPoints } from '../../services/par.ts';
import { scorecardAsPublished, type PublishedScorecard } from '../../services/publications.ts';
import { type Command, requireOption, UsageError } from '../command.ts';
import {
  outputFormat,
  outputOptions,
  REPORT_FORMATS,
  REPORT_USAGE,
  writeReport,
} from '../output.ts';
import { fixed, renderTable, signed } from '../table.ts';
import { publishedLine } from './publications.ts';

export const parImport: Command = {
  name: 'par import',
  usage: '--framework CODE --period PERIOD POINTS.CSV|-',
  options: { framework: { type: 'string' }, period: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const framework = requireOption(invocation, 'framework');
    const period = requireOption(invocation, 'period');
    const [file = ''] = invocation.positionals;
    const db = await context.db();
    const { stored } = await context.files.read(file, (input) =>
      importPoints(db, context.principal, { framework, period }, input),
    );
    context.stdout.write(`stored ${stored}\n`);
  },
};

export const parDerive: Command = {
  name: 'par derive',
  usage: '--framework CODE --period PERIOD --campaign CODE',
  options: {
    framework: { type: 'string' },
    period: { type: 'string' },
    campaign: { type: 'string' },
  },
  async run(context, invocation) {
    const { stored, withoutIndex } = await deriveSipasPoints(
      await context.db(),
      context.principal,
      {
        framework: requireOption(invocation, 'framework'),
        period: requireOption(invocation, 'period'),
        campaign: requireOption(invocation, 'campaign'),
      },
    );
    for (const unit of withoutIndex) {
      context.stderr.write(`${unit}: no SIPAS index in the campaign, no points stored\n`);
    }
    context.stdout.write(`stored ${stored}\n`);
  },
};

export const parScorecardCommand: Command = {
  name: 'par scorecard',
  existingOnly: true,
  usage:
    '--framework CODE --period PERIOD --peers GROUP|UNIT [--top K] ' +
    `[--level total|field|criterion|all] [--targets TARGETS.CSV] [--live] ${REPORT_USAGE}`,
  options: {
    framework: { type: 'string' },
    period: { type: 'string' },
    peers: { type: 'string' },
    top: { type: 'string' },
    level: { type: 'string' },
    targets: { type: 'string' },
    live: { type: 'boolean' },
    ...outputOptions,
  },
  async run(context, invocation) {
    const format = outputFormat(invocation, REPORT_FORMATS, 'json');
    const top = invocation.values.top;
    if (top !== undefined && (typeof top !== 'string' || !/^[1-9]\d*$/.test(top))) {
      throw new UsageError('--top must be a whole number from 1');
    }
    const level = SCORECARD_LEVELS.find((l) => l === invocation.values.level);
    if (invocation.values.level !== undefined && level === undefined) {
      throw new UsageError(`--level must be one of ${SCORECARD_LEVELS.join(', ')}`);
    }
    const framework = requireOption(invocation, 'framework');
    const db = await context.readDb();
    const targetsFile = invocation.values.targets;
    // `node,top` rows: the total's is --top's, the others each node's (par-cycle.md §3).
    const targets =
      typeof targetsFile === 'string'
        ? await context.files.read(targetsFile, async (input) =>
            readTargets(await frameworkTree(db, framework), input),
          )
        : undefined;
    const card = await scorecardAsPublished(
      db,
      context.principal,
      {
        framework,
        period: requireOption(invocation, 'period'),
        peers: requireOption(invocation, 'peers'),
        top: top === undefined ? null : Number(top),
        level,
        live: invocation.values.live === true,
      },
      targets,
    );
    // A CSV or a workbook has no place for it that a reader of the rows would not trip on.
    if (card.published && (format === 'csv' || format === 'xlsx')) {
      context.stderr.write(`${publishedLine(card.published)}\n`);
    }
    await writeReport(context, invocation, format, {
      document: card,
      csv: scorecardCsv,
      table: scorecardTable,
      sheetName: `${card.framework} ${card.period}`,
    });
  },
};

/**
 * A screen's width of figures: the components (a deep tree's every leaf) without a level; with
 * one, the band and the level's nodes instead, as the question asked is then about them.
 */
function scorecardTable(card: PublishedScorecard): string {
  const codes = componentCodes(card);
  const nodes = nodeCodes(card);
  const heading =
    `${card.framework} ${card.period}, peers ${card.peers}` +
    `, previous ${card.previous ?? '–'}` +
    (card.top === null ? '' : `, top ${card.top}: ${fixed(card.target)}`) +
    (card.published ? `\n${publishedLine(card.published)}` : '');
  return `${heading}\n${renderTable(
    [
      'unit',
      'total',
      'change',
      'rank',
      'rank change',
      'gap',
      ...(card.level === undefined
        ? codes.flatMap((code) => [code, 'rank'])
        : ['band', ...nodes.flatMap((code) => [`${code} %`, 'rank'])]),
    ],
    card.rows.map((row) => [
      row.unit,
      fixed(row.total),
      signed(row.change),
      String(row.rank),
      signed(row.rankChange, 0),
      fixed(row.gapToTarget),
      ...(card.level === undefined
        ? Object.values(row.components).flatMap((c) => [fixed(c.points), String(c.rank ?? '–')])
        : [
            row.band ?? '–',
            ...Object.values(row.nodes ?? {}).flatMap((c) => [
              fixed(c.percent),
              String(c.rank ?? '–'),
            ]),
          ]),
    ]),
  )}${card.rows
    .flatMap((row) =>
      row.previousFrom
        ? [`\n${row.unit}: previous points from ${row.previousFrom.join(', ')}`]
        : [],
    )
    .join('')}`;
}
