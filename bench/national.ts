// A national day at ten times its rates (issue 19, docs/scale-out.md): the working day of every
// counter of the country (bench/national-day.ts), each hour compressed to seconds, replayed
// open-loop against one server on PostgreSQL whose database already holds an earlier campaign;
// and what a response costs on disk, table and indexes, measured on that database.
import { sql, type Kysely } from 'kysely';
import { foldAllTallies } from '../api/services/tallies.ts';
import { connect, type ConnectOptions } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import {
  measured,
  scratchDatabase,
  type BenchContext,
  type Benchmark,
  type Row,
} from './harness.ts';
import { failureText, missingFromTable, requests } from './ingestion.ts';
import { openLoop, startServerProcess } from './load.ts';
import {
  dailyResponses,
  FIRST_HOUR,
  HOURLY_SHARES,
  NATIONAL,
  peakPerSecond,
  replaySchedule,
} from './national-day.ts';
import { generate, seed } from './scoring.ts';
import { seedProvince } from './workload.ts';

/** The day's rates are multiplied by this. */
const FACTOR = 10;
/** Requests waiting at once, past which the next due are not sent (as ingestion's). */
const MAX_IN_FLIGHT = 256;

interface Plan {
  /** Counters the day's answers go round (each with its token). */
  counters: number;
  /** Responses of an earlier campaign in the database before the day (scoring.ts's generator). */
  backlog: number;
  /** How long each hour of the day lasts in the replay. */
  hourMs: number;
}

const plans: Record<'full' | 'quick', Plan> = {
  full: { counters: 1_000, backlog: 200_000, hourMs: 12_000 },
  quick: { counters: 20, backlog: 10_000, hourMs: 1_000 },
};

/**
 * Bytes of the response table without its indexes (heap, TOAST, maps), of its indexes, and of
 * the tallies; and their rows.
 */
