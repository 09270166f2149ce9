// The draft of a remediation plan (par-cycle.md §6, docs/plans.md "Drafting a plan"): the facts
// of a unit's scorecard among its peers (total, fields, every node, weak points, targets and
// SIPAS), the sections a Vietnamese administrative plan needs, and one proposed task per weak
// node and per SIPAS factor with an item below the peers. Pure: the service reads the figures.
import { periodLastDay } from '../shared/periods.ts';
import { exact, thousandths, type Scorecard, type ScorecardRow } from './par.ts';
import { depth, TOTAL, treeMax, type FrameworkTree, type NodeCard } from './par-tree.ts';
import type {
  PlanDraft,
  PlanFacts,
  PlanNodeFact,
  PlanSections,
  PlanSipas,
  PlanTarget,
  PlanTaskInput,
} from './plan-document.ts';

interface Named {
  code: string;
  name: string;
}

export interface DraftInput {
  framework: FrameworkTree;
  /** The peers' scorecard at level `all` (as published when it is), with the targets asked. */
  card: Scorecard;
  /** The publication it is read from; null for the figures of now. */
  published: { version: number; at: string } | null;
  unit: Named;
  /** The peers as the scorecard names them: a group, or the unit whose children they are. */
  peers: Named;
  parent: Named | null;
  /** Node code (or `total`) → K of its target "top K", as asked. */
  targets: ReadonlyMap<string, number>;
  sipas: PlanSipas | null;
}

/** How many peers share a rank among those ranked, the unit left out. */
function standing(rank: number | null, ranks: readonly (number | null)[]) {
  const ranked = ranks.filter((r) => r !== null);
  return {
    of: ranked.length,
    tiedWith: rank === null ? 0 : ranked.filter((r) => r === rank).length - 1,
  };
}

/** The applicable maximum less the points, without the noise of the subtraction. */
const lost = (applicableMax: number, points: number | null) =>
  points === null ? null : exact(applicableMax - points);

/** A node lost points when what it lost shows at 3 decimals. */
const lostAny = (fact: PlanNodeFact) =>
  fact.pointsLost !== null && thousandths(fact.pointsLost) > 0;

function nodeFact(
  node: { code: string; name: string },
  card: NodeCard,
  ranks: readonly (number | null)[],
): PlanNodeFact {
  return {
    code: node.code,
    name: node.name,
    depth: depth(node.code),
    points: card.points,
    max: card.max,
    applicableMax: card.applicableMax,
    percent: card.percent,
    change: card.change,
    rank: card.rank,
    ...standing(card.rank, ranks),
    rankChange: card.rankChange,
    pointsLost: lost(card.applicableMax, card.points),
  };
}

/**
 * A weak node (docs/plans.md): a node of the first level that lost points and stands in the
 * lower half of its peers (rank > of / 2) or short of its target.
 */
function isWeak(fact: PlanNodeFact, card: NodeCard): boolean {
  if (fact.depth !== 1 || !lostAny(fact)) return false;
  const lowerHalf = fact.rank !== null && fact.rank > fact.of / 2;
  return lowerHalf || (card.gapToTarget !== null && card.gapToTarget > 0);
}

/** Worst first: the higher rank number; a node without a rank after every ranked one. */
const byRank = (a: PlanNodeFact, b: PlanNodeFact) => (b.rank ?? -Infinity) - (a.rank ?? -Infinity);
const byLost = (a: PlanNodeFact, b: PlanNodeFact) => (b.pointsLost ?? 0) - (a.pointsLost ?? 0);

/** The day tasks are due by default: 30/09 of the year after the period's (null without one). */
export function defaultDeadline(period: string): string | null {
  const last = periodLastDay(period);
  return last === null ? null : `${Number(last.slice(0, 4)) + 1}-09-30`;
}

/** What a first-level node is called in a plan: a field of a tree, a component of a flat one. */
const kindOf = (framework: FrameworkTree) =>
  framework.nodes.some((node) => depth(node.code) > 1) ? 'lĩnh vực' : 'thành phần';

function sectionsOf(input: DraftInput, period: string): PlanSections {
  const { framework, unit, parent } = input;
  return {
    summary: `Khắc phục hạn chế, nâng cao Chỉ số cải cách hành chính năm ${period} của ${unit.name}`,
    purpose:
      `1. Mục đích: khắc phục những hạn chế, tồn tại chỉ ra qua kết quả ${framework.name} ` +
      `năm ${period} của ${unit.name}; nâng cao điểm số và thứ hạng trong các kỳ đánh giá ` +
      'tiếp theo.\n' +
      '2. Yêu cầu: mỗi nhiệm vụ có đơn vị chủ trì, đơn vị phối hợp, thời hạn và kết quả cụ ' +
      'thể; việc thực hiện được theo dõi, đôn đốc và báo cáo định kỳ.',
    organisation:
      '1. Các đơn vị được giao chủ trì, phối hợp triển khai các nhiệm vụ tại Mục II, báo cáo ' +
      'tiến độ và kết quả thực hiện đúng thời hạn.\n' +
      `2. Bộ phận tham mưu công tác cải cách hành chính theo dõi, tổng hợp, báo cáo ${unit.name} ` +
      'kết quả thực hiện Kế hoạch.',
    recipients: ['Như trên;', ...(parent ? [`${parent.name};`] : []), 'Lưu: VT.'],
    superiorBody: parent?.name ?? '',
    issuingBody: unit.name,
    place: '',
    signerTitle: '',
    signerName: '',
  };
}

