// Units (spec §3): one at a time as the admin API edits them, or all of units.csv at once
// (interchange §2). Codes are stable; a name and a parent may change, never into a cycle.
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Database, Db } from '../../db/database.ts';
import * as units from '../../db/repositories/units.ts';
import {
  conflict,
  invalid,
  notFound,
  parseInput,
  refuseIfReferenced,
  text,
  unknown,
  unknownCode,
} from '../errors.ts';

const cannotSave = text('Không lưu được đơn vị.', 'The unit cannot be saved.');
import { assertUnitInScope, unitIdsInScope, type Principal } from './access.ts';
import {
  checkCodeCell,
  codeSchema,
  cycleProblem,
  daySchema,
  DEFAULT_TYPE,
  endedUnit,
  nameProblem,
  nameSchema,
  typeProblem,
  type ImportCounts,
} from './codes.ts';
import { at, type Delimiter, ImportProblems, readTable } from './csv.ts';
import { editOrganisation } from './organisation.ts';
import { isCalendarDate, vietnamDate } from './vietnam-time.ts';

export const unitViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  parent: z.string().nullable().meta({ description: "The parent's code; null for a root" }),
});
export type UnitView = z.output<typeof unitViewSchema>;

const parentSchema = codeSchema.nullable().optional();

export const newUnitSchema = z.strictObject({
  code: codeSchema,
  name: nameSchema,
  parent: parentSchema,
});
export type NewUnit = z.input<typeof newUnitSchema>;

export const unitChangeSchema = z.strictObject({
  name: nameSchema.optional(),
  parent: parentSchema,
});
export type UnitChange = z.input<typeof unitChangeSchema>;

/**
 * The units the principal reaches, ordered by code, on the latest map or on the map of the day
 * `on`.
 */
export async function listUnits(
  db: Db,
  principal: Principal,
  query: { on?: string } = {},
): Promise<UnitView[]> {
  const { on } = parseInput(
    z.object({ on: daySchema.optional() }),
    query,
    text('Ngày không hợp lệ.', 'The day is not valid.'),
  );
  const scope = await unitIdsInScope(db, principal);
  const rows = await units.listUnitsWithParents(db, on);
  return rows
    .filter((row) => scope === null || scope.has(row.id))
    .map((row) => ({ code: row.code, name: row.name, parent: row.parent }));
}

async function viewOf(db: Db, code: string): Promise<UnitView> {
  const unit = (await units.listUnitsWithParents(db)).find((row) => row.code === code);
  if (!unit) throw unknown('unit', code);
  return { code: unit.code, name: unit.name, parent: unit.parent };
}

export async function unitByCode(db: Db, principal: Principal, code: string): Promise<UnitView> {
  await assertUnitInScope(db, principal, code);
  return viewOf(db, code);
}

const validFrom = z
  .string()
  .nullable()
  .meta({ format: 'date', description: 'First day, inclusive; null: since always' });
const validTo = z
  .string()
  .nullable()
  .meta({ format: 'date', description: 'The day it ended (exclusive); null: still valid' });
const dated = { validFrom, validTo };
const named = { code: z.string(), name: z.string() };

export const unitOnDaySchema = z.object({
  on: z.string().meta({ format: 'date', description: 'The day of the map' }),
  code: z.string(),
  name: z.string(),
  type: z.string(),
  ...dated,
  parent: z.object(named).nullable().meta({ description: 'Its parent that day; null for a root' }),
  counters: z
    .array(z.object({ ...named, ...dated }))
    .meta({ description: 'Its counters that day, each with the validity of its membership' }),
});
export type UnitOnDay = z.output<typeof unitOnDaySchema>;

const lineageEdge = z.object({
  ...named,
  share: z.number(),
  on: z.string().meta({ format: 'date', description: "The reorganisation's day" }),
});

