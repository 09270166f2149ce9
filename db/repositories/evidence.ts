// Evidence files of PAR self-assessments (par-cycle.md §2, docs/evidence.md): the round a
// framework's period is open in, a unit's assessment in it (made on its first write), and the
// files of its leaves, whose bytes are read only to be served.
import { sql } from 'kysely';
import type { AssessmentState } from '../../shared/assessment.ts';
import type { Db } from './kysely.ts';

// The bytes go in and out as hex text: PGlite (the embedded engine) converts a bytea value
// byte by byte in JavaScript, some 20 s for a file of 20 MB each way, against some 4 s as text
// that Buffer and PostgreSQL's decode and encode convert natively.
const asHex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** The round open for the framework's period, with its peers. */
export async function findRound(db: Db, frameworkId: number, period: string) {
  return db
    .selectFrom('assessment_round')
    .select(['id', 'peers'])
    .where('framework_id', '=', frameworkId)
    .where('period', '=', period)
    .executeTakeFirst();
}

/**
 * The unit's assessment in the round, made in `draft` when it has none, and locked until the
 * transaction ends, so that its state cannot change under a write that depends on it. The
 * insert does nothing when another transaction (the assessment service's first write, say)
 * has made the row: both then read the same one.
 */
export async function lockOrCreateAssessment(
  db: Db,
  roundId: number,
  unitId: number,
): Promise<{ id: number; state: AssessmentState }> {
  await db
    .insertInto('assessment')
    .values({ round_id: roundId, unit_id: unitId })
    .onConflict((oc) => oc.columns(['round_id', 'unit_id']).doNothing())
    .execute();
  return db
    .selectFrom('assessment')
    .select(['id', 'state'])
    .where('round_id', '=', roundId)
    .where('unit_id', '=', unitId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** The assessment's state, locked until the transaction ends. */
export async function lockAssessment(db: Db, assessmentId: number) {
  return db
    .selectFrom('assessment')
    .select(['id', 'state'])
    .where('id', '=', assessmentId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

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

export async function findEvidenceContent(db: Db, id: number): Promise<Uint8Array<ArrayBuffer>> {
  const row = await db
    .selectFrom('evidence')
    .select(sql<string>`encode(content, 'hex')`.as('hex'))
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return new Uint8Array(Buffer.from(row.hex, 'hex'));
}

export async function markEvidenceRemoved(db: Db, id: number): Promise<void> {
  await db.updateTable('evidence').set({ removed_at: new Date() }).where('id', '=', id).execute();
}
