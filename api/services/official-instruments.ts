// Officials' survey instruments (par-cycle.md §5): the built-in ones, reading one, and an
// administrator's own. The definition is validated on the way out as on the way in
// (analysis/official-instrument.ts).
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import {
  officialInstrumentSchema,
  type OfficialInstrument,
} from '../../analysis/official-instrument.ts';
import { builtinOfficialInstruments } from '../../analysis/official-instruments/index.ts';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as instruments from '../../db/repositories/official-instruments.ts';
import { conflict, DomainError, parseInput, text, unknown } from '../errors.ts';
import type { Principal } from './access.ts';

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

/**
 * Adds an officials' instrument (an admin's), validated on entry. One that no survey puts to
 * officials yet may be replaced; once one does, it never changes (409: save the change under a
 * new code), as its answers are stored by the position of its items and options. Saving the same
 * definition again changes nothing.
 */
export async function saveOfficialInstrument(
  db: Kysely<Database>,
  principal: Principal,
  input: unknown,
): Promise<{ code: string; outcome: 'created' | 'replaced' | 'unchanged' }> {
  if (principal.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      text(
        'Chỉ quản trị viên thêm bộ câu hỏi điều tra cán bộ.',
        "Only an admin adds an officials' instrument.",
      ),
    );
  }
  const instrument = parseInput(
    officialInstrumentSchema,
    input,
    text(
      'Định nghĩa bộ câu hỏi điều tra cán bộ không hợp lệ; không có gì được lưu.',
      "The officials' instrument definition is not valid; nothing was saved.",
    ),
  );
  return db.transaction().execute(async (trx) => {
    const existing = await instruments.lockOfficialInstrumentByCode(trx, instrument.code);
    let outcome: 'created' | 'replaced';
    if (!existing) {
      await instruments.insertOfficialInstrument(trx, instrument.code, instrument);
      outcome = 'created';
    } else if (isDeepStrictEqual(officialInstrumentSchema.parse(existing.definition), instrument)) {
      return { code: instrument.code, outcome: 'unchanged' as const };
    } else if (await instruments.officialInstrumentInUse(trx, existing.id)) {
      throw conflict(
        text(
          `Bộ câu hỏi ${instrument.code} đã được dùng cho một cuộc điều tra nên không được thay ` +
            'đổi; hãy lưu thay đổi dưới một mã mới.',
          `Instrument ${instrument.code} is used by a survey, so it never changes; save the ` +
            'change under a new code.',
        ),
      );
    } else {
      await instruments.replaceOfficialInstrument(trx, existing.id, instrument);
      outcome = 'replaced';
    }
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: `officials.instrument.${outcome === 'created' ? 'create' : 'replace'}`,
      subject: instrument.code,
    });
    return { code: instrument.code, outcome };
  });
}