export const unitHistorySchema = z.object({
  code: z.string(),
  units: z
    .array(
      z.object({
        name: z.string(),
        type: z.string(),
        ...dated,
        parents: z.array(z.object({ ...named, ...dated })),
        counters: z.array(z.object({ ...named, ...dated })),
        predecessors: z.array(lineageEdge),
        successors: z.array(lineageEdge),
      }),
    )
    .meta({ description: 'Every unit the code has named, the earliest first' }),
});
export type UnitHistory = z.output<typeof unitHistorySchema>;

const datesOf = (row: { valid_from: string | null; valid_to: string | null }) => ({
  validFrom: row.valid_from,
  validTo: row.valid_to,
});

/** The unit a code names on a day (default: today in Vietnam), its parent and counters then. */
export async function unitOnDay(
  db: Db,
  principal: Principal,
  code: string,
  day?: string,
): Promise<UnitOnDay> {
  const on =
    parseInput(daySchema.optional(), day, text('Ngày không hợp lệ.', 'The day is not valid.')) ??
    vietnamDate(new Date());
  await assertUnitInScope(db, principal, code);
  const unit = await units.findUnitOn(db, code, on);
  if (!unit) {
    throw notFound(
      text(
        `Mã ${code} không chỉ đơn vị nào vào ngày ${on}.`,
        `Code ${code} names no unit on ${on}.`,
      ),
    );
  }
  const [parent] = await units.listParentLinks(db, unit.id, on);
  const counters = await units.listMemberships(db, unit.id, on);
  return unitOnDaySchema.parse({
    on,
    code: unit.code,
    name: unit.name,
    type: unit.type,
    ...datesOf(unit),
    parent: parent ? { code: parent.code, name: parent.name } : null,
    counters: counters.map((m) => ({ code: m.code, name: m.name, ...datesOf(m) })),
  });
}

/** Every unit a code has named: validity, parents over time, counters, lineage in and out. */
export async function unitHistory(
  db: Db,
  principal: Principal,
  code: string,
): Promise<UnitHistory> {
  await assertUnitInScope(db, principal, code);
  const edges = (rows: Awaited<ReturnType<typeof units.listLineage>>) =>
    rows.map((e) => ({ code: e.code, name: e.name, share: e.share, on: e.effective_on }));
  const all = await Promise.all(
    (await units.findUnitsNamedBy(db, code)).map(async (unit) => ({
      name: unit.name,
      type: unit.type,
      ...datesOf(unit),
      parents: (await units.listParentLinks(db, unit.id)).map((l) => ({
        code: l.code,
        name: l.name,
        ...datesOf(l),
      })),
      counters: (await units.listMemberships(db, unit.id)).map((m) => ({
        code: m.code,
        name: m.name,
        ...datesOf(m),
      })),
      predecessors: edges(await units.listLineage(db, unit.id, 'in')),
      successors: edges(await units.listLineage(db, unit.id, 'out')),
    })),
  );
  return unitHistorySchema.parse({ code, units: all });
}

/** The parent's id, one the principal reaches; null for a root. */
async function parentId(
  trx: Db,
  principal: Principal,
  parent: string | null | undefined,
): Promise<number | null> {
  if (parent === undefined || parent === null) return null;
  const unit = await units.findUnitByCode(trx, parent);
  if (!unit) throw invalid(cannotSave, [{ path: 'parent', message: unknownCode('unit', parent) }]);
  if (unit.valid_to !== null) {
    throw invalid(cannotSave, [{ path: 'parent', message: endedUnit(parent, unit.valid_to) }]);
  }
  await assertUnitInScope(trx, principal, parent);
  return unit.id;
}

export async function createUnit(
  db: Kysely<Database>,
  principal: Principal,
  input: NewUnit,
): Promise<UnitView> {
  const unit = parseInput(newUnitSchema, input, cannotSave);
  const entry = { action: 'unit.create', subject: unit.code };
  return editOrganisation(db, principal, entry, async (trx) => {
    if (await units.findUnitByCode(trx, unit.code))
      throw conflict(text(`Đơn vị ${unit.code} đã có.`, `A unit ${unit.code} exists already.`));
    const parent = await parentId(trx, principal, unit.parent);
    const id = await units.insertUnit(trx, { code: unit.code, name: unit.name });
    if (parent !== null) await units.updateUnit(trx, id, { name: unit.name, parentId: parent });
    const detail = { name: unit.name, parent: unit.parent ?? null };
    return { result: await viewOf(trx, unit.code), detail };
  });
}

