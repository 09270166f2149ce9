// Campaigns as the admin API lists and edits them (creation and transactions.csv are in
// campaigns.ts): a campaign's period and counters stay as created; its name, its targets and
// its transaction counts may change; one without responses may be deleted.
import type { Kysely, Transaction } from 'kysely';
import type { ScoringRules } from '../../analysis/rules.ts';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as campaigns from '../../db/repositories/campaigns.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as responses from '../../db/repositories/responses.ts';
import { NAME_MAX } from '../../shared/rules.ts';
import { conflict, invalid, type FieldError } from '../errors.ts';
import { campaignByCode, campaignCounters } from './campaigns.ts';
import type { Actor } from './credentials.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface CampaignSummary {
  code: string;
  name: string;
  instrument: string;
  startsOn: string;
  endsOn: string;
  counters: number;
}

export interface CampaignView extends Omit<CampaignSummary, 'counters'> {
  rules: ScoringRules;
  counters: {
    code: string;
    name: string;
    unit: string;
    target: number | null;
    transactions: number | null;
  }[];
}

/** Campaigns, latest first: those all of whose counters are in `scope` (null: all). */
export async function listCampaigns(
  db: Db,
  scope: ReadonlySet<number> | null,
): Promise<CampaignSummary[]> {
  const rows = await campaigns.listCampaignsWithCounts(db);
  const outside = new Set(
    scope === null
      ? []
      : (await campaigns.listCampaignUnits(db))
          .filter((r) => !scope.has(r.unit_id))
          .map((r) => r.campaign_id),
  );
  return rows
    .filter((row) => !outside.has(row.id))
    .map((row) => ({
      code: row.code,
      name: row.name,
      instrument: row.instrument,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      counters: Number(row.counters ?? 0),
    }));
}

export async function campaignView(db: Db, code: string): Promise<CampaignView> {
  const campaign = await campaignByCode(db, code);
  const all = new Map((await counters.listCountersWithUnits(db)).map((row) => [row.id, row]));
  return {
    code: campaign.code,
    name: campaign.name,
    instrument: campaign.instrument.code,
    startsOn: campaign.startsOn,
    endsOn: campaign.endsOn,
    rules: campaign.rules,
    counters: (await campaignCounters(db, campaign.id)).map((counter) => ({
      code: counter.code,
      name: all.get(counter.id)?.name ?? '',
      unit: all.get(counter.id)?.unit ?? '',
      target: counter.target,
      transactions: counter.transactions,
    })),
  };
}

/** Counter code → value, each a counter of the campaign; problems named `field.CODE`. */
function byCounter<T>(
  values: Record<string, T>,
  ids: ReadonlyMap<string, number>,
  field: string,
  errors: FieldError[],
): [number, T][] {
  return Object.entries(values).flatMap(([code, value]): [number, T][] => {
    const id = ids.get(code);
    if (id === undefined) {
      errors.push({ path: `${field}.${code}`, message: 'not a counter of the campaign' });
      return [];
    }
    return [[id, value]];
  });
}

/** Renames the campaign and sets planned samples per counter (null clears one). */
export async function updateCampaign(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
  input: { name?: string; targets?: Record<string, number | null> },
): Promise<CampaignView> {
  return db.transaction().execute(async (trx) => {
    const campaign = await campaignByCode(trx, code);
    const counterIds = new Map(
      (await campaignCounters(trx, campaign.id)).map((c) => [c.code, c.id]),
    );
    const errors: FieldError[] = [];
    const name = input.name?.trim();
    if (name !== undefined && (name === '' || name.length > NAME_MAX)) {
      errors.push({ path: 'name', message: `a name of 1 to ${NAME_MAX} characters` });
    }
    const targets = byCounter(input.targets ?? {}, counterIds, 'targets', errors);
    if (errors.length > 0) throw invalid('The campaign cannot be saved.', errors);
    if (name !== undefined) await campaigns.renameCampaign(trx, campaign.id, name);
    for (const [counterId, target] of targets) {
      await campaigns.setCampaignCounterTarget(trx, campaign.id, counterId, target);
    }
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'campaign.update',
      subject: code,
      detail: { name: name ?? null, targets: input.targets ?? {} },
    });
    return campaignView(trx, code);
  });
}

/** Sets transaction counts per counter (interchange §2, as transactions.csv does). */
export async function setTransactions(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
  transactions: Record<string, number>,
): Promise<CampaignView> {
  return db.transaction().execute(async (trx) => {
    const campaign = await campaignByCode(trx, code);
    const counterIds = new Map(
      (await campaignCounters(trx, campaign.id)).map((c) => [c.code, c.id]),
    );
    const errors: FieldError[] = [];
    const counts = byCounter(transactions, counterIds, 'transactions', errors);
    if (errors.length > 0) throw invalid('The transactions cannot be saved.', errors);
    for (const [counterId, count] of counts) {
      await campaigns.setCampaignCounterTransactions(trx, campaign.id, counterId, count);
    }
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'transactions.set',
      subject: code,
      detail: { counters: counts.length },
    });
    return campaignView(trx, code);
  });
}

/** Deletes a campaign that has no responses (a campaign with answers is history). */
export async function deleteCampaign(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const campaign = await campaignByCode(trx, code);
    const answered = await responses.countCampaignResponses(trx, campaign.id);
    if (answered > 0) {
      throw conflict(`Campaign ${code} has ${answered} responses; it stays.`);
    }
    await campaigns.deleteCampaign(trx, campaign.id);
    await audit.recordAudit(trx, { actor: actor.id, action: 'campaign.delete', subject: code });
  });
}
