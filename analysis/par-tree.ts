// PAR frameworks as trees (par-cycle.md §1) and the scorecard of every node (§3): fields,
// criteria and sub-criteria with dotted codes, leaf maxima, sources and bands, and the points,
// percent of applicable maximum, ranks, changes, bands, targets and gaps of each unit on each
// node. Pure functions only; the flat frameworks of analysis/par.ts read as depth-one trees.
import * as z from 'zod';
import { customIssue, says, text } from '../shared/text.ts';
import type { DerivedPoints } from './lineage.ts';
import {
  exact,
  parFrameworkSchema,
  rankWithTies,
  reaches,
  OFFICIALS_COMPONENT,
  SIPAS_COMPONENT,
  thousandths,
  type ParFramework,
  type Scorecard,
  type ScorecardComponent,
  type ScorecardRow,
} from './par.ts';

/** Where a leaf's points come from (§1). */
export const NODE_SOURCES = ['assessment', 'sipas', 'survey', 'import'] as const;
export type NodeSource = (typeof NODE_SOURCES)[number];

// A segment is a flat component code (`appraisal`) or a number (`3`): `3.2.1`, `sipas`.
const SEGMENT = '[A-Za-z0-9][A-Za-z0-9_-]{0,31}';
const NODE_CODE = new RegExp(`^${SEGMENT}(\\.${SEGMENT}){0,7}$`);

/** A unit type as units.csv writes it (the `type` column of docs/organisation.md). */
export const UNIT_TYPE = /^[a-z][a-z0-9_-]*$/;

export const nodeCodeSchema = z
  .string()
  .regex(NODE_CODE, says(text('một mã như 3, 3.2 hoặc 3.2.1', 'a code such as 3, 3.2 or 3.2.1')));

export const unitTypeSchema = z
  .string()
  .regex(UNIT_TYPE, says(text('một loại đơn vị như commune', 'a unit type such as commune')));

export const frameworkNodeSchema = z.object({
  code: nodeCodeSchema,
  name: z.string().trim().min(1),
  /** A leaf's maximum; an inner node's is the sum of its children's. */
  max: z.number().finite().positive(),
  /** Null on an inner node: its leaves have theirs. */
  source: z.enum(NODE_SOURCES).nullable(),
  /** The unit types the node applies to; null for every type. */
  appliesTo: z.array(unitTypeSchema).min(1).nullable(),
  /** What evidence the criterion asks for. */
  guidance: z.string().nullable(),
});

export const bandSchema = z.object({
  band: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9+-]{0,7}$/, says(text('một hạng như A', 'a band such as A'))),
  /** The lowest percent of the applicable maximum in the band. */
  min: z.number().finite().min(0).max(100),
});

export type FrameworkNode = z.infer<typeof frameworkNodeSchema>;
export type Band = z.infer<typeof bandSchema>;

/** The Ministry's bands for provinces: A ≥ 90%, B 80 to < 90%, C 70 to < 80%, D < 70%. */
export const DEFAULT_BANDS: readonly Band[] = [
  { band: 'A', min: 90 },
  { band: 'B', min: 80 },
  { band: 'C', min: 70 },
  { band: 'D', min: 0 },
];

/** `3.2.1` → `3.2`; a field's parent is the framework itself (null). */
export function parentCode(code: string): string | null {
  const dot = code.lastIndexOf('.');
  return dot < 0 ? null : code.slice(0, dot);
}

/** A field is at depth 1, its criteria at 2, their sub-criteria at 3. */
export const depth = (code: string) => code.split('.').length;

/** True when `code` is `ancestor` or lies under it. */
const within = (code: string, ancestor: string) =>
  code === ancestor || code.startsWith(`${ancestor}.`);

/** The codes of the nodes that have children. */
export function innerCodes(nodes: readonly { code: string }[]): Set<string> {
  const inner = new Set<string>();
  for (const { code } of nodes) {
    const parent = parentCode(code);
    if (parent !== null) inner.add(parent);
  }
  return inner;
}

