import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { Instrument } from '../../analysis/instrument.ts';
import {
  scoringRulesSchema,
  type ScoringRules,
  type ScoringRulesInput,
} from '../../analysis/rules.ts';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as campaigns from '../../db/repositories/campaigns.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as instruments from '../../db/repositories/instruments.ts';
import { NAME_MAX } from '../../shared/rules.ts';
import { DomainError, invalid, notFound, type FieldError } from '../errors.ts';
import type { Actor } from './credentials.ts';
import { at, ImportProblems, readTable } from './csv.ts';
import { instrumentById } from './instruments.ts';
import { codeProblem } from './organisation.ts';
import { isCalendarDate } from './vietnam-time.ts';

type Db = Kysely<Database> | Transaction<Database>;

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

export async function campaignByCode(db: Db, code: string): Promise<Campaign> {
  const row = await campaigns.findCampaignByCode(db, code);
  if (!row) throw notFound(`Unknown campaign ${code}.`);
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

export interface CampaignInput {
  code: string;
  /** Defaults to the code. */
  name?: string;
  instrument: string;
  /** First and last day, inclusive, YYYY-MM-DD in Vietnam's time. */
  from: string;
  to: string;
  counters: 'all' | string[];
  rules?: ScoringRulesInput;
  /** Planned sample per counter code. */
  targets?: Record<string, number>;
}

/** Rules the instrument cannot serve (interchange §3): refused when the campaign is created. */
function unservableRules(instrument: Instrument, rules: ScoringRules): FieldError[] {
  const missing = instrument.factors.filter((f) => f.overallItem === undefined).map((f) => f.code);
  if (rules.factor !== 'overallItem' || missing.length === 0) return [];
  return [
    {
      path: 'rules.factor',
      message: `overallItem needs an overall question per factor; ${instrument.code} has none for ${missing.join(', ')}`,
    },
  ];
}

/**
 * Opens a campaign on counters none of which is in another campaign whose period overlaps
 * this one's (a counter belongs to at most one campaign at a time).
 */
export async function createCampaign(
  db: Kysely<Database>,
  actor: Actor,
  input: CampaignInput,
): Promise<Campaign> {
  return db.transaction().execute(async (trx) => {
    const errors: FieldError[] = [];
    const codeIssue = codeProblem(input.code);
    if (codeIssue) errors.push({ path: 'code', message: codeIssue });
    const name = input.name?.trim() || input.code;
    if (name.length > NAME_MAX) {
      errors.push({ path: 'name', message: `longer than ${NAME_MAX} characters` });
    }
    for (const key of ['from', 'to'] as const) {
      if (!isCalendarDate(input[key])) {
        errors.push({ path: key, message: `${input[key]} is not a date YYYY-MM-DD` });
      }
    }
    if (errors.length === 0 && input.to < input.from) {
      errors.push({ path: 'to', message: `${input.to} is before ${input.from}` });
    }
    const parsed = scoringRulesSchema.safeParse(input.rules ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({
          path: ['rules', ...issue.path.map(String)].join('.'),
          message: issue.message,
        });
      }
    }
    const instrumentRow = await instruments.findInstrumentByCode(trx, input.instrument);
    const instrument = instrumentRow ? await instrumentById(trx, instrumentRow.id) : undefined;
    if (!instrument) {
      errors.push({ path: 'instrument', message: `unknown instrument ${input.instrument}` });
    } else if (parsed.success) {
      errors.push(...unservableRules(instrument, parsed.data));
    }

    const all = await counters.listCounters(trx);
    const chosen =
      input.counters === 'all'
        ? all
        : all.filter((counter) => input.counters.includes(counter.code));
    if (input.counters === 'all' && all.length === 0) {
      errors.push({ path: 'counters', message: 'there are no counters yet: import them first' });
    } else if (input.counters !== 'all') {
      if (input.counters.length === 0) errors.push({ path: 'counters', message: 'required' });
      const known = new Set(all.map((counter) => counter.code));
      for (const code of new Set(input.counters)) {
        if (!known.has(code)) errors.push({ path: 'counters', message: `unknown counter ${code}` });
      }
    }
    const chosenCodes = new Set(chosen.map((counter) => counter.code));
    for (const [code, target] of Object.entries(input.targets ?? {})) {
      if (!chosenCodes.has(code)) {
        errors.push({ path: `targets.${code}`, message: 'not a counter of the campaign' });
      } else if (!Number.isSafeInteger(target) || target < 0) {
        errors.push({ path: `targets.${code}`, message: 'a target is a whole number, 0 or more' });
      }
    }
    if (errors.length > 0 || !instrument || !parsed.success) {
      throw invalid('The campaign cannot be created.', errors);
    }
    if (await campaigns.findCampaignByCode(trx, input.code)) {
      throw new DomainError('conflict', `A campaign ${input.code} exists already.`);
    }

    const counterIds = chosen.map((counter) => counter.id);
    await counters.lockCounters(trx, counterIds);
    const overlaps = await campaigns.findOverlappingCampaigns(
      trx,
      counterIds,
      input.from,
      input.to,
    );
    if (overlaps.length > 0) {
      throw new DomainError(
        'conflict',
        'A counter belongs to at most one campaign at a time; these are taken in the period.',
        overlaps.map((o) => ({
          path: `counters.${o.counter}`,
          message: `in campaign ${o.campaign} (${o.starts_on} to ${o.ends_on})`,
        })),
      );
    }
    const id = await campaigns.insertCampaign(trx, {
      code: input.code,
      name,
      instrumentId: instrument.id,
      startsOn: input.from,
      endsOn: input.to,
      rules: parsed.data,
    });
    await campaigns.insertCampaignCounters(
      trx,
      id,
      chosen.map((counter) => ({
        counterId: counter.id,
        target: input.targets?.[counter.code] ?? null,
      })),
    );
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'campaign.create',
      subject: input.code,
      detail: {
        instrument: input.instrument,
        from: input.from,
        to: input.to,
        counters: [...chosenCodes],
        rules: parsed.data,
      },
    });
    return campaignByCode(trx, input.code);
  });
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

