// The templates of the import files (interchange §1-§2): each import's columns and one example
// row that imports as it is, so that a spreadsheet started from one needs only its rows
// replaced. Codes in the example are real ones where the province has them (the campaign's
// first counter within reach, the first unit), else a placeholder the docs name.
import type { Db } from '../../db/database.ts';
import { campaignReach, type Principal } from './access.ts';
import { answerColumns } from './answers.ts';
import { campaignByCode, reachedCounters, TRANSACTION_COLUMNS } from './campaigns/index.ts';
import { COUNTER_COLUMNS } from './counters.ts';
import { FIXED_COLUMNS } from './responses.ts';
import type { Cell } from './spreadsheet.ts';
import { listUnits, UNIT_COLUMNS } from './units.ts';

/** Stand-ins for codes the province does not have yet: a template row with one fails on it. */
export const PLACEHOLDER = { counter: 'MA-QUAY', unit: 'MA-DON-VI' } as const;

/** The example's response id: a second import of the template skips it as a duplicate. */
export const EXAMPLE_RESPONSE_ID = 'VI-DU-1';
const EXAMPLE_SATISFACTION = 4;
const EXAMPLE_TRANSACTIONS = 100;

/** The campaign and its counters within the principal's reach, in code order. */
async function reachedCampaign(db: Db, principal: Principal, campaignCode: string) {
  const reach = await campaignReach(db, principal, campaignCode);
  const campaign = await campaignByCode(db, campaignCode);
  return { campaign, counters: await reachedCounters(db, reach) };
}

/**
 * The responses file of the campaign: a paper form at its first counter on its first day,
 * with every satisfaction item asked unconditionally answered 4 and the rest blank.
 */
export async function responsesTemplate(
  db: Db,
  principal: Principal,
  campaignCode: string,
): Promise<Cell[][]> {
  const { campaign, counters } = await reachedCampaign(db, principal, campaignCode);
  const { instrument } = campaign;
  const items = new Map(instrument.items.map((item) => [item.code, item]));
  const answers = answerColumns(instrument).map((code) => {
    const item = items.get(code);
    return item?.scale === 'sat5' && !item.askIf ? EXAMPLE_SATISFACTION : null;
  });
  const fixed: Record<(typeof FIXED_COLUMNS)[number], Cell> = {
    response_id: EXAMPLE_RESPONSE_ID,
    counter: counters[0]?.code ?? PLACEHOLDER.counter,
    submitted_at: campaign.startsOn,
    mode: 'paper',
    service_area: null,
  };
  return [
    [...FIXED_COLUMNS, ...answerColumns(instrument)],
    [...FIXED_COLUMNS.map((column) => fixed[column]), ...answers],
  ];
}

/** transactions.csv: the first counter within reach, with its count as stored (or 100). */
export async function transactionsTemplate(
  db: Db,
  principal: Principal,
  campaignCode: string,
): Promise<Cell[][]> {
  const [first] = (await reachedCampaign(db, principal, campaignCode)).counters;
  return [
    [...TRANSACTION_COLUMNS],
    [first?.code ?? PLACEHOLDER.counter, first?.transactions ?? EXAMPLE_TRANSACTIONS],
  ];
}

/** units.csv: an example unit under the first unit within reach (a root when there is none). */
export async function unitsTemplate(db: Db, principal: Principal): Promise<Cell[][]> {
  const [first] = await listUnits(db, principal);
  return [[...UNIT_COLUMNS], ['VI-DU-DON-VI', 'Đơn vị ví dụ', first?.code ?? null]];
}

/** counters.csv: an example counter of the first unit within reach. */
export async function countersTemplate(db: Db, principal: Principal): Promise<Cell[][]> {
  const [first] = await listUnits(db, principal);
  return [[...COUNTER_COLUMNS], ['VI-DU-QUAY', first?.code ?? PLACEHOLDER.unit, 'Quầy ví dụ']];
}