/**
 * The maxima a file leaves empty on inner nodes, filled with the sum of their leaves'; null
 * where a leaf has none (the file's reader reports it).
 */
export function completeMaxima(
  nodes: readonly { code: string; max: number | null }[],
): (number | null)[] {
  const inner = innerCodes(nodes);
  const leaves = nodes.filter((node) => !inner.has(node.code));
  return nodes.map(({ code, max }) => {
    if (max !== null || !inner.has(code)) return max;
    const under = leaves.filter((leaf) => within(leaf.code, code)).map((leaf) => leaf.max);
    return under.includes(null) ? null : exact(under.reduce<number>((s, m) => s + (m ?? 0), 0));
  });
}

export const frameworkTreeSchema = z
  .object({
    code: parFrameworkSchema.shape.code,
    name: z.string().trim().min(1),
    /** In the order of the decision. */
    nodes: z.array(frameworkNodeSchema).min(1),
    /** Highest first; the last starts at 0 so that every percent has a band. */
    bands: z.array(bandSchema).min(1),
  })
  .superRefine((tree, ctx) => {
    const inner = innerCodes(tree.nodes);
    const codes = new Set(tree.nodes.map((node) => node.code));
    const seen = new Set<string>();
    tree.nodes.forEach((node, i) => {
      const issue = (field: string, en: string, vi: string) =>
        ctx.addIssue(customIssue(['nodes', i, field], text(vi, en)));
      const parent = parentCode(node.code);
      if (seen.has(node.code))
        issue('code', `duplicate node ${node.code}`, `mục ${node.code} bị trùng`);
      // A bad code (`4..1`) has its own issue, not an orphan's.
      else if (parent !== null && NODE_CODE.test(node.code) && !codes.has(parent)) {
        issue('code', `no parent node ${parent}`, `không có mục cha ${parent}`);
      }
      seen.add(node.code);
      if (!inner.has(node.code)) {
        if (node.source === null) {
          issue('source', 'required on a leaf', 'bắt buộc ở mục lá');
        }
        return;
      }
      if (node.source !== null) {
        issue(
          'source',
          'an inner node has no source: its leaves have theirs',
          'mục có mục con không có nguồn: các mục lá của nó có nguồn',
        );
      }
      const children = tree.nodes.filter((child) => parentCode(child.code) === node.code);
      const sum = exact(children.reduce((s, child) => s + child.max, 0));
      if (thousandths(sum) !== thousandths(node.max)) {
        issue(
          'max',
          `${node.max} is not the sum of its children's maxima, ${sum}`,
          `${node.max} khác tổng điểm tối đa của các mục con, ${sum}`,
        );
      }
    });
    tree.bands.forEach((band, i) => {
      const before = tree.bands[i - 1];
      if (before && (band.min >= before.min || band.band === before.band)) {
        ctx.addIssue(
          customIssue(
            ['bands', i],
            text(
              'các hạng xếp từ cao xuống thấp, mỗi hạng một ngưỡng',
              'bands go from the highest down, each with its own threshold',
            ),
          ),
        );
      }
    });
    if (tree.bands.at(-1)?.min !== 0) {
      ctx.addIssue(
        customIssue(['bands'], text('hạng thấp nhất bắt đầu từ 0', 'the lowest band starts at 0')),
      );
    }
  });

export type FrameworkTree = z.infer<typeof frameworkTreeSchema>;

/** A flat framework's component read as a leaf: SIPAS and the officials' survey by their codes. */
function sourceOfComponent(code: string): NodeSource {
  if (code === SIPAS_COMPONENT) return 'sipas';
  return code === OFFICIALS_COMPONENT ? 'survey' : 'import';
}

