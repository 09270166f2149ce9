// The server's side of the command socket (api/cli/socket.ts): while the server holds an
// embedded data directory, `sipas` commands on it run here, on the server's open database, the
// one process writing the directory. The command's files, stdin, stdout and stderr stay the
// command line's: the `sipas` process reads and writes them as it would running alone.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Database } from '../../db/database.ts';
import type { ReportsConfig } from '../config.ts';
import { DomainError, type Text } from '../errors.ts';
import { languages } from '../../shared/text.ts';
import type { CliFiles } from './command.ts';
import { runInServer } from './run.ts';
import {
  ConnectionLost,
  deferred,
  Frame,
  frameReader,
  frameWriter,
  json,
  pieces,
  type Received,
  schemaVersion,
  socketPath,
} from './socket.ts';

const requestSchema = z.object({
  args: z.array(z.string()),
  schema: z.string(),
  stdoutIsTTY: z.boolean(),
  stderrIsTTY: z.boolean(),
  language: z.enum(languages),
});

export interface CommandSocket {
  /** Where it listens. */
  readonly path: string;
  /** Stops taking commands; those running get `drainMs` to end, then lose their connection. */
  close(drainMs: number): Promise<void>;
}

const text = (frame: Received): unknown => JSON.parse(frame.payload.toString('utf8'));
const message = (frame: Received) => String(text(frame));

/** A failure the command's side reported: already in its user's language, so in both. */
const said = (frame: Received): Text => {
  const reported = message(frame);
  return { vi: reported, en: reported };
};

/** One `sipas` process's command: its frames in, the command's out. */
function serveConnection(
  socket: Socket,
  db: Kysely<Database>,
  reports: ReportsConfig,
): Promise<void> {
  socket.on('error', () => {}); // seen as 'close'
  const send = frameWriter(socket);
  const sendAll = async (type: number, id: number, chunk: Buffer) => {
    for (const piece of pieces(chunk)) await send(type, id, piece);
  };
  let nextId = 1;
  const inputs = new Map<
    number,
    { opened: ReturnType<typeof deferred<void>>; stream: Readable; wanted: () => Promise<void> }
  >();
  const outputs = new Map<
    number,
    { opened: ReturnType<typeof deferred<void>>; done: ReturnType<typeof deferred<void>> }
  >();
  const ran = deferred();

  /** A stream whose writes go to the command's process as frames of `type`. */
  const remote = (type: number) => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        sendAll(type, 0, chunk).then(() => callback(), callback);
      },
    });
    // A command whose process went away must not take the server with it.
    stream.on('error', () => {});
    return stream;
  };
  const stdout = remote(Frame.STDOUT);
  const stderr = remote(Frame.STDERR);

  const files: CliFiles = {
    async read(path, work) {
      const id = nextId++;
      let want = deferred();
      const stream = new Readable({
        read() {
          want.resolve();
        },
        destroy(error, callback) {
          if (inputs.delete(id)) void send(Frame.IN_CLOSE, id).catch(() => {});
          callback(error);
        },
      });
      stream.on('error', () => {}); // the command sees its error where it reads
      const opened = deferred();
      inputs.set(id, {
        opened,
        stream,
        wanted: async () => {
          await want.promise;
          want = deferred();
        },
      });
      await send(Frame.IN_OPEN, id, json(path));
      await opened.promise;
      try {
        return await work(stream);
      } finally {
        stream.destroy();
      }
    },
    async write(path, work) {
      const id = nextId++;
      const opened = deferred();
      const done = deferred();
      outputs.set(id, { opened, done });
      try {
        await send(Frame.OUT_OPEN, id, json(path));
        await opened.promise;
        const output = new Writable({
          write(chunk: Buffer, _encoding, callback) {
            sendAll(Frame.OUT_DATA, id, chunk).then(() => callback(), callback);
          },
          final(callback) {
            send(Frame.OUT_END, id).then(() => callback(), callback);
          },
        });
        try {
          const result = await work(output);
          await finished(output);
          await done.promise;
          return result;
        } catch (error) {
          output.destroy();
          await send(Frame.OUT_ABORT, id).catch(() => {});
          throw error;
        }
      } finally {
        outputs.delete(id);
      }
    },
  };

  async function run(request: z.infer<typeof requestSchema>) {
    let status = 1;
    if (request.schema !== schemaVersion()) {
      stderr.write(
        `The server running on this data directory is another version of SIPAS (its schema ` +
          `${schemaVersion()}, this command's ${request.schema}). Restart the server with this ` +
          `version (npm start), then run the command again.\n`,
      );
    } else {
      if (request.stdoutIsTTY) Object.assign(stdout, { isTTY: true });
      status = await runInServer(
        request.args,
        {
          stdout,
          stderr,
          interactive: request.stderrIsTTY,
          files,
          language: request.language,
          reports,
        },
        db,
      );
    }
    // What the command wrote goes before its exit status.
    stdout.end();
    stderr.end();
    await Promise.all([finished(stdout), finished(stderr)]);
    await send(Frame.EXIT, 0, json({ status }));
    socket.end();
  }

  let started = false;
  async function handle(frame: Received) {
    const input = inputs.get(frame.id);
    const output = outputs.get(frame.id);
    switch (frame.type) {
      case Frame.REQUEST: {
        if (started) throw new Error('a second request');
        const request = requestSchema.parse(text(frame));
        started = true;
        // Not awaited: the command runs while its frames keep coming.
        run(request).then(ran.resolve, () => {
          // Its process went away mid-command: there is nobody left to tell.
          socket.destroy();
          ran.resolve();
        });
        return;
      }
      case Frame.IN_READY:
        return input?.opened.resolve();
      case Frame.IN_FAILED: {
        const error = new DomainError('bad-request', said(frame));
        input?.opened.reject(error);
        input?.stream.destroy(error);
        return;
      }
      case Frame.IN_DATA:
        // Taken only as fast as the command reads: the socket waits meanwhile.
        if (input && !input.stream.destroyed && !input.stream.push(frame.payload)) {
          await Promise.race([input.wanted(), finished(input.stream).catch(() => {})]);
        }
        return;
      case Frame.IN_END:
        input?.stream.push(null);
        return;
      case Frame.OUT_READY:
        return output?.opened.resolve();
      case Frame.OUT_DONE:
        return output?.done.resolve();
      case Frame.OUT_FAILED: {
        const error = new DomainError('bad-request', said(frame));
        output?.opened.reject(error);
        output?.done.reject(error);
        return;
      }
      default:
        throw new Error(`unknown frame type ${frame.type}`);
    }
  }

  const reader = frameReader(handle);
  reader.on('error', () => socket.destroy());
  socket.pipe(reader);
  socket.once('close', () => {
    const lost = new ConnectionLost();
    for (const { opened, stream } of inputs.values()) {
      opened.reject(lost);
      // An input cut short is an error, never an end: an import of half a file stores nothing.
      stream.destroy(lost);
    }
    for (const { opened, done } of outputs.values()) {
      opened.reject(lost);
      done.reject(lost);
    }
    stdout.destroy(lost);
    stderr.destroy(lost);
    if (!started) ran.resolve();
  });
  return ran.promise;
}

