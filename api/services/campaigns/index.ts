// Campaigns (spec §3): creation on counters free in the period, the few things that may change
// after (the name, the targets, the transaction counts), deletion while there are no
// responses, and progress against the sample targets. Every function is given the caller's
// principal: it reads, and sets the transaction counts of, only the counters of a campaign
// within its reach (access.ts, campaignReach), and changes the campaign itself only when all
// of its counters lie within it.
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { Instrument } from '../../../analysis/instrument.ts';
import { counterModes } from '../../../analysis/queries/index.ts';
import { scoringRulesSchema, type ScoringRules } from '../../../analysis/rules.ts';
import { planningSampleSize } from '../../../analysis/sample-size.ts';
import type { Database, Db } from '../../../db/database.ts';
import * as audit from '../../../db/repositories/audit.ts';
import * as campaigns from '../../../db/repositories/campaigns.ts';
import * as counters from '../../../db/repositories/counters.ts';
import * as instruments from '../../../db/repositories/instruments.ts';
import * as responses from '../../../db/repositories/responses.ts';
import {
  alsoOnLine,
  conflict,
  DomainError,
  fieldErrorsFromZod,
  invalid,
  notFound,
  parseInput,
  required,
  text,
  unknown,
  unknownCode,
  type FieldError,
  type Text,
} from '../../errors.ts';
import {
  assertCampaignInScope,
  assertCounterInScope,
  campaignReach,
  unitIdsInScope,
  type CampaignReach,
  type Principal,
} from '../access.ts';
import { at, type Delimiter, ImportProblems, readTable } from '../csv.ts';
import { instrumentById } from '../instruments.ts';
import {
  campaignChangeSchema,
  newCampaignSchema,
  newCountersSchema,
  transactionsSchema,
  type CampaignChange,
  type CampaignInput,
  type CampaignProgress,
  type CampaignSummary,
  type CampaignView,
  type NewCounters,
} from './schemas.ts';

export * from './schemas.ts';

export interface Campaign {
  id: number;
  code: string;
  name: string;
  instrument: Instrument & { id: number };
  /** Inclusive calendar days in Vietnam's time, YYYY-MM-DD. */
  startsOn: string;
  endsOn: string;
  rules: ScoringRules;
}

const notACounter = text('không phải quầy của đợt khảo sát', 'not a counter of the campaign');

/** A field's message for a counter code outside the campaign. */
export const notInCampaign = (counter: string, campaign: string): Text =>
  text(
    `quầy ${counter} không thuộc đợt khảo sát ${campaign}`,
    `counter ${counter} is not in campaign ${campaign}`,
  );

/** The campaign as scoring and ingestion use it; no scope: for what the caller reached. */
export async function campaignByCode(db: Db, code: string): Promise<Campaign> {
  const row = await campaigns.findCampaignByCode(db, code);
  if (!row) throw unknown('campaign', code);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    instrument: await instrumentById(db, row.instrument_id),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    rules: scoringRulesSchema.parse(row.rules),
  };
}

export interface CampaignCounter {
  id: number;
  code: string;
  unitId: number;
  target: number | null;
  transactions: number | null;
}

export async function campaignCounters(db: Db, campaignId: number): Promise<CampaignCounter[]> {
  const rows = await campaigns.listCampaignCounters(db, campaignId);
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    unitId: row.unit_id,
    target: row.target,
    transactions: row.transactions,
  }));
}

/** Rules the instrument cannot serve (interchange §3): refused when the campaign is created. */
function unservableRules(instrument: Instrument, rules: ScoringRules): FieldError[] {
  const missing = instrument.factors.filter((f) => f.overallItem === undefined).map((f) => f.code);
  if (rules.factor !== 'overallItem' || missing.length === 0) return [];
  return [
    {
      path: 'rules.factor',
      message: text(
        `overallItem cần một câu hỏi tổng quát cho mỗi nhóm; ${instrument.code} không có cho ${missing.join(', ')}`,
        `overallItem needs an overall question per factor; ${instrument.code} has none for ${missing.join(', ')}`,
      ),
    },
  ];
}

