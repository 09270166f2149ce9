// Test support: a private PostgreSQL 15 cluster the test owns (initdb in a temp directory), so
// that stopping and starting it disturbs no other test, and a streaming standby of it
// (pg_basebackup -R), for the read replica's test. PostgreSQL refuses to run as root, so
// as root the binaries run as the `postgres` user through runuser.
import { execFile } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { processTree } from './harness.ts';

const run = promisify(execFile);
const BIN = process.env.SIPAS_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const RUNUSER = '/usr/sbin/runuser';

/** Why a private cluster (and a standby: `tools`) cannot be made here, or null when it can. */
export function clusterUnavailable(tools: readonly string[] = ['initdb', 'pg_ctl']): string | null {
  for (const tool of tools) {
    try {
      accessSync(join(BIN, tool), constants.X_OK);
    } catch {
      return `${join(BIN, tool)} is not available (set SIPAS_PG_BIN to PostgreSQL's bin folder)`;
    }
  }
  if (userInfo().uid === 0) {
    try {
      accessSync(RUNUSER, constants.X_OK);
    } catch {
      return `running as root without ${RUNUSER} to start PostgreSQL as another user`;
    }
  }
  return null;
}

export interface Cluster {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  /** `fast`: clients are disconnected, as in an orderly restart; `immediate`: as in a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /**
   * Pauses every process of the server (SIGSTOP), as a hung host or a stalled disk does: its
   * connections stay open and its kernel still accepts new ones, but nothing answers.
   */
  freeze(): void;
  /** Resumes what freeze() paused (SIGCONT). */
  thaw(): void;
  destroy(): Promise<void>;
}

async function as(command: string, args: string[]): Promise<void> {
  const root = userInfo().uid === 0;
  const [file, argv] = root
    ? [RUNUSER, ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
  await run(file, argv, { timeout: 60_000 });
}

/** A folder of its own for a cluster, which the server's user owns. */
async function clusterFolder(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'sipas-cluster-'));
  if (userInfo().uid === 0) {
    const { uid, gid } = await idsOf('postgres');
    chownSync(folder, uid, gid);
  }
  return folder;
}

/** A new cluster on the port, trust authentication, one database `sipas`; started. */
export async function createCluster(port: number): Promise<Cluster> {
  const folder = await clusterFolder();
  const data = join(folder, 'data');
  // initdb's trust also admits replication connections from this machine: a standby's.
  await as(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const cluster = clusterIn(folder, port);
  await cluster.start();
  const admin = new pg.Client({
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
  });
  await admin.connect();
  try {
    await admin.query('create database sipas');
  } finally {
    await admin.end();
  }
  return cluster;
}

/**
 * A streaming standby of `primary` on the port, begun from a base backup of it whose
 * configuration (-R) follows the primary; started, and in hot standby: it answers reads.
 */
export async function createStandby(primary: Cluster, port: number): Promise<Cluster> {
  const folder = await clusterFolder();
  await as(join(BIN, 'pg_basebackup'), [
    // A fast checkpoint: the default spreads it over minutes.
    ...['-D', join(folder, 'data'), '-R', '-X', 'stream', '--no-sync', '--checkpoint=fast'],
    ...['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
  ]);
  const standby = clusterIn(folder, port);
  await standby.start();
  return standby;
}

/** The cluster whose data directory is `folder`/data, on the port. */
function clusterIn(folder: string, port: number): Cluster {
  const data = join(folder, 'data');
  const options = [
    `-p ${port}`,
    `-k ${folder}`,
    '-c listen_addresses=127.0.0.1',
    // Speed, not safety: this cluster lives for one test.
    '-c fsync=off',
    '-c shared_buffers=16MB',
  ].join(' ');
  const pgCtl = (...args: string[]) =>
    as(join(BIN, 'pg_ctl'), ['-D', data, '-l', join(folder, 'log'), '-w', ...args]);
  // postmaster.pid starts with the postmaster's pid; every other server process is its child.
  const serverProcesses = () => {
    if (!existsSync(join(data, 'postmaster.pid'))) return [];
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return processTree(postmaster);
  };
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/sipas`,
    port,
    start: () => pgCtl('-o', options, 'start'),
    stop: (mode = 'fast') => pgCtl('-m', mode, 'stop'),
    freeze() {
      // The postmaster first, so that it starts no process after the others are listed.
      for (const pid of serverProcesses()) signal(pid, 'SIGSTOP');
    },
    thaw() {
      for (const pid of serverProcesses().reverse()) signal(pid, 'SIGCONT');
    },
    async destroy() {
      cluster.thaw();
      await cluster.stop('immediate').catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** Signals the process unless it has ended meanwhile. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) throw error;
  }
}

async function idsOf(user: string): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', user]);
  const { stdout: gid } = await run('id', ['-g', user]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