/**
 * Listens for `sipas` commands in the data directory, which the server has locked. Returns
 * undefined, after saying why through `log`, where no socket can be made: commands then stop
 * with the lock's message, as before.
 */
export async function listenForCommands(
  dataDir: string,
  db: Kysely<Database>,
  reports: ReportsConfig,
  log: (line: string) => void,
): Promise<CommandSocket | undefined> {
  const path = socketPath(dataDir);
  if (path === undefined) {
    log(
      `The data directory's path is too long for a socket: sipas commands on it wait until the server stops.`,
    );
    return undefined;
  }
  // The lock is ours: a socket there is one a killed server left.
  rmSync(path, { force: true });
  const running = new Map<Socket, Promise<void>>();
  const server: Server = createServer((socket) => {
    const done = serveConnection(socket, db, reports).finally(() => running.delete(socket));
    running.set(socket, done);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Only the directory's owner: whoever may use it could open the database anyway.
    chmodSync(path, 0o600);
  } catch (error) {
    server.close();
    log(`sipas commands cannot reach this server (${String(error)}); they wait until it stops.`);
    return undefined;
  }
  const remove = () => rmSync(path, { force: true });
  process.on('exit', remove);
  return {
    path,
    async close(drainMs) {
      // Closed once the commands running have ended: it takes no new ones meanwhile.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      remove();
      process.off('exit', remove);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, drainMs);
      });
      await Promise.race([Promise.all(running.values()), late]);
      clearTimeout(timer);
      for (const socket of running.keys()) socket.destroy();
      await Promise.all(running.values());
      await closed;
    },
  };
}