/**
 * Problems in the order a reader goes through the input: by field, then by a record's keys
 * (`targets.CODE`), whether the schema or the database found them.
 */
function inInputOrder(errors: FieldError[], input: object): FieldError[] {
  const fields = Object.keys(newCampaignSchema.shape);
  const rank = (error: FieldError): [number, number] => {
    const [field = '', ...rest] = error.path.split('.');
    const inner: unknown = Reflect.get(input, field);
    const keys = inner !== null && typeof inner === 'object' ? Object.keys(inner) : [];
    return [fields.indexOf(field), keys.indexOf(rest.join('.'))];
  };
  return errors
    .map((error) => ({ error, rank: rank(error) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1])
    .map(({ error }) => error);
}

/**
 * Opens a campaign on counters none of which is in another campaign whose period overlaps
 * this one's (a counter belongs to at most one campaign at a time). A scoped principal's
 * `all` is every counter within its reach; a counter it names must lie within it.
 */
export async function createCampaign(
  db: Kysely<Database>,
  principal: Principal,
  input: CampaignInput,
): Promise<Campaign> {
  return db.transaction().execute(async (trx) => {
    const scope = await unitIdsInScope(trx, principal);
    const all = await counters.listCounters(trx);
    const known = new Set(all.map((counter) => counter.code));
    const reachable = all.filter((counter) => scope === null || scope.has(counter.unit_id));
    const reached = new Set(reachable.map((counter) => counter.code));
    const listed = Array.isArray(input.counters) ? input.counters : [];
    for (const code of new Set(listed)) {
      if (known.has(code) && !reached.has(code)) {
        await assertCounterInScope(trx, principal, code);
      }
    }

    const parsed = newCampaignSchema.safeParse(input);
    const errors = parsed.success ? [] : fieldErrorsFromZod(parsed.error);
    const instrumentRow = await instruments.findInstrumentByCode(trx, input.instrument);
    const instrument = instrumentRow ? await instrumentById(trx, instrumentRow.id) : undefined;
    if (!instrument) {
      errors.push({ path: 'instrument', message: unknownCode('instrument', input.instrument) });
    } else if (parsed.success) {
      errors.push(
        ...unservableRules(instrument, parsed.data.rules ?? scoringRulesSchema.parse({})),
      );
    }
    const chosen =
      input.counters === 'all'
        ? reachable
        : reachable.filter((counter) => listed.includes(counter.code));
    if (input.counters === 'all' && reachable.length === 0) {
      errors.push({
        path: 'counters',
        message: text(
          'chưa có quầy nào: hãy nhập danh sách quầy trước',
          'there are no counters yet: import them first',
        ),
      });
    }
    for (const code of new Set(listed)) {
      if (!known.has(code))
        errors.push({ path: 'counters', message: unknownCode('counter', code) });
    }
    const chosenCodes = new Set(chosen.map((counter) => counter.code));
    for (const code of Object.keys(input.targets ?? {})) {
      if (!chosenCodes.has(code)) {
        errors.push({ path: `targets.${code}`, message: notACounter });
      }
    }
    if (errors.length > 0 || !instrument || !parsed.success) {
      throw invalid(
        text('Không tạo được đợt khảo sát.', 'The campaign cannot be created.'),
        inInputOrder(errors, input),
      );
    }
    const campaign = parsed.data;
    const rules = campaign.rules ?? scoringRulesSchema.parse({});
    if (await campaigns.findCampaignByCode(trx, campaign.code)) {
      throw conflict(
        text(`Đợt khảo sát ${campaign.code} đã có.`, `A campaign ${campaign.code} exists already.`),
      );
    }

    await refuseOverlaps(
      trx,
      chosen.map((counter) => counter.id),
      { from: campaign.from, to: campaign.to },
    );
    const id = await campaigns.insertCampaign(trx, {
      code: campaign.code,
      name: campaign.name?.trim() || campaign.code,
      instrumentId: instrument.id,
      startsOn: campaign.from,
      endsOn: campaign.to,
      rules,
    });
    await campaigns.insertCampaignCounters(
      trx,
      id,
      chosen.map((counter) => ({
        counterId: counter.id,
        target: campaign.targets?.[counter.code] ?? null,
      })),
    );
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'campaign.create',
      subject: campaign.code,
      detail: {
        instrument: campaign.instrument,
        from: campaign.from,
        to: campaign.to,
        counters: [...chosenCodes],
        rules,
      },
    });
    return campaignByCode(trx, campaign.code);
  });
}

