// What every database holds from the start: the built-in instruments, PAR frameworks and
// officials' survey instruments.
// Run after migrations by the server and the command; idempotent.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { ensureBuiltinInstruments } from './instruments.ts';
import { ensureBuiltinOfficialInstruments } from './official-instruments.ts';
import { ensureBuiltinFrameworks } from './par.ts';

export async function ensureBuiltins(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await ensureBuiltinInstruments(trx);
    await ensureBuiltinFrameworks(trx);
    await ensureBuiltinOfficialInstruments(trx);
  });
}
