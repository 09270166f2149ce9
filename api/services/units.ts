// Units one at a time, as the admin API edits them (spec §3); units.csv imports are in
// organisation.ts. Codes are stable; a name and a parent may change, never into a cycle.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as units from '../../db/repositories/units.ts';
import { NAME_MAX } from '../../shared/rules.ts';
import { conflict, invalid, notFound, refuseIfReferenced, type FieldError } from '../errors.ts';
import type { Actor } from './credentials.ts';
import { codeProblem } from './organisation.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface UnitView {
  code: string;
  name: string;
  /** The parent unit's code; null for a root. */
  parent: string | null;
}

function nameProblems(name: string | undefined): FieldError[] {
  if (name === undefined) return [];
  if (name.trim() === '') return [{ path: 'name', message: 'required' }];
  return name.length > NAME_MAX
    ? [{ path: 'name', message: `longer than ${NAME_MAX} characters` }]
    : [];
}

/** Units ordered by code; only those whose ids are in `scope` unless it is null. */
export async function listUnits(db: Db, scope: ReadonlySet<number> | null): Promise<UnitView[]> {
  const rows = await units.listUnitsWithParents(db);
  return rows
    .filter((row) => scope === null || scope.has(row.id))
    .map((row) => ({ code: row.code, name: row.name, parent: row.parent }));
}

export async function unitByCode(db: Db, code: string): Promise<UnitView> {
  const unit = (await units.listUnitsWithParents(db)).find((row) => row.code === code);
  if (!unit) throw notFound(`Unknown unit ${code}.`);
  return { code: unit.code, name: unit.name, parent: unit.parent };
}

async function parentId(trx: Db, parent: string | null | undefined): Promise<number | null> {
  if (parent === undefined || parent === null) return null;
  const unit = await units.findUnitByCode(trx, parent);
  if (!unit)
    throw invalid('The unit cannot be saved.', [
      { path: 'parent', message: `unknown unit ${parent}` },
    ]);
  return unit.id;
}

export async function createUnit(
  db: Kysely<Database>,
  actor: Actor,
  input: { code: string; name: string; parent?: string | null },
): Promise<UnitView> {
  const problem = codeProblem(input.code);
  const errors = [
    ...(problem ? [{ path: 'code', message: problem }] : []),
    ...nameProblems(input.name),
  ];
  if (errors.length > 0) throw invalid('The unit cannot be saved.', errors);
  return db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    if (await units.findUnitByCode(trx, input.code))
      throw conflict(`A unit ${input.code} exists already.`);
    const parent = await parentId(trx, input.parent);
    const id = await units.insertUnit(trx, { code: input.code, name: input.name.trim() });
    if (parent !== null)
      await units.updateUnit(trx, id, { name: input.name.trim(), parentId: parent });
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'unit.create',
      subject: input.code,
      detail: { name: input.name.trim(), parent: input.parent ?? null },
    });
    return unitByCode(trx, input.code);
  });
}

/** Renames the unit or moves it under another parent (null: a root). */
export async function updateUnit(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
  input: { name?: string; parent?: string | null },
): Promise<UnitView> {
  const errors = nameProblems(input.name);
  if (errors.length > 0) throw invalid('The unit cannot be saved.', errors);
  return db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    const unit = await units.findUnitByCode(trx, code);
    if (!unit) throw notFound(`Unknown unit ${code}.`);
    const parent = input.parent === undefined ? unit.parent_id : await parentId(trx, input.parent);
    if (parent !== null && (await units.findUnitAncestors(trx, parent)).includes(unit.id)) {
      throw invalid('The unit cannot be saved.', [
        { path: 'parent', message: `${input.parent ?? ''} is ${code} or lies under it` },
      ]);
    }
    const name = input.name?.trim() ?? unit.name;
    await units.updateUnit(trx, unit.id, { name, parentId: parent });
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'unit.update',
      subject: code,
      detail: { name, parent: input.parent },
    });
    return unitByCode(trx, code);
  });
}

/** Deletes a unit nothing refers to. */
export async function deleteUnit(db: Kysely<Database>, actor: Actor, code: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    const unit = await units.findUnitByCode(trx, code);
    if (!unit) throw notFound(`Unknown unit ${code}.`);
    refuseIfReferenced(`Unit ${code}`, await units.unitReferences(trx, unit.id));
    await units.deleteUnit(trx, unit.id);
    await audit.recordAudit(trx, { actor: actor.id, action: 'unit.delete', subject: code });
  });
}
