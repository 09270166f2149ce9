// Counters (spec §3): one at a time as the admin API edits them, or all of counters.csv at
// once (interchange §2). Codes are stable; a counter may be renamed or move to another unit,
// and its history moves with it. Their survey tokens are in credentials.ts.
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Database, Db } from '../../db/database.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as units from '../../db/repositories/units.ts';
import {
  conflict,
  invalid,
  parseInput,
  refuseIfReferenced,
  required,
  text,
  unknown,
  unknownCode,
} from '../errors.ts';

const cannotSave = text('Không lưu được quầy.', 'The counter cannot be saved.');
import {
  assertCounterInScope,
  assertUnitInScope,
  unitIdsInScope,
  type Principal,
} from './access.ts';
import {
  checkCodeCell,
  codeSchema,
  endedUnit,
  nameProblem,
  nameSchema,
  type ImportCounts,
} from './codes.ts';
import { at, type Delimiter, ImportProblems, readTable } from './csv.ts';
import { editOrganisation } from './organisation.ts';
import { isCalendarDate, vietnamDate } from './vietnam-time.ts';

export const counterViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string().meta({ description: "The unit's code" }),
  hasToken: z.boolean().meta({ description: 'Whether its QR code works' }),
});
export type CounterView = z.output<typeof counterViewSchema>;

export const newCounterSchema = z.strictObject({
  code: codeSchema,
  unit: codeSchema,
  name: nameSchema,
});
export type NewCounter = z.input<typeof newCounterSchema>;

export const counterChangeSchema = z.strictObject({
  name: nameSchema.optional(),
  unit: codeSchema.optional(),
});
export type CounterChange = z.input<typeof counterChangeSchema>;