/**
 * Today's flat framework as a tree of depth one: each component a leaf with its maximum, the
 * `sipas` component fed by SIPAS, the `leaders` component by the officials' survey, the others
 * imported (as `sipas par import` does; the survey's points may be imported too).
 */
export function flatAsTree(framework: ParFramework): FrameworkTree {
  return frameworkTreeSchema.parse({
    code: framework.code,
    name: framework.name,
    nodes: framework.components.map((component) => ({
      code: component.code,
      name: component.name,
      max: component.max,
      source: sourceOfComponent(component.code),
      appliesTo: null,
      guidance: null,
    })),
    bands: DEFAULT_BANDS,
  });
}

/**
 * The tree as today's flat framework when it is one (depth one, codes a flat framework takes),
 * so that the flat paths (`sipas par import`, the scorecard of interchange §6) keep reading it;
 * null for a deeper tree.
 */
export function treeAsFlat(tree: FrameworkTree): ParFramework | null {
  if (tree.nodes.some((node) => depth(node.code) > 1)) return null;
  const flat = parFrameworkSchema.safeParse({
    code: tree.code,
    name: tree.name,
    components: tree.nodes.map(({ code, name, max }) => ({ code, name, max })),
  });
  return flat.success ? flat.data : null;
}

/** The framework's maximum: the sum of its fields'. */
export const treeMax = (tree: FrameworkTree) =>
  exact(tree.nodes.filter((node) => depth(node.code) === 1).reduce((s, n) => s + n.max, 0));

/**
 * The band of a percent of the applicable maximum, compared at 3 decimals: 90.000 is A, and so
 * is 89.9995, while 89.999 is B. The schema ends the bands at 0, which every percent reaches.
 */
export function bandOf(percent: number, bands: readonly Band[]): string | null {
  return bands.find((band) => reaches(percent, band.min))?.band ?? null;
}

export const SCORECARD_LEVELS = ['total', 'field', 'criterion', 'all'] as const;
export type ScorecardLevel = (typeof SCORECARD_LEVELS)[number];

/** The nodes a scorecard of `level` shows: none, the fields, the criteria, or every node. */
export function nodesAtLevel(tree: FrameworkTree, level: ScorecardLevel): FrameworkNode[] {
  switch (level) {
    case 'total':
      return [];
    case 'field':
      return tree.nodes.filter((node) => depth(node.code) === 1);
    case 'criterion':
      return tree.nodes.filter((node) => depth(node.code) === 2);
    case 'all':
      return [...tree.nodes];
  }
}

/**
 * Unit code → leaf code → points, or null where the unit marked the leaf not applicable. A unit
 * is there when it has any points in the period; a leaf it has no points for counts 0.
 */
export type LeafPoints = ReadonlyMap<string, ReadonlyMap<string, number | null>>;

/** A unit of the peer group, with the type that `applies_to` reads. */
export interface Peer {
  unit: string;
  type: string;
}

/** The key of the total among the targets, as `--targets FILE` writes it. */
export const TOTAL = 'total';

export interface NodeCard {
  points: number | null;
  max: number;
  applicableMax: number;
  percent: number | null;
  change: number | null;
  rank: number | null;
  rankChange: number | null;
  target: number | null;
  gapToTarget: number | null;
}

export interface TreeScorecardRow {
  unit: string;
  /** Present when the previous points come from predecessors (lineage.ts): their codes. */
  previousFrom?: string[];
  /** The total's points, ranked on points. */
  total: number;
  max: number;
  applicableMax: number;
  percent: number;
  band: string | null;
  change: number | null;
  rank: number;
  rankChange: number | null;
  target: number | null;
  gapToTarget: number | null;
  /** Each leaf ranked on its points, as the components of interchange §6. */
  components: Record<string, ScorecardComponent>;
  /** The nodes of the level, each ranked on its percent of the applicable maximum. */
  nodes: Record<string, NodeCard>;
}

