// The load generator, and the server process it loads. It sends only to 127.0.0.1, and every
// run is bounded both in requests and in time: it stops by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { clock, quantile } from './harness.ts';
import type { ServerSpec } from './serve.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  readonly url: string;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

/** The command name and CPU seconds (user + system) of a process, from /proc/PID/stat. */
function statOf(pid: number | string): { name: string; cpuSeconds: number } {
  // Fields 14 and 15 are utime and stime, in clock ticks; the command name (field 2) is in
  // parentheses and may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  };
}

const cpuSecondsOf = (pid: number) => statOf(pid).cpuSeconds;

/**
 * CPU seconds used so far by the PostgreSQL server's processes on this machine (every process
 * named postgres: the backends, and the writers and autovacuum that work for them).
 */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const { name, cpuSeconds } = statOf(pid);
      if (name.startsWith('postgres')) total += cpuSeconds;
    } catch {
      // The process ended between the listing and the reading.
    }
  }
  return total;
}

/** Starts bench/serve.ts with the spec and resolves once it listens on 127.0.0.1. */
export async function startServerProcess(spec: ServerSpec): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/serve.ts', JSON.stringify(spec)],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  const first = await Promise.race([
    once(lines, 'line').then(([line]: unknown[]) => String(line)),
    exited.then(() => ''),
  ]);
  const url = z
    .object({ url: z.string().startsWith('http://127.0.0.1:') })
    .safeParse(first === '' ? null : JSON.parse(first));
  const pid = child.pid;
  if (!url.success || pid === undefined) {
    child.kill('SIGKILL');
    throw new Error(`the ${spec.kind} server did not start: ${first}`);
  }
  return {
    url: url.data.url,
    cpuSeconds: () => cpuSecondsOf(pid),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface Request {
  path: string;
  body: string;
}

export interface LoadResult {
  /** Requests answered with a 2xx, per second, over the measured window. */
  rate: number;
  /** Milliseconds; for a fixed rate, from when the request was due, not when it left. */
  p50: number;
  p99: number;
  sent: number;
  /** 2xx replies over the whole run, warm-up included. */
  acknowledged: number;
  /** Other statuses and network errors, with their counts. */
  failures: Map<string, number>;
  /** The ids the server acknowledged (the body's `id` of each 2xx reply). */
  ids: string[];
  /** Requests that were due but never sent because too many were in flight. */
  dropped: number;
}

interface Options {
  url: string;
  next: () => Request;
  /** Not measured: lets connections, pools and caches fill first. */
  warmupMs: number;
  durationMs: number;
  /** A hard bound on requests sent, whatever the time. */
  maxRequests: number;
}

const replySchema = z.object({ id: z.string() });

function client(url: string, connections: number) {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`load only goes to 127.0.0.1, not ${url}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const send = (request: Request) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: '127.0.0.1',
          port: target.port,
          method: 'POST',
          path: request.path,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(request.body),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(request.body);
    });
  return { send, close: () => agent.destroy() };
}

function tally() {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const ids: string[] = [];
  let acknowledged = 0;
  let measuredOk = 0;
  return {
    latencies,
    failures,
    ids,
    get acknowledged() {
      return acknowledged;
    },
    get measuredOk() {
      return measuredOk;
    },
    record(reply: { status: number; body: string } | Error, latency: number, measured: boolean) {
      if (reply instanceof Error || reply.status < 200 || reply.status > 299) {
        const key = reply instanceof Error ? reply.message : String(reply.status);
        failures.set(key, (failures.get(key) ?? 0) + 1);
        return;
      }
      acknowledged++;
      const parsed = replySchema.safeParse(JSON.parse(reply.body));
      if (parsed.success) ids.push(parsed.data.id);
      if (measured) {
        measuredOk++;
        latencies.push(latency);
      }
    },
  };
}

function result(t: ReturnType<typeof tally>, sent: number, seconds: number, dropped: number) {
  const latencies = t.latencies;
  return {
    rate: t.measuredOk / seconds,
    p50: latencies.length > 0 ? quantile(latencies, 0.5) : NaN,
    p99: latencies.length > 0 ? quantile(latencies, 0.99) : NaN,
    sent,
    acknowledged: t.acknowledged,
    failures: t.failures,
    ids: t.ids,
    dropped,
  };
}

/**
 * Saturation: `connections` clients each send their next request as soon as the last is
 * answered. The rate is the 2xx replies completed within the measured window.
 */
export async function saturate(options: Options & { connections: number }): Promise<LoadResult> {
  const { send, close } = client(options.url, options.connections);
  const t = tally();
  const start = clock();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let sent = 0;
  const worker = async () => {
    while (sent < options.maxRequests && clock() < end) {
      sent++;
      const began = clock();
      const reply = await send(options.next()).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      );
      const done = clock();
      t.record(reply, done - began, began >= measureFrom && done <= end);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  close();
  return result(t, sent, options.durationMs / 1000, 0);
}

/**
 * Open loop: request i is sent when it is due, `dueMs[i]` after the start (ascending), whatever
 * the replies to earlier ones, so that a slow server shows in the latency, counted from when
 * each request was due, rather than in a lower rate (no coordinated omission). At most
 * `maxInFlight` wait at once; a request due beyond that is dropped. Requests due before
 * `warmupMs` are not measured; the rate is over `durationMs`.
 */
export async function openLoop(
  options: Omit<Options, 'maxRequests'> & { dueMs: readonly number[]; maxInFlight: number },
): Promise<LoadResult> {
  const { send, close } = client(options.url, options.maxInFlight);
  const t = tally();
  const start = clock();
  const total = options.dueMs.length;
  const measureFrom = start + options.warmupMs;
  let sent = 0;
  let dropped = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = clock();
      while (sent + dropped < total) {
        const dueAt = start + (options.dueMs[sent + dropped] ?? Infinity);
        if (dueAt > now) break;
        if (inFlight >= options.maxInFlight) {
          dropped++;
          continue;
        }
        sent++;
        inFlight++;
        pending.push(
          send(options.next())
            .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
            .then((reply) => {
              inFlight--;
              t.record(reply, clock() - dueAt, dueAt >= measureFrom);
            }),
        );
      }
      if (sent + dropped >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await Promise.all(pending);
  close();
  return result(t, sent, options.durationMs / 1000, dropped);
}

/** A fixed rate, open loop (`openLoop`): request i is due at start + i / rate. */
export async function fixedRate(
  options: Options & { rate: number; maxInFlight: number },
): Promise<LoadResult> {
  const total = Math.min(
    options.maxRequests,
    Math.floor(((options.warmupMs + options.durationMs) / 1000) * options.rate),
  );
  return openLoop({
    ...options,
    dueMs: Array.from({ length: total }, (_, i) => (i / options.rate) * 1000),
  });
}
