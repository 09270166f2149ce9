// Evidence files of PAR self-assessments (par-cycle.md §2, docs/evidence.md): the files of an
// assessment's leaves, whose bytes are read only to be served. The assessment itself, and who
// writes on it, are the assessment service's (db/repositories/assessments.ts).
import { sql } from 'kysely';
import type { Db } from './kysely.ts';

// The bytes go in and out as hex text: PGlite (the embedded engine) converts a bytea value
// byte by byte in JavaScript, some 20 s for a file of 20 MB each way, against some 4 s as text
// that Buffer and PostgreSQL's decode and encode convert natively.
export const asHex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

export interface EvidenceValues {
  assessmentId: number;
  node: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  uploadedBy: string;
}

const METADATA = [
  'id',
  'assessment_id',
  'node',
  'file_name',
  'media_type',
  'size',
  'sha256',
  'uploaded_by',
  'uploaded_at',
  'removed_at',
] as const;

export async function insertEvidence(db: Db, values: EvidenceValues) {
  return db
    .insertInto('evidence')
    .values({
      assessment_id: values.assessmentId,
      node: values.node,
      file_name: values.fileName,
      media_type: values.mediaType,
      size: values.size,
      sha256: values.sha256,
      content: sql<Uint8Array>`decode(${asHex(values.content)}, 'hex')`,
      uploaded_by: values.uploadedBy,
    })
    .returning(METADATA)
    .executeTakeFirstOrThrow();
}

/** An evidence file without its bytes, with the assessment's unit, framework and period. */
export async function findEvidence(db: Db, id: number) {
  return db
    .selectFrom('evidence as e')
    .innerJoin('assessment as a', 'a.id', 'e.assessment_id')
    .innerJoin('assessment_round as r', 'r.id', 'a.round_id')
    .innerJoin('par_framework as f', 'f.id', 'r.framework_id')
    .innerJoin('unit as u', 'u.id', 'a.unit_id')
    .select([
      'e.id',
      'e.assessment_id',
      'e.node',
      'e.file_name',
      'e.media_type',
      'e.size',
      'e.sha256',
      'e.uploaded_by',
      'e.uploaded_at',
      'e.removed_at',
    ])
    .select(['u.id as unit_id', 'u.code as unit_code', 'f.code as framework', 'r.period'])
    .where('e.id', '=', id)
    .executeTakeFirst();
}

/** The bytes of a stored file: an assessment's evidence, or a plan's progress report's. */
export async function fileContent(
  db: Db,
  table: 'evidence' | 'plan_evidence',
  id: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const row = await db
    .selectFrom(table)
    .select(sql<string>`encode(content, 'hex')`.as('hex'))
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return new Uint8Array(Buffer.from(row.hex, 'hex'));
}

export const findEvidenceContent = (db: Db, id: number) => fileContent(db, 'evidence', id);

export async function markEvidenceRemoved(db: Db, id: number): Promise<void> {
  await db.updateTable('evidence').set({ removed_at: new Date() }).where('id', '=', id).execute();
}
