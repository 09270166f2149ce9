// Scores of a campaign (spec §5, interchange.md §5) and the change between two campaigns.
// Every query of one document reads one repeatable-read, read-only snapshot of the tallies, a
// few rows per counter however many responses there are, plus the responses that the
// campaign's last fold did not see, tallied there without storing them (./tallies.ts): a
// scoring writes nothing, and runs as well on a standby (docs/scale-out.md).
import type { Kysely } from 'kysely';
import * as z from 'zod';
import {
  compareScores,
  comparisonDocumentSchema,
  type ComparisonDocument,
} from '../../analysis/compare.ts';
import { talliedSpreads } from '../../analysis/linearization.ts';
import { REORGANISED_BELOW } from '../../analysis/lineage.ts';
import { campaignCounters, campaignTallies, unitTree } from '../../analysis/queries/index.ts';
import { designSchema, scoringRulesSchema } from '../../analysis/rules.ts';
import {
  answerPositions,
  respondentsOf,
  scoreGroupsOver,
  stratifiedProblems,
  type CounterFacts,
  type UnitFacts,
} from '../../analysis/scoring.ts';
import {
  byValues,
  leagueView,
  viewValues,
  type By,
  type LeagueDocument,
  type ScoresDocument,
} from '../../analysis/scores-document.ts';
import type { Database } from '../../db/database.ts';
import { invalid, parseInput, text } from '../errors.ts';
import { campaignReach, type Principal } from './access.ts';
import { campaignByCode, type Campaign } from './campaigns/index.ts';
import { daySchema } from './codes.ts';
import { peerGroupUnits } from './peers.ts';
import { addUnfolded, campaignAtoms } from './tallies.ts';

const notValid = text('Yêu cầu tính điểm không hợp lệ.', 'The scores request is not valid.');

export const scoresRequestSchema = z.object({
  campaign: z.string().min(1),
  by: z.enum(byValues),
  /** Overrides the campaign's design for this request. */
  design: designSchema.optional(),
  /** Scores only these counters of the campaign (within the principal's reach). */
  counters: z.array(z.string().min(1)).min(1).optional(),
  /** The day of the map units are rolled up on; default the campaign's last day. */
  on: daySchema.optional(),
  /** With `by: unit`, only the units of this peer group of the campaign's period (a league table). */
  peers: z.string().min(1).optional(),
  /** `league`: each group without its items and factors, for a league table. */
  view: z.enum(viewValues).optional(),
});

export const compareRequestSchema = z.object({
  campaign: z.string().min(1),
  with: z.string().min(1),
  by: z.enum(byValues),
});

export type ScoresRequest = z.input<typeof scoresRequestSchema>;
export type CompareRequest = z.input<typeof compareRequestSchema>;

/**
 * The counters to score, by id (null: every one), and the scope the document states: a scoped
 * principal's counters, or those the request names, which must be among them.
 */
async function scoredCounters(
  db: Kysely<Database>,
  principal: Principal,
  request: z.output<typeof scoresRequestSchema>,
  campaign: Campaign,
): Promise<{ only: number[] | null; scope: ScoresDocument['scope'] }> {
  const reach = await campaignReach(db, principal, request.campaign);
  if (request.counters === undefined) {
    return { only: reach.counterIds, scope: reach.scope ?? undefined };
  }
  const counters = await campaignCounters(db, reach.campaignId, reach.counterIds, campaign.endsOn);
  const reached = new Map(counters.map((c) => [c.code, c.id]));
  const named = [...new Set(request.counters)].sort();
  const outside = named.filter((code) => !reached.has(code));
  if (outside.length > 0) {
    throw invalid(
      notValid,
      outside.map((code) => ({
        path: 'counters',
        message: text(
          `${code} không phải quầy của đợt khảo sát ${request.campaign} trong phạm vi tài khoản`,
          `${code} is not a counter of campaign ${request.campaign} within reach`,
        ),
      })),
    );
  }
  return {
    only: named.map((code) => reached.get(code) ?? 0),
    scope: { unit: reach.scope?.unit ?? null, counters: named },
  };
}

