// A file that appears only whole: written to a partial file beside it, synced, then renamed into
// place. Shared by `sipas backup FILE`, every export's `--out FILE`, and the command line's side
// of a command the running server runs for it (api/cli/forward.ts), so that all of them leave,
// on failure, no file that looks complete.
import { rmSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { identityOf, isRunning } from '../../db/lock.ts';
import { DomainError, text } from '../errors.ts';

/** fsync: the data of a file, or the entries of a directory, reach the disk. */
async function syncFile(path: string) {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const codeOf = (error: unknown) =>
  error instanceof Error && 'code' in error ? String(error.code) : String(error);

const cannotWrite = (path: string, error: unknown) =>
  new DomainError(
    'bad-request',
    text(`Không ghi được ${path} (${codeOf(error)}).`, `Cannot write ${path} (${codeOf(error)}).`),
  );

/**
 * The partial files beside `path` that no running process writes: what a writer killed
 * mid-way (kill -9, a power cut) left. Their names end in the writer's pid and start time.
 */
async function abandonedPartials(path: string): Promise<string[]> {
  const prefix = `.${basename(path)}.partial-`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return []; // a folder that is not there: the open below says so
  }
  return names.flatMap((name) => {
    if (!name.startsWith(prefix)) return [];
    const match = /^(\d+)(?:-(\d+))?$/.exec(name.slice(prefix.length));
    if (!match) return [];
    const writer = { pid: Number(match[1]), start: match[2] };
    return isRunning(writer) ? [] : [join(dirname(path), name)];
  });
}

/**
 * Runs `write` on a stream into `path`, which appears only once `write` has ended the stream,
 * complete and on disk: a failed or interrupted write never leaves a file that looks whole,
 * nor, unless killed outright, its partial file; the next write to the same file removes one
 * left by a killed writer. A file that cannot be opened is reported before `write` runs.
 */
export async function writeFileWhole<T>(
  path: string,
  write: (output: Writable) => Promise<T>,
): Promise<T> {
  await Promise.all((await abandonedPartials(path)).map((file) => rm(file, { force: true })));
  const writer = identityOf(process.pid);
  const suffix = writer.start === undefined ? `${writer.pid}` : `${writer.pid}-${writer.start}`;
  const partial = join(dirname(path), `.${basename(path)}.partial-${suffix}`);
  // Interrupted (Ctrl-C, a service stop): remove the partial file, then stop as the signal says.
  // Listening before the open: a signal between the file's creation and the open's return
  // would otherwise leave it behind.
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(partial, { force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stopListening = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  let handle;
  try {
    handle = await open(partial, 'wx');
  } catch (error) {
    stopListening();
    throw cannotWrite(path, error);
  }
  const output = handle.createWriteStream();
  try {
    const result = await write(output);
    await finished(output);
    await syncFile(partial);
    try {
      await rename(partial, path);
    } catch (error) {
      throw cannotWrite(path, error);
    }
    await syncFile(dirname(path));
    return result;
  } catch (error) {
    output.destroy();
    await rm(partial, { force: true });
    throw error;
  } finally {
    stopListening();
  }
}
