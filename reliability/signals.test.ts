// `npm start` stopped by a signal, as a process manager or a Ctrl-C stops it: the signal reaches
// the server (npm runs its script through a shell, which does not pass signals on), requests in
// flight finish, and within the shutdown time no process is left and the embedded data
// directory's lock is released, so that the next start or `sipas` command may open it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SHUTDOWN_MS } from '../api/server.ts';
import { lockDataDirectory } from '../db/lock.ts';
import { freePort, processTree, slowTests } from './harness.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !zombie(pid);
function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

const onLinux = existsSync('/proc/self/stat');
if (slowTests && !onLinux) console.info('signal test skipped: it reads processes from /proc');

describe.skipIf(!slowTests || !onLinux).each(['SIGTERM', 'SIGINT'] as const)(
  '`npm start` sent %s',
  (signal) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sipas-signal-'));
    let pids: number[] = [];
    afterAll(() => {
      for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('stops every process it started and releases the data directory in time', async () => {
      const port = await freePort();
      const base = { ...process.env };
      delete base.DATABASE_URL;
      const child = spawn('npm', ['start'], {
        cwd: repoRoot,
        env: {
          ...base,
          SIPAS_DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          SIPAS_DEMO: 'off',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = once(child, 'exit');
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
      const pid = child.pid;
      if (pid === undefined) throw new Error('npm did not start');
      const started = Date.now();
      for (;;) {
        const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (healthy) break;
        if (Date.now() - started > 90_000) throw new Error(`no start in 90 s:\n${output}`);
        await sleep(200);
      }
      pids = processTree(pid);
      // npm, the shell it may run the script in, node, and tsx's esbuild service.
      expect(pids.length).toBeGreaterThanOrEqual(2);

      const sent = Date.now();
      child.kill(signal);
      await Promise.race([exited, sleep(SHUTDOWN_MS + 1_000)]);
      while (pids.some(alive) && Date.now() - sent < SHUTDOWN_MS + 1_000) await sleep(50);
      const stoppedMs = Date.now() - sent;
      expect(pids.filter(alive), output).toEqual([]);
      expect(stoppedMs).toBeLessThan(SHUTDOWN_MS);
      // The lock is free: another open of the directory takes it.
      expect(existsSync(join(dataDir, 'sipas.lock'))).toBe(false);
      lockDataDirectory(dataDir)();
      expect(output).toContain(`${signal}: finishing requests in flight`);
      console.info(`${signal}: ${pids.length} processes ended ${stoppedMs} ms after the signal`);
    }, 120_000);
  },
);
