// What a backup reads and a restore writes: every table of the schema, found in the catalog
// rather than listed by hand, so that a table a later migration adds is carried without a
// change here. Values travel as PostgreSQL's own text form of each column (what `::text`
// prints and a cast reads back), which is exact for every type the schema uses: microseconds
// of a timestamp, every bit of a double, bytea, arrays and jsonb alike, on both engines.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../database.ts';
import type { Db } from './kysely.ts';

/** Kysely's own bookkeeping: made by migrating, never backed up. */
const migrationTables = ['kysely_migration', 'kysely_migration_lock'];

/**
 * Derived from the responses and tied to this server's transaction ids (a response's fold_xid,
 * each fold's snapshot): never backed up. A restored database has no tallies, and its first
 * fold counts every valid response (api/services/tallies.ts).
 */
const derivedTables = ['response_tally', 'tally_fold'];
const derivedColumns = new Set(['response.fold_xid']);

export interface BackupColumn {
  name: string;
  /** The column's type as the catalog prints it, e.g. `timestamp with time zone`. */
  type: string;
  identity: boolean;
}

export interface BackupTable {
  name: string;
  columns: BackupColumn[];
  primaryKey: string[];
  /** A single-column foreign key into the table itself (unit.parent_id → unit.id). */
  selfReference: { column: string; references: string } | null;
}

/** One row: each column's text form, or null. */
export type TextRow = (string | null)[];

/** The schema's tables in an order where every table comes after the tables it references. */
export async function backupTables(db: Db): Promise<BackupTable[]> {
  const { rows: tables } = await sql<{ name: string }>`
    select c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p')
      and c.relname not in (${sql.join([...migrationTables, ...derivedTables])})
    order by c.relname
  `.execute(db);
  const { rows: columns } = await sql<BackupColumn & { table: string }>`
    select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
      a.attidentity <> '' as identity
    from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = ''
    order by c.relname, a.attnum
  `.execute(db);
  const { rows: keys } = await sql<{ table: string; columns: string[] }>`
    select c.relname as table,
      array(
        select a.attname from unnest(i.indkey::int2[]) with ordinality k (attnum, position)
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        order by k.position
      )::text[] as columns
    from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and i.indisprimary
  `.execute(db);
  const { rows: references } = await sql<{
    table: string;
    target: string;
    columns: string[];
    targetColumns: string[];
  }>`
    select c.relname as table, t.relname as target,
      array(
        select a.attname from unnest(f.conkey) with ordinality k (attnum, position)
          join pg_attribute a on a.attrelid = f.conrelid and a.attnum = k.attnum
        order by k.position
      )::text[] as columns,
      array(
        select a.attname from unnest(f.confkey) with ordinality k (attnum, position)
          join pg_attribute a on a.attrelid = f.confrelid and a.attnum = k.attnum
        order by k.position
      )::text[] as "targetColumns"
    from pg_constraint f
      join pg_class c on c.oid = f.conrelid
      join pg_class t on t.oid = f.confrelid
      join pg_namespace n on n.oid = c.relnamespace
    where f.contype = 'f' and n.nspname = current_schema()
  `.execute(db);

  const described = new Map<string, BackupTable>();
  for (const { name } of tables) {
    const own = references.filter((r) => r.table === name && r.target === name);
    if (own.length > 1 || own.some((r) => r.columns.length !== 1)) {
      throw new Error(`Table ${name} refers to itself in a way a backup cannot order.`);
    }
    const [self] = own;
    described.set(name, {
      name,
      columns: columns
        .filter((c) => c.table === name && !derivedColumns.has(`${name}.${c.name}`))
        .map(({ name: column, type, identity }) => ({ name: column, type, identity })),
      primaryKey: keys.find((k) => k.table === name)?.columns ?? [],
      selfReference:
        self?.columns[0] && self.targetColumns[0]
          ? { column: self.columns[0], references: self.targetColumns[0] }
          : null,
    });
  }

  // Depth-first over the references, alphabetical among equals: a stable order.
  const ordered: BackupTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new Error(`Tables refer to each other in a cycle through ${name}.`);
    }
    state.set(name, 'visiting');
    for (const r of references) {
      if (r.table === name && r.target !== name && described.has(r.target)) visit(r.target);
    }
    state.set(name, 'done');
    const table = described.get(name);
    if (table) ordered.push(table);
  };
  for (const { name } of tables) visit(name);
  return ordered;
}

/** The last migration applied to the database: the schema version a backup belongs to. */
export async function latestMigration(db: Db): Promise<string | undefined> {
  const { rows } = await sql<{ name: string }>`
    select name from kysely_migration order by name desc limit 1
  `.execute(db);
  return rows[0]?.name;
}

/**
 * Text forms that read back the same whatever the session: ISO dates, hex bytea, every
 * digit of a double, times in UTC. For the rest of the transaction only.
 */
