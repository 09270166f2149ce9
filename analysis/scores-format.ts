// The CSV and readable-table forms of the scores and comparison documents. CSV figures are
// unrounded (interchange.md §5); tables show 2 decimals. Both say what they are (spec §7): the
// group's name, respondents, modes, response rate and flags, and the rules that made them.
import { stringify } from 'csv-stringify/sync';
import type { Change, ComparisonDocument, ComparisonGroup } from './compare.ts';
import type { ScoringRules } from './rules.ts';
import {
  groupLabel,
  groupName,
  type GroupScores,
  type IndexScore,
  type ItemScore,
  type LeagueDocument,
  type LeagueGroup,
  type ScoresDocument,
} from './scores-document.ts';

type Cell = string | number | boolean | null | undefined;

const csv = (header: string[], rows: Cell[][]) =>
  stringify([header, ...rows.map((row) => row.map((cell) => (cell == null ? '' : String(cell))))]);

interface Row<T> {
  level: 'item' | 'factor' | 'block' | 'sipas';
  code: string;
  score: T;
}

/** A group's indices, item level first (a group of the league view has SIPAS alone). */
function levels<T>(group: {
  items?: Record<string, T>;
  factors?: Record<string, T>;
  blocks?: Record<string, T>;
  sipas: T;
}): Row<T>[] {
  const named = (level: Row<T>['level'], scores: Record<string, T>) =>
    Object.entries(scores).map(([code, score]): Row<T> => ({ level, code, score }));
  return [
    ...named('item', group.items ?? {}),
    ...named('factor', group.factors ?? {}),
    ...named('block', group.blocks ?? {}),
    { level: 'sipas', code: 'SIPAS', score: group.sipas },
  ];
}

/** Item rows carry their counts and flags; the other levels have none. */
const scoreRows = (group: GroupScores | LeagueGroup) =>
  levels<IndexScore & Partial<Pick<ItemScore, 'valid' | 'satisfied' | 'flags'>>>(group);

/** A group's respondents by mode, `qr 120; paper 40`. */
const modesCell = (modes: Readonly<Record<string, number>>) =>
  Object.entries(modes)
    .map(([mode, n]) => `${mode} ${n}`)
    .join('; ');

/** What a document covering part of the campaign covers: `unit:CODE`, else its counters. */
export function scopeLabel(scope: ScoresDocument['scope'] | null): string | undefined {
  if (scope === undefined || scope === null) return undefined;
  return scope.unit === null ? `counters:${scope.counters.join(' ')}` : `unit:${scope.unit}`;
}

/**
 * One row per group and index. The columns after `ci_high`, added later (interchange.md §5),
 * repeat on every row of a group what the group is: a row read alone still says it. A document
 * that covers part of the campaign (its `scope`) has a last column `scope` saying which, so
 * that no row of it passes for the campaign's.
 */
export function scoresCsv(document: ScoresDocument | LeagueDocument): string {
  const rules = rulesLine(document.rules);
  const scope = scopeLabel(document.scope);
  return csv(
    [
      ...['group', 'level', 'code', 'valid', 'satisfied', 'index', 'se', 'ci_low', 'ci_high'],
      ...['name', 'respondents', 'modes', 'transactions', 'response_rate', 'group_flags'],
      ...['flags', 'rules'],
      ...(scope === undefined ? [] : ['scope']),
    ],
    document.groups.flatMap((group) =>
      scoreRows(group).map(({ level, code, score }) => [
        groupLabel(group.key),
        level,
        code,
        score.valid,
        score.satisfied,
        score.index,
        score.se,
        score.ci?.[0],
        score.ci?.[1],
        groupName(group.key, document.names),
        group.respondents,
        modesCell(group.modes),
        group.transactions,
        group.responseRate,
        group.flags.join('; '),
        score.flags?.join('; '),
        rules,
        ...(scope === undefined ? [] : [scope]),
      ]),
    ),
  );
}

/**
 * One row per group and index. A comparison of documents covering part of their campaign has
 * two more columns, `campaign_scope` and `with_scope`, each as scoresCsv's `scope` (empty for
 * a whole campaign); then, last, the group's `coverage` (empty when it has no later
 * respondent) and `reorganised` (true or false).
 */
const isReorganised = (group: ComparisonGroup) =>
  [...group.flags.campaign, ...group.flags.with].includes('reorganised');

