// How soon the command and the server answer from start-up (issue 19), each against the floor
// beneath it measured in the same run: `node -e 0` for `sipas --help`, PGlite opening the same
// data directory in a process of its own for the server's restart.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { operator } from '../api/services/access.ts';
import { campaignScores } from '../api/services/scores.ts';
import { foldCampaignTallies } from '../api/services/tallies.ts';
import { campaignByCode } from '../api/services/campaigns/index.ts';
import { connect } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import {
  clock,
  measured,
  median,
  repeat,
  scratchDatabase,
  type BenchContext,
  type Benchmark,
  type Row,
} from './harness.ts';
import { CAMPAIGN, generate, seed } from './scoring.ts';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const sipas = join(repoRoot, 'bin/sipas.js');
const RESPONSES = 10_000;

/** Wall seconds of `node ARGS` from spawn to exit, run in the repository. */
async function timed(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = clock();
  await run(process.execPath, args, { cwd: repoRoot, env, maxBuffer: 64 * 1024 * 1024 });
  return (clock() - started) / 1000;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Seconds from spawning bin/start.js (what `npm start` execs) to its first /healthz 200; with
 * `demo`, seeding the demo province on an empty data directory, as a first `npm start` does.
 */
async function serverStart(dataDir: string, { demo = false } = {}): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SIPAS_DATA_DIR: dataDir,
    SIPAS_DEMO: demo ? 'on' : 'off',
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  delete env.DATABASE_URL;
  const started = clock();
  const child = spawn(process.execPath, [join(repoRoot, 'bin/start.js')], {
    cwd: repoRoot,
    env,
    stdio: 'ignore',
  });
  const exited = once(child, 'exit');
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return (clock() - started) / 1000;
      await sleep(20);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

// PGlite alone: import it, open the directory, answer one query, close; a process of its own.
const openPglite = `
  import { PGlite } from '@electric-sql/pglite';
  const db = await PGlite.create({ dataDir: process.argv[1] });
  await db.query('select 1');
  await db.close();
`;

async function help(context: BenchContext): Promise<Row> {
  // Interleaved, so that both see the same machine.
  const pairs = await repeat(Math.max(5, context.repetitions * 3), async () => ({
    node: await timed(['-e', '0']),
    help: await timed([sipas, '--help']),
  }));
  return measured({
    name: '`sipas --help`, the whole command from start-up',
    value: median(pairs.map((p) => p.help)),
    unit: 's',
    baseline: median(pairs.map((p) => p.node)),
    goals: [{ direction: 'at most', target: 8, onRatio: true }],
    note: 'Baseline: `node -e 0`, interleaved with it.',
  });
}

async function scores(context: BenchContext): Promise<Row> {
  const scratch = await scratchDatabase(context.postgresUrl, 'startup');
  try {
    const connection = connect({ engine: 'postgres', databaseUrl: scratch.url });
    let inProcess: number;
    try {
      await migrateToLatest(connection.db);
      await seed(connection.db);
      await generate(connection.db, 0, RESPONSES);
      await foldCampaignTallies(connection.db, await campaignByCode(connection.db, CAMPAIGN));
      const request = { campaign: CAMPAIGN, by: 'counter' as const };
      await campaignScores(connection.db, operator(), request);
      inProcess = median(
        await repeat(context.repetitions, async () => {
          const started = clock();
          await campaignScores(connection.db, operator(), request);
          return (clock() - started) / 1000;
        }),
      );
    } finally {
      await connection.close();
    }
    const env = { ...process.env, DATABASE_URL: scratch.url };
    const args = [sipas, 'scores', '--campaign', CAMPAIGN, '--by', 'counter'];
    const command = median(await repeat(context.repetitions, () => timed(args, env)));
    return measured({
      name:
        `PostgreSQL, ${RESPONSES.toLocaleString('en-US')} responses over 1,000 counters: ` +
        '`sipas scores --by counter`, the whole command from start-up',
      value: command,
      unit: 's',
      baseline: inProcess,
      goals: [{ direction: 'under', target: 1 }],
      note: 'Baseline: the same scores in a process already running (campaignScores).',
    });
  } finally {
    await scratch.drop();
  }
}

async function restart(context: BenchContext): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sipas-bench-startup-'));
  try {
    await serverStart(dataDir); // the first start creates and migrates the data directory
    const pairs = await repeat(context.repetitions, async () => ({
      pglite: await timed(['--input-type=module', '-e', openPglite, dataDir]),
      server: await serverStart(dataDir),
    }));
    const server = median(pairs.map((p) => p.server));
    const pglite = median(pairs.map((p) => p.pglite));
    return [
      measured({
        name: '`npm start` (node bin/start.js) on a restart: first /healthz answered',
        value: server,
        unit: 's',
        baseline: pglite,
        note: "Baseline: PGlite's own open of the same data directory, a process of its own.",
      }),
      measured({
        name: '`npm start` on a restart: beyond PGlite’s own open time',
        value: server - pglite,
        unit: 's',
        goals: [{ direction: 'under', target: 1 }],
      }),
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A first start: a new data directory, created, migrated and seeded with the demo. */
async function firstStart(context: BenchContext): Promise<Row[]> {
  const pairs = await repeat(context.repetitions, async () => {
    const [forPglite, forServer] = [0, 1].map(() =>
      mkdtempSync(join(tmpdir(), 'sipas-bench-first-')),
    );
    try {
      return {
        pglite: await timed(['--input-type=module', '-e', openPglite, forPglite ?? '']),
        server: await serverStart(forServer ?? '', { demo: true }),
      };
    } finally {
      for (const dir of [forPglite, forServer]) {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }
  });
  const server = median(pairs.map((p) => p.server));
  const pglite = median(pairs.map((p) => p.pglite));
  return [
    measured({
      name: '`npm start` on a first start with the demo: first /healthz answered',
      value: server,
      unit: 's',
      baseline: pglite,
      note:
        "Baseline: PGlite's own creation of a new data directory, a process of its own. The " +
        'server begins the directory from the migrated template of `npm run build` instead ' +
        '(db/template.ts).',
    }),
    measured({
      name: '`npm start` on a first start with the demo: beyond PGlite’s own create time',
      value: server - pglite,
      unit: 's',
      goals: [{ direction: 'under', target: 2 }],
    }),
  ];
}

export const startupBenchmark: Benchmark = {
  name: 'startup',
  description:
    'What people wait for before any work: `sipas --help` against `node -e 0` (interleaved, ' +
    'median of at least 5 pairs); `sipas scores --by counter` on PostgreSQL for a campaign of ' +
    `${RESPONSES.toLocaleString('en-US')} responses over the 1,000 counters of the scoring ` +
    'benchmark, from start-up to exit, against the same scores in a running process; and the ' +
    'server restarted on an embedded data directory (demo off) until /healthz answers, against ' +
    'PGlite opening that directory in a process of its own; and a first start with the demo on a ' +
    'new data directory, against PGlite creating one (initdb inside it). All run the ' +
    'JavaScript that `npm run build` compiles into build/, and a new data directory begins from ' +
    'the migrated template that the build makes beside it (db/template.ts): a first start runs ' +
    'neither initdb nor the migrations, so it can take less than its baseline.',
  async run(context) {
    return [
      await help(context),
      await scores(context),
      ...(await restart(context)),
      ...(await firstStart(context)),
    ];
  },
};