/** The previous period as published: its peers on its own map, and their points. */
export interface PreviousPoints {
  period: string;
  peers: readonly Peer[];
  points: LeafPoints;
  /**
   * Units of this period whose previous points come from their predecessors (lineage.ts): their
   * changes are on those points, their rank changes null (no published rank to compare with).
   */
  derived?: ReadonlyMap<string, DerivedPoints>;
}

export interface TreeScorecardInput {
  framework: FrameworkTree;
  peers: readonly Peer[];
  current: LeafPoints;
  previous: PreviousPoints | null;
  /** Node code (or `total`) → K of its target "top K". */
  targets: ReadonlyMap<string, number>;
  level: ScorecardLevel;
}

interface Measure {
  points: number | null;
  applicableMax: number;
  percent: number | null;
}

const applies = (node: FrameworkNode, type: string) =>
  node.appliesTo === null || node.appliesTo.includes(type);

/** A unit's points on some leaves: those that apply to its type and it did not mark. */
function measure(
  leaves: readonly FrameworkNode[],
  type: string,
  given: ReadonlyMap<string, number | null>,
): Measure {
  let points = 0;
  let applicableMax = 0;
  let any = false;
  for (const leaf of leaves) {
    const value = given.get(leaf.code);
    if (!applies(leaf, type) || value === null) continue;
    any = true;
    points += value ?? 0;
    applicableMax += leaf.max;
  }
  if (!any) return { points: null, applicableMax: 0, percent: null };
  return {
    points: exact(points),
    applicableMax: exact(applicableMax),
    percent: (100 * points) / applicableMax,
  };
}

/**
 * What a ranking compares: points for the total and for a leaf as a component (interchange §6),
 * percent of the applicable maximum for a node (par-cycle.md §3).
 */
type RankedOn = 'points' | 'percent';
const ranked = (on: RankedOn, m: Measure) => (on === 'points' ? m.points : m.percent);

interface Standing {
  measure: Measure;
  rank: number | null;
}

/** Each peer's measure and rank on some leaves in one period; a peer without points is not. */
function standings(
  on: RankedOn,
  leaves: readonly FrameworkNode[],
  peers: readonly Peer[],
  period: LeafPoints,
): Map<string, Standing> {
  const measures = peers.flatMap((peer) => {
    const given = period.get(peer.unit);
    return given ? [[peer.unit, measure(leaves, peer.type, given)] as const] : [];
  });
  const values = measures.flatMap(([, m]) => {
    const value = ranked(on, m);
    return value === null ? [] : [value];
  });
  const rank = rankWithTies(values);
  return new Map(
    measures.map(([unit, m]) => {
      const value = ranked(on, m);
      return [unit, { measure: m, rank: value === null ? null : rank(value) }];
    }),
  );
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The total, a leaf as a component, or a node of the level, with the leaves it sums. */
interface Part {
  key: string;
  on: RankedOn;
  max: number;
  leaves: readonly FrameworkNode[];
}

/** A unit's rank and value on one part (points of the total, percent of a node). */
interface RankedValue {
  unit: string;
  rank: number | null;
  value: number | null;
}

/** The target "top K": the value of the K-th ranked by rank then unit code, the last if fewer. */
function kthValue(entries: readonly RankedValue[], k: number): number | null {
  const order = entries
    .filter((entry) => entry.rank !== null)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || byText(a.unit, b.unit));
  return order[Math.min(k, order.length) - 1]?.value ?? null;
}

/**
 * The gap in points from a value to its target, 0 once reached at 3 decimals: points for the
 * total (`applicableMax` null), a percent of the applicable maximum for a node.
 */
function gapTo(value: number, target: number, applicableMax: number | null): number {
  if (reaches(value, target)) return 0;
  return exact(applicableMax === null ? target - value : ((target - value) * applicableMax) / 100);
}