/**
 * Campaigns, latest first: for a scoped principal those with a counter within its reach, and
 * `counters` the number of those.
 */
export async function listCampaigns(db: Db, principal: Principal): Promise<CampaignSummary[]> {
  const scope = await unitIdsInScope(db, principal);
  const rows = await campaigns.listCampaignsWithCounts(db, scope === null ? null : [...scope]);
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    instrument: row.instrument,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    counters: Number(row.counters ?? 0),
  }));
}

/** The campaign's counters within the reach, in code order. */
export async function reachedCounters(db: Db, reach: CampaignReach): Promise<CampaignCounter[]> {
  const all = await campaignCounters(db, reach.campaignId);
  const only = reach.counterIds === null ? null : new Set(reach.counterIds);
  return only === null ? all : all.filter((counter) => only.has(counter.id));
}

async function viewOf(db: Db, reach: CampaignReach, code: string): Promise<CampaignView> {
  const campaign = await campaignByCode(db, code);
  const all = new Map((await counters.listCountersWithUnits(db)).map((row) => [row.id, row]));
  return {
    code: campaign.code,
    name: campaign.name,
    instrument: campaign.instrument.code,
    startsOn: campaign.startsOn,
    endsOn: campaign.endsOn,
    rules: campaign.rules,
    counters: (await reachedCounters(db, reach)).map((counter) => ({
      code: counter.code,
      name: all.get(counter.id)?.name ?? '',
      unit: all.get(counter.id)?.unit ?? '',
      target: counter.target,
      transactions: counter.transactions,
    })),
  };
}

/** One campaign with its counters within reach, their targets and transactions. */
export async function campaignView(
  db: Db,
  principal: Principal,
  code: string,
): Promise<CampaignView> {
  return viewOf(db, await campaignReach(db, principal, code), code);
}

/**
 * `values` by the id of each counter: each must be a counter of the campaign within the reach,
 * else the change is refused with `message`, naming `field.CODE`.
 */
async function valuesByCounter<T>(
  trx: Transaction<Database>,
  reach: CampaignReach,
  code: string,
  values: Record<string, T>,
  { field, message }: { field: string; message: Text },
): Promise<[number, T][]> {
  const ids = new Map((await campaignCounters(trx, reach.campaignId)).map((c) => [c.code, c.id]));
  const reached = reach.counterIds === null ? null : new Set(reach.counterIds);
  const errors: FieldError[] = [];
  const byId = Object.entries(values).flatMap(([counter, value]): [number, T][] => {
    const id = ids.get(counter);
    if (id === undefined) {
      errors.push({ path: `${field}.${counter}`, message: notACounter });
      return [];
    }
    if (reached !== null && !reached.has(id)) {
      errors.push({ path: `${field}.${counter}`, message: outsideReach(reach) });
      return [];
    }
    return [[id, value]];
  });
  if (errors.length > 0) throw invalid(message, errors);
  return byId;
}

/** `field` of each counter that `changed` names: an audit entry's before or after. */
function changedValues(
  view: CampaignView,
  changed: Record<string, unknown>,
  field: 'target' | 'transactions',
): Record<string, number | null> {
  return Object.fromEntries(
    view.counters.filter((c) => changed[c.code] !== undefined).map((c) => [c.code, c[field]]),
  );
}

