// The command line of interchange.md §3, callable in-process (tests) or from api/cli/main.ts.
// Exit status: 0 success; 1 bad input or a failure, reported on stderr; 2 bad usage.
// On an embedded data directory that the server holds, the command is run by the server
// (api/cli/forward.ts): the one process that may write the directory.
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { connect, hasEmbeddedDatabase, type Connection } from '../../db/connect.ts';
import { DataDirectoryLockedError } from '../../db/lock.ts';
import type { ReplicaLag } from '../../db/replica.ts';
import { hasSchema, migrateToLatest } from '../../db/migrate.ts';
import { ConfigError, loadDatabaseConfig, loadReportsConfig } from '../config.ts';
import { DomainError, inLanguage, text, type Language, type Text } from '../errors.ts';
import { ensureBuiltins } from '../services/builtins.ts';
import { operator } from '../services/access.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { type CliContext, type Command, type Invocation, UsageError } from './command.ts';
import { findCommand, listCommands } from './commands/index.ts';
import { localFiles } from './commands/input.ts';
import { forwardToServer } from './forward.ts';

/**
 * The language of the command's reports: SIPAS_LANG, else the locale (LC_ALL, LC_MESSAGES,
 * LANG) when it is Vietnamese; English otherwise, as before issue 14.
 */
export function cliLanguage(env: NodeJS.ProcessEnv): Language {
  const setting = env.SIPAS_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^vi([_.-]|$)/i.test(setting) ? 'vi' : 'en';
}

/** Where a PostgreSQL URL points, without its credentials. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** A standby's lag in words: seconds and bytes of WAL, each when known. */
const describeLag = ({ seconds, bytes }: ReplicaLag) =>
  [
    seconds === null ? 'an unknown time' : `${seconds.toFixed(1)} s`,
    ...(bytes === null ? [] : [`(${bytes} bytes of WAL)`]),
  ].join(' ');

// A command that only reads must not leave an empty database behind a typo in --data.
const place = (vi: string, en: string, where: string) => text(`${vi} ${where}`, `${en} ${where}`);
const noDatabase = (command: Command, where: Text) =>
  new DomainError(
    'not-found',
    text(
      `Không có cơ sở dữ liệu SIPAS ${where.vi}; sipas ${command.name} không tự tạo. Chỉ ra ` +
        `bằng --data DIR hoặc SIPAS_DATA_DIR (cơ sở dữ liệu nhúng), hoặc DATABASE_URL (PostgreSQL).`,
      `No SIPAS database ${where.en}; sipas ${command.name} creates none. Point at one with ` +
        `--data DIR or SIPAS_DATA_DIR (an embedded database), or DATABASE_URL (PostgreSQL).`,
    ),
  );

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream;
}

/** The command and its arguments, parsed; or the exit status when there is nothing to run. */
type Parsed = { command: Command; invocation: Invocation } | { status: number };

