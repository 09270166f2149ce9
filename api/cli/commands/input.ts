// The files of the command line's own process: what CliFiles is when the command runs in the
// `sipas` process itself, and what the command line serves to the server running it
// (api/cli/forward.ts).
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DomainError, text } from '../../errors.ts';
import { writeFileWhole } from '../../services/whole-file.ts';
import type { CliFiles } from '../command.ts';

/** Opens FILE (stdin for `-`) now, so that a missing or unreadable one is reported first. */
export async function openInput(path: string): Promise<Readable> {
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

export const localFiles: CliFiles = {
  async read(path, work) {
    const input = await openInput(path);
    try {
      return await work(input);
    } finally {
      // Closed even when the work stops before reading it all; stdin stays the process's.
      if (input !== process.stdin) input.destroy();
    }
  },
  write: writeFileWhole,
};