function tasksOf(
  input: DraftInput,
  weak: readonly PlanNodeFact[],
  period: string,
): PlanTaskInput[] {
  const kind = kindOf(input.framework);
  const deadline = defaultDeadline(period);
  const task = (content: string, expectedOutput: string, nodes: string[], factors: string[]) => ({
    content,
    lead: input.unit.name,
    coordinating: [],
    deadline,
    expectedOutput,
    nodes,
    factors,
    status: 'not-started' as const,
  });
  const byNode = weak.map((fact) =>
    task(
      `Rà soát, khắc phục các hạn chế của ${kind} ${fact.code} "${fact.name}", nơi đơn vị bị ` +
        'mất điểm so với điểm tối đa.',
      `Điểm ${kind} ${fact.code} được nâng lên ở kỳ đánh giá tiếp theo.`,
      [fact.code],
      [],
    ),
  );
  const below = input.sipas?.itemsBelowPeers ?? [];
  const byFactor = (input.sipas?.factors ?? []).flatMap((factor) => {
    const items = below.filter((item) => item.factor === factor.code).map((item) => item.item);
    if (items.length === 0) return [];
    return [
      task(
        `Nâng cao sự hài lòng của người dân, tổ chức về ${factor.name} (yếu tố ${factor.code}): ` +
          `câu hỏi ${items.join(', ')} thấp hơn đáng kể so với các đơn vị so sánh.`,
        `Chỉ số hài lòng về ${factor.name} ở đợt khảo sát sau không còn thấp hơn đáng kể so ` +
          'với các đơn vị so sánh.',
        [],
        [factor.code],
      ),
    ];
  });
  return [...byNode, ...byFactor];
}

/**
 * The draft of the unit's plan from its peers' scorecard at level `all` (par-cycle.md §3 and
 * §6). The unit must have a row: the caller says why when it has none.
 */
export function draftPlan(input: DraftInput): PlanDraft {
  const { framework, card, unit } = input;
  const row = card.rows.find((r) => r.unit === unit.code);
  if (!row) throw new Error(`${unit.code} has no row in the scorecard of ${card.peers}`);
  const ranksOn = (code: string) =>
    card.rows.map((r: ScorecardRow) => r.nodes?.[code]?.rank ?? null);
  const cards = row.nodes ?? {};
  // In the framework's order, so that equal weak points keep the order of the decision.
  const known = framework.nodes.flatMap((node) => {
    const found = cards[node.code];
    return found ? [{ fact: nodeFact(node, found, ranksOn(node.code)), card: found }] : [];
  });
  const max = treeMax(framework);
  const applicableMax = row.applicableMax ?? max;
  const total = {
    code: TOTAL,
    name: framework.name,
    points: row.total,
    max,
    applicableMax,
    percent: row.percent ?? null,
    band: row.band ?? null,
    change: row.change,
    rank: row.rank,
    ...standing(
      row.rank,
      card.rows.map((r) => r.rank),
    ),
    rankChange: row.rankChange,
    pointsLost: lost(applicableMax, row.total),
  };
  const losing = known.map((k) => k.fact).filter(lostAny);
  const weak = known.filter((k) => isWeak(k.fact, k.card)).map((k) => k.fact);
  const names = new Map(framework.nodes.map((node) => [node.code, node.name]));
  const targets = [...input.targets]
    .sort(([a], [b]) => (a === TOTAL ? -1 : b === TOTAL ? 1 : 0))
    .map(([code, top]): PlanTarget =>
      code === TOTAL
        ? { node: TOTAL, name: framework.name, top, target: card.target, gap: row.gapToTarget }
        : {
            node: code,
            name: names.get(code) ?? code,
            top,
            target: cards[code]?.target ?? null,
            gap: cards[code]?.gapToTarget ?? null,
          },
    );
  const facts: PlanFacts = {
    framework: { code: framework.code, name: framework.name },
    period: card.period,
    previous: card.previous,
    peers: input.peers,
    unit,
    parent: input.parent,
    published: input.published,
    provisional: row.provisional,
    total,
    fields: known.map((k) => k.fact).filter((fact) => fact.depth === 1),
    weakByPointsLost: [...losing].sort((a, b) => byLost(a, b) || byRank(a, b)).map((f) => f.code),
    weakByRank: [...losing].sort((a, b) => byRank(a, b) || byLost(a, b)).map((f) => f.code),
    nodes: Object.fromEntries(known.map((k) => [k.fact.code, k.fact])),
    targets,
    sipas: input.sipas,
  };
  return {
    facts,
    sections: sectionsOf(input, card.period),
    tasks: tasksOf(input, weak, card.period),
  };
}
