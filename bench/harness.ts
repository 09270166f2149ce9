// The benchmark harness (issue 7): each benchmark measures something and its baseline in the
// same run, on the same noisy shared machine, and reports rows of one table; the harness prints
// the table and writes BENCHMARKS.md with the machine it ran on and every goal met or not.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';

/** One line of the table: a figure, its baseline's in the same unit, and the goal it answers. */
export interface Row {
  name: string;
  value: number;
  unit: string;
  /** The baseline's figure measured in the same run, in the same unit; null when there is none. */
  baseline: number | null;
  /** value ÷ baseline; null without a baseline. */
  ratio: number | null;
  /** The goal in words, e.g. `≥ 3,000/s`; empty for a figure reported without a goal. */
  goal: string;
  /** Null for a figure reported without a goal. */
  met: boolean | null;
  /** Why a goal is not met, or how to read the figure; printed under the table. */
  note?: string;
}

export interface BenchContext {
  /** Smaller sizes and fewer repetitions: a check that everything runs, not the figures. */
  readonly quick: boolean;
  /** Repetitions of a timed measurement, whose median is reported. */
  readonly repetitions: number;
  /** The PostgreSQL server to create scratch databases on (postgres://…/ without a database). */
  readonly postgresUrl: string;
  log(line: string): void;
}