export async function useCanonicalTextForms(trx: Transaction<Database>) {
  await sql`set local timezone = 'UTC'`.execute(trx);
  await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
  await sql`set local bytea_output = 'hex'`.execute(trx);
  await sql`set local extra_float_digits = 1`.execute(trx);
}

const CURSOR = sql.id('sipas_backup');

/**
 * Every row of the table, page by page through a cursor, parents before children in a table
 * that refers to itself. The transaction must stay open until the pages are read.
 */
export async function* tableRows(
  trx: Transaction<Database>,
  table: BackupTable,
  pageSize: number,
): AsyncGenerator<TextRow[]> {
  const values = table.columns.map((c, i) => sql`${sql.ref(c.name)}::text as ${sql.id(`c${i}`)}`);
  const keyOrder = table.primaryKey.length
    ? sql.join(table.primaryKey.map((k) => sql.ref(`t.${k}`)))
    : sql`1`;
  let query: RawBuilder<unknown>;
  if (table.selfReference) {
    const { column, references } = table.selfReference;
    query = sql`
      with recursive tree (ref, depth) as (
        select ${sql.ref(references)}, 0 from ${sql.table(table.name)} where ${sql.ref(column)} is null
        union all
        select c.${sql.ref(references)}, tree.depth + 1
        from ${sql.table(table.name)} c join tree on c.${sql.ref(column)} = tree.ref
      )
      select ${sql.join(values)} from ${sql.table(table.name)} t
        join tree on t.${sql.ref(references)} = tree.ref
      order by tree.depth, ${keyOrder}`;
  } else {
    query = sql`select ${sql.join(values)} from ${sql.table(table.name)} t order by ${keyOrder}`;
  }
  await sql`declare ${CURSOR} no scroll cursor for ${query}`.execute(trx);
  try {
    for (;;) {
      const { rows } = await sql<Record<string, string | null>>`
        fetch forward ${sql.lit(pageSize)} from ${CURSOR}
      `.execute(trx);
      if (rows.length > 0) {
        yield rows.map((row) => table.columns.map((_, i) => row[`c${i}`] ?? null));
      }
      if (rows.length < pageSize) return;
    }
  } finally {
    await sql`close ${CURSOR}`.execute(trx);
  }
}

export async function countRows(db: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from ${sql.table(table)}
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/** Keeps everyone else off the tables until the transaction ends. */
export async function lockTables(trx: Transaction<Database>, tables: readonly string[]) {
  if (tables.length === 0) return;
  await sql`lock table ${sql.join(tables.map((t) => sql.table(t)))} in access exclusive mode`.execute(
    trx,
  );
}

/**
 * Rows as they were, ids included, in one statement: each column travels as one text array
 * (so a batch costs a handful of parameters, not one per value) and is cast to its column's
 * type, the type's name taken from the database's own catalog (never from the file).
 */
export async function insertRows(
  trx: Transaction<Database>,
  table: BackupTable,
  rows: readonly TextRow[],
) {
  if (rows.length === 0) return;
  const names = sql.join(table.columns.map((c) => sql.ref(c.name)));
  const aliases = table.columns.map((_, i) => sql.id(`c${i}`));
  const arrays = table.columns.map(
    (_, i) => sql`cast(${rows.map((row) => row[i] ?? null)} as text[])`,
  );
  const values = table.columns.map((c, i) => sql`cast(u.${aliases[i]} as ${sql.raw(c.type)})`);
  await sql`
    insert into ${sql.table(table.name)} (${names}) overriding system value
    select ${sql.join(values)}
    from unnest(${sql.join(arrays)}) as u (${sql.join(aliases)})
  `.execute(trx);
}

/** The identity's next value follows the largest id restored (1 on an empty table). */
export async function resetIdentity(trx: Transaction<Database>, table: string, column: string) {
  await sql`
    select setval(
      pg_get_serial_sequence(quote_ident(${table}), ${column}),
      coalesce(max(${sql.ref(column)}), 0) + 1,
      false
    ) from ${sql.table(table)}
  `.execute(trx);
}

/** The rows every database starts with (api/services/builtins.ts), cleared for a restore. */
export async function deleteBuiltins(
  trx: Transaction<Database>,
  codes: {
    instruments: readonly string[];
    frameworks: readonly string[];
    officialInstruments: readonly string[];
  },
) {
  if (codes.officialInstruments.length > 0) {
    await trx
      .deleteFrom('official_instrument')
      .where('code', 'in', codes.officialInstruments)
      .execute();
  }
  if (codes.frameworks.length > 0) {
    await trx.deleteFrom('par_framework').where('code', 'in', codes.frameworks).execute();
  }
  if (codes.instruments.length > 0) {
    await trx.deleteFrom('instrument').where('code', 'in', codes.instruments).execute();
  }
}
