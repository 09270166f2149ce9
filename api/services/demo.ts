// The demo province seeded on an empty database (codes DEMO…), so that `npm start` on a new
// machine gives something to scan, answer and score straight away.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import * as units from '../../db/repositories/units.ts';
import { operator } from './access.ts';
import { createCampaign } from './campaigns/index.ts';
import { importCounters } from './counters.ts';
import { issueCounterToken } from './credentials.ts';
import { importUnits } from './units.ts';
import { vietnamDate } from './vietnam-time.ts';

const unitsCsv = `unit,name,parent
DEMO,Tỉnh Demo,
DEMO.SNV,Sở Nội vụ,DEMO
DEMO.STP,Sở Tư pháp,DEMO
DEMO.HUYEN1,UBND huyện Demo 1,DEMO
DEMO.HUYEN1.XA01,UBND xã Demo 1,DEMO.HUYEN1
`;

const countersCsv = `counter,unit,name
DEMO.SNV.Q1,DEMO.SNV,Quầy 1
DEMO.STP.Q1,DEMO.STP,Quầy 1
DEMO.HUYEN1.Q1,DEMO.HUYEN1,Bộ phận Một cửa huyện
DEMO.HUYEN1.XA01.Q1,DEMO.HUYEN1.XA01,Bộ phận Một cửa xã
`;

export interface DemoCredentials {
  campaign: string;
  surveyUrls: { counter: string; url: string }[];
}

/** Seeds the demo when the database has no unit at all; otherwise does nothing. */
export async function seedDemoIfEmpty(
  db: Kysely<Database>,
  { publicUrl, now = new Date() }: { publicUrl: string; now?: Date },
): Promise<DemoCredentials | undefined> {
  if (await units.hasUnits(db)) return undefined;
  const actor = operator('demo');
  await importUnits(db, actor, Readable.from([unitsCsv]));
  await importCounters(db, actor, Readable.from([countersCsv]));
  const year = vietnamDate(now).slice(0, 4);
  const campaign = `DEMO-${year}`;
  await createCampaign(db, actor, {
    code: campaign,
    name: `Khảo sát SIPAS demo ${year}`,
    instrument: 'sipas-2017',
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    counters: 'all',
  });
  const surveyUrls = [];
  for (const counter of countersCsv.trim().split('\n').slice(1)) {
    const code = counter.split(',')[0] ?? '';
    const token = await issueCounterToken(db, actor, code);
    surveyUrls.push({ counter: code, url: `${publicUrl}/s/${token}` });
  }
  return { campaign, surveyUrls };
}