async function parse(args: string[], io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<Parsed> {
  const found = findCommand(args);
  if (!found) return { status: listCommands(args, io.stderr) };
  const command = await found.listed.load();
  const { rest } = found;
  try {
    const invocation = parseArgs({
      args: rest,
      options: { ...command.options, data: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (invocation.values.help) {
      io.stdout.write(`sipas ${command.name} ${command.usage}\n`);
      return { status: 0 };
    }
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (invocation.positionals.length < min || invocation.positionals.length > max) {
      throw new UsageError(`expected ${min === max ? min : `${min} to ${max}`} argument(s)`);
    }
    return { command, invocation };
  } catch (error) {
    return { status: failure(command, error, io.stderr, 'en') };
  }
}

/** Reports a command's failure on stderr; returns its exit status. */
function failure(
  command: Command,
  error: unknown,
  stderr: NodeJS.WritableStream,
  language: Language,
): number {
  if (
    error instanceof UsageError ||
    (error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    stderr.write(
      `sipas ${command.name}: ${error.message}\nUsage: sipas ${command.name} ${command.usage}\n`,
    );
    return 2;
  }
  if (error instanceof DomainError) {
    const { detail, errors } = inLanguage(error, language);
    stderr.write(`${detail}\n`);
    for (const e of errors) stderr.write(`${e.path}: ${e.message}\n`);
    return 1;
  }
  if (error instanceof DataDirectoryLockedError || error instanceof ConfigError) {
    stderr.write(`${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`sipas ${command.name} failed: ${message}\n`);
  return 1;
}

export async function runCli(args: string[], io: CliIo): Promise<number> {
  const parsed = await parse(args, io);
  if ('status' in parsed) return parsed.status;
  const { command, invocation } = parsed;
  let connection: Connection | undefined;
  try {
    // The server's parser: a bad DATABASE_URL is refused alike. --data stands for
    // SIPAS_DATA_DIR; DATABASE_URL, when set, still wins over both.
    const { data } = invocation.values;
    const database = loadDatabaseConfig(
      typeof data === 'string' ? { ...io.env, SIPAS_DATA_DIR: data } : io.env,
    );
    const reports = loadReportsConfig(io.env);
    if (database.engine === 'pglite') {
      // The server holds the directory: it runs the command on its open database.
      const status = await forwardToServer(database.dataDir, args, {
        ...io,
        language: cliLanguage(io.env),
      });
      if (status !== undefined) return status;
    }
    const context: CliContext = {
      principal: operator(),
      reports,
      stdin: io.stdin ?? process.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      interactive: 'isTTY' in io.stderr && io.stderr.isTTY === true,
      files: localFiles,
      async db() {
        if (!connection) {
          const embedded = database.engine === 'pglite';
          if (embedded && command.existingOnly && !hasEmbeddedDatabase(database.dataDir)) {
            throw noDatabase(command, place('trong', 'in', resolve(database.dataDir)));
          }
          connection = connect(database);
          if (!embedded && command.existingOnly && !(await hasSchema(connection.db))) {
            throw noDatabase(command, place('tại', 'at', describeUrl(database.databaseUrl)));
          }
          await migrateToLatest(connection.db);
          await ensureBuiltins(connection.db);
        }
        return connection.db;
      },
      async readDb() {
        const primary = await context.db();
        const replica = connection?.replica;
        if (replica === undefined) return primary;
        const lag = await replica.lag();
        if (lag !== null && lag.seconds !== 0) {
          io.stderr.write(
            `sipas ${command.name}: the read replica is ${describeLag(lag)} behind the primary; ` +
              `its figures may miss what was stored meanwhile.\n`,
          );
        }
        return replica.db;
      },
    };
    await command.run(context, invocation);
    return 0;
  } catch (error) {
    return failure(command, error, io.stderr, cliLanguage(io.env));
  } finally {
    await connection?.close();
  }
}

/**
 * Runs a command for a `sipas` process inside the server that holds the embedded data
 * directory (api/cli/serve.ts), on the server's open database, which is migrated and has its
 * built-ins already: the same parsing, the same code, the same exit statuses and messages, in
 * the language of the command's user (`io.language`, sent by api/cli/forward.ts).
 */
export async function runInServer(
  args: string[],
  io: Pick<CliContext, 'stdout' | 'stderr' | 'interactive' | 'files' | 'reports'> & {
    language: Language;
  },
  db: Kysely<Database>,
): Promise<number> {
  const parsed = await parse(args, io);
  if ('status' in parsed) return parsed.status;
  const { command, invocation } = parsed;
  if (command.notBesideServer) {
    io.stderr.write(
      `sipas ${command.name} cannot run while the server runs on this data directory: ` +
        `${command.notBesideServer}. Stop the server first (Ctrl-C where npm start runs), then ` +
        `run the command again.\n`,
    );
    return 1;
  }
  try {
    // No command run here reads stdin itself (those that would are notBesideServer).
    const stdin = Readable.from([]);
    await command.run(
      { ...io, stdin, principal: operator(), db: async () => db, readDb: async () => db },
      invocation,
    );
    return 0;
  } catch (error) {
    // A forwarded command speaks its user's language, as it would alone.
    return failure(command, error, io.stderr, io.language);
  }
}
