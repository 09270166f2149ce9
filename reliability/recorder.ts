// Test support: every statement a Kysely instance sends, as compiled (SQL text and parameters),
// so that a test can tell text that became SQL from text that travelled as a parameter.
import type { CompiledQuery, Kysely, KyselyPlugin } from 'kysely';
import type { Database } from '../db/database.ts';

export interface Recording {
  readonly db: Kysely<Database>;
  readonly queries: CompiledQuery[];
}

export function recording(db: Kysely<Database>): Recording {
  const queries: CompiledQuery[] = [];
  const executor = db.getExecutor();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      queries.push(executor.compileQuery(node, queryId));
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
  return { db: db.withPlugin(plugin), queries };
}

/** A parameter as text, whatever its type, for searching. */
export function parameterText(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