/** transactions.csv: counter, transactions (procedures completed in the campaign's period). */
export async function importTransactions(
  db: Kysely<Database>,
  actor: Actor,
  campaignCode: string,
  input: Readable,
): Promise<{ updated: number }> {
  const rows = await readTable(input, ['counter', 'transactions']);
  return db.transaction().execute(async (trx) => {
    const campaign = await campaignByCode(trx, campaignCode);
    const byCode = new Map((await campaignCounters(trx, campaign.id)).map((c) => [c.code, c]));
    const problems = new ImportProblems();
    const seen = new Map<string, number>();
    const updates: { counterId: number; transactions: number }[] = [];
    for (const row of rows) {
      const code = row.cell('counter');
      const counter = byCode.get(code);
      const first = seen.get(code);
      if (code === '') problems.add({ path: at(row.line, 'counter'), message: 'required' });
      else if (!counter) {
        problems.add({
          path: at(row.line, 'counter'),
          message: `counter ${code} is not in campaign ${campaignCode}`,
        });
      } else if (first !== undefined) {
        problems.add({
          path: at(row.line, 'counter'),
          message: `${code} is also on line ${first}`,
        });
      }
      seen.set(code, seen.get(code) ?? row.line);
      const text = row.cell('transactions');
      const transactions = /^\d{1,9}$/.test(text) ? Number(text) : undefined;
      if (transactions === undefined) {
        problems.add({
          path: at(row.line, 'transactions'),
          message: text === '' ? 'required' : `${text} is not a whole number, 0 or more`,
        });
      } else if (counter && first === undefined) {
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
      actor: actor.id,
      action: 'transactions.import',
      subject: campaignCode,
      detail: { counters: updates.length },
    });
    return { updated: updates.length };
  });
}
