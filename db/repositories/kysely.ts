// What every repository shares: the handle it is given (db/database.ts), and a count of the rows that refer
// to one row.
import { sql } from 'kysely';
import type { Database, Db } from '../database.ts';

export type { Db };

/** How many rows of `table` have `column` equal to `value`. */
export async function countWhere<T extends keyof Database & string>(
  db: Db,
  table: T,
  column: keyof Database[T] & string,
  value: number,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}
  `.execute(db);
  return rows[0]?.n ?? 0;
}
