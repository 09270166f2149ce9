// The facts of a remediation plan's draft (par-cycle.md §6, docs/plans.md "Drafting a plan"):
// the unit's scorecard among its peers, as published when it is, its targets, and with a
// campaign named its SIPAS figures and the items on which it is significantly below its peers.
// Reads only: the draft is stored by ./plans.ts.
import type { Kysely } from 'kysely';
import * as z from 'zod';
import { TOTAL } from '../../analysis/par-tree.ts';
import { draftPlan } from '../../analysis/plan.ts';
import { itemContrasts } from '../../analysis/plan-sipas.ts';
import { planDraftSchema, type PlanDraft, type PlanSipas } from '../../analysis/plan-document.ts';
import { rulesLine } from '../../analysis/scores-format.ts';
import { respondentsOf, unitSubtrees } from '../../analysis/scoring.ts';
import { periodLastDay } from '../../shared/periods.ts';
import type { Database, Db } from '../../db/database.ts';
import * as campaigns from '../../db/repositories/campaigns.ts';
import * as par from '../../db/repositories/par.ts';
import * as peerGroups from '../../db/repositories/peers.ts';
import * as units from '../../db/repositories/units.ts';
import {
  conflict,
  DomainError,
  invalid,
  parseInput,
  text,
  unknown,
  unknownCode,
  type Text,
} from '../errors.ts';
import { assertUnitInScope, operator, READERS, type Principal } from './access.ts';
import { campaignByCode } from './campaigns/index.ts';
import { frameworkTree } from './frameworks.ts';
import { periodSchema } from './par.ts';
import { scorecardPeers } from './peers.ts';
import { scorecardAsPublished } from './publications.ts';
import { scoreCampaign } from './scores.ts';

export const planDraftRequestSchema = z.object({
  framework: z.string().min(1),
  period: periodSchema,
  unit: z.string().min(1),
  /** Default: the unit's parent on the period's map (its children are the peers). */
  peers: z.string().min(1).optional(),
  /** SIPAS facts only when named. */
  campaign: z.string().min(1).optional(),
  /** The target "top K" of the total. */
  top: z.number().int().positive().optional(),
  /** Node code (or `total`) → K of its target "top K". */
  targets: z.record(z.string(), z.number().int().positive()).optional(),
});

export type PlanDraftRequest = z.input<typeof planDraftRequestSchema>;

const notValid = text(
  'Yêu cầu dự thảo kế hoạch không hợp lệ.',
  'The plan draft request is not valid.',
);

/** 404 naming the request's field whose code names nothing. */
const unknownField = (field: 'framework' | 'unit' | 'campaign', code: string) =>
  new DomainError('not-found', unknown(field, code).text, [
    { path: field, message: unknownCode(field, code) },
  ]);

/** The unit's parent on the period's map (the latest map for a period of no known day). */
async function parentOn(db: Db, unitId: number, period: string) {
  const day = periodLastDay(period);
  const links = await units.listParentLinks(db, unitId, day ?? undefined);
  const link = day === null ? links.find((l) => l.valid_to === null) : links[0];
  return link ? { code: link.code, name: link.name } : null;
}

/** Node code (or `total`) → K, every code a node of the framework; `top` is the total's. */
function targetsOf(
  request: { top?: number | undefined; targets?: Record<string, number> | undefined },
  nodes: ReadonlySet<string>,
): Map<string, number> {
  const targets = new Map(Object.entries(request.targets ?? {}));
  const problems = [...targets.keys()]
    .filter((code) => code !== TOTAL && !nodes.has(code))
    .map((code) => ({
      path: `targets.${code}`,
      message: text(`khung chỉ số không có mục ${code}`, `the framework has no node ${code}`),
    }));
  if (request.top !== undefined && targets.has(TOTAL)) {
    problems.push({
      path: 'top',
      message: text(
        'chỉ tiêu của tổng điểm đã có trong targets.total',
        'the total has its target in targets.total already',
      ),
    });
  }
  if (problems.length > 0) throw invalid(notValid, problems);
  if (request.top !== undefined) targets.set(TOTAL, request.top);
  return targets;
}

/**
 * The unit's SIPAS figures in the campaign and its items significantly below the pooled index
 * of the peers' respondents (the peers ranked on the scorecard, the unit among them), each
 * peer's counters those of its subtree on the campaign's map.
 */
