// Test support: a small organisation reorganised on D (a merge, a split, a re-code and a
// transfer: db/reorganised.testing.ts), and a campaign on each side of D with the same
// respondents at every counter.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { D, reorganise } from '../../db/reorganised.testing.ts';
import { ensureBuiltins } from './builtins.ts';
import { createCampaign } from './campaigns/index.ts';
import { importCounters } from './counters.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { importResponses } from './responses.ts';
import { importUnits } from './units.ts';

export { D };

/**
 * Respondents per counter, the same in both campaigns. On the map before D:
 * P ─ A (A.1: 3, A.2: 2), B (B.1: 4), C (C.1: 1, C.2: 5), D (D.1: 2), E (E.1: 6); Q ─ F (F.1: 3).
 */
export const RESPONDENTS: Record<string, number> = {
  'A.1': 3,
  'A.2': 2,
  'B.1': 4,
  'C.1': 1,
  'C.2': 5,
  'D.1': 2,
  'E.1': 6,
  'F.1': 3,
};

/**
 * Respondents per unit on the map before D: A 3 + 2 = 5, B 4, C 1 + 5 = 6, D 2, E 6,
 * P 5 + 4 + 6 + 2 + 6 = 23; F 3, Q 3.
 */
export const BEFORE = { A: 5, B: 4, C: 6, D: 2, E: 6, F: 3, P: 23, Q: 3 };

/**
 * On D: A and B merge into AB (their three counters: 3 + 2 + 4 = 9); C splits into C1 (C.1:
 * 1) and C2 (C.2: 5); D is re-coded DD (D.1: 2); E is transferred from P to Q (6). P holds
 * AB, C1, C2 and DD: 9 + 1 + 5 + 2 = 17; Q holds F and E: 3 + 6 = 9.
 */
export const AFTER = { AB: 9, C1: 1, C2: 5, DD: 2, E: 6, F: 3, P: 17, Q: 9 };

function responsesCsv(year: number): string {
  const rows = Object.entries(RESPONDENTS).flatMap(([counter, n]) =>
    Array.from(
      { length: n },
      (_, i) => `${counter},${year}-03-0${1 + (i % 9)},paper,${4 + (i % 2)},4`,
    ),
  );
  return `counter,submitted_at,mode,TC1,HL\n${rows.join('\n')}\n`;
}

/** The map before D, and campaign K-2024 on every counter with its responses. */
export async function openMapBefore(db: Kysely<Database>) {
  await ensureBuiltins(db);
  const districts = ['A', 'B', 'C', 'D', 'E'].map((u) => `${u},Huyện ${u},P`);
  await importUnits(
    db,
    actor,
    textStream(`unit,name,parent\nP,Tỉnh P,\nQ,Tỉnh Q,\n${districts.join('\n')}\nF,Huyện F,Q\n`),
  );
  const codes = Object.keys(RESPONDENTS);
  await importCounters(
    db,
    actor,
    textStream(
      `counter,unit,name\n${codes.map((c) => `${c},${c.slice(0, 1)},Quầy ${c}`).join('\n')}\n`,
    ),
  );
  await campaign(db, 'K-2024', '2024-01-01', '2024-12-31');
}

/** The reorganisation of D, then campaign K-2026 on every counter with its responses. */
export async function openMapAfter(db: Kysely<Database>) {
  await db.transaction().execute(reorganise);
  await campaign(db, 'K-2026', '2026-01-01', '2026-06-30');
}

async function campaign(db: Kysely<Database>, code: string, from: string, to: string) {
  await createCampaign(db, actor, { code, instrument: 'sipas-2017', from, to, counters: 'all' });
  await importResponses(db, actor, code, textStream(responsesCsv(Number(from.slice(0, 4)))));
}
