// Evidence files of a PAR self-assessment (par-cycle.md §2, docs/evidence.md): the unit
// uploads them to its `assessment` leaves while its assessment is in draft or returned, every
// reader of the assessment downloads them, and a removal keeps the row (and its bytes) for
// history. A file's type is read from its content (evidence-type.ts); it is stored in the
// database with its SHA-256, so that a backup holds it.
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as evidence from '../../db/repositories/evidence.ts';
import { DomainError, notFound, text } from '../errors.ts';
import type { Principal } from './access.ts';
import { assertReadsAssessmentOf } from './assessment-access.ts';
import { assessmentOf, unitLeaf } from './assessments.ts';
import { typedFile } from './evidence-type.ts';

export const evidenceFileSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int().meta({ description: 'In bytes' }),
  sha256: z.string().meta({ description: 'Of the content, in hexadecimal' }),
  uploadedAt: z.string().meta({ description: 'ISO 8601' }),
  uploadedBy: z.string().meta({ description: 'The actor: `account:ID`, or `cli`' }),
});

export type EvidenceFile = z.output<typeof evidenceFileSchema>;

export interface EvidenceLeaf {
  framework: string;
  period: string;
  unit: string;
  node: string;
}

function fileOf(row: {
  id: number;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  uploaded_at: Date;
  uploaded_by: string;
}): EvidenceFile {
  return {
    id: row.id,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: row.size,
    sha256: row.sha256,
    uploadedAt: row.uploaded_at.toISOString(),
    uploadedBy: row.uploaded_by,
  };
}

/**
 * Stores an evidence file on a leaf of the unit's assessment: the unit itself (scoresFor), in
 * a round open for the framework's period among its peers, while the assessment is in draft
 * or returned (made in draft on the first write). Refused, with nothing stored, when the
 * content is of no accepted type or of another than its name claims. The file's bytes are
 * read (`read`) only once the leaf, the uploader and the name have passed.
 */
export async function uploadEvidence(
  db: Kysely<Database>,
  principal: Principal,
  leaf: EvidenceLeaf,
  file: { name: string; read: () => Promise<Uint8Array> },
): Promise<EvidenceFile> {
  // Checked before the bytes are read, so that a refused upload is not read at all; checked
  // again with the assessment locked, as its state may have changed meanwhile.
  await db.transaction().execute((trx) => unitLeaf(trx, principal, leaf));
  const { fileName, bytes, mediaType, sha256: digest } = await typedFile(file);
  return db.transaction().execute(async (trx) => {
    const at = await unitLeaf(trx, principal, leaf);
    const assessment = await assessmentOf(trx, at);
    const row = await evidence.insertEvidence(trx, {
      assessmentId: assessment.id,
      node: leaf.node,
      fileName,
      mediaType,
      size: bytes.length,
      sha256: digest,
      content: bytes,
      uploadedBy: principal.actor.id,
    });
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'evidence.upload',
      subject: at.subject,
      detail: {
        node: leaf.node,
        evidence: row.id,
        fileName,
        mediaType,
        size: row.size,
        sha256: digest,
      },
    });
    return fileOf(row);
  });
}

async function foundEvidence(db: Db, id: number) {
  const row = await evidence.findEvidence(db, id);
  if (!row) {
    throw notFound(text(`Không tìm thấy minh chứng ${id}.`, `Unknown evidence file ${id}.`));
  }
  return row;
}

const removed = (id: number, at: Date) =>
  new DomainError(
    'gone',
    text(
      `Minh chứng ${id} đã bị gỡ lúc ${at.toISOString()}.`,
      `Evidence file ${id} was removed at ${at.toISOString()}.`,
    ),
  );

/** An evidence file's bytes and what to serve them as, to the readers of its assessment. */
export async function evidenceDownload(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
): Promise<EvidenceFile & { content: Uint8Array<ArrayBuffer> }> {
  const row = await foundEvidence(db, id);
  await assertReadsAssessmentOf(db, principal, { id: row.unit_id, code: row.unit_code });
  if (row.removed_at !== null) throw removed(id, row.removed_at);
  return { ...fileOf(row), content: await evidence.findEvidenceContent(db, id) };
}

/**
 * Removes an evidence file from its leaf: the unit itself, while its assessment is in draft or
 * returned. The row stays, marked removed, for the history of the assessment.
 */
export async function removeEvidence(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
): Promise<void> {
  const row = await foundEvidence(db, id);
  await db.transaction().execute(async (trx) => {
    const at = await unitLeaf(trx, principal, {
      framework: row.framework,
      period: row.period,
      unit: row.unit_code,
      node: row.node,
    });
    // Read again under the assessment's lock: a removal racing this one has then finished.
    const current = await foundEvidence(trx, id);
    if (current.removed_at !== null) throw removed(id, current.removed_at);
    await evidence.markEvidenceRemoved(trx, id);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'evidence.remove',
      subject: at.subject,
      detail: { node: row.node, evidence: id, fileName: row.file_name, sha256: row.sha256 },
    });
  });
}