/** The field error for a counter of the campaign outside a scoped principal's reach. */
export function outsideReach(reach: CampaignReach): Text {
  const unit = reach.scope?.unit ?? '';
  return text(
    `ngoài đơn vị ${unit} và các đơn vị trực thuộc, phạm vi của tài khoản này`,
    `outside unit ${unit} and the units under it, which this account reaches`,
  );
}

/** The counters' campaigns overlapping the period, as the 409 that names them. */
async function refuseOverlaps(
  trx: Transaction<Database>,
  counterIds: number[],
  period: { from: string; to: string; except?: number },
): Promise<void> {
  await counters.lockCounters(trx, counterIds);
  const overlaps = (
    await campaigns.findOverlappingCampaigns(trx, counterIds, period.from, period.to)
  ).filter((o) => o.campaign_id !== period.except);
  if (overlaps.length > 0) {
    throw new DomainError(
      'conflict',
      text(
        'Mỗi quầy chỉ thuộc một đợt khảo sát tại một thời điểm; các quầy này đã thuộc đợt khác ' +
          'trong thời gian này.',
        'A counter belongs to at most one campaign at a time; these are taken in the period.',
      ),
      overlaps.map((o) => ({
        path: `counters.${o.counter}`,
        message: text(
          `thuộc đợt khảo sát ${o.campaign} (${o.starts_on} đến ${o.ends_on})`,
          `in campaign ${o.campaign} (${o.starts_on} to ${o.ends_on})`,
        ),
      })),
    );
  }
}

/**
 * Renames the campaign, moves its period and sets planned samples per counter (null clears
 * one). The period may grow where its counters are free (409 naming the campaign that holds
 * one) and shrink where no response of any status was stored (409 naming the first day left
 * out); instrument and rules stay as created.
 */
export async function updateCampaign(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  input: CampaignChange,
): Promise<CampaignView> {
  const message = text('Không lưu được đợt khảo sát.', 'The campaign cannot be saved.');
  const change = parseInput(campaignChangeSchema, input, message);
  return db.transaction().execute(async (trx) => {
    await assertCampaignInScope(trx, principal, code);
    const reach = await campaignReach(trx, principal, code);
    const byId = await valuesByCounter(trx, reach, code, change.targets ?? {}, {
      field: 'targets',
      message,
    });
    const before = await viewOf(trx, reach, code);
    const from = change.from ?? before.startsOn;
    const to = change.to ?? before.endsOn;
    if (from > to) {
      throw invalid(message, [
        {
          path: change.to === undefined ? 'from' : 'to',
          message: text(`${to} trước ${from}`, `${to} is before ${from}`),
        },
      ]);
    }
    if (from !== before.startsOn || to !== before.endsOn) {
      const outside = await campaigns.responseDaysOutside(trx, reach.campaignId, {
        startsOn: from,
        endsOn: to,
      });
      const refused: FieldError[] = [];
      if (outside.before !== null) {
        refused.push({
          path: 'from',
          message: text(
            `đã có phiếu lưu vào ngày ${outside.before}`,
            `a response was stored on ${outside.before}`,
          ),
        });
      }
      if (outside.after !== null) {
        refused.push({
          path: 'to',
          message: text(
            `đã có phiếu lưu vào ngày ${outside.after}`,
            `a response was stored on ${outside.after}`,
          ),
        });
      }
      if (refused.length > 0) {
        throw new DomainError(
          'conflict',
          text(
            `Thời gian từ ${from} đến ${to} sẽ bỏ ra ngoài các phiếu đã lưu, phiếu đầu tiên vào ngày ${outside.before ?? outside.after ?? ''}.`,
            `The period ${from} to ${to} would leave out stored responses, the first on ${outside.before ?? outside.after ?? ''}.`,
          ),
          refused,
        );
      }
      const ids = (await campaignCounters(trx, reach.campaignId)).map((c) => c.id);
      await refuseOverlaps(trx, ids, { from, to, except: reach.campaignId });
      await campaigns.setCampaignPeriod(trx, reach.campaignId, { startsOn: from, endsOn: to });
    }
    if (change.name !== undefined)
      await campaigns.renameCampaign(trx, reach.campaignId, change.name);
    for (const [counterId, target] of byId) {
      await campaigns.setCampaignCounterTarget(trx, reach.campaignId, counterId, target);
    }
    const after = await viewOf(trx, reach, code);
    const targetsOf = (view: CampaignView) => changedValues(view, change.targets ?? {}, 'target');
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'campaign.update',
      subject: code,
      detail: {
        before: {
          name: before.name,
          from: before.startsOn,
          to: before.endsOn,
          targets: targetsOf(before),
        },
        after: {
          name: after.name,
          from: after.startsOn,
          to: after.endsOn,
          targets: targetsOf(after),
        },
      },
    });
    return after;
  });
}