/** The units of `tree` that are `root` or lie under it there. */
function unitsUnder<T extends UnitFacts>(tree: readonly T[], root: number): T[] {
  const parents = new Map(tree.map((unit) => [unit.id, unit.parentId]));
  const under = (unitId: number) => {
    const seen = new Set<number>();
    for (
      let id: number | null = unitId;
      id !== null && !seen.has(id);
      id = parents.get(id) ?? null
    ) {
      if (id === root) return true;
      seen.add(id);
    }
    return false;
  };
  return tree.filter((unit) => under(unit.id));
}

/**
 * The units of a league table: the peer group `peers` of the campaign's period, the year of its
 * last day (a campaign is scored on the map of that day). Only by unit.
 */
async function leagueOf(
  db: Kysely<Database>,
  principal: Principal,
  request: { by: By; peers: string },
  campaign: { endsOn: string },
) {
  if (request.by !== 'unit') {
    throw invalid(notValid, [
      {
        path: 'peers',
        message: text('chỉ dùng với by=unit', 'only with by=unit'),
      },
    ]);
  }
  const period = campaign.endsOn.slice(0, 4);
  const group = await peerGroupUnits(db, principal, {
    name: request.peers,
    period,
    field: 'peers',
  });
  return { group: group.name, period, codes: new Set(group.codes) };
}

/**
 * The scores of a campaign, over the counters the principal reaches (a scoped principal's
 * `all` is its counters' alone, and the document's `scope` says so) or those it names. Units
 * roll up on the map of the campaign's last day, or of the day asked for: a reorganisation
 * after that day leaves the figures as they were (docs/organisation.md).
 */
export async function campaignScores(
  db: Kysely<Database>,
  principal: Principal,
  input: ScoresRequest & { view?: 'full' },
): Promise<ScoresDocument>;
/** With `view: league`, the league view: each group's figures without items and factors. */
export async function campaignScores(
  db: Kysely<Database>,
  principal: Principal,
  input: ScoresRequest,
): Promise<ScoresDocument | LeagueDocument>;
export async function campaignScores(
  db: Kysely<Database>,
  principal: Principal,
  input: ScoresRequest,
): Promise<ScoresDocument | LeagueDocument> {
  const { document } = await scoreCampaign(db, principal, input);
  return input.view === 'league' ? leagueView(document) : document;
}

/** A scores document with the counters and units it was computed from. */
export interface Scored {
  document: ScoresDocument;
  counters: CounterFacts[];
  units: UnitFacts[];
}

/**
 * campaignScores, with the counters and units of the map it rolled up on (for comparisons and
 * a plan's items below the peers).
 */
