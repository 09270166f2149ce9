// An edit of the organisation (spec §3): a unit or a counter created, changed or deleted, or a
// whole units.csv or counters.csv imported. Each runs in one transaction holding the lock on
// both tables, so that two edits cannot together make a cycle or leave a counter without its
// unit, and each leaves a line in the audit log (an import one more for each unit or counter it
// corrected).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as units from '../../db/repositories/units.ts';
import type { Principal } from './access.ts';

export interface Edited<T> {
  result: T;
  /** What the audit log keeps of the edit. */
  detail?: unknown;
  /** More entries for the audit log, such as each correction an import made. */
  entries?: { action: string; subject: string; detail: unknown }[];
}

/** Runs `edit` with the organisation locked and audits it as `action` on `subject`. */
export async function editOrganisation<T>(
  db: Kysely<Database>,
  principal: Principal,
  entry: { action: string; subject: string },
  edit: (trx: Transaction<Database>) => Promise<Edited<T>>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    const { result, detail, entries = [] } = await edit(trx);
    await audit.recordAudit(trx, { actor: principal.actor.id, ...entry, detail });
    for (const more of entries)
      await audit.recordAudit(trx, { actor: principal.actor.id, ...more });
    return result;
  });
}
