// Frozen: never edit a migration that has shipped; add a new file instead.
// Publication of PAR results (issue 16, par-cycle.md §4, docs/par.md): a period's scorecard of a
// peer group (at level `all`) frozen as a JSON document, read as published forever; a
// correction is a new version with a reason. `source` tells the service's own publications from
// results published elsewhere and imported as such (the Ministry's ranks among 63 provinces),
// whose `origin` says where they were published.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table par_publication (
  id integer generated always as identity primary key,
  framework_id integer not null references par_framework (id),
  period text not null,
  peers text not null,
  version integer not null check (version >= 1),
  reason text,
  source text not null check (source in ('service', 'import')),
  origin text,
  document jsonb not null,
  published_at timestamptz not null default now(),
  published_by text not null,
  unique (framework_id, period, peers, version),
  check (version = 1 or reason is not null),
  check ((source = 'import') = (origin is not null))
)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: publications have no place in the schema before them.
