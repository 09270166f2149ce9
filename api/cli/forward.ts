// The command's side of the command socket (api/cli/socket.ts): when the server holds the
// embedded data directory, `sipas` sends it the command and serves it the command's files,
// stdin, stdout and stderr, so that the command runs as if here, and exits with its status.
import { createConnection, type Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Language } from '../errors.ts';
import { localFiles, openInput } from './commands/input.ts';
import {
  type CommandRequest,
  ConnectionLost,
  Frame,
  frameReader,
  frameWriter,
  json,
  pieces,
  type Received,
  schemaVersion,
  socketPath,
  writeTo,
} from './socket.ts';

const isTerminal = (stream: NodeJS.WritableStream) => 'isTTY' in stream && stream.isTTY === true;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The server's socket, connected; undefined when no server listens there. */
async function connectTo(path: string): Promise<Socket | undefined> {
  const socket = createConnection(path);
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.off('error', refused);
      resolve(socket);
    });
    // No socket (ENOENT), one left by a server that was killed (ECONNREFUSED), or one this
    // user may not use (EACCES): the command opens the directory itself, and its lock decides.
    const refused = () => resolve(undefined);
    socket.once('error', refused);
  });
}

interface ForwardIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The language the command's user reads, which the server's reports follow. */
  language: Language;
}

/**
 * Runs the command in the server that holds `dataDir`, if one listens there: its exit status;
 * undefined when no server does.
 */
export async function forwardToServer(
  dataDir: string,
  args: string[],
  io: ForwardIo,
): Promise<number | undefined> {
  const path = socketPath(dataDir);
  const socket = path === undefined ? undefined : await connectTo(path);
  return socket && converse(socket, args, io);
}

/** The command sent, its frames served until the server's EXIT; its exit status. */
async function converse(socket: Socket, args: string[], io: ForwardIo): Promise<number> {
  socket.on('error', () => {}); // seen as 'close'
  const send = frameWriter(socket);
  const inputs = new Map<number, Readable>();
  const outputs = new Map<number, PassThrough>();
  let status: number | undefined;
  // A reader of stdout that has seen enough (`| head`): the command stops, quietly, as here.
  let readerGone = false;
  const onStdoutError = () => {
    readerGone = true;
    socket.destroy();
  };
  io.stdout.on('error', onStdoutError);

  async function sendInput(id: number, input: Readable) {
    try {
      for await (const chunk of input) {
        if (!inputs.has(id)) break;
        for (const piece of pieces(Buffer.from(chunk))) await send(Frame.IN_DATA, id, piece);
      }
      if (inputs.has(id)) await send(Frame.IN_END, id);
    } catch (error) {
      if (!(error instanceof ConnectionLost)) {
        await send(Frame.IN_FAILED, id, json(messageOf(error))).catch(() => {});
      }
    } finally {
      inputs.delete(id);
      if (input !== process.stdin) input.destroy();
    }
  }

  async function openOutput(id: number, file: string) {
    const data = new PassThrough();
    outputs.set(id, data);
    try {
      await localFiles.write(file, async (output) => {
        await send(Frame.OUT_READY, id);
        await pipeline(data, output);
      });
      await send(Frame.OUT_DONE, id);
    } catch (error) {
      await send(Frame.OUT_FAILED, id, json(messageOf(error))).catch(() => {});
    } finally {
      outputs.delete(id);
    }
  }

  const text = (frame: Received): unknown => JSON.parse(frame.payload.toString('utf8'));
  async function handle(frame: Received) {
    switch (frame.type) {
      case Frame.STDOUT:
        return writeTo(io.stdout, frame.payload);
      case Frame.STDERR:
        return writeTo(io.stderr, frame.payload);
      case Frame.IN_OPEN: {
        let input: Readable;
        try {
          input = await openInput(String(text(frame)));
        } catch (error) {
          return send(Frame.IN_FAILED, frame.id, json(messageOf(error)));
        }
        inputs.set(frame.id, input);
        await send(Frame.IN_READY, frame.id);
        void sendInput(frame.id, input);
        return;
      }
      case Frame.IN_CLOSE:
        inputs.delete(frame.id);
        return;
      case Frame.OUT_OPEN:
        void openOutput(frame.id, String(text(frame)));
        return;
      case Frame.OUT_DATA: {
        const data = outputs.get(frame.id);
        // A file that failed: its failure is on its way to the server, the rest is dropped.
        if (data && !data.destroyed) await writeTo(data, frame.payload).catch(() => {});
        return;
      }
      case Frame.OUT_END:
        outputs.get(frame.id)?.end();
        return;
      case Frame.OUT_ABORT:
        outputs.get(frame.id)?.destroy(new Error('the command failed'));
        return;
      case Frame.EXIT: {
        const exit = text(frame);
        status = typeof exit === 'object' && exit && 'status' in exit ? Number(exit.status) : 1;
        socket.end();
        return;
      }
      default:
        throw new Error(`unknown frame type ${frame.type}`);
    }
  }

  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const reader = frameReader(handle);
  reader.on('error', () => socket.destroy());
  socket.pipe(reader);
  const request: CommandRequest = {
    args,
    schema: schemaVersion(),
    stdoutIsTTY: isTerminal(io.stdout),
    stderrIsTTY: isTerminal(io.stderr),
    language: io.language,
  };
  await send(Frame.REQUEST, 0, json(request)).catch(() => {});
  await closed;
  io.stdout.off('error', onStdoutError);
  for (const data of outputs.values()) data.destroy(new ConnectionLost());
  if (status !== undefined) return status;
  if (readerGone) return 0;
  io.stderr.write(
    `The server running this command stopped before it ended; whether it did its work is ` +
      `unknown (sipas token list, scores and the like tell).\n`,
  );
  return 1;
}