/**
 * Adds counters to the campaign: each known, within the principal's reach, not in the campaign
 * already, and in no other campaign whose period overlaps this one's (409 naming them).
 */
export async function addCampaignCounters(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  input: NewCounters,
): Promise<CampaignView> {
  const message = text('Không thêm được quầy.', 'The counters cannot be added.');
  const added = parseInput(newCountersSchema, input, message);
  return db.transaction().execute(async (trx) => {
    await assertCampaignInScope(trx, principal, code);
    const campaign = await campaignByCode(trx, code);
    const all = new Map((await counters.listCounters(trx)).map((c) => [c.code, c]));
    const present = new Set((await campaignCounters(trx, campaign.id)).map((c) => c.code));
    const codes = [...new Set(added.counters)];
    const errors: FieldError[] = [];
    for (const counter of codes) {
      if (!all.has(counter))
        errors.push({ path: 'counters', message: unknownCode('counter', counter) });
      else if (present.has(counter)) {
        errors.push({
          path: 'counters',
          message: text(
            `${counter} đã thuộc đợt khảo sát ${code}`,
            `${counter} is in campaign ${code} already`,
          ),
        });
      }
    }
    for (const counter of Object.keys(added.targets ?? {})) {
      if (!codes.includes(counter)) {
        errors.push({
          path: `targets.${counter}`,
          message: text('không phải quầy đang được thêm', 'not a counter being added'),
        });
      }
    }
    if (errors.length > 0) throw invalid(message, errors);
    for (const counter of codes) await assertCounterInScope(trx, principal, counter);
    const chosen = codes.flatMap((counter) => {
      const row = all.get(counter);
      return row ? [row] : [];
    });
    await refuseOverlaps(
      trx,
      chosen.map((c) => c.id),
      { from: campaign.startsOn, to: campaign.endsOn },
    );
    await campaigns.insertCampaignCounters(
      trx,
      campaign.id,
      chosen.map((c) => ({ counterId: c.id, target: added.targets?.[c.code] ?? null })),
    );
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'campaign.counters.add',
      subject: code,
      detail: { before: [...present], added: codes, targets: added.targets ?? {} },
    });
    return viewOf(trx, await campaignReach(trx, principal, code), code);
  });
}

/** Takes a counter out of the campaign while it has no response of any status (else 409). */
export async function removeCampaignCounter(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  counterCode: string,
): Promise<CampaignView> {
  return db.transaction().execute(async (trx) => {
    await assertCampaignInScope(trx, principal, code);
    const campaign = await campaignByCode(trx, code);
    const present = await campaignCounters(trx, campaign.id);
    const counter = present.find((c) => c.code === counterCode);
    if (!counter)
      throw notFound(
        text(
          `Quầy ${counterCode} không thuộc đợt khảo sát ${code}.`,
          `Counter ${counterCode} is not in campaign ${code}.`,
        ),
      );
    if (present.length === 1) {
      throw conflict(
        text(
          `Quầy ${counterCode} là quầy cuối cùng của đợt khảo sát ${code}; hãy xoá đợt khảo sát.`,
          `Counter ${counterCode} is the last of campaign ${code}; delete the campaign instead.`,
        ),
      );
    }
    await counters.lockCounters(trx, [counter.id]);
    const stored = await campaigns.countCounterResponses(trx, campaign.id, counter.id);
    if (stored > 0) {
      throw conflict(
        text(
          `Quầy ${counterCode} có ${stored} phiếu trong đợt khảo sát ${code}; không thể gỡ.`,
          `Counter ${counterCode} has ${stored} responses in campaign ${code}; it stays.`,
        ),
      );
    }
    await campaigns.deleteCampaignCounter(trx, campaign.id, counter.id);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'campaign.counters.remove',
      subject: code,
      detail: {
        counter: counterCode,
        before: { target: counter.target, transactions: counter.transactions },
      },
    });
    return viewOf(trx, await campaignReach(trx, principal, code), code);
  });
}

