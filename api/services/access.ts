// Who may reach what through the API: an admin everything; a surveyor or analyst scoped to a
// unit reaches that unit's subtree: its counters, the part of every campaign that surveys one
// of them (campaignReach: reads and the responses of those counters), and the campaigns all of
// whose counters lie in it (assertCampaignInScope: changes to the campaign itself). Unknown
// things are 404 before anything is 403, as the codes themselves are no secret.
import { ROLES, type Db, type Role } from '../../db/database.ts';
import * as campaigns from '../../db/repositories/campaigns.ts';
import * as counters from '../../db/repositories/counters.ts';
import { findHeldOnLastDay } from '../../db/repositories/ended-units.ts';
import * as units from '../../db/repositories/units.ts';
import { DomainError, text, unknown, type Text } from '../errors.ts';
import type { Account, Actor } from './credentials.ts';

/**
 * Who reads scores, scorecards and progress within a unit subtree. Appraisers and units read
 * what an analyst reads until the PAR cycle gives them their own part (issue 14).
 */
export const READERS = ['admin', 'analyst', 'appraiser', 'unit'] as const satisfies Role[];
/** Every role that may read the organisation, its instruments and campaigns. */
export const EVERYONE = ROLES;

/** The account a request acts for. */
export interface Principal {
  readonly actor: Actor;
  /** The account's id; null for the operator at the command line. */
  readonly accountId: number | null;
  /** The account's name, as `sipas token create --name` gave it, or a person's display name. */
  readonly name: string;
  /** A staff account's login; null for an API token's account and the operator. */
  readonly login: string | null;
  readonly role: Role;
  /** The root of the subtree the account reaches; null for the whole organisation. */
  readonly unitId: number | null;
  readonly unitCode: string | null;
}

export function principalOf(account: Account): Principal {
  return {
    actor: { id: `account:${account.id}` },
    accountId: account.id,
    name: account.name,
    login: account.login,
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
  return {
    actor: { id: actorId },
    accountId: null,
    name: actorId,
    login: null,
    role: 'admin',
    unitId: null,
    unitCode: null,
  };
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

/**
 * What a scope on an ended unit reaches (docs/organisation.md, "Scopes after a
 * reorganisation"): what the unit held on its last day, never its successors' subtrees; null
 * for a scope in force, which reaches the subtree of the latest map.
 */
async function endedScope(db: Db, principal: Principal) {
  if (principal.unitId === null) return null;
  const held = await findHeldOnLastDay(db, principal.unitId);
  return held && { units: new Set(held.unitIds), counters: new Set(held.counterIds) };
}

async function reachesUnit(db: Db, principal: Principal, unitId: number): Promise<boolean> {
  if (principal.unitId === null) return true;
  const ended = await endedScope(db, principal);
  if (ended) return ended.units.has(unitId);
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
  const ended = await endedScope(db, principal);
  const reached = ended
    ? ended.counters.has(counter.id)
    : await reachesUnit(db, principal, counter.unit_id);
  if (!reached) {
    throw outside(principal, text(`Quầy ${counterCode}`, `Counter ${counterCode}`));
  }
}

/**
 * Whether the principal may change the campaign itself (its name, period, counters, targets,
 * or delete it): an admin, or a principal whose subtree holds every counter of the campaign.
 */
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

/** The part of a campaign a principal reaches. */
export interface CampaignReach {
  campaignId: number;
  /** The campaign's counters within reach, by id; null: the whole campaign (an admin). */
  counterIds: number[] | null;
  /**
   * For a scoped principal that reaches only some of the campaign's counters: its unit and
   * the codes of those; null when it reaches them all (an admin always).
   */
  scope: CampaignScope | null;
}

export interface CampaignScope {
  unit: string;
  counters: string[];
}

/**
 * The counters of the campaign that the principal reaches: every one for an admin; for a
 * scoped principal those in its subtree, and 403 when there is none (naming none of the
 * others). A scoped principal reads only these, by their ids, even when they are all of the
 * campaign's.
 */
export async function campaignReach(
  db: Db,
  principal: Principal,
  campaignCode: string,
): Promise<CampaignReach> {
  const campaign = await campaigns.findCampaignByCode(db, campaignCode);
  if (!campaign) throw unknown('campaign', campaignCode);
  if (principal.unitId === null) return { campaignId: campaign.id, counterIds: null, scope: null };
  const ended = await endedScope(db, principal);
  const subtree = new Set(await units.findSubtreeUnitIds(db, principal.unitId));
  const all = await campaigns.listCampaignCounters(db, campaign.id);
  const within = all.filter((counter) =>
    ended ? ended.counters.has(counter.id) : subtree.has(counter.unit_id),
  );
  const unit = principal.unitCode ?? '';
  if (within.length === 0) {
    throw forbidden(
      text(
        `Đợt khảo sát ${campaignCode} không có quầy nào thuộc phạm vi của tài khoản (đơn vị ` +
          `${unit} và các đơn vị trực thuộc).`,
        `Campaign ${campaignCode} has no counter within unit ${unit} and the units under it.`,
      ),
    );
  }
  return {
    campaignId: campaign.id,
    counterIds: within.map((counter) => counter.id),
    scope:
      within.length === all.length
        ? null
        : { unit, counters: within.map((counter) => counter.code) },
  };
}

/** The ids of the units the principal reaches, or null for all of them. */
export async function unitIdsInScope(db: Db, principal: Principal): Promise<Set<number> | null> {
  if (principal.unitId === null) return null;
  const ended = await endedScope(db, principal);
  return ended?.units ?? new Set(await units.findSubtreeUnitIds(db, principal.unitId));
}
