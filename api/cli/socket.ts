// The command socket: how a `sipas` command reaches the server that holds its embedded data
// directory (api/cli/forward.ts is the command's side, api/cli/serve.ts the server's).
//
// The server listens on `sipas.sock` in the data directory, mode 0600, only while it holds the
// directory's lock (db/lock.ts): a socket that answers is the lock holder's. Both sides send
// frames: a type (one byte), a stream id and the payload's length (4 bytes each, big-endian),
// then the payload. The command sends REQUEST first; the server runs the command against its
// open database and sends what it writes to stdout and stderr, asks for the files it reads and
// writes (the command's process opens them, as it would itself), and ends with EXIT.
import type { Language } from '../errors.ts';
import { relative, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { migrations } from '../../db/migrations/index.ts';

export const SOCKET_NAME = 'sipas.sock';

/** A Unix socket's path holds at most 107 bytes on Linux (sun_path), 103 on macOS. */
const MAX_SOCKET_PATH = 100;

/**
 * The socket's path in the data directory: absolute, or relative to the working directory
 * when only that is short enough; undefined when neither is.
 */
export function socketPath(dataDir: string): string | undefined {
  const absolute = resolve(dataDir, SOCKET_NAME);
  if (Buffer.byteLength(absolute) <= MAX_SOCKET_PATH) return absolute;
  const near = relative(process.cwd(), absolute);
  return Buffer.byteLength(near) <= MAX_SOCKET_PATH ? near : undefined;
}

export const Frame = {
  // command → server
  /** JSON CommandRequest. */
  REQUEST: 1,
  /** The file asked for by IN_OPEN is open (empty), or could not be (JSON: the message). */
  IN_READY: 2,
  IN_FAILED: 3,
  IN_DATA: 4,
  IN_END: 5,
  /** The file asked for by OUT_OPEN is open (empty), written whole, or failed (JSON message). */
  OUT_READY: 6,
  OUT_DONE: 7,
  OUT_FAILED: 8,
  // server → command
  STDOUT: 20,
  STDERR: 21,
  /** JSON: the file to read (or `-`, stdin) under the frame's stream id. */
  IN_OPEN: 22,
  /** The server reads no more of that file. */
  IN_CLOSE: 23,
  /** JSON: the file to write under the frame's stream id. */
  OUT_OPEN: 24,
  OUT_DATA: 25,
  /** The data is complete: make the file. */
  OUT_END: 26,
  /** The command failed: drop the file. */
  OUT_ABORT: 27,
  /** JSON { status }: the command's exit status; the last frame. */
  EXIT: 28,
} as const;

export interface CommandRequest {
  /** The arguments after `sipas`, as typed. */
  args: string[];
  /** The latest migration the command's code knows: the server must run the same. */
  schema: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The language of the command's user (SIPAS_LANG, LANG): its reports speak it, not the server's. */
  language: Language;
}

const HEADER = 9;
/** No frame is larger: data goes in chunks of a stream's size, requests are a few arguments. */
export const MAX_PAYLOAD = 1 << 20;

export interface Received {
  type: number;
  id: number;
  payload: Buffer;
}

export const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** A socket's end, closed: what the other side sees when a process goes away mid-command. */
export class ConnectionLost extends Error {
  constructor() {
    super('the connection to the other side of the command socket was lost');
  }
}

/** Frames to a socket; each send resolves once the socket takes more (backpressure). */
export function frameWriter(socket: Socket) {
  return async (type: number, id: number, payload: Buffer = Buffer.alloc(0)): Promise<void> => {
    if (socket.destroyed || !socket.writable) throw new ConnectionLost();
    const header = Buffer.alloc(HEADER);
    header.writeUInt8(type, 0);
    header.writeUInt32BE(id, 1);
    header.writeUInt32BE(payload.length, 5);
    if (socket.write(Buffer.concat([header, payload]))) return;
    await new Promise<void>((done, fail) => {
      const settle = (error?: Error) => {
        socket.off('drain', onDrain);
        socket.off('close', onClose);
        if (error) fail(error);
        else done();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new ConnectionLost());
      socket.on('drain', onDrain);
      socket.on('close', onClose);
    });
  };
}

/**
 * A sink for a socket's bytes that hands each whole frame to `handle` and takes the next bytes
 * only once it has resolved: `socket.pipe(frameReader(handle))` pauses the socket while a
 * frame's consumer (a file, stdout, a command reading its input) is busy.
 */
export function frameReader(handle: (frame: Received) => Promise<void> | void): Writable {
  let pending: Buffer = Buffer.alloc(0);
  return new Writable({
    async write(chunk: Buffer, _encoding, callback) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      try {
        while (pending.length >= HEADER) {
          const length = pending.readUInt32BE(5);
          if (length > MAX_PAYLOAD) throw new Error(`a frame of ${length} bytes is too large`);
          if (pending.length < HEADER + length) break;
          const frame = {
            type: pending.readUInt8(0),
            id: pending.readUInt32BE(1),
            payload: pending.subarray(HEADER, HEADER + length),
          };
          pending = pending.subarray(HEADER + length);
          await handle(frame);
        }
        callback();
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)));
      }
    },
  });
}

/** Frames of at most 64 KB from a chunk of any size. */
export function* pieces(chunk: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let start = 0; start < chunk.length; start += size) {
    yield chunk.subarray(start, start + size);
  }
}

/** The latest migration this code knows: a command and a server of other versions do not mix. */
export const schemaVersion = (): string => Object.keys(migrations).at(-1) ?? '';

/** Writes a chunk to a stream, resolving once the stream takes more; rejects if it fails. */
export async function writeTo(stream: NodeJS.WritableStream, chunk: Buffer): Promise<void> {
  if (stream.write(chunk)) return;
  await new Promise<void>((done, fail) => {
    const settle = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) fail(error);
      else done();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new ConnectionLost());
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** A promise settled from outside, marked handled: it may be rejected before anyone awaits it. */
export function deferred<T = void>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
