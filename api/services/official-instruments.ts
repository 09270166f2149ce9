// Officials' survey instruments (par-cycle.md §5): the built-in ones, and reading one. The
// definition is validated on the way out as on the way in (analysis/official-instrument.ts).
import {
  officialInstrumentSchema,
  type OfficialInstrument,
} from '../../analysis/official-instrument.ts';
import { builtinOfficialInstruments } from '../../analysis/official-instruments/index.ts';
import type { Db } from '../../db/database.ts';
import * as instruments from '../../db/repositories/official-instruments.ts';
import { unknown } from '../errors.ts';

export async function ensureBuiltinOfficialInstruments(db: Db): Promise<void> {
  for (const instrument of builtinOfficialInstruments) {
    await instruments.insertOfficialInstrumentIfMissing(db, instrument.code, instrument);
  }
}

export async function officialInstrumentByCode(
  db: Db,
  code: string,
): Promise<OfficialInstrument & { id: number }> {
  const row = await instruments.findOfficialInstrumentByCode(db, code);
  if (!row) throw unknown('officialInstrument', code);
  return { ...officialInstrumentSchema.parse(row.definition), id: row.id };
}

export async function officialInstrumentById(
  db: Db,
  id: number,
): Promise<OfficialInstrument & { id: number }> {
  const row = await instruments.findOfficialInstrumentById(db, id);
  return { ...officialInstrumentSchema.parse(row.definition), id: row.id };
}

/** Every officials' instrument: its code, name and note, ordered by code. */
export async function officialInstrumentSummaries(
  db: Db,
): Promise<Pick<OfficialInstrument, 'code' | 'name' | 'note'>[]> {
  return (await instruments.listOfficialInstruments(db)).map((row) => {
    const { code, name, note } = officialInstrumentSchema.parse(row.definition);
    return { code, name, note };
  });
}