async function sipasFacts(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  unit: string,
  peers: readonly string[],
): Promise<PlanSipas> {
  const campaign = await campaignByCode(db, code);
  const {
    document,
    counters,
    units: tree,
  } = await scoreCampaign(db, principal, {
    campaign: code,
    by: 'unit',
  });
  const group = document.groups.find((g) => 'unit' in g.key && g.key.unit === unit);
  if (!group) {
    throw invalid(
      text(
        `Đợt khảo sát ${code} không có người trả lời nào ở ${unit}.`,
        `Campaign ${code} has no respondents at ${unit}.`,
      ),
      [
        {
          path: 'campaign',
          message: text(`không có người trả lời ở ${unit}`, `no respondents at ${unit}`),
        },
      ],
    );
  }
  const subtrees = unitSubtrees(counters, tree);
  const ids = new Map(tree.map((u) => [u.code, u.id]));
  const of = (codes: readonly string[]) =>
    codes.flatMap((c) => {
      const id = ids.get(c);
      return id === undefined ? [] : (subtrees.get(id) ?? []);
    });
  const pool = [...new Set(of([...peers, unit]))];
  // Below: an interval wholly under 0, so one there is.
  const below = itemContrasts({
    instrument: campaign.instrument,
    rules: document.rules,
    pool,
    unit: new Set(of([unit]).map((c) => c.id)),
  }).flatMap(({ below: under, se, ci, ...item }) =>
    under && se !== null && ci !== null ? [{ ...item, se, ci }] : [],
  );
  return {
    campaign: { code: campaign.code, name: campaign.name },
    rules: rulesLine(document.rules),
    respondents: group.respondents,
    peersRespondents: pool.reduce((n, c) => n + respondentsOf(c), 0),
    sipas: group.sipas,
    factors: campaign.instrument.factors.map((factor) => ({
      code: factor.code,
      name: factor.name.vi,
      score: group.factors[factor.code] ?? { index: null, se: null, ci: null },
    })),
    itemsBelowPeers: below,
  };
}

/**
 * The draft of the unit's plan (not stored), for a reader whose scope reaches the unit: its
 * peers' scorecard at level `all`, the published one when there is one (publications.ts
 * `scorecardAsPublished`), the targets asked read off it, and the SIPAS facts of the campaign
 * named.
 */
export async function draftPlanFor(
  db: Kysely<Database>,
  principal: Principal,
  request: PlanDraftRequest,
): Promise<PlanDraft> {
  const asked = parseInput(planDraftRequestSchema, request, notValid);
  const { period } = asked;
  if (!(READERS as readonly string[]).includes(principal.role)) {
    throw new DomainError(
      'forbidden',
      text('Tài khoản không được xem kết quả PAR.', 'This account may not read PAR results.'),
    );
  }
  const frameworkRow = await par.findFrameworkByCode(db, asked.framework);
  if (!frameworkRow) throw unknownField('framework', asked.framework);
  const unit = await units.findUnitByCode(db, asked.unit);
  if (!unit) throw unknownField('unit', asked.unit);
  if (asked.campaign !== undefined && !(await campaigns.findCampaignByCode(db, asked.campaign))) {
    throw unknownField('campaign', asked.campaign);
  }
  await assertUnitInScope(db, principal, unit.code);
  // The facts state the unit's own standing (its ranks, the K-th value of a target, the peers'
  // pooled SIPAS index), never another peer's figures: a reader of the unit reads them, its
  // peers' scorecard and responses read on its behalf.
  const reader = operator(principal.actor.id);
  const framework = await frameworkTree(db, asked.framework);
  const targets = targetsOf(asked, new Set(framework.nodes.map((node) => node.code)));
  const parent = await parentOn(db, unit.id, period);
  const peersCode = asked.peers ?? parent?.code;
  if (peersCode === undefined) {
    throw invalid(
      text(
        `${unit.code} không có đơn vị cấp trên trên sơ đồ kỳ ${period}: hãy nêu nhóm so sánh.`,
        `${unit.code} has no parent on the map of ${period}: name the peers.`,
      ),
      [{ path: 'peers', message: text('bắt buộc với đơn vị này', 'required for this unit') }],
    );
  }
  const card = await scorecardAsPublished(
    db,
    reader,
    { framework: asked.framework, period, peers: peersCode, level: 'all' },
    targets,
  );
  if (!card.rows.some((row) => row.unit === unit.code)) {
    const { codes } = await scorecardPeers(db, reader, { peers: peersCode, period });
    throw missing(unit.code, codes, { framework: asked.framework, period, peers: peersCode });
  }
  // A group of the period is named by its name; a unit whose children are the peers, by its own
  // (the group first, as scorecardPeers reads the code).
  const peersUnit = (await peerGroups.findGroup(db, peersCode, period))
    ? undefined
    : await units.findUnitByCode(db, peersCode);
  const sipas =
    asked.campaign === undefined
      ? null
      : await sipasFacts(
          db,
          reader,
          asked.campaign,
          unit.code,
          card.rows.map((row) => row.unit),
        );
  return planDraftSchema.parse(
    draftPlan({
      framework,
      card,
      published: card.published ? { version: card.published.version, at: card.published.at } : null,
      unit: { code: unit.code, name: unit.name },
      peers: { code: peersCode, name: peersUnit?.name ?? peersCode },
      parent,
      targets,
      sipas,
    }),
  );
}

/** Why the unit has no row: not among the peers (422), or no points in the period (409). */
function missing(
  unit: string,
  peers: readonly string[],
  asked: { framework: string; period: string; peers: string },
): DomainError {
  if (!peers.includes(unit)) {
    const message: Text = text(
      `${unit} không thuộc nhóm so sánh ${asked.peers} kỳ ${asked.period}`,
      `${unit} is not among the peers ${asked.peers} of ${asked.period}`,
    );
    return invalid(text(`${message.vi}.`, `${message.en}.`), [{ path: 'peers', message }]);
  }
  return conflict(
    text(
      `${unit} chưa có điểm ${asked.framework} kỳ ${asked.period}: chưa thể dự thảo kế hoạch.`,
      `${unit} has no ${asked.framework} points in ${asked.period}: there is nothing to draft a plan from.`,
    ),
  );
}
