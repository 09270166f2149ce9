// Test support for the fault tests: the real server as a child process (`node bin/start.js`,
// as `npm start` runs it), a survey to answer, and citizens' phones that resend what was not
// acknowledged, with the same id, as the survey page does (interchange §4).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { ensureBuiltins } from '../api/services/builtins.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';
import { issueCounterToken } from '../api/services/credentials.ts';
import { importUnits } from '../api/services/units.ts';
import { importCounters } from '../api/services/counters.ts';
import { vietnamDate } from '../api/services/vietnam-time.ts';
import { exampleFile } from '../api/services/examples.testing.ts';
import { submissionBody } from '../bench/workload.ts';
import { operator } from '../api/services/access.ts';

/** The tests that start servers and clusters run when this is set (.ci/run sets it). */
export const slowTests = process.env.SIPAS_SLOW_TESTS === '1';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** The process and every process it started, found through /proc (Linux). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // pid (comm) state ppid …: the command name may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    found.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return found;
}

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends the signal and waits for the process to end. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the server with the given environment on top of a clean one: no DATABASE_URL unless
 * given, the demo off, rate limits as given. Resolves once it listens.
 */
export async function startServerProcess(
  env: Record<string, string>,
  { timeoutMs = 90_000 }: { timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.SIPAS_DATA_DIR;
  const child = spawn(process.execPath, ['bin/start.js'], {
    cwd: repoRoot,
    env: { ...base, SIPAS_DEMO: 'off', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  const exited = once(child, 'exit');
  child.stdout?.setEncoding('utf8').on('data', (text: string) => chunks.push(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => chunks.push(text));
  const output = () => chunks.join('');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start in ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    );
    const check = () => {
      const match = /SIPAS is listening on (\S+)/.exec(output());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening:\n${output()}`));
    });
  });
  return {
    url: url.replace('localhost', '127.0.0.1'),
    child,
    output,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A campaign open today at the three example counters; one survey token each. */
export async function openSurvey(db: Kysely<Database>): Promise<string[]> {
  const actor = operator('test');
  await ensureBuiltins(db);
  await importUnits(db, actor, Readable.from([exampleFile('units.csv')]));
  await importCounters(db, actor, Readable.from([exampleFile('counters.csv')]));
  const today = Date.now();
  await createCampaign(db, actor, {
    code: 'LOAD',
    instrument: 'sipas-2017',
    from: vietnamDate(new Date(today - 7 * 86_400_000)),
    to: vietnamDate(new Date(today + 7 * 86_400_000)),
    counters: 'all',
  });
  const tokens: string[] = [];
  for (const counter of ['BRVT.SKHDT.Q1', 'BRVT.STP.Q1', 'BRVT.CHAUDUC.Q1']) {
    tokens.push(await issueCounterToken(db, actor, counter));
  }
  return tokens;
}

export interface Submission {
  readonly token: string;
  readonly id: string;
  readonly body: string;
}

/** Distinct valid responses, spread over the tokens. */
export function submissions(tokens: readonly string[], count: number): Submission[] {
  return Array.from({ length: count }, (_, n) => {
    const id = randomUUID();
    const answers = { TC1: (n % 5) + 1, TC2: ((n >> 2) % 5) + 1, PAQ: 0, HL: 4 };
    const body = submissionBody(id, answers, randomUUID());
    return { token: tokens[n % tokens.length] ?? '', id, body };
  });
}

export interface Attempt {
  readonly id: string;
  /** The HTTP status, or 0 for a network error or a timeout. */
  readonly status: number;
  readonly contentType: string | null;
  /** When it was sent and when its answer came, by Date.now(). */
  readonly sent: number;
  readonly ms: number;
  readonly answered: number;
}

/**
 * Phones submitting, `concurrency` at a time, each resending after a network error or a 5xx
 * (a short pause, then again with the same id) until a final reply, as the survey page does.
 * `target()` is read before every attempt, so a test can move the server.
 */
export class Phones {
  readonly acknowledged = new Map<string, number>();
  readonly attempts: Attempt[] = [];
  readonly final = new Map<string, number>();

  constructor(
    private readonly target: () => string,
    private readonly options: { concurrency: number; timeoutMs: number; pauseMs: number },
  ) {}

  async send(all: readonly Submission[], deadline: number): Promise<void> {
    const queue = [...all];
    const worker = async () => {
      for (;;) {
        const next = queue.shift();
        if (!next) return;
        const status = await this.#attempt(next);
        if (status === 0 || status >= 500) {
          if (Date.now() > deadline) throw new Error(`${next.id} still unanswered at the deadline`);
          queue.push(next);
          await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
        } else {
          this.final.set(next.id, status);
          if (status === 200 || status === 201) this.acknowledged.set(next.id, status);
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, worker));
  }

  async #attempt(submission: Submission): Promise<number> {
    const started = performance.now();
    const sent = Date.now();
    const { status, contentType } = await fetch(
      `${this.target()}/api/v1/s/${submission.token}/responses`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: submission.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      },
    )
      .then(async (response) => {
        await response.arrayBuffer();
        return { status: response.status, contentType: response.headers.get('content-type') };
      })
      // A network error or a timeout: what the phone sees when the server is gone.
      .catch(() => ({ status: 0, contentType: null }));
    this.attempts.push({
      id: submission.id,
      status,
      contentType,
      sent,
      ms: performance.now() - started,
      answered: Date.now(),
    });
    return status;
  }
}
