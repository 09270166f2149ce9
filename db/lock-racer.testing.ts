// A process racing for a data directory's lock, driven by db/lock.test.ts over stdin/stdout:
// `go T` waits until the clock reads T (so that every racer tries in the same millisecond),
// tries, and answers `won` or `refused`; `release` lets go of a won lock and answers `released`.
import { createInterface } from 'node:readline';
import { DataDirectoryLockedError, lockDataDirectory } from './lock.ts';

const dataDir = process.argv[2] ?? '';
let release: (() => void) | undefined;

const answer = (line: string) => process.stdout.write(`${line}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [word, at] = line.split(' ');
  if (word === 'go') {
    while (Date.now() < Number(at));
    try {
      release = lockDataDirectory(dataDir);
      answer('won');
    } catch (error) {
      answer(error instanceof DataDirectoryLockedError ? 'refused' : `error ${String(error)}`);
    }
  } else if (word === 'release') {
    release?.();
    release = undefined;
    answer('released');
  }
}
