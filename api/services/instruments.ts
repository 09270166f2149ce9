import type { Kysely, Transaction } from 'kysely';
import { instrumentSchema, type Instrument } from '../../analysis/instrument.ts';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import type { Database } from '../../db/database.ts';
import {
  findInstrumentByCode,
  findInstrumentById,
  insertInstrumentIfMissing,
  listInstruments,
} from '../../db/repositories/instruments.ts';
import { notFound } from '../errors.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function ensureBuiltinInstruments(db: Db): Promise<void> {
  for (const instrument of builtinInstruments) {
    await insertInstrumentIfMissing(db, instrument.code, instrument);
  }
}

export async function instrumentByCode(db: Db, code: string): Promise<Instrument & { id: number }> {
  const row = await findInstrumentByCode(db, code);
  if (!row) throw notFound(`Unknown instrument ${code}.`);
  return { ...instrumentSchema.parse(row.definition), id: row.id };
}

export async function instrumentById(db: Db, id: number): Promise<Instrument & { id: number }> {
  const row = await findInstrumentById(db, id);
  return { ...instrumentSchema.parse(row.definition), id: row.id };
}

/** Every instrument version: its code and name, ordered by code. */
export async function instrumentSummaries(db: Db): Promise<Pick<Instrument, 'code' | 'name'>[]> {
  return (await listInstruments(db)).map((row) => {
    const { code, name } = instrumentSchema.parse(row.definition);
    return { code, name };
  });
}
