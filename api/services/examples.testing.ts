// Test support: the example campaign of fixtures/examples (interchange §8), loaded through
// the services, as an analyst would through the command.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { ensureBuiltins } from './builtins.ts';
import { createCampaign, importTransactions, type Campaign } from './campaigns/index.ts';
import { importUnits } from './units.ts';
import { importCounters } from './counters.ts';
import { importResponses } from './responses.ts';
import { operator } from './access.ts';

export const exampleFile = (name: string): string =>
  readFileSync(new URL(`../../fixtures/examples/${name}`, import.meta.url), 'utf8');

export const textStream = (text: string): Readable => Readable.from([text]);

export const exampleActor = operator('test');

/** Built-ins, the example units and counters, and campaign `code` on all three counters. */
export async function openExampleCampaign(
  db: Kysely<Database>,
  { code = 'BRVT-2025', responses = true }: { code?: string; responses?: boolean } = {},
): Promise<Campaign> {
  await ensureBuiltins(db);
  await importUnits(db, exampleActor, textStream(exampleFile('units.csv')));
  await importCounters(db, exampleActor, textStream(exampleFile('counters.csv')));
  const campaign = await createCampaign(db, exampleActor, {
    code,
    instrument: 'sipas-2017',
    from: '2025-01-01',
    to: '2025-12-31',
    counters: 'all',
  });
  await importTransactions(db, exampleActor, code, textStream(exampleFile('transactions.csv')));
  if (responses) {
    await importResponses(db, exampleActor, code, textStream(exampleFile('responses.csv')));
  }
  return campaign;
}
