// A campaign's progress, as a survey unit watches it (spec §2): responses per counter against
// the target and the transactions, the response rate, the collection modes, and the planning
// sample size n = N / (1 + N e²) (spec §5) for each counter's N transactions.
import type { Kysely } from 'kysely';
import { counterModes } from '../../analysis/queries/index.ts';
import { planningSampleSize } from '../../analysis/sample-size.ts';
import type { Database } from '../../db/database.ts';
import * as campaigns from '../../db/repositories/campaigns.ts';
import { campaignByCode } from './campaigns.ts';

export interface ProgressFigures {
  /** Valid responses. */
  respondents: number;
  /** Responses held in quarantine (not scored). */
  quarantined: number;
  /** Valid responses by collection mode, modes with none left out. */
  modes: Record<string, number>;
  /** The planned sample: the campaign's target, else null. */
  target: number | null;
  transactions: number | null;
  /** 100 × respondents (at counters with a count) ÷ transactions; null without a count. */
  responseRate: number | null;
  /** n = N / (1 + N × 0.05²), rounded up; null without a transaction count. */
  plannedSample: number | null;
  /** 100 × respondents ÷ (target, else planned sample); null when neither is known. */
  progress: number | null;
}

export interface CampaignProgress {
  campaign: string;
  startsOn: string;
  endsOn: string;
  counters: ({ counter: string; name: string; unit: string } & ProgressFigures)[];
  /** Sums over the counters; rates and progress from those sums. */
  total: ProgressFigures;
}

const percent = (part: number, whole: number | null) =>
  whole === null || whole === 0 ? null : (100 * part) / whole;

export async function campaignProgress(
  db: Kysely<Database>,
  campaignCode: string,
): Promise<CampaignProgress> {
  const campaign = await campaignByCode(db, campaignCode);
  const rows = await campaigns.campaignProgressRows(db, campaign.id);
  const modes = new Map<number, Record<string, number>>();
  for (const m of await counterModes(db, campaign.id)) {
    modes.set(m.counterId, { ...modes.get(m.counterId), [m.mode]: m.respondents });
  }
  const counters = rows.map((row) => {
    const respondents = Number(row.respondents);
    const plannedSample = row.transactions === null ? null : planningSampleSize(row.transactions);
    return {
      counter: row.code,
      name: row.name,
      unit: row.unit,
      respondents,
      quarantined: Number(row.quarantined),
      modes: Object.fromEntries(Object.entries(modes.get(row.id) ?? {}).sort()),
      target: row.target,
      transactions: row.transactions,
      responseRate: percent(respondents, row.transactions),
      plannedSample,
      progress: percent(respondents, row.target ?? plannedSample),
    };
  });
  const sum = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
  };
  const totalModes: Record<string, number> = {};
  for (const counter of counters) {
    for (const [mode, n] of Object.entries(counter.modes))
      totalModes[mode] = (totalModes[mode] ?? 0) + n;
  }
  const transactions = sum(counters.map((c) => c.transactions));
  const counted = sum(counters.map((c) => (c.transactions === null ? null : c.respondents))) ?? 0;
  const respondents = counters.reduce((a, c) => a + c.respondents, 0);
  const target = sum(counters.map((c) => c.target));
  const plannedSample = sum(counters.map((c) => c.plannedSample));
  const planned = sum(counters.map((c) => c.target ?? c.plannedSample));
  const plannedRespondents =
    sum(counters.map((c) => ((c.target ?? c.plannedSample) === null ? null : c.respondents))) ?? 0;
  return {
    campaign: campaign.code,
    startsOn: campaign.startsOn,
    endsOn: campaign.endsOn,
    counters,
    total: {
      respondents,
      quarantined: counters.reduce((a, c) => a + c.quarantined, 0),
      modes: Object.fromEntries(Object.entries(totalModes).sort()),
      target,
      transactions,
      responseRate: percent(counted, transactions),
      plannedSample,
      progress: percent(plannedRespondents, planned),
    },
  };
}
