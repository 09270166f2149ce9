// Units and counters (spec §3), imported from units.csv and counters.csv (interchange §2).
// Codes are stable; names, parents and a counter's unit may change on a later import.
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as units from '../../db/repositories/units.ts';
import { CODE_MAX, CODE_PATTERN, NAME_MAX } from '../../shared/rules.ts';
import type { Actor } from './credentials.ts';
import { at, ImportProblems, readTable } from './csv.ts';

export interface ImportCounts {
  created: number;
  updated: number;
}

const CODE = new RegExp(`^${CODE_PATTERN}$`);

/** Why a unit, counter or campaign code is unacceptable, or null. */
export function codeProblem(code: string): string | null {
  if (code === '') return 'required';
  if (!CODE.test(code)) {
    return `a code is 1 to ${CODE_MAX} letters, digits, dots, hyphens or underscores`;
  }
  return null;
}

function nameProblem(name: string): string | null {
  if (name === '') return 'required';
  return name.length > NAME_MAX ? `longer than ${NAME_MAX} characters` : null;
}

/** Checks a code column, and that it appears once in the file. */
function checkCode(
  problems: ImportProblems,
  seen: Map<string, number>,
  line: number,
  column: string,
  code: string,
): void {
  const problem = codeProblem(code);
  const first = seen.get(code);
  if (problem) problems.add({ path: at(line, column), message: problem });
  else if (first !== undefined) {
    problems.add({ path: at(line, column), message: `${code} is also on line ${first}` });
  } else seen.set(code, line);
}

/** units.csv: unit, name, parent (empty for a root). A parent may come after its child. */
export async function importUnits(
  db: Kysely<Database>,
  actor: Actor,
  input: Readable,
): Promise<ImportCounts> {
  const rows = await readTable(input, ['unit', 'name', 'parent']);
  return db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    const existing = await units.listUnits(trx);
    const byCode = new Map(existing.map((unit) => [unit.code, unit]));
    const codeOf = new Map(existing.map((unit) => [unit.id, unit.code]));
    // The hierarchy as it will be after the import: code → parent code.
    const parentOf = new Map(
      existing.map((unit) => [
        unit.code,
        unit.parent_id === null ? null : (codeOf.get(unit.parent_id) ?? null),
      ]),
    );
    const problems = new ImportProblems();
    const seen = new Map<string, number>();
    for (const row of rows) {
      const code = row.cell('unit');
      checkCode(problems, seen, row.line, 'unit', code);
      const name = row.cell('name');
      const problem = nameProblem(name);
      if (problem) problems.add({ path: at(row.line, 'name'), message: problem });
      const parent = row.cell('parent');
      parentOf.set(code, parent === '' ? null : parent);
    }
    for (const row of rows) {
      const parent = row.cell('parent');
      if (parent !== '' && !parentOf.has(parent)) {
        problems.add({ path: at(row.line, 'parent'), message: `unknown unit ${parent}` });
      }
    }
    for (const row of rows) {
      const cycle = cycleFrom(row.cell('unit'), parentOf);
      if (cycle) {
        problems.add({ path: at(row.line, 'parent'), message: `a cycle: ${cycle.join(' → ')}` });
      }
    }
    problems.throwIfAny();

    const ids = new Map(existing.map((unit) => [unit.code, unit.id]));
    let created = 0;
    for (const row of rows) {
      const code = row.cell('unit');
      if (!ids.has(code)) {
        ids.set(code, await units.insertUnit(trx, { code, name: row.cell('name') }));
        created++;
      }
    }
    let updated = 0;
    for (const row of rows) {
      const code = row.cell('unit');
      const name = row.cell('name');
      const parent = row.cell('parent');
      const parentId = parent === '' ? null : (ids.get(parent) ?? null);
      const before = byCode.get(code);
      if (before && before.name === name && before.parent_id === parentId) continue;
      const id = ids.get(code);
      if (id === undefined) throw new Error(`unit ${code} was not inserted`);
      // A new unit was inserted without its parent, which may have come later in the file.
      if (before || parentId !== null) await units.updateUnit(trx, id, { name, parentId });
      if (before) updated++;
    }
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'units.import',
      subject: 'units',
      detail: { created, updated },
    });
    return { created, updated };
  });
}

/** The cycle the unit's ancestry runs into (unit first), or null when it reaches a root. */
function cycleFrom(start: string, parentOf: ReadonlyMap<string, string | null>): string[] | null {
  const path: string[] = [];
  const onPath = new Set<string>();
  let code: string | null | undefined = start;
  while (code !== null && code !== undefined) {
    if (onPath.has(code)) return code === start ? [...path, code] : null;
    path.push(code);
    onPath.add(code);
    code = parentOf.get(code);
  }
  return null;
}

/** counters.csv: counter, unit, name. The unit must exist. */
export async function importCounters(
  db: Kysely<Database>,
  actor: Actor,
  input: Readable,
): Promise<ImportCounts> {
  const rows = await readTable(input, ['counter', 'unit', 'name']);
  return db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    const unitIds = new Map((await units.listUnits(trx)).map((unit) => [unit.code, unit.id]));
    const existing = new Map(
      (await counters.listCounters(trx)).map((counter) => [counter.code, counter]),
    );
    const problems = new ImportProblems();
    const seen = new Map<string, number>();
    for (const row of rows) {
      checkCode(problems, seen, row.line, 'counter', row.cell('counter'));
      const unit = row.cell('unit');
      if (unit === '') problems.add({ path: at(row.line, 'unit'), message: 'required' });
      else if (!unitIds.has(unit)) {
        problems.add({ path: at(row.line, 'unit'), message: `unknown unit ${unit}` });
      }
      const problem = nameProblem(row.cell('name'));
      if (problem) problems.add({ path: at(row.line, 'name'), message: problem });
    }
    problems.throwIfAny();

    let created = 0;
    let updated = 0;
    for (const row of rows) {
      const code = row.cell('counter');
      const name = row.cell('name');
      const unitId = unitIds.get(row.cell('unit'));
      if (unitId === undefined) throw new Error(`unit ${row.cell('unit')} vanished`);
      const before = existing.get(code);
      if (!before) {
        await counters.insertCounter(trx, { code, name, unitId });
        created++;
      } else if (before.name !== name || before.unit_id !== unitId) {
        await counters.updateCounter(trx, before.id, { name, unitId });
        updated++;
      }
    }
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'counters.import',
      subject: 'counters',
      detail: { created, updated },
    });
    return { created, updated };
  });
}
