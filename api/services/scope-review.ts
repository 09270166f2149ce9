// Roles scoped to a unit across a reorganisation (docs/organisation.md, "Scopes after a
// reorganisation"): an account or API token whose unit has ended keeps the reach it had and is
// shown to an admin as needing review, with the ended unit's successors, so that the admin
// decides; it is never moved to a successor, widened or dropped by itself.
import type { Db } from '../../db/database.ts';
import { findEndedWithSuccessors } from '../../db/repositories/ended-units.ts';
import { invalid, text } from '../errors.ts';

export interface ScopeReview {
  scopeNeedsReview: boolean;
  scopeSuccessors: string[];
}

/** A scope on a unit in force, or none (the whole organisation). */
export const inForce: ScopeReview = { scopeNeedsReview: false, scopeSuccessors: [] };

/** The review of each of these scope units, looked up at once. */
export async function scopeReviews(
  db: Db,
  unitIds: readonly (number | null)[],
): Promise<(unitId: number | null) => ScopeReview> {
  const ended = await findEndedWithSuccessors(
    db,
    unitIds.filter((id) => id !== null),
  );
  return (unitId) => {
    const successors = unitId === null ? undefined : ended.get(unitId);
    return successors === undefined
      ? inForce
      : { scopeNeedsReview: true, scopeSuccessors: successors };
  };
}

/**
 * A new scope is a unit in force: one that ended would be a scope needing review from its first
 * day. 422 on `unit`, naming its successors.
 */
export async function assertScopeInForce(
  db: Db,
  unit: { id: number; code: string; valid_to: string | null },
): Promise<void> {
  if (unit.valid_to === null) return;
  const successors = (await findEndedWithSuccessors(db, [unit.id])).get(unit.id) ?? [];
  const list = successors.join(', ');
  const message = text(
    `đơn vị ${unit.code} đã kết thúc ngày ${unit.valid_to}` +
      (list ? `; đơn vị kế tiếp: ${list}` : ''),
    `unit ${unit.code} ended on ${unit.valid_to}` + (list ? `; its successors: ${list}` : ''),
  );
  throw invalid(text('Phạm vi phải là một đơn vị còn hiệu lực.', 'A scope is a unit in force.'), [
    { path: 'unit', message },
  ]);
}
