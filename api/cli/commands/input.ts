// The FILE argument of an import: a path, or `-` for stdin.
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { text, DomainError } from '../../errors.ts';

/** Opens the file now, so that a missing or unreadable one is reported before any work. */
async function openInput(path: string): Promise<Readable> {
  if (path === '-') return process.stdin;
  try {
    const handle = await open(path, 'r');
    return handle.createReadStream();
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new DomainError(
      'bad-request',
      text(`Không đọc được ${path} (${reason}).`, `Cannot read ${path} (${reason}).`),
    );
  }
}

/** Runs the import on the file, closing it even when the import stops before reading it all. */
export async function withInput<T>(
  path: string,
  work: (input: Readable) => Promise<T>,
): Promise<T> {
  const input = await openInput(path);
  try {
    return await work(input);
  } finally {
    if (input !== process.stdin) input.destroy();
  }
}
