// An embedded data directory belongs to one process at a time: two PGlite instances writing
// the same files corrupt them. The lock file `sipas.lock` names its owner by pid and, where
// /proc tells it, the process's start time, so that a pid the system has since given to an
// unrelated process is not mistaken for the owner.
//
// Taking the lock is atomic: the owner's line is written to a draft file, then hard-linked to
// the lock's name, which fails if the name exists; so no process ever reads a lock that is
// empty or half written. A stale lock (its owner gone, or a file no owner wrote) is removed by
// one process only, the one that hard-links it to `sipas.lock.stale-<digest of its text>`
// (only one link can take that name); as the link is made from whatever the lock's name holds
// at that moment, the taker reads it back and removes the lock only if it is the stale one.
import { createHash, randomBytes } from 'node:crypto';
import {
  linkSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export class DataDirectoryLockedError extends Error {
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(
      `The data directory ${dataDir} is in use by process ${pid} (the server, or another sipas ` +
        `command). Stop it first, or set DATABASE_URL to use PostgreSQL, where the server and ` +
        `the command run side by side.`,
    );
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** How long a removal of a stale lock may take before its marker counts as abandoned. */
const ABANDONED_MS = 10_000;
/** How long to keep trying while other processes take the lock and let it go. */
const PATIENCE_MS = 5_000;

const errorCode = (error: unknown) =>
  error instanceof Error && 'code' in error ? String(error.code) : undefined;

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** A process as the system knows it: its pid, and its start time where /proc tells it. */
export interface ProcessIdentity {
  readonly pid: number;
  /** Clock ticks from boot to its start (/proc/PID/stat, field 22); undefined if unknown. */
  readonly start: string | undefined;
}

function startTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // no such process, or no /proc on this system
  }
  // The command name (field 2) is in parentheses and may hold spaces: count after its end.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export const identityOf = (pid: number): ProcessIdentity => ({ pid, start: startTime(pid) });

/** Whether the process still runs: a pid since given to another process does not count. */
export function isRunning(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if (errorCode(error) !== 'EPERM') return false;
  }
  if (identity.start === undefined) return true;
  const start = startTime(identity.pid);
  return start === undefined || start === identity.start;
}

/** `PID START NONCE` (START `-` when unknown), or the bare pid earlier versions wrote. */
function parseOwner(text: string): ProcessIdentity | undefined {
  const match = /^(\d+)(?: (\d+|-) [0-9a-f]+)?\n?$/.exec(text);
  if (!match) return undefined;
  const start = match[2] === '-' ? undefined : match[2];
  return { pid: Number(match[1]), start };
}

function pause(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Removes the lock if it still holds `text`; does nothing while another process removes it. */
function removeStale(path: string, text: string) {
  const marker = `${path}.stale-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  try {
    linkSync(path, marker);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return; // the lock is gone already
    if (code !== 'EEXIST') throw error;
    // A process that died between its link and its unlink leaves the marker: clear it late.
    const made = statSync(marker, { throwIfNoEntry: false })?.ctimeMs;
    if (made !== undefined && Date.now() - made > ABANDONED_MS) rmSync(marker, { force: true });
    else pause(2);
    return;
  }
  try {
    if (readIfExists(marker) === text) rmSync(path, { force: true });
  } finally {
    unlinkSync(marker);
  }
}

/** Takes the directory's lock, or throws DataDirectoryLockedError. Returns the release function. */
export function lockDataDirectory(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'sipas.lock');
  const nonce = randomBytes(8).toString('hex');
  const me = identityOf(process.pid);
  const line = `${me.pid} ${me.start ?? '-'} ${nonce}\n`;
  const draft = `${path}.draft-${nonce}`;
  writeFileSync(draft, line, { flag: 'wx' });
  try {
    for (const deadline = Date.now() + PATIENCE_MS; Date.now() < deadline;) {
      try {
        linkSync(draft, path);
        return releaser(path, line);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const text = readIfExists(path);
      if (text === undefined) continue; // released meanwhile
      const owner = parseOwner(text);
      // A lock naming this very process was left by a connection it did not close: its own.
      if (owner && owner.pid !== me.pid && isRunning(owner)) {
        throw new DataDirectoryLockedError(dataDir, owner.pid);
      }
      removeStale(path, text);
    }
  } finally {
    rmSync(draft, { force: true });
  }
  throw new Error(`Could not lock the data directory ${dataDir}: its lock keeps changing hands.`);
}

function releaser(path: string, line: string): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Never another's lock: only the file this process wrote.
    if (readIfExists(path) === line) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return release;
}
