// The acceptance run of `sipas` beside `npm start` on the embedded database (issue 14): the
// real server (`node bin/start.js`) holds a fresh data directory, and the real command
// (`node bin/sipas.js`) on the same directory creates a token the API accepts, reads, takes
// stdin, and is refused where it would replace the server's database or read a password at
// its terminal; a second server on the directory is still refused by its lock.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  type ServerProcess,
  slowTests,
  startServerProcess,
} from '../../reliability/harness.ts';
import { exampleFile } from '../services/examples.testing.ts';
import { SOCKET_NAME } from './socket.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

if (!slowTests) console.info('sipas beside npm start: skipped (set SIPAS_SLOW_TESTS=1)');

describe.skipIf(!slowTests)('sipas beside npm start on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sipas-beside-'));
  let server: ServerProcess;
  const env = () => {
    const base = { ...process.env };
    delete base.DATABASE_URL;
    return { ...base, SIPAS_DATA_DIR: dataDir };
  };
  /** `npx sipas ARGS` in the repository, as a user types it, with `stdin` as its input. */
  async function sipas(args: string[], stdin = '') {
    const child = spawn(process.execPath, ['bin/sipas.js', ...args], {
      cwd: repoRoot,
      env: env(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdin.end(stdin);
    const [status] = (await once(child, 'close')) as [number | null];
    return { status, stdout, stderr };
  }

  beforeAll(async () => {
    server = await startServerProcess({
      SIPAS_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      SIPAS_DEMO: 'on',
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates an analyst token that works against the API, while the server runs', async () => {
    const created = await sipas(['token', 'create', '--role', 'analyst', '--unit', 'DEMO.SNV']);
    expect(created.stderr).toMatch(/^token [0-9a-f]{12} created \(sipas token list shows it\)\n$/);
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^sk_[\w-]{43}$/);
    const campaigns = await fetch(`${server.url}/api/v1/campaigns`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(campaigns.status).toBe(200);
    const unauthenticated = await fetch(`${server.url}/api/v1/campaigns`, {
      headers: { authorization: 'Bearer sk_not-a-token' },
    });
    expect(unauthenticated.status).toBe(401);
  }, 120_000);

  it('reads, and imports from stdin, beside the server', async () => {
    const scores = await sipas(['scores', '--campaign', 'DEMO-2026', '--by', 'all']);
    expect(scores.status).toBe(0);
    expect(JSON.parse(scores.stdout)).toMatchObject({ campaign: 'DEMO-2026' });
    const imported = await sipas(['units', 'import', '-'], exampleFile('units.csv'));
    expect(imported).toEqual({ status: 0, stdout: 'units: created 4, updated 0\n', stderr: '' });
    // A reorganisation reads two files of the command line's.
    const reorganisation = `${dataDir}-reorganisation.csv`;
    const transfers = `${dataDir}-transfers.csv`;
    writeFileSync(
      reorganisation,
      'predecessor,successor,successor_name,successor_parent\n' +
        'BRVT.SKHDT,BRVT.STC,Sở Tài chính,BRVT\nBRVT.STP,BRVT.STC,Sở Tài chính,BRVT\n',
    );
    writeFileSync(transfers, 'unit,parent\nBRVT.CHAUDUC,\n');
    const reorganised = await sipas([
      'units',
      'reorganise',
      '--on',
      '2025-07-01',
      reorganisation,
      '--transfers',
      transfers,
    ]);
    rmSync(reorganisation);
    rmSync(transfers);
    expect(reorganised.stderr).toBe('');
    expect(reorganised.stdout).toContain('transfer: BRVT.CHAUDUC UBND huyện Châu Đức: BRVT');
    expect(reorganised.stdout).toMatch(/applied: reorganisation 1 on 2025-07-01\n$/);
    const listed = await sipas(['token', 'list', '--format', 'json']);
    expect(listed.status).toBe(0);
    // The demo creates no token: the one listed is the analyst's, created above.
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { role: 'analyst', unit: 'DEMO.SNV', revokedAt: null },
    ]);
  }, 180_000);

  it('refuses restore and account create with the reason, and a second server by the lock', async () => {
    const restore = await sipas(['restore', 'backup.sipas.gz']);
    expect(restore).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'sipas restore cannot run while the server runs on this data directory: it replaces ' +
        'the whole database, which the server is serving. Stop the server first (Ctrl-C ' +
        'where npm start runs), then run the command again.\n',
    });
    const account = await sipas(
      ['account', 'create', '--role', 'admin', '--login', 'root'],
      'mật khẩu quản trị\n',
    );
    expect(account).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'sipas account create cannot run while the server runs on this data directory: the ' +
        'password is read from this terminal; use the console while it runs. Stop the server ' +
        'first (Ctrl-C where npm start runs), then run the command again.\n',
    });
    const second = await startServerProcess({
      SIPAS_DATA_DIR: dataDir,
      PORT: String(await freePort()),
    }).then(
      () => 'started',
      (error: unknown) => String(error),
    );
    expect(second).toMatch(
      new RegExp(
        `the server exited before listening:\\n.*The data directory ${dataDir} is in use by process ${server.child.pid}`,
      ),
    );
  }, 180_000);

  it('removes its socket when stopped, and the command opens the directory itself', async () => {
    expect(existsSync(join(dataDir, SOCKET_NAME))).toBe(true);
    await server.stop('SIGTERM');
    expect(existsSync(join(dataDir, SOCKET_NAME))).toBe(false);
    const listed = await sipas(['token', 'list', '--format', 'json']);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { role: 'analyst', unit: 'DEMO.SNV', revokedAt: null },
    ]);
  }, 120_000);
});
