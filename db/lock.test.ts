// The data directory's lock: processes racing for it in the same millisecond, one wins each
// time, whatever lies there before (nothing, a stale lock, an empty file); a pid reused by an
// unrelated process does not hold it; a refusal is one line, from the server and the command.
import { type ChildProcessByStdio, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slowTests } from '../reliability/harness.ts';
import { DataDirectoryLockedError, identityOf, lockDataDirectory } from './lock.ts';

const root = new URL('..', import.meta.url).pathname;
const RACERS = 6;
const TRIALS = slowTests ? 300 : 100;

interface Racer {
  child: ChildProcessByStdio<Writable, Readable, null>;
  lines: AsyncIterator<string>;
  reader: Interface;
}

function startRacer(dataDir: string): Racer {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'db/lock-racer.testing.ts'), dataDir],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const reader = createInterface({ input: child.stdout });
  return { child, reader, lines: reader[Symbol.asyncIterator]() };
}

async function ask(racer: Racer, line: string): Promise<string> {
  racer.child.stdin.write(`${line}\n`);
  const next = await racer.lines.next();
  return next.done ? 'gone' : next.value;
}

/** A pid no process has: one that just exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  if (pid === undefined) throw new Error('could not start a process');
  return pid;
}

describe('the data directory lock', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sipas-lock-race-'));
  const lock = join(dataDir, 'sipas.lock');
  let racers: Racer[] = [];
  let dead = 0;

  beforeAll(async () => {
    dead = deadPid();
    racers = Array.from({ length: RACERS }, () => startRacer(dataDir));
    // Each answers once it has loaded: a release of nothing.
    await Promise.all(racers.map((r) => ask(r, 'release')));
  });
  afterAll(() => {
    for (const racer of racers) racer.child.stdin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const before = {
    none: () => {},
    'a stale lock': () => writeFileSync(lock, `${dead} 4242 0badc0de\n`),
    "an earlier version's stale lock": () => writeFileSync(lock, String(dead)),
    'an empty lock file': () => writeFileSync(lock, ''),
  };

  it.each(Object.entries(before))(
    `lets exactly one of ${RACERS} processes racing in the same millisecond win, with %s before`,
    async (_name, prepare) => {
      const winners: number[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        prepare();
        const at = Date.now() + 20;
        const answers = await Promise.all(racers.map((r) => ask(r, `go ${at}`)));
        expect(answers.filter((a) => a !== 'won' && a !== 'refused')).toEqual([]);
        const won = racers.filter((_, i) => answers[i] === 'won');
        winners.push(won.length);
        await Promise.all(won.map((r) => ask(r, 'release')));
        // Nothing is left behind: no lock, no draft, no marker.
        expect(readdirSync(dataDir)).toEqual([]);
      }
      expect(winners.filter((n) => n !== 1)).toEqual([]);
    },
    180_000,
  );

  // Without /proc a reused pid cannot be told apart from its first owner.
  it.runIf(existsSync('/proc/self/stat'))(
    'is not held by a live process that did not write it (a reused pid)',
    () => {
      // The test's parent was running before this lock was written: it cannot be its owner.
      writeFileSync(lock, `${process.ppid} 1 0badc0de\n`);
      const release = lockDataDirectory(dataDir);
      release();
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );

  it('is held by a live process that wrote it', () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const { pid, start } = identityOf(other.pid ?? 0);
      writeFileSync(lock, `${pid} ${start ?? '-'} 0badc0de\n`);
      expect(() => lockDataDirectory(dataDir)).toThrow(DataDirectoryLockedError);
      // The bare pid an earlier version wrote holds it too.
      writeFileSync(lock, String(pid));
      expect(() => lockDataDirectory(dataDir)).toThrow(`in use by process ${pid}`);
    } finally {
      other.kill();
      rmSync(lock, { force: true });
    }
  });
});

describe('a refusal', () => {
  const run = promisify(execFile);
  const dataDir = mkdtempSync(join(tmpdir(), 'sipas-lock-refusal-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['npm start', 'bin/start.js', []],
    ['sipas', 'bin/sipas.js', ['migrate', '--data', dataDir]],
  ])(
    // The server loads the whole application first (through tsx when build/ is stale): slow on
    // a busy machine.
    'is one line from %s, no stack trace, exit 1',
    async (_name, bin, args) => {
      const release = lockDataDirectory(dataDir);
      try {
        const { DATABASE_URL: _postgres, ...rest } = process.env;
        const env = { ...rest, SIPAS_DATA_DIR: dataDir };
        const failed = await run(process.execPath, [join(root, bin), ...args], { env }).then(
          () => undefined,
          (error: { code: number; stderr: string }) => error,
        );
        expect(failed?.code).toBe(1);
        expect(failed?.stderr).toBe(
          `The data directory ${dataDir} is in use by process ${process.pid} (the server, or ` +
            `another sipas command). Stop it first, or set DATABASE_URL to use PostgreSQL, where ` +
            `the server and the command run side by side.\n`,
        );
      } finally {
        release();
      }
    },
    180_000,
  );
});
