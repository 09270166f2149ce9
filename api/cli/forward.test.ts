// `sipas` beside a running server on an embedded data directory: the command runs in the
// server (api/cli/serve.ts), its files stay the command line's, and the lock still lets no
// second process open the directory.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScratchServer } from '../server.testing.ts';
import { exampleFile, openExampleCampaign } from '../services/examples.testing.ts';
import { runCli } from './run.ts';
import { Frame, frameReader, frameWriter, json, schemaVersion, SOCKET_NAME } from './socket.ts';

function sink() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('sipas beside the running server', () => {
  let server: Awaited<ReturnType<typeof startScratchServer>>;
  let dataDir: string;
  const folder = mkdtempSync(join(tmpdir(), 'sipas-forward-files-'));
  const sipas = async (...args: string[]) => {
    const stdout = sink();
    const stderr = sink();
    const env = { ...process.env, DATABASE_URL: '', SIPAS_DATA_DIR: dataDir };
    const status = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, env });
    return { status, stdout: stdout.text(), stderr: stderr.text() };
  };

  beforeAll(async () => {
    server = await startScratchServer('forward');
    dataDir = server.dataDir;
  }, 120_000);
  afterAll(async () => {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('listens on sipas.sock in the data directory, for its owner only', () => {
    const socket = statSync(join(dataDir, SOCKET_NAME));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
  });

  it('creates a token the API accepts, audited as the command line', async () => {
    const units = join(folder, 'units.csv');
    writeFileSync(units, exampleFile('units.csv'));
    expect(await sipas('units', 'import', units)).toEqual({
      status: 0,
      stdout: 'units: created 4, updated 0\n',
      stderr: '',
    });
    const created = await sipas('token', 'create', '--role', 'analyst', '--unit', 'BRVT.SKHDT');
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^sk_[\w-]{43}$/);
    expect(created.stderr).toMatch(/^token [0-9a-f]{12} created \(sipas token list shows it\)\n$/);
    const me = await fetch(`${server.url}/api/v1/campaigns`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    const audit = await server.connection.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', '=', 'token.create')
      .execute();
    expect(audit).toEqual([{ actor: 'cli', action: 'token.create' }]);
  });

  it('reads the command line files and writes its outputs whole', async () => {
    const out = join(folder, 'tokens.json');
    const exported = await sipas('responses', 'export', '--campaign', 'NONE', '--out', out);
    expect(exported).toEqual({ status: 1, stdout: '', stderr: 'Unknown campaign NONE.\n' });
    const listed = await sipas('token', 'list', '--format', 'json');
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ role: 'analyst', unit: 'BRVT.SKHDT' }]);

    const backup = join(folder, 'backup.sipas.gz');
    const made = await sipas('backup', backup);
    expect(made).toMatchObject({ status: 0, stdout: '' });
    expect(made.stderr).toMatch(/^backup: \d+ rows in \d+ tables\n$/);
    expect(readFileSync(backup).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip

    const missing = await sipas('counters', 'import', join(folder, 'none.csv'));
    expect(missing).toEqual({
      status: 1,
      stdout: '',
      stderr: `Cannot read ${join(folder, 'none.csv')} (ENOENT).\n`,
    });
    const nowhere = await sipas('backup', join(folder, 'no', 'such', 'dir.gz'));
    expect(nowhere).toEqual({
      status: 1,
      stdout: '',
      stderr: `Cannot write ${join(folder, 'no', 'such', 'dir.gz')} (ENOENT).\n`,
    });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(folder).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('reports usage and domain errors with the same statuses as alone', async () => {
    expect(await sipas('scores', '--campaign', 'NONE', '--by', 'all')).toEqual({
      status: 1,
      stdout: '',
      stderr: 'Unknown campaign NONE.\n',
    });
    const usage = await sipas('token', 'create', '--role', 'owner');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^sipas token create: --role must be one of admin/);
  });

  it("answers in the language of the command's user, not the server's", async () => {
    const inLanguage = async (SIPAS_LANG: string) => {
      const stderr = sink();
      const env = { ...process.env, DATABASE_URL: '', SIPAS_DATA_DIR: dataDir, SIPAS_LANG };
      const status = await runCli(['scores', '--campaign', 'NONE', '--by', 'all'], {
        stdout: sink().stream,
        stderr: stderr.stream,
        env,
      });
      return { status, stderr: stderr.text() };
    };
    expect(await inLanguage('vi')).toEqual({
      status: 1,
      stderr: 'Không tìm thấy đợt khảo sát NONE.\n',
    });
    expect(await inLanguage('en')).toEqual({ status: 1, stderr: 'Unknown campaign NONE.\n' });
  });

  it('refuses restore, which would replace the database the server serves', async () => {
    expect(await sipas('restore', join(folder, 'backup.sipas.gz'))).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'sipas restore cannot run while the server runs on this data directory: it replaces ' +
        'the whole database, which the server is serving. Stop the server first (Ctrl-C ' +
        'where npm start runs), then run the command again.\n',
    });
  });

  /** Speaks to the socket as a `sipas` process would, frame by frame. */
  async function converse(
    request: object,
    answer: (
      frame: { type: number; id: number },
      send: ReturnType<typeof frameWriter>,
      socket: Socket,
    ) => void,
  ) {
    const socket = createConnection(join(dataDir, SOCKET_NAME));
    const send = frameWriter(socket);
    let stderr = '';
    let exit: unknown;
    socket.pipe(
      frameReader((frame) => {
        if (frame.type === Frame.STDERR) stderr += frame.payload.toString('utf8');
        if (frame.type === Frame.EXIT) exit = JSON.parse(frame.payload.toString('utf8'));
        answer(frame, send, socket);
      }),
    );
    await send(Frame.REQUEST, 0, json(request));
    await new Promise((resolve) => socket.once('close', resolve));
    return { stderr, exit };
  }

  it('refuses a command of another version of SIPAS', async () => {
    const { stderr, exit } = await converse(
      {
        args: ['token', 'list'],
        schema: '2020_01_01_0000_old',
        stdoutIsTTY: false,
        stderrIsTTY: false,
        language: 'en',
      },
      () => {},
    );
    expect(exit).toEqual({ status: 1 });
    expect(stderr).toMatch(
      /^The server running on this data directory is another version of SIPAS \(its schema \d{4}_\d\d_\d\d_\d{4}_\w+, this command's 2020_01_01_0000_old\)\./,
    );
  });

  it('stores nothing of a file whose command line went away mid-way', async () => {
    const before = await server.connection.db.selectFrom('counter').select('code').execute();
    const { exit } = await converse(
      {
        args: ['counters', 'import', 'counters.csv'],
        schema: schemaVersion(),
        stdoutIsTTY: false,
        stderrIsTTY: false,
        language: 'en',
      },
      (frame, send, socket) => {
        if (frame.type !== Frame.IN_OPEN) return;
        const [header, first] = exampleFile('counters.csv').split('\n');
        void (async () => {
          await send(Frame.IN_READY, frame.id);
          await send(Frame.IN_DATA, frame.id, Buffer.from(`${header}\n${first}\n`));
          // The process is killed before the rest of the file and its end.
          setTimeout(() => socket.destroy(), 200);
        })();
      },
    );
    expect(exit).toBeUndefined();
    const after = await server.connection.db.selectFrom('counter').select('code').execute();
    expect(after).toEqual(before);
  });
  it('edits a campaign and replaces a form from an answers file of the command line', async () => {
    await openExampleCampaign(server.connection.db);
    const edited = await sipas('campaign', 'edit', 'BRVT-2025', '--target', 'BRVT.STP.Q1=30');
    expect(edited.status).toBe(0);
    expect(edited.stdout).toContain('  BRVT.STP.Q1: target 30, transactions 252\n');
    const answers = join(folder, 'answers.json');
    writeFileSync(answers, JSON.stringify({ TC1: 1, PAQ: 0 }));
    // A paper form of fixtures/examples/responses.csv.
    const form = '90124c47-9755-08c4-d61c-c2ca27a0170a';
    const replaced = await sipas(
      ...['responses', 'replace', '--campaign', 'BRVT-2025', form, answers],
      ...['--reason', 'Nhập nhầm TC1'],
    );
    expect(replaced.status).toBe(0);
    expect(replaced.stdout).toMatch(/^form 90124c47-[\w-]+: response \d+ replaced by \d+\n$/);
    const stored = await server.connection.db
      .selectFrom('response')
      .select('status')
      .where('source_id', '=', form)
      .orderBy('id')
      .execute();
    expect(stored.map((r) => r.status)).toEqual(['replaced', 'valid']);
    const missing = await sipas(
      ...['responses', 'replace', '--campaign', 'BRVT-2025', form, join(folder, 'none.json')],
      ...['--reason', 'x'],
    );
    expect(missing.stderr).toBe(`Cannot read ${join(folder, 'none.json')} (ENOENT).\n`);
  });
});
