import type { Kysely } from 'kysely';
import { instrumentSchema, type Instrument } from '../../analysis/instrument.ts';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import type { Database, Db } from '../../db/database.ts';
import { isDeepStrictEqual } from 'node:util';
import * as audit from '../../db/repositories/audit.ts';
import * as instruments from '../../db/repositories/instruments.ts';
import { conflict, invalid, issueText, text, unknown } from '../errors.ts';
import type { Principal } from './access.ts';

export async function ensureBuiltinInstruments(db: Db): Promise<void> {
  for (const instrument of builtinInstruments) {
    await instruments.insertInstrumentIfMissing(db, instrument.code, instrument);
  }
}

export async function instrumentByCode(db: Db, code: string): Promise<Instrument & { id: number }> {
  const row = await instruments.findInstrumentByCode(db, code);
  if (!row) throw unknown('instrument', code);
  return { ...instrumentSchema.parse(row.definition), id: row.id };
}

export async function instrumentById(db: Db, id: number): Promise<Instrument & { id: number }> {
  const row = await instruments.findInstrumentById(db, id);
  return { ...instrumentSchema.parse(row.definition), id: row.id };
}

/** Every instrument version: its code and name, ordered by code. */
export async function instrumentSummaries(db: Db): Promise<Pick<Instrument, 'code' | 'name'>[]> {
  return (await instruments.listInstruments(db)).map((row) => {
    const { code, name } = instrumentSchema.parse(row.definition);
    return { code, name };
  });
}

/**
 * Adds an instrument version, validated on entry (analysis/instrument.ts). A version nobody has
 * answered yet may be replaced; once it has responses it never changes (spec §4): a change then
 * needs a new code. Saving the same definition again changes nothing.
 */
export async function saveInstrument(
  db: Kysely<Database>,
  principal: Principal,
  input: unknown,
): Promise<{ code: string; outcome: 'created' | 'replaced' | 'unchanged' }> {
  const parsed = instrumentSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(
      text(
        'Định nghĩa bộ câu hỏi không hợp lệ; không có gì được lưu.',
        'The instrument definition is not valid; nothing was saved.',
      ),
      parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(definition)',
        message: issueText(issue),
      })),
    );
  }
  const instrument = parsed.data;
  return db.transaction().execute(async (trx) => {
    const existing = await instruments.lockInstrumentByCode(trx, instrument.code);
    let outcome: 'created' | 'replaced' | 'unchanged';
    if (!existing) {
      await instruments.insertInstrument(trx, instrument.code, instrument);
      outcome = 'created';
    } else if (isDeepStrictEqual(instrumentSchema.parse(existing.definition), instrument)) {
      return { code: instrument.code, outcome: 'unchanged' as const };
    } else if (await instruments.instrumentHasResponses(trx, existing.id)) {
      throw conflict(
        text(
          `Bộ câu hỏi ${instrument.code} đã có phiếu trả lời nên không được thay đổi; hãy lưu ` +
            'thay đổi dưới một mã phiên bản mới.',
          `Instrument ${instrument.code} has responses, so it never changes; save the change ` +
            `under a new version code.`,
        ),
      );
    } else {
      await instruments.replaceInstrumentDefinition(trx, existing.id, instrument);
      outcome = 'replaced';
    }
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: `instrument.${outcome === 'created' ? 'create' : 'replace'}`,
      subject: instrument.code,
    });
    return { code: instrument.code, outcome };
  });
}
