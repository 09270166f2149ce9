// Counters one at a time, as the admin API edits them (spec §3; counters.csv imports are in
// organisation.ts), and the survey tokens their QR codes carry.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as tokens from '../../db/repositories/tokens.ts';
import * as units from '../../db/repositories/units.ts';
import { NAME_MAX } from '../../shared/rules.ts';
import { conflict, invalid, notFound, refuseIfReferenced, type FieldError } from '../errors.ts';
import { hashToken, newSurveyToken, type Actor } from './credentials.ts';
import { codeProblem } from './organisation.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface CounterView {
  code: string;
  name: string;
  /** The unit's code. */
  unit: string;
  /** Whether its QR code works: it has a survey token that is not revoked. */
  hasToken: boolean;
}

function nameProblems(name: string | undefined): FieldError[] {
  if (name === undefined) return [];
  if (name.trim() === '') return [{ path: 'name', message: 'required' }];
  return name.length > NAME_MAX
    ? [{ path: 'name', message: `longer than ${NAME_MAX} characters` }]
    : [];
}

/** Counters ordered by code: those of units in `scope` (null: all), of `unit` if given. */
export async function listCounters(
  db: Db,
  scope: ReadonlySet<number> | null,
  unit?: string,
): Promise<CounterView[]> {
  const rows = await counters.listCountersWithUnits(db);
  return rows
    .filter(
      (row) =>
        (scope === null || scope.has(row.unit_id)) && (unit === undefined || row.unit === unit),
    )
    .map(view);
}

const view = (
  row: Awaited<ReturnType<typeof counters.listCountersWithUnits>>[number],
): CounterView => ({
  code: row.code,
  name: row.name,
  unit: row.unit,
  hasToken: Boolean(row.has_token),
});

export async function counterByCode(db: Db, code: string): Promise<CounterView> {
  const row = (await counters.listCountersWithUnits(db)).find((counter) => counter.code === code);
  if (!row) throw notFound(`Unknown counter ${code}.`);
  return view(row);
}

async function unitId(trx: Db, code: string): Promise<number> {
  const unit = await units.findUnitByCode(trx, code);
  if (!unit) {
    throw invalid('The counter cannot be saved.', [
      { path: 'unit', message: `unknown unit ${code}` },
    ]);
  }
  return unit.id;
}

export async function createCounter(
  db: Kysely<Database>,
  actor: Actor,
  input: { code: string; unit: string; name: string },
): Promise<CounterView> {
  const problem = codeProblem(input.code);
  const errors = [
    ...(problem ? [{ path: 'code', message: problem }] : []),
    ...nameProblems(input.name),
  ];
  if (errors.length > 0) throw invalid('The counter cannot be saved.', errors);
  return db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    if (await counters.findCounterByCode(trx, input.code)) {
      throw conflict(`A counter ${input.code} exists already.`);
    }
    const name = input.name.trim();
    await counters.insertCounter(trx, {
      code: input.code,
      name,
      unitId: await unitId(trx, input.unit),
    });
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'counter.create',
      subject: input.code,
      detail: { unit: input.unit, name },
    });
    return counterByCode(trx, input.code);
  });
}

/** Renames the counter or moves it to another unit; its history stays with it. */
export async function updateCounter(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
  input: { name?: string; unit?: string },
): Promise<CounterView> {
  const errors = nameProblems(input.name);
  if (errors.length > 0) throw invalid('The counter cannot be saved.', errors);
  return db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    const counter = await counters.findCounterByCode(trx, code);
    if (!counter) throw notFound(`Unknown counter ${code}.`);
    const name = input.name?.trim() ?? counter.name;
    const unit = input.unit === undefined ? counter.unit_id : await unitId(trx, input.unit);
    await counters.updateCounter(trx, counter.id, { name, unitId: unit });
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'counter.update',
      subject: code,
      detail: { name, unit: input.unit },
    });
    return counterByCode(trx, code);
  });
}

/** Deletes a counter that is in no campaign and has no responses. */
export async function deleteCounter(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    const counter = await counters.findCounterByCode(trx, code);
    if (!counter) throw notFound(`Unknown counter ${code}.`);
    refuseIfReferenced(`Counter ${code}`, await counters.counterReferences(trx, counter.id));
    await counters.deleteCounter(trx, counter.id);
    await audit.recordAudit(trx, { actor: actor.id, action: 'counter.delete', subject: code });
  });
}

/** Whether `token` is the counter's current survey token (so its QR code may be drawn). */
export async function isCurrentCounterToken(
  db: Db,
  counterCode: string,
  token: string,
): Promise<boolean> {
  const counter = await counters.findSurveyCounter(db, hashToken(token));
  return counter !== undefined && counter.code === counterCode && counter.revoked_at === null;
}

export interface IssuedToken {
  counter: { code: string; name: string };
  token: string;
}

/**
 * Issues a fresh survey token for every counter of the unit (not of the units under it), in
 * one transaction, revoking their previous ones: what a printed sheet of QR codes needs.
 */
export async function issueUnitTokens(
  db: Kysely<Database>,
  actor: Actor,
  unitCode: string,
): Promise<{ unit: { code: string; name: string }; tokens: IssuedToken[] }> {
  return db.transaction().execute(async (trx) => {
    const unit = await units.findUnitByCode(trx, unitCode);
    if (!unit) throw notFound(`Unknown unit ${unitCode}.`);
    const unitCounters = (await counters.listCountersWithUnits(trx)).filter(
      (row) => row.unit_id === unit.id,
    );
    const issued: IssuedToken[] = [];
    for (const counter of unitCounters) {
      const token = newSurveyToken();
      await tokens.replaceCounterToken(trx, counter.id, hashToken(token));
      await audit.recordAudit(trx, {
        actor: actor.id,
        action: 'counter.issue-token',
        subject: counter.code,
        detail: { sheet: unitCode },
      });
      issued.push({ counter: { code: counter.code, name: counter.name }, token });
    }
    return { unit: { code: unit.code, name: unit.name }, tokens: issued };
  });
}