/** The unit, one the principal reaches. */
async function unitInScope(trx: Db, principal: Principal, code: string) {
  await assertUnitInScope(trx, principal, code);
  const unit = await units.findUnitByCode(trx, code);
  if (!unit) throw unknown('unit', code);
  return unit;
}

/**
 * Corrects the unit's name or parent (null: a root) on today's map, in place: a mistake, not a
 * change, which is a reorganisation with its date. Audited as `unit.correct` with the unit before
 * and after. A unit that has ended is not on today's map, and is refused.
 */
export async function updateUnit(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  input: UnitChange,
): Promise<UnitView> {
  const change = parseInput(unitChangeSchema, input, cannotSave);
  const entry = { action: 'unit.correct', subject: code };
  return editOrganisation(db, principal, entry, async (trx) => {
    const unit = await unitInScope(trx, principal, code);
    if (unit.valid_to !== null) {
      throw invalid(cannotSave, [{ path: 'unit', message: endedUnit(code, unit.valid_to) }]);
    }
    const parent =
      change.parent === undefined ? unit.parent_id : await parentId(trx, principal, change.parent);
    if (parent !== null && (await units.findUnitAncestors(trx, parent)).includes(unit.id)) {
      throw invalid(cannotSave, [
        {
          path: 'parent',
          message: text(
            `${change.parent ?? ''} là ${code} hoặc trực thuộc ${code}`,
            `${change.parent ?? ''} is ${code} or lies under it`,
          ),
        },
      ]);
    }
    const before = await viewOf(trx, code);
    const name = change.name ?? unit.name;
    await units.updateUnit(trx, unit.id, { name, parentId: parent });
    const after = await viewOf(trx, code);
    return { result: after, detail: { before, after } };
  });
}

/** Deletes a unit nothing refers to. */
export async function deleteUnit(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
): Promise<void> {
  const entry = { action: 'unit.delete', subject: code };
  await editOrganisation(db, principal, entry, async (trx) => {
    const unit = await unitInScope(trx, principal, code);
    refuseIfReferenced(
      text(`Đơn vị ${code}`, `Unit ${code}`),
      await units.unitReferences(trx, unit.id),
    );
    await units.deleteUnit(trx, unit.id);
    return { result: undefined };
  });
}

/** The columns of units.csv (interchange §2), and those it may have. */
export const UNIT_COLUMNS = ['unit', 'name', 'parent'] as const;
const UNIT_OPTIONAL = ['type', 'valid_from'];

/**
 * units.csv: unit, name, parent (empty for a root), and optionally type and valid_from (a unit
 * the file creates starts then; empty: since always). A parent may come after its child. A row
 * giving an existing unit another name, parent or type corrects it in place (audited as
 * `unit.correct`, before and after); it never moves history, and a unit that has ended cannot
 * be corrected.
 */