/** Sets transaction counts per counter (interchange §2, as transactions.csv does). */
export async function setTransactions(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  transactions: Record<string, number>,
): Promise<CampaignView> {
  const message = text('Không lưu được số lượt giao dịch.', 'The transactions cannot be saved.');
  const counts = parseInput(transactionsSchema, transactions, message);
  return db.transaction().execute(async (trx) => {
    const reach = await campaignReach(trx, principal, code);
    const byId = await valuesByCounter(trx, reach, code, counts, {
      field: 'transactions',
      message,
    });
    const before = await viewOf(trx, reach, code);
    for (const [counterId, count] of byId) {
      await campaigns.setCampaignCounterTransactions(trx, reach.campaignId, counterId, count);
    }
    const after = await viewOf(trx, reach, code);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'transactions.set',
      subject: code,
      detail: {
        counters: byId.length,
        before: changedValues(before, counts, 'transactions'),
        after: changedValues(after, counts, 'transactions'),
      },
    });
    return after;
  });
}

/** The columns of transactions.csv (interchange §2). */
export const TRANSACTION_COLUMNS = ['counter', 'transactions'] as const;

/** transactions.csv: counter, transactions (procedures completed in the campaign's period). */
export async function importTransactions(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
  input: Readable,
  delimiter?: Delimiter,
): Promise<{ updated: number }> {
  const rows = await readTable(input, TRANSACTION_COLUMNS, { delimiter });
  return db.transaction().execute(async (trx) => {
    const reach = await campaignReach(trx, principal, campaignCode);
    const campaign = await campaignByCode(trx, campaignCode);
    const byCode = new Map((await campaignCounters(trx, campaign.id)).map((c) => [c.code, c]));
    const reached = reach.counterIds === null ? null : new Set(reach.counterIds);
    const problems = new ImportProblems();
    const seen = new Map<string, number>();
    const updates: { counterId: number; transactions: number }[] = [];
    for (const row of rows) {
      const code = row.cell('counter');
      const counter = byCode.get(code);
      const first = seen.get(code);
      if (code === '') problems.add({ path: at(row.line, 'counter'), message: required });
      else if (!counter) {
        problems.add({
          path: at(row.line, 'counter'),
          message: notInCampaign(code, campaignCode),
        });
      } else if (reached !== null && !reached.has(counter.id)) {
        problems.add({
          path: at(row.line, 'counter'),
          message: text(
            `${code} nằm ${outsideReach(reach).vi}`,
            `${code} is ${outsideReach(reach).en}`,
          ),
        });
      } else if (first !== undefined) {
        problems.add({
          path: at(row.line, 'counter'),
          message: alsoOnLine(code, first),
        });
      }
      seen.set(code, seen.get(code) ?? row.line);
      const given = row.cell('transactions');
      const transactions = /^\d{1,9}$/.test(given) ? Number(given) : undefined;
      if (transactions === undefined) {
        problems.add({
          path: at(row.line, 'transactions'),
          message:
            given === ''
              ? required
              : text(
                  `${given} không phải số nguyên từ 0 trở lên`,
                  `${given} is not a whole number, 0 or more`,
                ),
        });
      } else if (counter && first === undefined && (reached === null || reached.has(counter.id))) {
        updates.push({ counterId: counter.id, transactions });
      }
    }
    problems.throwIfAny();
    for (const update of updates) {
      await campaigns.setCampaignCounterTransactions(
        trx,
        campaign.id,
        update.counterId,
        update.transactions,
      );
    }
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'transactions.import',
      subject: campaignCode,
      detail: { counters: updates.length },
    });
    return { updated: updates.length };
  });
}

