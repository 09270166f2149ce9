// Published PAR results (docs/par.md, "Publication"): one row a version of a framework's period
// for a peer group, and the assessments a publication closes.
import type { Db } from './kysely.ts';

export interface PublicationValues {
  frameworkId: number;
  period: string;
  peers: string;
  version: number;
  reason: string | null;
  source: 'service' | 'import';
  origin: string | null;
  document: unknown;
  publishedBy: string;
}

const columns = [
  'id',
  'version',
  'reason',
  'source',
  'origin',
  'document',
  'published_at',
  'published_by',
] as const;

export async function insertPublication(db: Db, values: PublicationValues) {
  return db
    .insertInto('par_publication')
    .values({
      framework_id: values.frameworkId,
      period: values.period,
      peers: values.peers,
      version: values.version,
      reason: values.reason,
      source: values.source,
      origin: values.origin,
      document: JSON.stringify(values.document),
      published_by: values.publishedBy,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** Every version published for the framework's period and peers, the first first. */
export async function listPublications(
  db: Db,
  key: { frameworkId: number; period: string; peers: string },
) {
  return db
    .selectFrom('par_publication')
    .select(columns)
    .where('framework_id', '=', key.frameworkId)
    .where('period', '=', key.period)
    .where('peers', '=', key.peers)
    .orderBy('version')
    .execute();
}

/** One version, or the latest when `version` is null. */
export async function findPublication(
  db: Db,
  key: { frameworkId: number; period: string; peers: string },
  version: number | null,
) {
  return db
    .selectFrom('par_publication')
    .select(columns)
    .where('framework_id', '=', key.frameworkId)
    .where('period', '=', key.period)
    .where('peers', '=', key.peers)
    .$if(version !== null, (q) => q.where('version', '=', version ?? 0))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Moves the `appraised` assessments of the framework's period of these units to `published`;
 * the ids of their units.
 */
export async function publishAppraisedAssessments(
  db: Db,
  key: { frameworkId: number; period: string; unitIds: readonly number[] },
): Promise<number[]> {
  if (key.unitIds.length === 0) return [];
  const rows = await db
    .updateTable('assessment')
    .set({ state: 'published', updated_at: new Date() })
    .where('round_id', 'in', (eb) =>
      eb
        .selectFrom('assessment_round')
        .select('id')
        .where('framework_id', '=', key.frameworkId)
        .where('period', '=', key.period),
    )
    .where('unit_id', 'in', [...key.unitIds])
    .where('state', '=', 'appraised')
    .returning('unit_id')
    .execute();
  return rows.map((row) => row.unit_id);
}
