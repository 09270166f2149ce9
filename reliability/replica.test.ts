// The analysis on a read replica (DATABASE_READ_URL), on a private primary and its streaming
// standby (pg_basebackup -R), both on loopback: once replay catches up, the standby's scores
// are the primary's, the responses no fold has seen yet included; a scoring writes nothing,
// on either; and a standby whose replay is paused says how far behind its figures are.
import { Writable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../api/cli/run.ts';
import { loadConfig } from '../api/config.ts';
import { analysisDb, LAG_BYTES_HEADER, LAG_HEADER } from '../api/routes/replica.ts';
import { operator } from '../api/services/access.ts';
import { campaignByCode } from '../api/services/campaigns/index.ts';
import {
  exampleActor,
  exampleFile,
  openExampleCampaign,
  textStream,
} from '../api/services/examples.testing.ts';
import { importResponses } from '../api/services/responses.ts';
import { campaignScores } from '../api/services/scores.ts';
import { foldCampaignTallies } from '../api/services/tallies.ts';
import { connect, type Connection } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Replica } from '../db/replica.ts';
import { clusterUnavailable, createCluster, createStandby, type Cluster } from './cluster.ts';
import { freePort } from './harness.ts';

const CAMPAIGN = 'BRVT-2025';
const unavailable = clusterUnavailable(['initdb', 'pg_ctl', 'pg_basebackup']);
// CI has PostgreSQL's binaries: there the test runs, or fails.
const skipped = unavailable !== null && !process.env.CI;
if (skipped) console.info(`read replica test skipped: ${unavailable}`);

/** The example responses again, under other ids, so that they import as new ones. */
const moreResponses = (prefix: string) =>
  exampleFile('responses.csv')
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : `${prefix}${line}`))
    .join('\n');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until the standby has replayed everything the primary wrote (its lag 0 bytes). */
async function caughtUp(replica: Replica): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if ((await replica.lag())?.bytes === 0) return;
    await sleep(50);
  }
  throw new Error('the standby did not catch up within 10 s');
}

/** Everything a fold stores, to compare before and after a scoring. */
async function folded(db: Kysely<Database>) {
  const { rows } = await sql`
    select (select coalesce(json_agg(t order by t.counter_id), '[]') from response_tally t) as tallies,
      (select coalesce(json_agg(f order by f.campaign_id), '[]') from tally_fold f) as folds
  `.execute(db);
  return rows;
}

/** `sipas ARGS` on the primary with the standby for reads: its status, stdout and stderr. */
async function sipas(primary: Cluster, standby: Cluster, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        write(chunk.toString());
        done();
      },
    });
  const status = await runCli(args, {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env: { ...process.env, DATABASE_URL: primary.url, DATABASE_READ_URL: standby.url },
  });
  return { status, stdout, stderr };
}

describe.skipIf(skipped)('analysis on a read replica', () => {
  let primary: Cluster;
  let standby: Cluster;
  let connection: Connection;
  let replica: Replica;
  const score = (db: Kysely<Database>, by: 'all' | 'unit' | 'counter') =>
    campaignScores(db, operator(), { campaign: CAMPAIGN, by });

  beforeAll(async () => {
    primary = await createCluster(await freePort());
    standby = await createStandby(primary, await freePort());
    connection = connect({
      engine: 'postgres',
      databaseUrl: primary.url,
      readUrl: standby.url,
      poolSize: 2,
    });
    replica = connection.replica ?? must();
    await migrateToLatest(connection.db);
    const campaign = await openExampleCampaign(connection.db);
    // Some responses in the tallies, and some that no fold has seen: both are scored.
    expect(await foldCampaignTallies(connection.db, campaign)).toBe(60);
    await importResponses(connection.db, exampleActor, CAMPAIGN, textStream(moreResponses('a-')));
  }, 60_000);

  afterAll(async () => {
    await connection?.close();
    await standby?.destroy();
    await primary?.destroy();
  });

  it('scores on the standby as on the primary once replay catches up, and writes nothing', async () => {
    await caughtUp(replica);
    const before = await folded(connection.db);
    for (const by of ['all', 'unit', 'counter'] as const) {
      const onPrimary = await score(connection.db, by);
      expect(await score(replica.db, by), by).toEqual(onPrimary);
    }
    expect((await score(replica.db, 'all')).groups[0]?.respondents).toBe(120);
    // Not even on the primary: the 60 responses no fold has seen are still unfolded.
    expect(await folded(connection.db)).toEqual(before);

    // The command line reads on the standby too, and prints the primary's document.
    const cli = await sipas(primary, standby, 'scores', '--campaign', CAMPAIGN, '--by', 'unit');
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(await score(connection.db, 'unit'));
  });

  it('says how far behind a standby is whose replay is paused', async () => {
    await sql`select pg_wal_replay_pause()`.execute(replica.db);
    try {
      await importResponses(connection.db, exampleActor, CAMPAIGN, textStream(moreResponses('b-')));
      await foldCampaignTallies(connection.db, await campaignByCode(connection.db, CAMPAIGN));
      const lag = (await replica.lag()) ?? must();
      expect(lag.bytes).toBeGreaterThan(0);
      expect(lag.seconds).toBeGreaterThan(0);
      // The standby's figures are those it replayed: without the last 60.
      expect((await score(replica.db, 'all')).groups[0]?.respondents).toBe(120);
      expect((await score(connection.db, 'all')).groups[0]?.respondents).toBe(180);

      // The API's analysis routes name the lag in headers; the command line on stderr.
      const headers = new Map<string, string>();
      const db = await analysisDb({
        var: { db: connection.db, deps: { connection, config: loadConfig({}) } },
        header: (name, value) => headers.set(name, value),
      });
      expect(db).toBe(replica.db);
      expect(Number(headers.get(LAG_HEADER))).toBeGreaterThan(0);
      expect(Number(headers.get(LAG_BYTES_HEADER))).toBeGreaterThan(0);
      const cli = await sipas(primary, standby, 'scores', '--campaign', CAMPAIGN, '--by', 'all');
      expect(cli.status).toBe(0);
      expect(cli.stderr).toMatch(/read replica is [\d.]+ s \(\d+ bytes of WAL\) behind/);
    } finally {
      await sql`select pg_wal_replay_resume()`.execute(replica.db);
    }
    await caughtUp(replica);
    expect(await replica.lag()).toEqual({ bytes: 0, seconds: 0 });
    expect(await score(replica.db, 'counter')).toEqual(await score(connection.db, 'counter'));
  });
});

function must(): never {
  throw new Error('no replica: DATABASE_READ_URL was not taken');
}
