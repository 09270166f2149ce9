import type { Kysely, Transaction } from 'kysely';
import type { Instrument } from '../../analysis/instrument.ts';
import { scoringRulesSchema, type ScoringRules } from '../../analysis/rules.ts';
import type { Database } from '../../db/database.ts';
import { findCampaignByCode } from '../../db/repositories/campaigns.ts';
import { notFound } from '../errors.ts';
import { instrumentById } from './instruments.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Campaign {
  id: number;
  code: string;
  name: string;
  instrument: Instrument & { id: number };
  /** Inclusive calendar days in Vietnam's time, YYYY-MM-DD. */
  startsOn: string;
  endsOn: string;
  rules: ScoringRules;
}

export async function campaignByCode(db: Db, code: string): Promise<Campaign> {
  const row = await findCampaignByCode(db, code);
  if (!row) throw notFound(`Unknown campaign ${code}.`);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    instrument: await instrumentById(db, row.instrument_id),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    rules: scoringRulesSchema.parse(row.rules),
  };
}
