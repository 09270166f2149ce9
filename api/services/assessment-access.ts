// Who reaches a unit's PAR self-assessment (par-cycle.md §2, docs/assessment.md): the unit's own
// accounts score it; every reader whose scope reaches the unit reads it, its evidence included;
// appraisal (which stage, whose parent) is decided by the assessment service on top of these.
import type { Db } from '../../db/database.ts';
import { DomainError, text } from '../errors.ts';
import { READERS, unitIdsInScope, type Principal } from './access.ts';

/**
 * Whether the principal scores the unit itself: a `unit` account of exactly that unit, or the
 * operator at the command line (who keys in what a unit sent on paper). An admin account does
 * not: a unit answers for its own scores.
 */
export function scoresFor(principal: Principal, unitId: number): boolean {
  if (principal.role === 'unit') return principal.unitId === unitId;
  return principal.role === 'admin' && principal.accountId === null;
}

/** Whether the principal reads the unit's assessment and its evidence. */
export async function readsAssessmentOf(
  db: Db,
  principal: Principal,
  unitId: number,
): Promise<boolean> {
  if (!(READERS as readonly string[]).includes(principal.role)) return false;
  const reach = await unitIdsInScope(db, principal);
  return reach === null || reach.has(unitId);
}

export async function assertReadsAssessmentOf(
  db: Db,
  principal: Principal,
  unit: { id: number; code: string },
): Promise<void> {
  if (await readsAssessmentOf(db, principal, unit.id)) return;
  throw new DomainError(
    'forbidden',
    text(
      `Tài khoản không được xem bản tự đánh giá của đơn vị ${unit.code}.`,
      `This account may not read the self-assessment of unit ${unit.code}.`,
    ),
  );
}