export interface Benchmark {
  /** The section of the table, e.g. `ingestion`. */
  readonly name: string;
  /** What is measured and against which baseline, for BENCHMARKS.md. */
  readonly description: string;
  run(context: BenchContext): Promise<Row[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('the median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/** The q-quantile (0…1) of the values, by the nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('a quantile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

/** Runs `measure` `times` times in turn and returns every result. */
export async function repeat<T>(times: number, measure: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await measure(i));
  return results;
}

/** Milliseconds since an arbitrary origin, for intervals. */
export const clock = (): number => performance.now();

export type Direction = 'at least' | 'at most' | 'under';

export interface Goal {
  direction: Direction;
  target: number;
  /** The goal is on the ratio to the baseline rather than on the value. */
  onRatio?: boolean;
}

function meets(value: number, goal: Goal): boolean {
  if (goal.direction === 'at least') return value >= goal.target;
  if (goal.direction === 'at most') return value <= goal.target;
  return value < goal.target;
}

const SIGN: Record<Direction, string> = { 'at least': '≥', 'at most': '≤', under: '<' };

/**
 * A row whose goal, if any, is checked here: one or more conditions on the value or on its
 * ratio to the baseline, all of which must hold.
 */
export function measured(row: {
  name: string;
  value: number;
  unit: string;
  baseline?: number | null;
  goals?: Goal[];
  note?: string;
}): Row {
  const baseline = row.baseline ?? null;
  const ratio = baseline === null || baseline === 0 ? null : row.value / baseline;
  const goals = row.goals ?? [];
  const texts = goals.map((goal) =>
    goal.onRatio
      ? `${SIGN[goal.direction]} ${formatNumber(goal.target)} × baseline`
      : `${SIGN[goal.direction]} ${formatNumber(goal.target)} ${row.unit}`,
  );
  const met =
    goals.length === 0
      ? null
      : goals.every((goal) =>
          goal.onRatio ? ratio !== null && meets(ratio, goal) : meets(row.value, goal),
        );
  return {
    name: row.name,
    value: row.value,
    unit: row.unit,
    baseline,
    ratio,
    goal: texts.join(' and '),
    met,
    ...(row.note === undefined ? {} : { note: row.note }),
  };
}

/** Three significant figures, thousands separated: 3,412 / 41.2 / 0.873. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  });
}

export interface Section {
  benchmark: Pick<Benchmark, 'name' | 'description'>;
  rows: Row[];
  /** The benchmark failed: its message stands in for its rows. */
  error?: string;
  seconds: number;
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryBytes: number;
  node: string;
  postgres: string;
  /** The 1-minute load average when the run began: how busy the shared machine was. */
  load: number;
}

export function describeMachine(postgres: string): Machine {
  const processors = cpus();
  return {
    cores: processors.length,
    cpu: processors[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
    postgres,
    load: loadavg()[0] ?? 0,
  };
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const metText = (met: boolean | null) => (met === null ? '' : met ? 'met' : '**not met**');

/** The one table: a line per row, the benchmark's name on its first row. */
export function renderTable(sections: readonly Section[]): string {
  const lines = [
    '| Benchmark | Measure | Value | Baseline | Ratio | Goal | Met |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const section of sections) {
    const name = escapeCell(section.benchmark.name);
    if (section.error !== undefined) {
      lines.push(`| ${name} | failed: ${escapeCell(section.error)} | | | | | **not met** |`);
      continue;
    }
    section.rows.forEach((row, i) => {
      const cells = [
        i === 0 ? name : '',
        escapeCell(row.name),
        `${formatNumber(row.value)} ${escapeCell(row.unit)}`,
        row.baseline === null ? '' : `${formatNumber(row.baseline)} ${escapeCell(row.unit)}`,
        row.ratio === null ? '' : `${formatNumber(row.ratio)}×`,
        escapeCell(row.goal),
        metText(row.met),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    });
  }
  return lines.join('\n');
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** The heading of BENCHMARKS.md's figures measured once by hand, which a run leaves as it finds them. */
export const BY_HAND = '## Measured by hand';

/** A new `report` with the section measured by hand of the `previous` one, which it replaces. */
export function keepingByHand(report: string, previous: string): string {
  const at = previous.indexOf(`\n${BY_HAND}\n`);
  return at < 0 ? report : `${report}${previous.slice(at)}`;
}

/** BENCHMARKS.md: the machine, the table, the goals not met, and what each benchmark does. */
export function renderReport(
  sections: readonly Section[],
  machine: Machine,
  run: { date: Date; repetitions: number; seconds: number },
): string {
  const rows = sections.flatMap((s) => s.rows);
  const withGoal = rows.filter((r) => r.met !== null);
  const failed = sections.filter((s) => s.error !== undefined);
  const missed = sections.flatMap((s) =>
    s.rows.filter((r) => r.met === false).map((r) => ({ section: s.benchmark.name, row: r })),
  );
  const notes = sections.flatMap((s) =>
    s.rows.flatMap((r) =>
      r.note === undefined ? [] : [`- ${s.benchmark.name}, ${r.name}: ${r.note}`],
    ),
  );
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${run.date.toISOString()} in ${Math.round(run.seconds)} s.`,
    '',
    `Machine: ${machine.cores} cores (${machine.cpu}), ${gib(machine.memoryBytes)} memory, ` +
      `load average ${machine.load.toFixed(2)} at the start; Node ${machine.node}; ${machine.postgres}.`,
    '',
    `Each figure is the median of ${run.repetitions} repetitions unless its benchmark says ` +
      'otherwise; each baseline ran in the same run, and the ratio is value ÷ baseline.',
    '',
    renderTable(sections),
    '',
    `Goals: ${withGoal.length - missed.length} of ${withGoal.length} met` +
      (failed.length > 0 ? `; ${failed.length} benchmark(s) failed.` : '.'),
  ];
  if (missed.length > 0 || failed.length > 0) {
    lines.push('', '## Not met', '');
    for (const { section, row } of missed) {
      lines.push(
        `- ${section}, ${row.name}: ${formatNumber(row.value)} ${row.unit}, goal ${row.goal}.`,
      );
    }
    for (const s of failed) lines.push(`- ${s.benchmark.name} failed: ${s.error ?? ''}`);
  }
  if (notes.length > 0) lines.push('', '## Notes', '', ...notes);
  lines.push('', '## What each benchmark measures', '');
  for (const s of sections) {
    lines.push(
      `### ${s.benchmark.name} (${Math.round(s.seconds)} s)`,
      '',
      s.benchmark.description,
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The markers of README.md's summary of the goals, which a whole run rewrites between them. */
export const SUMMARY_START = '<!-- bench:start -->';
export const SUMMARY_END = '<!-- bench:end -->';

/**
 * README.md's summary of a whole run: when and how long it took, the goals met, and the rows
 * with a goal in the table's form, from the same rows as BENCHMARKS.md.
 */
export function renderSummary(
  sections: readonly Section[],
  run: { date: Date; seconds: number; load: number },
): string {
  const goals = sections.map((s) => ({ ...s, rows: s.rows.filter((r) => r.met !== null) }));
  const rows = goals.flatMap((s) => s.rows);
  const met = rows.filter((r) => r.met === true).length;
  const failed = sections.filter((s) => s.error !== undefined).length;
  return [
    `The last whole run (${run.date.toISOString().slice(0, 10)}, ${Math.round(run.seconds)} s, ` +
      `load average ${run.load.toFixed(2)} at the start): ${met} of ${rows.length} goals met` +
      (failed > 0 ? `, ${failed} benchmark(s) failed` : '') +
      '; every row, its notes and how each is measured are in [BENCHMARKS.md](BENCHMARKS.md).',
    '',
    renderTable(goals.filter((s) => s.error !== undefined || s.rows.length > 0)),
  ].join('\n');
}

/** `readme` with its summary replaced by `summary`; null when it lacks the markers. */
export function withSummary(readme: string, summary: string): string | null {
  const start = readme.indexOf(SUMMARY_START);
  const end = readme.indexOf(SUMMARY_END, start);
  if (start < 0 || end < 0) return null;
  return `${readme.slice(0, start + SUMMARY_START.length)}\n${summary}\n${readme.slice(end)}`;
}

/** The URL of `database` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, database: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** An empty database of its own on the server, dropped (forcibly) by `drop`. */
export async function scratchDatabase(
  serverUrl: string,
  purpose: string,
): Promise<ScratchDatabase> {
  const name = `sipas_bench_${purpose.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

/** The server's version line, e.g. `PostgreSQL 15.20`. */
export async function postgresVersion(serverUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(
      `select current_setting('server_version') as v`,
    );
    return `PostgreSQL ${rows[0]?.v ?? 'unknown'}`;
  } finally {
    await client.end();
  }
}
