// An embedded data directory whose commits are on disk before they are acknowledged.
//
// PGlite (0.5) keeps a data directory through Emscripten's NODEFS: every write PostgreSQL makes
// is passed straight to fs.writeSync, so a commit's WAL is in the operating system's page cache
// when the query returns, and survives the process being killed. It does not survive a power
// cut or a kernel crash, for two reasons: PGlite starts PostgreSQL with `-F` (fsync = off), and
// even with fsync on, NODEFS has no fsync of its own (its stream_ops lack one, so fsync(2)
// succeeds without doing anything) and fdatasync(2) is a stub. `relaxedDurability` changes
// nothing here: it only skips the copy-out of filesystems that live in memory (IndexedDB, OPFS).
//
// So: PostgreSQL runs with fsync on and `wal_sync_method = fsync` (the one call NODEFS routes to
// a stream), and NODEFS gains an fsync that calls the real one. A commit then costs one fsync of
// the WAL (db/durable-fs.test.ts prints how long; BENCHMARKS.md, by hand).
import { fsyncSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type EmscriptenOptions = Awaited<ReturnType<NodeFS['init']>>['emscriptenOpts'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** What the fsync of a NODEFS stream does: hands its host file descriptor to the kernel. */
export type HostSync = (fd: number) => void;

export class DurableNodeFS extends NodeFS {
  constructor(
    dataDir: string,
    private readonly sync: HostSync = fsyncSync,
  ) {
    super(dataDir);
  }

  override async init(pg: PGlite, options: Partial<EmscriptenOptions>) {
    const { emscriptenOpts } = await super.init(pg, options);
    const sync = this.sync;
    return {
      emscriptenOpts: {
        ...emscriptenOpts,
        preRun: [
          ...(emscriptenOpts.preRun ?? []),
          (mod: unknown) => {
            const nodefs = isRecord(mod) ? mod.NODEFS : undefined;
            const streamOps = isRecord(nodefs) ? nodefs.stream_ops : undefined;
            // A PGlite whose NODEFS looks otherwise cannot be made durable: refuse to open.
            if (!isRecord(streamOps)) throw new Error('PGlite has no NODEFS stream operations.');
            // Every stream of the mount shares this object, so one assignment covers them all.
            streamOps.fsync = (stream: unknown) => {
              const fd = isRecord(stream) ? stream.nfd : undefined;
              if (typeof fd === 'number') sync(fd);
              return 0;
            };
          },
        ],
      },
    };
  }
}

/** PGlite's options for a durable data directory. */
export function durableDataDirectory(dataDir: string, sync?: HostSync) {
  return {
    fs: new DurableNodeFS(dataDir, sync),
    startParams: [
      ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
      '-c',
      'fsync=on',
      '-c',
      'wal_sync_method=fsync',
    ],
  };
}
