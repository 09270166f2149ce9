// Who may reach what through the API: an admin everything; a surveyor or analyst scoped to a
// unit reaches that unit's subtree (its counters, and the campaigns all of whose counters lie
// in it). Unknown things are 404 before anything is 403, as the codes themselves are no secret.
import type { Db, Role } from '../../db/database.ts';
import * as campaigns from '../../db/repositories/campaigns.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as units from '../../db/repositories/units.ts';
import { DomainError, text, unknown, type Text } from '../errors.ts';
import type { Account, Actor } from './credentials.ts';

/** The account a request acts for. */
export interface Principal {
  readonly actor: Actor;
  /** The account's name, as `sipas token create --name` gave it. */
  readonly name: string;
  readonly role: Role;
  /** The root of the subtree the account reaches; null for the whole organisation. */
  readonly unitId: number | null;
  readonly unitCode: string | null;
}

export function principalOf(account: Account): Principal {
  return {
    actor: { id: `account:${account.id}` },
    name: account.name,
    role: account.role,
    unitId: account.role === 'admin' ? null : account.unitId,
    unitCode: account.role === 'admin' ? null : account.unitCode,
  };
}

/**
 * The operator at the command line (or a test or a benchmark acting for one): an admin over
 * the whole organisation, who reaches every unit.
 */
export function operator(actorId = 'cli'): Principal {
  return { actor: { id: actorId }, name: actorId, role: 'admin', unitId: null, unitCode: null };
}

const forbidden = (message: Text) => new DomainError('forbidden', message);

function outside(principal: Principal, what: Text): DomainError {
  const unit = principal.unitCode ?? '';
  return forbidden(
    text(
      `${what.vi} nằm ngoài đơn vị ${unit} và các đơn vị trực thuộc.`,
      `${what.en} is outside unit ${unit} and the units under it.`,
    ),
  );
}

async function reachesUnit(db: Db, principal: Principal, unitId: number): Promise<boolean> {
  if (principal.unitId === null) return true;
  return (await units.findUnitAncestors(db, unitId)).includes(principal.unitId);
}

export async function assertUnitInScope(db: Db, principal: Principal, unitCode: string) {
  const unit = await units.findUnitByCode(db, unitCode);
  if (!unit) throw unknown('unit', unitCode);
  if (!(await reachesUnit(db, principal, unit.id)))
    throw outside(principal, text(`Đơn vị ${unitCode}`, `Unit ${unitCode}`));
}

export async function assertCounterInScope(db: Db, principal: Principal, counterCode: string) {
  const counter = await counters.findCounterByCode(db, counterCode);
  if (!counter) throw unknown('counter', counterCode);
  if (!(await reachesUnit(db, principal, counter.unit_id))) {
    throw outside(principal, text(`Quầy ${counterCode}`, `Counter ${counterCode}`));
  }
}

export async function assertCampaignInScope(db: Db, principal: Principal, campaignCode: string) {
  const campaign = await campaigns.findCampaignByCode(db, campaignCode);
  if (!campaign) throw unknown('campaign', campaignCode);
  if (principal.unitId === null) return;
  const foreign = await campaigns.findCampaignCountersOutside(db, campaign.id, principal.unitId);
  // The counters outside are not named: they are what the caller may not see.
  if (foreign.length > 0) {
    const unit = principal.unitCode ?? '';
    throw forbidden(
      text(
        `Đợt khảo sát ${campaignCode} có quầy nằm ngoài phạm vi của tài khoản (đơn vị ${unit} ` +
          'và các đơn vị trực thuộc).',
        `Campaign ${campaignCode} reaches outside unit ${unit} and the units under it.`,
      ),
    );
  }
}

/** The ids of the units the principal reaches, or null for all of them. */
export async function unitIdsInScope(db: Db, principal: Principal): Promise<Set<number> | null> {
  if (principal.unitId === null) return null;
  return new Set(await units.findSubtreeUnitIds(db, principal.unitId));
}