/** Each peer's card on one part: this period's standing against the previous period's. */
function partCards(part: Part, input: TreeScorecardInput): Map<string, NodeCard> {
  const { peers, current, previous, targets } = input;
  const { key, on, max, leaves } = part;
  const now = standings(on, leaves, peers, current);
  // Ranked among the previous period's peers on its own points, as published then.
  const then =
    previous === null
      ? new Map<string, Standing>()
      : standings(on, leaves, previous.peers, previous.points);
  const types = new Map(peers.map((peer) => [peer.unit, peer.type]));
  const top = on === 'points' && key !== TOTAL ? undefined : targets.get(key);
  const target =
    top === undefined
      ? null
      : kthValue(
          [...now].map(([unit, s]) => ({ unit, rank: s.rank, value: ranked(on, s.measure) })),
          top,
        );
  const card = (unit: string, { measure: m, rank }: Standing): NodeCard => {
    const derived = previous?.derived?.get(unit);
    const before: Standing | undefined = derived
      ? { measure: measure(leaves, types.get(unit) ?? '', derived.points), rank: null }
      : then.get(unit);
    const value = ranked(on, m);
    const gap =
      target === null || value === null
        ? null
        : gapTo(value, target, on === 'points' ? null : m.applicableMax);
    return {
      points: m.points,
      max,
      applicableMax: m.applicableMax,
      percent: m.percent,
      change:
        m.points === null || before?.measure.points == null
          ? null
          : exact(m.points - before.measure.points),
      rank,
      rankChange: rank === null || before?.rank == null ? null : before.rank - rank,
      target,
      gapToTarget: gap,
    };
  };
  return new Map([...now].map(([unit, s]) => [unit, card(unit, s)]));
}

/**
 * The scorecard of every node (par-cycle.md §3, "Precisely"): for each peer with points in the
 * period, the total, each leaf as a component and each node of the level with points, maximum,
 * applicable maximum, percent, change, rank with ties at 3 decimals, rank change, band (total)
 * and, with a target "top K", the K-th value and the gap to it in points. A unit without any
 * applicable leaf has no total to rank and no row.
 */
export function treeScorecard(input: TreeScorecardInput): TreeScorecardRow[] {
  const { framework, previous } = input;
  const inner = innerCodes(framework.nodes);
  const leaves = framework.nodes.filter((node) => !inner.has(node.code));
  const cards = (parts: Part[]) => parts.map((part) => [part.key, partCards(part, input)] as const);
  const total = partCards({ key: TOTAL, on: 'points', max: treeMax(framework), leaves }, input);
  const components = cards(
    leaves.map((leaf) => ({ key: leaf.code, on: 'points', max: leaf.max, leaves: [leaf] })),
  );
  const nodes = cards(
    nodesAtLevel(framework, input.level).map((node) => ({
      key: node.code,
      on: 'percent',
      max: node.max,
      leaves: leaves.filter((leaf) => within(leaf.code, node.code)),
    })),
  );
  const of = (parts: (readonly [string, Map<string, NodeCard>])[], unit: string) =>
    parts.flatMap(([key, byUnit]) => {
      const found = byUnit.get(unit);
      return found ? [[key, found] as const] : [];
    });
  const rows = [...total].flatMap(([unit, card]): TreeScorecardRow[] => {
    const { points, percent, rank } = card;
    if (points === null || percent === null || rank === null) return [];
    const derived = previous?.derived?.get(unit);
    return [
      {
        unit,
        ...(derived ? { previousFrom: derived.previousFrom } : {}),
        total: points,
        max: card.max,
        applicableMax: card.applicableMax,
        percent,
        band: bandOf(percent, framework.bands),
        change: card.change,
        rank,
        rankChange: card.rankChange,
        target: card.target,
        gapToTarget: card.gapToTarget,
        components: Object.fromEntries(
          of(components, unit).map(([code, c]) => [
            code,
            {
              points: c.points,
              max: c.max,
              available: c.points === null ? null : exact(c.max - c.points),
              change: c.change,
              rank: c.rank,
              rankChange: c.rankChange,
            },
          ]),
        ),
        nodes: Object.fromEntries(of(nodes, unit)),
      },
    ];
  });
  return rows.sort((a, b) => a.rank - b.rank || byText(a.unit, b.unit));
}