async function sizes(db: Kysely<Database>) {
  const { rows } = await sql<{
    table: string;
    indexes: string;
    tallies: string;
    n: string;
    counters: string;
  }>`
    select pg_total_relation_size('response') - pg_indexes_size('response') as "table",
      pg_indexes_size('response') as indexes,
      pg_total_relation_size('response_tally') as tallies,
      (select count(*) from response) as n,
      (select count(*) from response_tally) as counters
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error('no sizes');
  return {
    table: Number(row.table),
    indexes: Number(row.indexes),
    tallies: Number(row.tallies),
    responses: Number(row.n),
    /** Rows of the tallies: a counter of a campaign with responses. */
    counters: Number(row.counters),
  };
}

/** Each index of the response table and its bytes, for the log (docs/scale-out.md). */
async function indexSizes(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ name: string; bytes: string }>`
    select indexrelid::regclass::text as name, pg_relation_size(indexrelid) as bytes
    from pg_index where indrelid = 'response'::regclass order by 1
  `.execute(db);
  return rows.map((r) => `${r.name} ${Number(r.bytes).toLocaleString('en-US')} B`).join(', ');
}

async function run(context: BenchContext, plan: Plan): Promise<Row[]> {
  const scratch = await scratchDatabase(context.postgresUrl, 'national');
  const options: ConnectOptions = { engine: 'postgres', databaseUrl: scratch.url, poolSize: 2 };
  const connection = connect(options);
  try {
    const db = connection.db;
    await migrateToLatest(db);
    // An earlier campaign (scoring.ts: 1,000 counters, answers drawn in SQL), folded, as a
    // server's database holds on a working day; then the day's province and its tokens.
    await seed(db);
    await generate(db, 0, plan.backlog);
    await foldAllTallies(db);
    const before = await sizes(db);
    context.log(`after ${plan.backlog} generated: ${await indexSizes(db)}`);
    const province = await seedProvince(db, { counters: plan.counters });

    const daily = dailyResponses(NATIONAL);
    const due = replaySchedule(daily, { factor: FACTOR, hourMs: plan.hourMs });
    const dayMs = HOURLY_SHARES.length * plan.hourMs;
    const offered = due.length / (dayMs / 1000);
    const peak = FACTOR * peakPerSecond(daily);
    const busiest = FIRST_HOUR + HOURLY_SHARES.indexOf(Math.max(...HOURLY_SHARES));
    context.log(`${due.length} submissions over ${dayMs / 1000} s, ${peak.toFixed(1)}/s at peak`);
    const server = await startServerProcess({
      kind: 'sipas',
      database: { engine: 'postgres', databaseUrl: scratch.url },
    });
    const day = await openLoop({
      url: server.url,
      next: requests(province, 19),
      dueMs: due,
      maxInFlight: MAX_IN_FLIGHT,
      warmupMs: 0,
      durationMs: dayMs,
    }).finally(() => server.stop());
    context.log(`p50 ${day.p50.toFixed(1)} ms, p99 ${day.p99.toFixed(1)} ms`);

    const missing = await missingFromTable(options, day.ids);
    await foldAllTallies(db);
    const after = await sizes(db);
    context.log(`after the day: ${await indexSizes(db)}`);
    const stored = after.responses - before.responses;
    const failed = [...day.failures.values()].reduce((a, b) => a + b, 0) + day.dropped;
    const failures = failureText([day]);
    const label = `day at ${FACTOR}× (${Math.round(peak * 10) / 10}/s at ${String(busiest).padStart(2, '0')}:00)`;
    const perResponse = (bytes: number, n: number) => bytes / Math.max(1, n);
    return [
      measured({
        name: `${label}: submissions/s sustained over the day, against those offered`,
        value: day.rate,
        unit: '/s',
        baseline: offered,
        goals: [{ direction: 'at least', target: 0.99, onRatio: true }],
      }),
      measured({ name: `${label}: p50 latency`, value: day.p50, unit: 'ms' }),
      measured({
        name: `${label}: p99 latency`,
        value: day.p99,
        unit: 'ms',
        goals: [{ direction: 'under', target: 50 }],
      }),
      measured({
        name: `${label}: errors (replies other than 201, and requests not sent)`,
        value: failed,
        unit: 'requests',
        goals: [{ direction: 'at most', target: 0 }],
        ...(failures === '' ? {} : { note: `Not acknowledged: ${failures}.` }),
      }),
      measured({
        name: `${label}: acknowledged responses missing from the table (of ${day.ids.length.toLocaleString('en-US')})`,
        value: missing,
        unit: 'responses',
        goals: [{ direction: 'at most', target: 0 }],
      }),
      measured({
        name: `storage: response table per response (heap and TOAST), ${before.responses.toLocaleString('en-US')} generated`,
        value: perResponse(before.table, before.responses),
        unit: 'B',
      }),
      measured({
        name: `storage: response indexes per response, ${before.responses.toLocaleString('en-US')} generated`,
        value: perResponse(before.indexes, before.responses),
        unit: 'B',
      }),
      measured({
        name: `storage: response table per response, the day's ${stored.toLocaleString('en-US')} through the service`,
        value: perResponse(after.table - before.table, stored),
        unit: 'B',
      }),
      measured({
        name: `storage: response indexes per response, the day's ${stored.toLocaleString('en-US')} through the service`,
        value: perResponse(after.indexes - before.indexes, stored),
        unit: 'B',
      }),
      measured({
        name: `storage: tallies per counter of a campaign (${after.counters.toLocaleString('en-US')})`,
        value: perResponse(after.tallies, after.counters),
        unit: 'B',
      }),
    ];
  } finally {
    await connection.close();
    await scratch.drop();
  }
}

export const nationalBenchmark: Benchmark = {
  name: 'national',
  description:
    'A simulated national working day (docs/scale-out.md): 10,000 counters × 60 procedures × ' +
    '25% answering = 150,000 answers, spread over 07:00-17:00 by hourly shares peaking at 17% ' +
    'at 09:00 (bench/national-day.ts), replayed at 10× those rates (70.8/s at the peak) with ' +
    'each hour lasting 12 s: 5,000 valid sipas-2017 submissions sent open-loop (evenly spaced ' +
    'within each hour, latency from when each was due, at most 256 in flight) to the real ' +
    'service (bench/serve.ts, rate limits off, folding every 5 s) on PostgreSQL, round 1,000 ' +
    'counters of one open campaign, in a database already holding an earlier campaign of ' +
    "200,000 responses over 1,000 more counters (scoring's generator), folded. The baseline " +
    'of the rate is the rate offered. Afterwards every acknowledged id is looked for in the ' +
    'table. Storage: pg_total_relation_size less pg_indexes_size of `response` (heap, TOAST ' +
    'and maps) and pg_indexes_size, divided by the responses, first for the 200,000 generated ' +
    "(paper-like: no online id), then for the day's growth (online answers stored by the " +
    'service); the tallies per counter with responses. One run, no repetitions (quick: 20 ' +
    'counters, 10,000 generated, hours of 1 s).',
  run: (context) => run(context, context.quick ? plans.quick : plans.full),
};