export async function importUnits(
  db: Kysely<Database>,
  principal: Principal,
  input: Readable,
  delimiter?: Delimiter,
): Promise<ImportCounts> {
  const rows = await readTable(input, UNIT_COLUMNS, { delimiter, optional: UNIT_OPTIONAL });
  const entry = { action: 'units.import', subject: 'units' };
  return editOrganisation(db, principal, entry, async (trx) => {
    const existing = await units.listUnits(trx);
    // A code names its latest unit (oldest first, so the last one wins).
    const byCode = new Map(existing.map((unit) => [unit.code, unit]));
    const codeOf = new Map(existing.map((unit) => [unit.id, unit.code]));
    const parentCode = (parentId: number | null) =>
      parentId === null ? null : (codeOf.get(parentId) ?? null);
    // The hierarchy as it will be after the import: code → parent code.
    const parentOf = new Map([...byCode].map(([code, unit]) => [code, parentCode(unit.parent_id)]));
    const problems = new ImportProblems();
    const seen = new Map<string, number>();
    for (const row of rows) {
      const code = row.cell('unit');
      checkCodeCell(problems, seen, row.line, 'unit', code);
      const name = row.cell('name');
      const problem = nameProblem(name);
      if (problem) problems.add({ path: at(row.line, 'name'), message: problem });
      const type = row.cell('type');
      const badType = type === '' ? null : typeProblem(type);
      if (badType) problems.add({ path: at(row.line, 'type'), message: badType });
      const from = row.cell('valid_from');
      const before = byCode.get(code);
      if (from !== '' && !isCalendarDate(from)) {
        problems.add({
          path: at(row.line, 'valid_from'),
          message: text(
            `${from} không phải ngày dạng YYYY-MM-DD`,
            `${from} is not a date YYYY-MM-DD`,
          ),
        });
      } else if (from !== '' && before && from !== before.valid_from) {
        problems.add({
          path: at(row.line, 'valid_from'),
          message: text(
            `đơn vị ${code} đã có, bắt đầu từ ${before.valid_from ?? 'trước đến nay'}: ngày bắt đầu không sửa được`,
            `unit ${code} exists, valid from ${before.valid_from ?? 'always'}: its first day is not corrected`,
          ),
        });
      }
      const parent = row.cell('parent');
      if (before?.valid_to) {
        const changed =
          before.name !== name ||
          parentCode(before.parent_id) !== (parent === '' ? null : parent) ||
          (type !== '' && type !== before.type);
        if (changed) {
          problems.add({ path: at(row.line, 'unit'), message: endedUnit(code, before.valid_to) });
        }
      }
      parentOf.set(code, parent === '' ? null : parent);
    }
    for (const row of rows) {
      const parent = row.cell('parent');
      const ended = byCode.get(parent)?.valid_to;
      if (parent !== '' && !parentOf.has(parent)) {
        problems.add({ path: at(row.line, 'parent'), message: unknownCode('unit', parent) });
      } else if (ended) {
        problems.add({ path: at(row.line, 'parent'), message: endedUnit(parent, ended) });
      }
    }
    for (const row of rows) {
      const cycle = cycleProblem(row.cell('unit'), parentOf);
      if (cycle) problems.add({ path: at(row.line, 'parent'), message: cycle });
    }
    problems.throwIfAny();

    const ids = new Map([...byCode].map(([code, unit]) => [code, unit.id]));
    let created = 0;
    for (const row of rows) {
      const code = row.cell('unit');
      if (!ids.has(code)) {
        const type = row.cell('type');
        const validFrom = row.cell('valid_from');
        const unit = {
          code,
          name: row.cell('name'),
          ...(type === '' ? {} : { type }),
          validFrom: validFrom === '' ? null : validFrom,
        };
        ids.set(code, await units.insertUnit(trx, unit));
        created++;
      }
    }
    let updated = 0;
    const corrections: { action: string; subject: string; detail: unknown }[] = [];
    for (const row of rows) {
      const code = row.cell('unit');
      const name = row.cell('name');
      const parent = row.cell('parent');
      const parentId = parent === '' ? null : (ids.get(parent) ?? null);
      const before = byCode.get(code);
      const type = row.cell('type') === '' ? (before?.type ?? DEFAULT_TYPE) : row.cell('type');
      if (before && before.name === name && before.parent_id === parentId && before.type === type) {
        continue;
      }
      const id = ids.get(code);
      if (id === undefined) throw new Error(`unit ${code} was not inserted`);
      // A new unit was inserted without its parent, which may have come later in the file.
      if (before || parentId !== null) await units.updateUnit(trx, id, { name, parentId, type });
      if (before) {
        updated++;
        const was = { name: before.name, parent: parentCode(before.parent_id), type: before.type };
        const now = { name, parent: parent === '' ? null : parent, type };
        corrections.push({
          action: 'unit.correct',
          subject: code,
          detail: { before: was, after: now },
        });
      }
    }
    return { result: { created, updated }, detail: { created, updated }, entries: corrections };
  });
}