export function comparisonCsv(document: ComparisonDocument): string {
  const { scope } = document;
  const scopes =
    scope === undefined ? [] : [scopeLabel(scope.campaign) ?? '', scopeLabel(scope.with) ?? ''];
  return csv(
    [
      ...['group', 'level', 'code', 'campaign', 'with', 'change', 'se', 'ci_low', 'ci_high'],
      'significant',
      ...(scope === undefined ? [] : ['campaign_scope', 'with_scope']),
      'coverage',
      'reorganised',
    ],
    document.groups.flatMap((group) =>
      levels<Change>(group).map(({ level, code, score: c }) => [
        groupLabel(group.key),
        level,
        code,
        c.campaign,
        c.with,
        c.change,
        c.se,
        c.ci?.[0],
        c.ci?.[1],
        c.significant,
        ...scopes,
        group.coverage,
        isReorganised(group),
      ]),
    ),
  );
}

const fixed = (value: number | null | undefined) => (value == null ? '–' : value.toFixed(2));

/** Columns padded to their widest cell: level, code and the last column (words) to the left. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const left = (i: number) => i < 2 || i === header.length - 1;
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (left(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const LEVEL_ORDER = { sipas: 0, block: 1, factor: 2, item: 3 } as const;

/** Tables read top-down: SIPAS first, then blocks, factors and items, each in instrument order. */
const topDown = <T>(rows: Row<T>[]) =>
  rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => LEVEL_ORDER[a.row.level] - LEVEL_ORDER[b.row.level] || a.i - b.i)
    .map(({ row }) => row);

export function rulesLine(rules: ScoringRules): string {
  const score = rules.score === 'share' ? `share of ${rules.satisfied.join(', ')}` : 'mean';
  return (
    `score ${score}; blanks ${rules.blanks}; factor ${rules.factor}; sipas ${rules.sipas}; ` +
    `above ${rules.above}; design ${rules.design}; ${rules.confidence * 100}% intervals`
  );
}

export function scoresTable(document: ScoresDocument | LeagueDocument): string {
  const parts = [
    `Campaign ${document.campaign} (${document.instrument}): ${document.names.campaign}`,
    `Rules: ${rulesLine(document.rules)}`,
  ];
  for (const group of document.groups) {
    const modes = Object.entries(group.modes)
      .map(([mode, n]) => `${mode} ${n}`)
      .join(', ');
    const volume =
      group.transactions === null
        ? 'transactions unknown'
        : `${group.transactions} transactions, response rate ${fixed(group.responseRate)}%`;
    const flags = group.flags.length > 0 ? `; flags: ${group.flags.join(', ')}` : '';
    const name = groupName(group.key, document.names);
    parts.push(
      '',
      `${groupLabel(group.key)}${'unit' in group.key || 'counter' in group.key ? ` ${name}` : ''}` +
        `: ${group.respondents} respondents` +
        `${modes ? ` (${modes})` : ''}; ${volume}${flags}`,
      table(
        ['level', 'code', 'valid', 'satisfied', 'index', 'se', 'ci low', 'ci high', 'flags'],
        topDown(scoreRows(group)).map(({ level, code, score }) => [
          level,
          code,
          score.valid === undefined ? '' : String(score.valid),
          score.satisfied === undefined ? '' : String(score.satisfied),
          fixed(score.index),
          fixed(score.se),
          fixed(score.ci?.[0]),
          fixed(score.ci?.[1]),
          (score.flags ?? []).join(', '),
        ]),
      ),
    );
  }
  return `${parts.join('\n')}\n`;
}

export function comparisonTable(document: ComparisonDocument): string {
  const parts = [
    `Campaign ${document.campaign} (${document.instruments.campaign}) compared with ` +
      `${document.with} (${document.instruments.with})`,
    `Rules of ${document.campaign}: ${rulesLine(document.rules.campaign)}`,
    `Rules of ${document.with}: ${rulesLine(document.rules.with)}`,
  ];
  for (const group of document.groups) {
    // The flags say why a change is not tested (a lonely stratum, a group of one).
    const flags = (of: readonly string[], campaign: string) =>
      of.length > 0 ? `; ${campaign} flags: ${of.join(', ')}` : '';
    parts.push(
      '',
      `${groupLabel(group.key)}: ${group.respondents.campaign} and ${group.respondents.with} respondents` +
        (group.coverage === null ? '' : `; coverage ${fixed(group.coverage * 100)}%`) +
        flags(group.flags.campaign, document.campaign) +
        flags(group.flags.with, document.with),
      table(
        [
          'level',
          'code',
          document.campaign,
          document.with,
          'change',
          'se',
          'ci low',
          'ci high',
          '',
        ],
        topDown(levels<Change>(group)).map(({ level, code, score: c }) => [
          level,
          code,
          fixed(c.campaign),
          fixed(c.with),
          fixed(c.change),
          fixed(c.se),
          fixed(c.ci?.[0]),
          fixed(c.ci?.[1]),
          c.significant ? 'significant' : '',
        ]),
      ),
    );
  }
  return `${parts.join('\n')}\n`;
}