/** Counters ordered by code: those the principal reaches, of `unit` if given. */
export async function listCounters(
  db: Db,
  principal: Principal,
  unit?: string,
): Promise<CounterView[]> {
  if (unit !== undefined) await assertUnitInScope(db, principal, unit);
  const scope = await unitIdsInScope(db, principal);
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

async function viewOf(db: Db, code: string): Promise<CounterView> {
  const row = (await counters.listCountersWithUnits(db)).find((counter) => counter.code === code);
  if (!row) throw unknown('counter', code);
  return view(row);
}

export async function counterByCode(
  db: Db,
  principal: Principal,
  code: string,
): Promise<CounterView> {
  await assertCounterInScope(db, principal, code);
  return viewOf(db, code);
}

/** The unit's id, one the principal reaches. */
async function unitId(trx: Db, principal: Principal, code: string): Promise<number> {
  const unit = await units.findUnitByCode(trx, code);
  if (!unit) {
    throw invalid(cannotSave, [{ path: 'unit', message: unknownCode('unit', code) }]);
  }
  if (unit.valid_to !== null) {
    throw invalid(cannotSave, [{ path: 'unit', message: endedUnit(code, unit.valid_to) }]);
  }
  await assertUnitInScope(trx, principal, code);
  return unit.id;
}

export async function createCounter(
  db: Kysely<Database>,
  principal: Principal,
  input: NewCounter,
): Promise<CounterView> {
  const counter = parseInput(newCounterSchema, input, cannotSave);
  const entry = { action: 'counter.create', subject: counter.code };
  return editOrganisation(db, principal, entry, async (trx) => {
    const unit = await unitId(trx, principal, counter.unit);
    if (await counters.findCounterByCode(trx, counter.code)) {
      throw conflict(
        text(`Quầy ${counter.code} đã có.`, `A counter ${counter.code} exists already.`),
      );
    }
    await counters.insertCounter(trx, { code: counter.code, name: counter.name, unitId: unit });
    const detail = { unit: counter.unit, name: counter.name };
    return { result: await viewOf(trx, counter.code), detail };
  });
}

/** The counter, one the principal reaches. */
async function counterInScope(trx: Db, principal: Principal, code: string) {
  await assertCounterInScope(trx, principal, code);
  const counter = await counters.findCounterByCode(trx, code);
  if (!counter) throw unknown('counter', code);
  return counter;
}

/**
 * Corrects the counter's name or its unit on today's map, in place (a mistake: a real move is a
 * reorganisation's counter move, with its date); its responses stay with it. Audited as
 * `counter.correct` with the counter before and after. Its unit must not have ended.
 */
export async function updateCounter(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  input: CounterChange,
): Promise<CounterView> {
  const change = parseInput(counterChangeSchema, input, cannotSave);
  const entry = { action: 'counter.correct', subject: code };
  return editOrganisation(db, principal, entry, async (trx) => {
    const counter = await counterInScope(trx, principal, code);
    const name = change.name ?? counter.name;
    const unit =
      change.unit === undefined ? counter.unit_id : await unitId(trx, principal, change.unit);
    const before = await viewOf(trx, code);
    await counters.updateCounter(trx, counter.id, { name, unitId: unit });
    const after = await viewOf(trx, code);
    return { result: after, detail: { before, after } };
  });
}

/** Deletes a counter that is in no campaign and has no responses. */
export async function deleteCounter(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
): Promise<void> {
  const entry = { action: 'counter.delete', subject: code };
  await editOrganisation(db, principal, entry, async (trx) => {
    const counter = await counterInScope(trx, principal, code);
    refuseIfReferenced(
      text(`Quầy ${code}`, `Counter ${code}`),
      await counters.counterReferences(trx, counter.id),
    );
    await counters.deleteCounter(trx, counter.id);
    return { result: undefined };
  });
}

/** The columns of counters.csv (interchange §2), and the one it may have. */
export const COUNTER_COLUMNS = ['counter', 'unit', 'name'] as const;
const COUNTER_OPTIONAL = ['valid_from'];

/**
 * counters.csv: counter, unit, name, and optionally valid_from (a counter the file creates is a
 * member of its unit from then; empty: since always). The unit must be valid that day (today
 * for an existing counter or an empty cell). A row giving an existing counter another name or
 * unit corrects it in place, audited as `counter.correct` (before and after).
 */
export async function importCounters(
  db: Kysely<Database>,
  principal: Principal,
  input: Readable,
  delimiter?: Delimiter,
): Promise<ImportCounts> {
  const rows = await readTable(input, COUNTER_COLUMNS, { delimiter, optional: COUNTER_OPTIONAL });
  const entry = { action: 'counters.import', subject: 'counters' };
  return editOrganisation(db, principal, entry, async (trx) => {
    const all = await units.listUnits(trx);
    // A code names its latest unit (oldest first, so the last one wins).
    const unitsByCode = new Map(all.map((unit) => [unit.code, unit]));
    const unitCode = new Map(all.map((unit) => [unit.id, unit.code]));
    const existing = new Map(
      (await counters.listCounters(trx)).map((counter) => [counter.code, counter]),
    );
    const today = vietnamDate(new Date());
    const problems = new ImportProblems();
    const seen = new Map<string, number>();
    for (const row of rows) {
      const code = row.cell('counter');
      checkCodeCell(problems, seen, row.line, 'counter', code);
      const before = existing.get(code);
      const from = row.cell('valid_from');
      const fromOk = from === '' || isCalendarDate(from);
      if (!fromOk) {
        problems.add({
          path: at(row.line, 'valid_from'),
          message: text(
            `${from} không phải ngày dạng YYYY-MM-DD`,
            `${from} is not a date YYYY-MM-DD`,
          ),
        });
      } else if (from !== '' && before && from !== before.member_from) {
        problems.add({
          path: at(row.line, 'valid_from'),
          message: text(
            `quầy ${code} đã có, thuộc đơn vị từ ${before.member_from ?? 'trước đến nay'}: ngày này không sửa được`,
            `counter ${code} exists, a member of its unit from ${before.member_from ?? 'always'}: that day is not corrected`,
          ),
        });
      }
      const unitCell = row.cell('unit');
      const unit = unitsByCode.get(unitCell);
      const day = from === '' || before ? today : from;
      if (unitCell === '') problems.add({ path: at(row.line, 'unit'), message: required });
      else if (!unit) {
        problems.add({ path: at(row.line, 'unit'), message: unknownCode('unit', unitCell) });
      } else if (
        fromOk &&
        ((unit.valid_from !== null && unit.valid_from > day) ||
          (unit.valid_to !== null && unit.valid_to <= day))
      ) {
        problems.add({
          path: at(row.line, 'unit'),
          message: text(
            `đơn vị ${unitCell} không có hiệu lực ngày ${day} (từ ${unit.valid_from ?? '…'} đến trước ${unit.valid_to ?? '…'})`,
            `unit ${unitCell} is not valid on ${day} (from ${unit.valid_from ?? '…'} to before ${unit.valid_to ?? '…'})`,
          ),
        });
      }
      const problem = nameProblem(row.cell('name'));
      if (problem) problems.add({ path: at(row.line, 'name'), message: problem });
    }
    problems.throwIfAny();

    let created = 0;
    let updated = 0;
    const corrections: { action: string; subject: string; detail: unknown }[] = [];
    for (const row of rows) {
      const code = row.cell('counter');
      const name = row.cell('name');
      const unitId = unitsByCode.get(row.cell('unit'))?.id;
      if (unitId === undefined) throw new Error(`unit ${row.cell('unit')} vanished`);
      const before = existing.get(code);
      if (!before) {
        const from = row.cell('valid_from');
        await counters.insertCounter(trx, {
          code,
          name,
          unitId,
          validFrom: from === '' ? null : from,
        });
        created++;
      } else if (before.name !== name || before.unit_id !== unitId) {
        await counters.updateCounter(trx, before.id, { name, unitId });
        updated++;
        const was = { name: before.name, unit: unitCode.get(before.unit_id) ?? null };
        const now = { name, unit: row.cell('unit') };
        corrections.push({
          action: 'counter.correct',
          subject: code,
          detail: { before: was, after: now },
        });
      }
    }
    return { result: { created, updated }, detail: { created, updated }, entries: corrections };
  });
}