/** Deletes a campaign that has no responses (a campaign with answers is history). */
export async function deleteCampaign(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await assertCampaignInScope(trx, principal, code);
    const campaign = await campaignByCode(trx, code);
    const answered = await responses.countCampaignResponses(trx, campaign.id);
    if (answered > 0) {
      throw conflict(
        text(
          `Đợt khảo sát ${code} đã có ${answered} phiếu trả lời; không thể xoá.`,
          `Campaign ${code} has ${answered} responses; it stays.`,
        ),
      );
    }
    await campaigns.deleteCampaign(trx, campaign.id);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'campaign.delete',
      subject: code,
    });
  });
}

const percent = (part: number, whole: number | null) =>
  whole === null || whole === 0 ? null : (100 * part) / whole;

/**
 * A campaign's progress, as a survey unit watches it (spec §2): responses per counter against
 * the target and the transactions, the response rate, the collection modes, and the planning
 * sample size n = N / (1 + N e²) (spec §5) for each counter's N transactions; the counters
 * within the principal's reach, and the totals over them.
 */
export async function campaignProgress(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
): Promise<CampaignProgress> {
  const reach = await campaignReach(db, principal, campaignCode);
  const campaign = await campaignByCode(db, campaignCode);
  const rows = await campaigns.campaignProgressRows(db, campaign.id, reach.counterIds);
  const modes = new Map<number, Record<string, number>>();
  for (const m of await counterModes(db, campaign.id, reach.counterIds)) {
    modes.set(m.counterId, { ...modes.get(m.counterId), [m.mode]: m.respondents });
  }
  const counters = rows.map((row) => {
    const respondents = Number(row.respondents);
    const plannedSample = row.transactions === null ? null : planningSampleSize(row.transactions);
    return {
      counter: row.code,
      name: row.name,
      unit: row.unit,
      respondents,
      quarantined: Number(row.quarantined),
      modes: Object.fromEntries(Object.entries(modes.get(row.id) ?? {}).sort()),
      target: row.target,
      transactions: row.transactions,
      responseRate: percent(respondents, row.transactions),
      plannedSample,
      progress: percent(respondents, row.target ?? plannedSample),
    };
  });
  const sum = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
  };
  const totalModes: Record<string, number> = {};
  for (const counter of counters) {
    for (const [mode, n] of Object.entries(counter.modes))
      totalModes[mode] = (totalModes[mode] ?? 0) + n;
  }
  const transactions = sum(counters.map((c) => c.transactions));
  const counted = sum(counters.map((c) => (c.transactions === null ? null : c.respondents))) ?? 0;
  const respondents = counters.reduce((a, c) => a + c.respondents, 0);
  const target = sum(counters.map((c) => c.target));
  const plannedSample = sum(counters.map((c) => c.plannedSample));
  const planned = sum(counters.map((c) => c.target ?? c.plannedSample));
  const plannedRespondents =
    sum(counters.map((c) => ((c.target ?? c.plannedSample) === null ? null : c.respondents))) ?? 0;
  return {
    campaign: campaign.code,
    startsOn: campaign.startsOn,
    endsOn: campaign.endsOn,
    counters,
    total: {
      respondents,
      quarantined: counters.reduce((a, c) => a + c.quarantined, 0),
      modes: Object.fromEntries(Object.entries(totalModes).sort()),
      target,
      transactions,
      responseRate: percent(counted, transactions),
      plannedSample,
      progress: percent(plannedRespondents, planned),
    },
  };
}
