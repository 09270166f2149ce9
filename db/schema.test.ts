// The hand-written Database interface and the migrated schema cannot drift: the lists below
// are checked by the compiler against db/database.ts (every column, nullable ones marked), and by
// this test against what the migrations actually created.
import type { Selectable } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { engines, openTestDatabase } from './testing.ts';

type Nullable<T> = { [K in keyof T]-?: null extends T[K] ? K : never }[keyof T];

/** All columns of T, each named once; `nullable` exactly the ones whose type admits null. */
type Columns<T> = { all: readonly (keyof T)[]; nullable: readonly Nullable<T>[] };

function columns<T>() {
  return <const A extends readonly (keyof T)[], const N extends readonly Nullable<T>[]>(spec: {
    all: Exclude<keyof T, A[number]> extends never ? A : ['missing', Exclude<keyof T, A[number]>];
    nullable: Exclude<Nullable<T>, N[number]> extends never
      ? N
      : ['missing', Exclude<Nullable<T>, N[number]>];
  }): Columns<T> => spec as Columns<T>;
}

const expected: { [Table in keyof Database]: Columns<Selectable<Database[Table]>> } = {
  unit: columns<Selectable<Database['unit']>>()({
    all: ['id', 'code', 'name', 'parent_id', 'created_at', 'type', 'valid_from', 'valid_to'],
    nullable: ['parent_id', 'valid_from', 'valid_to'],
  }),
  unit_parent: columns<Selectable<Database['unit_parent']>>()({
    all: ['id', 'unit_id', 'parent_id', 'valid_from', 'valid_to'],
    nullable: ['valid_from', 'valid_to'],
  }),
  counter: columns<Selectable<Database['counter']>>()({
    all: ['id', 'code', 'unit_id', 'name', 'created_at'],
    nullable: [],
  }),
  counter_unit: columns<Selectable<Database['counter_unit']>>()({
    all: ['id', 'counter_id', 'unit_id', 'valid_from', 'valid_to'],
    nullable: ['valid_from', 'valid_to'],
  }),
  reorganisation: columns<Selectable<Database['reorganisation']>>()({
    all: ['id', 'effective_on', 'applied_at', 'applied_by', 'plan'],
    nullable: [],
  }),
  unit_lineage: columns<Selectable<Database['unit_lineage']>>()({
    all: ['reorganisation_id', 'predecessor_id', 'successor_id', 'share'],
    nullable: [],
  }),
  peer_group: columns<Selectable<Database['peer_group']>>()({
    all: ['id', 'name', 'period', 'created_at'],
    nullable: [],
  }),
  peer_group_unit: columns<Selectable<Database['peer_group_unit']>>()({
    all: ['peer_group_id', 'unit_id'],
    nullable: [],
  }),
  counter_token: columns<Selectable<Database['counter_token']>>()({
    all: ['id', 'counter_id', 'token_hash', 'created_at', 'revoked_at', 'kind'],
    nullable: ['revoked_at'],
  }),
  instrument: columns<Selectable<Database['instrument']>>()({
    all: ['id', 'code', 'definition', 'created_at'],
    nullable: [],
  }),
  campaign: columns<Selectable<Database['campaign']>>()({
    all: ['id', 'code', 'name', 'instrument_id', 'starts_on', 'ends_on', 'rules', 'created_at'],
    nullable: [],
  }),
  campaign_counter: columns<Selectable<Database['campaign_counter']>>()({
    all: ['campaign_id', 'counter_id', 'target', 'transactions'],
    nullable: ['target', 'transactions'],
  }),
  response: columns<Selectable<Database['response']>>()({
    all: [
      'id',
      'online_id',
      'source_id',
      'campaign_id',
      'counter_id',
      'instrument_id',
      'mode',
      'submitted_at',
      'received_at',
      'service_area',
      'answers',
      'texts',
      'status',
      'reason',
      'released_at',
      'fold_xid',
      'voided_at',
      'void_reason',
      'replaces',
    ],
    nullable: [
      'online_id',
      'source_id',
      'service_area',
      'texts',
      'reason',
      'released_at',
      'voided_at',
      'void_reason',
      'replaces',
    ],
  }),
  response_tally: columns<Selectable<Database['response_tally']>>()({
    all: [
      'campaign_id',
      'counter_id',
      'modes',
      'answers',
      'products',
      'modes_text',
      'answers_text',
      'products_text',
    ],
    nullable: [],
  }),
  tally_fold: columns<Selectable<Database['tally_fold']>>()({
    all: ['campaign_id', 'snapshot', 'target', 'position_counter', 'position_xid', 'position_id'],
    nullable: ['snapshot', 'target', 'position_counter', 'position_xid', 'position_id'],
  }),
  account: columns<Selectable<Database['account']>>()({
    all: [
      'id',
      'name',
      'role',
      'unit_id',
      'created_at',
      'login',
      'password_hash',
      'disabled_at',
      'changed_at',
    ],
    nullable: ['unit_id', 'login', 'password_hash', 'disabled_at'],
  }),
  account_identity: columns<Selectable<Database['account_identity']>>()({
    all: ['issuer', 'subject', 'account_id', 'linked_at'],
    nullable: [],
  }),
  api_token: columns<Selectable<Database['api_token']>>()({
    all: ['id', 'account_id', 'token_hash', 'created_at', 'revoked_at', 'last_used_at', 'owner_id'],
    nullable: ['revoked_at', 'last_used_at', 'owner_id'],
  }),
  session: columns<Selectable<Database['session']>>()({
    all: [
      'id',
      'account_id',
      'secret_hash',
      'csrf_token',
      'created_at',
      'last_seen_at',
      'expires_at',
    ],
    nullable: [],
  }),
  setup_token: columns<Selectable<Database['setup_token']>>()({
    all: ['id', 'token_hash', 'created_at', 'expires_at', 'used_at'],
    nullable: ['used_at'],
  }),
  audit_log: columns<Selectable<Database['audit_log']>>()({
    all: ['id', 'at', 'actor', 'action', 'subject', 'detail'],
    nullable: ['detail'],
  }),
  par_framework: columns<Selectable<Database['par_framework']>>()({
    all: ['id', 'code', 'name', 'components', 'created_at', 'nodes', 'bands'],
    nullable: ['nodes', 'bands'],
  }),
  par_points: columns<Selectable<Database['par_points']>>()({
    all: ['framework_id', 'unit_id', 'period', 'component', 'points', 'source'],
    nullable: ['points'],
  }),
  assessment_round: columns<Selectable<Database['assessment_round']>>()({
    all: ['id', 'framework_id', 'period', 'peers', 'deadline', 'stages', 'created_at'],
    nullable: [],
  }),
  assessment: columns<Selectable<Database['assessment']>>()({
    all: ['id', 'round_id', 'unit_id', 'state', 'stage', 'submitted_at', 'updated_at'],
    nullable: ['submitted_at'],
  }),
  assessment_leaf: columns<Selectable<Database['assessment_leaf']>>()({
    all: [
      'assessment_id',
      'node',
      'self_score',
      'explanation',
      'document_refs',
      'not_applicable',
      'not_applicable_reason',
      'not_applicable_accepted',
      'appraised_score',
      'appraisal_reason',
      'returned',
      'return_comment',
      'updated_at',
    ],
    nullable: [
      'self_score',
      'explanation',
      'not_applicable_reason',
      'not_applicable_accepted',
      'appraised_score',
      'appraisal_reason',
      'return_comment',
    ],
  }),
  evidence: columns<Selectable<Database['evidence']>>()({
    all: [
      'id',
      'assessment_id',
      'node',
      'file_name',
      'media_type',
      'size',
      'sha256',
      'content',
      'uploaded_by',
      'uploaded_at',
      'removed_at',
    ],
    nullable: ['removed_at'],
  }),
  par_publication: columns<Selectable<Database['par_publication']>>()({
    all: [
      'id',
      'framework_id',
      'period',
      'peers',
      'version',
      'reason',
      'source',
      'origin',
      'document',
      'published_at',
      'published_by',
    ],
    nullable: ['reason', 'origin'],
  }),
  plan: columns<Selectable<Database['plan']>>()({
    all: [
      'id',
      'unit_id',
      'framework_id',
      'period',
      'peers',
      'campaign_id',
      'facts',
      'sections',
      'drafted_at',
      'drafted_by',
      'updated_at',
    ],
    nullable: ['campaign_id'],
  }),
  plan_task: columns<Selectable<Database['plan_task']>>()({
    all: [
      'id',
      'plan_id',
      'position',
      'content',
      'lead',
      'coordinating',
      'deadline',
      'expected_output',
      'nodes',
      'factors',
      'status',
      'removed_at',
      'updated_at',
    ],
    nullable: ['deadline', 'removed_at'],
  }),
  plan_progress: columns<Selectable<Database['plan_progress']>>()({
    all: ['id', 'task_id', 'reported_on', 'text', 'reported_by', 'reported_at'],
    nullable: [],
  }),
  plan_evidence: columns<Selectable<Database['plan_evidence']>>()({
    all: [
      'id',
      'progress_id',
      'file_name',
      'media_type',
      'size',
      'sha256',
      'content',
      'uploaded_by',
      'uploaded_at',
      'removed_at',
    ],
    nullable: ['removed_at'],
  }),
  official_instrument: columns<Selectable<Database['official_instrument']>>()({
    all: ['id', 'code', 'definition', 'created_at'],
    nullable: [],
  }),
  official_survey: columns<Selectable<Database['official_survey']>>()({
    all: [
      'id',
      'code',
      'name',
      'instrument_id',
      'framework_id',
      'period',
      'opens_on',
      'closes_on',
      'min_group',
      'created_by',
      'created_at',
    ],
    nullable: [],
  }),
  official_group: columns<Selectable<Database['official_group']>>()({
    all: ['id', 'survey_id', 'unit_id', 'name', 'invited'],
    nullable: [],
  }),
  official_invitation: columns<Selectable<Database['official_invitation']>>()({
    all: [
      'id',
      'group_id',
      'token',
      'issued_at',
      'used',
      'submission_key',
      'revoked_at',
      'revoke_reason',
      'replaces',
    ],
    nullable: ['submission_key', 'revoked_at', 'revoke_reason', 'replaces'],
  }),
  official_response: columns<Selectable<Database['official_response']>>()({
    all: ['id', 'group_id', 'answers'],
    nullable: [],
  }),
};

describe.each(engines)('schema on %s', (engine) => {
  it('has exactly the tables and columns of the Database interface', async () => {
    const database = await openTestDatabase(engine);
    try {
      const tables = (await database.db.introspection.getTables()).filter(
        (t) => t.schema === 'public',
      );
      const actual = Object.fromEntries(
        tables.map((t) => [
          t.name,
          {
            all: t.columns.map((c) => c.name).sort(),
            nullable: t.columns
              .filter((c) => c.isNullable)
              .map((c) => c.name)
              .sort(),
          },
        ]),
      );
      const wanted = Object.fromEntries(
        Object.entries(expected).map(([name, spec]) => [
          name,
          { all: spec.all.map(String).sort(), nullable: spec.nullable.map(String).sort() },
        ]),
      );
      expect(actual).toEqual(wanted);
    } finally {
      await database.close();
    }
  });
});
