// Test support: run `sipas` in-process against a test database, capturing its output.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { connect, type Connection, type Engine } from '../../db/connect.ts';
import { runCli } from './run.ts';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * A `sipas` bound to one database: a temp data directory for PGlite, or the test database's
 * URL for PostgreSQL. The embedded directory is opened per command, as the real command does.
 */
export function cliFor(engine: Engine, url: string | undefined) {
  const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'sipas-cli-')) : undefined;
  const env = { ...process.env, DATABASE_URL: engine === 'postgres' ? url : '' };
  const invoke = async (args: string[], terminal: boolean, input?: string): Promise<CliResult> => {
    const stdout = sink();
    const stderr = sink();
    if (terminal) Object.assign(stderr.stream, { isTTY: true });
    const withData = dataDir ? [...args, '--data', dataDir] : args;
    const status = await runCli(withData, {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env,
      ...(input === undefined ? {} : { stdin: Readable.from([input]) }),
    });
    return { status, stdout: stdout.text(), stderr: stderr.text() };
  };
  /** The command's database, for checking what it stored. Close it before the next command. */
  const open = (): Connection =>
    dataDir
      ? connect({ engine: 'pglite', dataDir })
      : connect({ engine: 'postgres', databaseUrl: url ?? '' });
  const run = (...args: string[]) => invoke(args, false);
  /** The same command with stderr a terminal, where long commands report progress. */
  const onTerminal = (...args: string[]) => invoke(args, true);
  /** The same command with `input` on its stdin. */
  const withInput = (input: string, ...args: string[]) => invoke(args, false, input);
  return Object.assign(run, { open, onTerminal, withInput, dataDir });
}