export async function scoreCampaign(
  db: Kysely<Database>,
  principal: Principal,
  input: ScoresRequest,
): Promise<Scored> {
  const request = parseInput(scoresRequestSchema, input, notValid);
  const campaign = await campaignByCode(db, request.campaign);
  const { only, scope } = await scoredCounters(db, principal, request, campaign);
  const on = request.on ?? campaign.endsOn;
  const peers =
    request.peers === undefined
      ? null
      : await leagueOf(db, principal, { by: request.by, peers: request.peers }, campaign);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const { instrument } = campaign;
      const rules = scoringRulesSchema.parse({
        ...campaign.rules,
        design: request.design ?? campaign.rules.design,
      });

      const items = answerPositions(instrument).length;
      const atoms = campaignAtoms(campaign);
      const counters = await campaignCounters(trx, campaign.id, only, on);
      const tallies = new Map(
        (await campaignTallies(trx, campaign.id, items, atoms.length, only)).map((t) => [
          t.counterId,
          t,
        ]),
      );
      await addUnfolded(trx, campaign, tallies, only);
      const unitIds = counters.flatMap((c) => (c.unitId === null ? [] : [c.unitId]));
      const tree = await unitTree(trx, [...new Set(unitIds)], on);
      // A scoped principal's groups stop at its unit: a unit above would read as that unit's
      // figures, when they are computed from this principal's counters alone. Its unit's
      // subtree is taken on the same map, so that a later move leaves its groups as they were.
      const units = principal.unitId === null ? tree : unitsUnder(tree, principal.unitId);

      const counterFacts = counters.map((counter): CounterFacts => {
        const tally = tallies.get(counter.id);
        return {
          ...counter,
          modes: tally?.modes ?? {},
          answers: tally?.answers ?? [],
        };
      });

      if (rules.design === 'stratified') {
        const problems = stratifiedProblems(counterFacts);
        if (problems.length > 0) {
          throw invalid(
            text(
              'Thiết kế phân tầng cần, ở mọi quầy có người trả lời, số lượt giao dịch không nhỏ ' +
                `hơn số người trả lời: ${problems.map((p) => p.counter).join(', ')}.`,
              `A stratified design needs, at every counter with respondents, a transaction count ` +
                `no smaller than its respondents: ${problems.map((p) => p.counter).join(', ')}.`,
            ),
            problems.map((p) => ({ path: `counters.${p.counter}`, message: p.message })),
          );
        }
      }

      const scored = scoreGroupsOver(
        { instrument, rules, by: request.by, counters: counterFacts, units },
        talliedSpreads(atoms, (counterId) => tallies.get(counterId)?.products),
      );
      const groups =
        peers === null
          ? scored
          : scored.filter((group) => 'unit' in group.key && peers.codes.has(group.key.unit));
      const shown = new Set(
        groups.flatMap((group) => ('unit' in group.key ? [group.key.unit] : [])),
      );
      // Built to the schema's type rather than parsed by it: a parse copied every figure of a
      // document of thousands of groups, a quarter of a small campaign's scoring (issue 19).
      // scores.test.ts holds documents of every kind to the schema, the contract
      // (docs/interchange.md §5).
      const document: ScoresDocument = {
        campaign: campaign.code,
        instrument: instrument.code,
        rules,
        ...(scope === undefined ? {} : { scope }),
        ...(peers === null
          ? {}
          : {
              peers: {
                group: peers.group,
                period: peers.period,
                without: [...peers.codes].filter((code) => !shown.has(code)).sort(),
              },
            }),
        groups,
        names: {
          campaign: campaign.name,
          units: Object.fromEntries(units.map((u) => [u.code, u.name])),
          counters: Object.fromEntries(counters.map((c) => [c.code, c.name])),
        },
      };
      return { document, counters: counterFacts, units: tree };
    });
}

/** How comparisons are made: the `reorganised` threshold (SIPAS_REORGANISED_BELOW). */
export interface CompareOptions {
  reorganisedBelow: number;
}

/**
 * Each campaign is scored under its own rules and design, both on the map of the later one's
 * last day (docs/organisation.md, comparisons across a reorganisation): a unit's earlier figure
 * comes from the earlier responses at the counters it holds that day, and a unit that no longer
 * exists then has no group.
 */
export async function compareCampaigns(
  db: Kysely<Database>,
  principal: Principal,
  input: CompareRequest,
  options: CompareOptions = { reorganisedBelow: REORGANISED_BELOW },
): Promise<ComparisonDocument> {
  const request = parseInput(compareRequestSchema, input, notValid);
  const [first, second] = [
    await campaignByCode(db, request.campaign),
    await campaignByCode(db, request.with),
  ];
  const earlier = second.endsOn <= first.endsOn ? 'with' : 'campaign';
  const on = earlier === 'with' ? first.endsOn : second.endsOn;
  const current = await scoreCampaign(db, principal, {
    campaign: request.campaign,
    by: request.by,
    on,
  });
  const previous = await scoreCampaign(db, principal, {
    campaign: request.with,
    by: request.by,
    on,
  });
  const [later, before] = earlier === 'with' ? [current, previous] : [previous, current];
  return comparisonDocumentSchema.parse(
    compareScores(current.document, previous.document, request.by, {
      counters: later.counters,
      units: later.units,
      earlierCounters: new Set(
        before.counters.filter((c) => respondentsOf(c) > 0).map((c) => c.code),
      ),
      earlier,
      threshold: options.reorganisedBelow,
    }),
  );
}