export interface ScorecardInput extends Omit<TreeScorecardInput, 'level' | 'targets'> {
  period: string;
  /** The peer group, or the unit whose children are compared: the document's `peers`. */
  group: string;
  /** The total's target "top K". */
  top: number | null;
  /** The nodes' targets (a `total` among them is `top`'s). */
  targets?: ReadonlyMap<string, number>;
  /** Without one, the document has no nodes, percent or band (interchange §6 as it was). */
  level?: ScorecardLevel;
  /** Units whose points include a self-score not yet appraised (par-cycle.md §2). */
  provisional?: ReadonlySet<string>;
}

/**
 * The scorecard document (interchange §6 and par-cycle.md §3) from the tree's arithmetic: the
 * total and the leaves as components, and with a level the total's percent and band and the
 * nodes of the level.
 */
export function scorecard(input: ScorecardInput): Scorecard {
  const { top, level } = input;
  const targets = new Map(input.targets);
  targets.delete(TOTAL);
  if (top !== null) targets.set(TOTAL, top);
  const rows = treeScorecard({ ...input, targets, level: level ?? TOTAL });
  const card: Scorecard = {
    framework: input.framework.code,
    period: input.period,
    previous: input.previous?.period ?? null,
    peers: input.group,
    top,
    target: rows[0]?.target ?? null,
    rows: rows.map((row): ScorecardRow => {
      const kept: ScorecardRow = {
        unit: row.unit,
        ...(row.previousFrom ? { previousFrom: row.previousFrom } : {}),
        total: row.total,
        change: row.change,
        rank: row.rank,
        rankChange: row.rankChange,
        gapToTarget: row.gapToTarget,
        components: row.components,
        provisional: input.provisional?.has(row.unit) ?? false,
      };
      if (level === undefined) return kept;
      return {
        ...kept,
        applicableMax: row.applicableMax,
        percent: row.percent,
        band: row.band,
        nodes: row.nodes,
      };
    }),
  };
  return level === undefined ? card : { ...card, level };
}

/**
 * A scorecard document's targets and gaps set afresh from its own figures: a published
 * document's ranks, points and percents stay as published, and "top K" (`top` for the total,
 * `targets` per node; a `total` among them is ignored) is read off them as `scorecard` would.
 */
export function withTargets(
  card: Scorecard,
  top: number | null,
  targets: ReadonlyMap<string, number>,
): Scorecard {
  const target =
    top === null
      ? null
      : kthValue(
          card.rows.map((row) => ({ unit: row.unit, rank: row.rank, value: row.total })),
          top,
        );
  const nodeTargets = new Map(
    [...targets]
      .filter(([code]) => code !== TOTAL)
      .map(([code, k]) => {
        const entries = card.rows.map((row) => ({
          unit: row.unit,
          rank: row.nodes?.[code]?.rank ?? null,
          value: row.nodes?.[code]?.percent ?? null,
        }));
        return [code, kthValue(entries, k)] as const;
      }),
  );
  return {
    ...card,
    top,
    target,
    rows: card.rows.map((row) => ({
      ...row,
      gapToTarget: target === null ? null : gapTo(row.total, target, null),
      ...(row.nodes === undefined
        ? {}
        : {
            nodes: Object.fromEntries(
              Object.entries(row.nodes).map(([code, node]) => {
                const goal = nodeTargets.get(code) ?? null;
                return [
                  code,
                  {
                    ...node,
                    target: goal,
                    gapToTarget:
                      goal === null || node.percent === null
                        ? null
                        : gapTo(node.percent, goal, node.applicableMax),
                  },
                ];
              }),
            ),
          }),
    })),
  };
}
