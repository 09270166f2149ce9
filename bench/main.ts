// npm run bench [-- --quick] [-- --only ingestion,page]: every benchmark in turn, one table on
// stdout, and in BENCHMARKS.md after a whole run at full size, its goals also in README.md.
// PostgreSQL is the server of SIPAS_BENCH_POSTGRES (else DATABASE_URL's server, else
// postgres://postgres@127.0.0.1:5432); each benchmark makes and drops its own databases there.
// Each benchmark runs in a process of its own (this file with `--run NAME`), so that what one
// leaves behind (its heap, PGlite's WebAssembly memory, a timer) cannot slow the next: the
// page's server, for one, runs in its benchmark's process.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  clock,
  describeMachine,
  keepingByHand,
  postgresVersion,
  renderReport,
  renderSummary,
  renderTable,
  SUMMARY_END,
  SUMMARY_START,
  withSummary,
  type BenchContext,
  type Benchmark,
  type Row,
  type Section,
} from './harness.ts';
import { consoleBenchmark } from './console.ts';
import { correctionsBenchmark } from './corrections.ts';
import { importBenchmark } from './import.ts';
import { ingestionBenchmark } from './ingestion.ts';
import { nationalBenchmark } from './national.ts';
import { pageBenchmark } from './page.ts';
import { scoringBenchmark, smallScoringBenchmark } from './scoring.ts';
import { startupBenchmark } from './startup.ts';

const benchmarks: Benchmark[] = [
  ingestionBenchmark,
  importBenchmark,
  scoringBenchmark,
  smallScoringBenchmark,
  correctionsBenchmark,
  nationalBenchmark,
  pageBenchmark,
  consoleBenchmark,
  startupBenchmark,
];

const report = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

/** What a benchmark's process sends back. */
type Outcome = { rows: Row[] } | { error: string };

/** Runs `benchmark` in a process of its own, under the same loader (tsx) as this one. */
async function runApart(benchmark: Benchmark, quick: boolean): Promise<Row[]> {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--run', benchmark.name, ...(quick ? ['--quick'] : [])],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let outcome: Outcome | undefined;
  child.on('message', (message: Outcome) => {
    outcome = message;
  });
  // 'close', not 'exit': it comes once the channel has delivered every message.
  const [code] = (await once(child, 'close')) as [number | null];
  if (outcome === undefined) throw new Error(`its process exited with ${code} and no figures`);
  if ('error' in outcome) throw new Error(outcome.error);
  return outcome.rows;
}

/** `--run NAME`: one benchmark, its rows sent to the parent; the process then ends. */
async function runHere(benchmark: Benchmark, context: BenchContext): Promise<never> {
  let outcome: Outcome;
  try {
    outcome = { rows: await benchmark.run(context) };
  } catch (error) {
    console.error(`  ${benchmark.name} failed:`, error);
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
  await new Promise((resolve) => process.send?.(outcome, resolve));
  // Whatever the benchmark left running ends with its process.
  process.exit(0);
}

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      run: { type: 'string' },
    },
  });
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !benchmarks.some((b) => b.name === name)) ?? [];
  if (unknown.length > 0) {
    console.error(
      `No benchmark ${unknown.join(', ')}: ${benchmarks.map((b) => b.name).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  const postgresUrl =
    process.env.SIPAS_BENCH_POSTGRES ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/';
  const quick = values.quick;
  const context: BenchContext = {
    quick,
    repetitions: quick ? 1 : 3,
    postgresUrl,
    log: (line) => console.error(`  ${line}`),
  };
  if (values.run !== undefined) {
    const apart = benchmarks.find((b) => b.name === values.run);
    if (!apart) throw new Error(`No benchmark ${values.run}`);
    await runHere(apart, context);
  }
  const machine = describeMachine(await postgresVersion(postgresUrl));
  const started = clock();
  const date = new Date();
  const sections: Section[] = [];
  for (const benchmark of benchmarks) {
    if (only && !only.includes(benchmark.name)) continue;
    console.error(`${benchmark.name}…`);
    const begun = clock();
    try {
      const rows = await runApart(benchmark, quick);
      sections.push({ benchmark, rows, seconds: (clock() - begun) / 1000 });
      console.error(`  ${benchmark.name}: ${Math.round((clock() - begun) / 1000)} s`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`  ${benchmark.name} failed:`, error);
      sections.push({ benchmark, rows: [], error: message, seconds: (clock() - begun) / 1000 });
    }
  }
  console.log(renderTable(sections));
  // BENCHMARKS.md and README.md's summary hold the figures of a whole run at full size; a
  // quick or partial run only prints its table.
  if (quick || only) {
    console.error(`${report} and ${readme} left as they were: they hold only whole runs.`);
  } else {
    const seconds = (clock() - started) / 1000;
    const rendered = renderReport(sections, machine, {
      date,
      repetitions: context.repetitions,
      seconds,
    });
    writeFileSync(
      report,
      keepingByHand(rendered, existsSync(report) ? readFileSync(report, 'utf8') : ''),
    );
    console.error(`Wrote ${report}`);
    const summarized = withSummary(
      readFileSync(readme, 'utf8'),
      renderSummary(sections, { date, seconds, load: machine.load }),
    );
    if (summarized === null) {
      console.error(`${readme} has no ${SUMMARY_START} … ${SUMMARY_END}: no summary written.`);
      process.exitCode = 1;
    } else {
      writeFileSync(readme, summarized);
      console.error(`Wrote the summary in ${readme}`);
    }
  }
  if (sections.some((s) => s.error !== undefined)) process.exitCode = 1;
}

await main();
