// PAR frameworks, their points per unit and period, and the scorecard (spec §6,
// interchange.md §3 and §6).
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  builtinFrameworks,
  parFrameworkSchema,
  previousPeriod,
  scorecard,
  SIPAS_COMPONENT,
  sipasPoints,
  type ParFramework,
  type PointsByUnit,
  type Scorecard,
} from '../../analysis/par.ts';
import {
  innerCodes,
  SCORECARD_LEVELS,
  TOTAL,
  treeScorecard,
  type FrameworkTree,
  type ScorecardLevel,
  type TreeScorecardRow,
} from '../../analysis/par-tree.ts';
import { periodLastDay } from '../../shared/periods.ts';
import { pointsFromPredecessors, type DerivedPoints } from '../../analysis/lineage.ts';
import { unitTransactions } from '../../analysis/queries/index.ts';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as par from '../../db/repositories/par.ts';
import * as peerGroups from '../../db/repositories/peers.ts';
import * as units from '../../db/repositories/units.ts';
import {
  alsoOnLine,
  conflict,
  fieldErrorsFromZod,
  invalid,
  required,
  says,
  text,
  unknown,
  unknownCode,
  type Text,
} from '../errors.ts';
import type { Principal } from './access.ts';
import { at, ImportProblems, readTable } from './csv.ts';
import { frameworkTree } from './frameworks.ts';
import { scorecardPeers } from './peers.ts';
import { campaignScores } from './scores.ts';

const noRows = text('tệp không có dòng dữ liệu nào', 'the file has no rows');

export const periodSchema = z
  .string()
  .regex(
    /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/,
    says(text('một kỳ như 2020 hoặc 2021-H1', 'a period such as 2020 or 2021-H1')),
  );

function validPeriod(value: string): string {
  const period = periodSchema.safeParse(value);
  if (!period.success) {
    throw invalid(
      text('Kỳ không hợp lệ.', 'The period is not valid.'),
      fieldErrorsFromZod(period.error, ['period']),
    );
  }
  return period.data;
}

export async function ensureBuiltinFrameworks(db: Db): Promise<void> {
  for (const framework of builtinFrameworks) await par.insertFramework(db, framework);
}

export async function frameworkByCode(
  db: Db,
  code: string,
): Promise<ParFramework & { id: number }> {
  const row = await par.findFrameworkByCode(db, code);
  if (!row) throw unknown('framework', code);
  const framework = parFrameworkSchema.safeParse({
    code: row.code,
    name: row.name,
    components: row.components,
  });
  // A tree deeper than one level (api/services/frameworks.ts) stores no components.
  if (!framework.success) {
    const deeper = text(
      `${code} là khung nhiều cấp; điểm và bảng xếp hạng theo thành phần chưa dùng được cho nó`,
      `${code} is a framework of several levels, which points and scorecards by component do not take yet`,
    );
    throw invalid(deeper, [{ path: 'framework', message: deeper }]);
  }
  return { ...framework.data, id: row.id };
}

/**
 * The framework whose points a file or a scorecard reads, with its leaves as components: a flat
 * framework's components, or a tree's leaf nodes (`3.2.1`), the codes par_points are keyed by.
 */
async function pointsFramework(
  db: Db,
  code: string,
): Promise<ParFramework & { id: number; tree: FrameworkTree; inner: Set<string> }> {
  const row = await par.findFrameworkByCode(db, code);
  if (!row) throw unknown('framework', code);
  const tree = await frameworkTree(db, code);
  const inner = innerCodes(tree.nodes);
  // Leaf codes such as 3.2.1 are no flat component codes: the flat arithmetic reads them as
  // they are, so this framework is built, not parsed.
  const components = tree.nodes
    .filter((node) => !inner.has(node.code))
    .map(({ code: leaf, name, max }) => ({ code: leaf, name, max }));
  return { code: tree.code, name: tree.name, components, id: row.id, tree, inner };
}

/** An administrator's own framework, e.g. a province's for its departments and districts. */
export async function createFramework(
  db: Kysely<Database>,
  principal: Principal,
  input: z.input<typeof parFrameworkSchema>,
): Promise<ParFramework> {
  const parsed = parFrameworkSchema.safeParse(input);
  if (!parsed.success)
    throw invalid(
      text('Khung chỉ số PAR không hợp lệ.', 'The framework is not valid.'),
      fieldErrorsFromZod(parsed.error),
    );
  const framework = parsed.data;
  await db.transaction().execute(async (trx) => {
    if ((await par.insertFramework(trx, framework)) === undefined) {
      throw conflict(
        text(
          `Khung chỉ số PAR ${framework.code} đã có.`,
          `A PAR framework ${framework.code} exists already.`,
        ),
      );
    }
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'par.framework.create',
      subject: framework.code,
      detail: { components: framework.components },
    });
  });
  return framework;
}

export const pointsColumns = ['unit', 'component', 'points'] as const;

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Imports a points.csv for one period: all or nothing. A unit's points for a component replace
 * those it held in the period.
 */
export async function importPoints(
  db: Kysely<Database>,
  principal: Principal,
  request: { framework: string; period: string },
  input: Readable,
): Promise<{ stored: number }> {
  const period = validPeriod(request.period);
  const rows = await readTable(input, pointsColumns);
  return db.transaction().execute(async (trx) => {
    const framework = await pointsFramework(trx, request.framework);
    const maxima = new Map(framework.components.map((c) => [c.code, c.max]));
    const unitIds = new Map(
      (await units.findUnitsByCodes(trx, [...new Set(rows.map((row) => row.cell('unit')))])).map(
        (unit) => [unit.code, unit.id],
      ),
    );
    const problems = new ImportProblems();
    const seen = new Map<string, number>();
    const values: par.PointsValues[] = [];
    for (const { line, cell } of rows) {
      const problem = (column: string, message: Text) =>
        problems.add({ path: at(line, column), message });
      const [unit, component, given] = [cell('unit'), cell('component'), cell('points')];
      const unitId = unitIds.get(unit);
      if (unit === '') problem('unit', required);
      else if (unitId === undefined) problem('unit', unknownCode('unit', unit));
      const max = maxima.get(component);
      const key = JSON.stringify([unit, component]);
      const first = seen.get(key);
      if (component === '') problem('component', required);
      else if (framework.inner.has(component)) {
        problem(
          'component',
          text(
            `${component} có mục con: điểm ghi cho các mục lá của nó`,
            `${component} has sub-nodes: points go on its leaves`,
          ),
        );
      } else if (max === undefined) {
        problem(
          'component',
          text(
            `${framework.code} không có thành phần ${component}`,
            `no component ${component} in ${framework.code}`,
          ),
        );
      } else if (first !== undefined)
        problem('component', alsoOnLine(`${unit} ${component}`, first));
      else seen.set(key, line);
      const points = Number(given);
      if (!NUMBER.test(given)) {
        problem(
          'points',
          text('không phải số điểm, ví dụ 56.93', 'not a number of points such as 56.93'),
        );
      } else if (max !== undefined && (points < 0 || points > max)) {
        problem(
          'points',
          text(`${given} nằm ngoài [0, ${max}]`, `${given} is outside [0, ${max}]`),
        );
      }
      if (unitId !== undefined && max !== undefined) {
        values.push({ unitId, component, points, source: 'import' });
      }
    }
    if (rows.length === 0) problems.add({ path: 'line 2', message: noRows });
    problems.throwIfAny();
    await par.upsertPoints(trx, framework.id, period, values);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'par.import',
      subject: `${framework.code}/${period}`,
      detail: { rows: values.length },
    });
    return { stored: values.length };
  });
}

/**
 * Stores each unit's SIPAS points from a campaign: its SIPAS index under the campaign's rules ×
 * the component's maximum / 100. A unit without an index (no valid answers) gets no points.
 */
export async function deriveSipasPoints(
  db: Kysely<Database>,
  principal: Principal,
  request: { framework: string; period: string; campaign: string },
): Promise<{ stored: number; withoutIndex: string[] }> {
  const period = validPeriod(request.period);
  const framework = await frameworkByCode(db, request.framework);
  const component = framework.components.find((c) => c.code === SIPAS_COMPONENT);
  if (!component) {
    throw invalid(
      text(
        `${framework.code} không có thành phần ${SIPAS_COMPONENT} để tính.`,
        `${framework.code} has no ${SIPAS_COMPONENT} component to derive.`,
      ),
      [
        {
          path: 'framework',
          message: text(
            `không có thành phần ${SIPAS_COMPONENT}`,
            `no component ${SIPAS_COMPONENT}`,
          ),
        },
      ],
    );
  }
  // Scored first, in the scoring engine's own read-only snapshot; stored after, in one write.
  const scores = await campaignScores(db, principal, { campaign: request.campaign, by: 'unit' });
  const indices = scores.groups.flatMap((group) =>
    'unit' in group.key ? [{ unit: group.key.unit, index: group.sipas.index }] : [],
  );
  const withoutIndex = indices.filter((u) => u.index === null).map((u) => u.unit);
  return db.transaction().execute(async (trx) => {
    const unitIds = new Map(
      (
        await units.findUnitsByCodes(
          trx,
          indices.map((u) => u.unit),
        )
      ).map((u) => [u.code, u.id]),
    );
    const values = indices.flatMap(({ unit, index }): par.PointsValues[] => {
      const unitId = unitIds.get(unit);
      if (unitId === undefined || index === null) return [];
      return [
        {
          unitId,
          component: component.code,
          points: sipasPoints(index, component.max),
          source: `campaign:${scores.campaign}`,
        },
      ];
    });
    if (values.length === 0) {
      throw invalid(
        text(
          `Đợt khảo sát ${scores.campaign} chưa có chỉ số SIPAS cho đơn vị nào; không có gì được lưu.`,
          `Campaign ${scores.campaign} has no SIPAS index for any unit; nothing was stored.`,
        ),
      );
    }
    await par.upsertPoints(trx, framework.id, period, values);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'par.derive',
      subject: `${framework.code}/${period}`,
      detail: { campaign: scores.campaign, rules: scores.rules, units: values.length },
    });
    return { stored: values.length, withoutIndex };
  });
}

export const scorecardRequestSchema = z.object({
  framework: z.string().min(1),
  period: periodSchema,
  peers: z.string().min(1),
  top: z.number().int().positive().nullable().default(null),
  /** With a level, each row has its nodes of that level (par-cycle.md §3); none by default. */
  level: z.enum(SCORECARD_LEVELS).optional(),
});

/** Node code (or `total`) → K of its target "top K" (./frameworks.ts `readTargets`). */
export type Targets = ReadonlyMap<string, number>;

/** Unit code → component code → points, from points rows. */
function pointsByUnit(rows: readonly { unit: string; component: string; points: number }[]) {
  const byUnit = new Map<string, Map<string, number>>();
  for (const row of rows) {
    let components = byUnit.get(row.unit);
    if (!components) byUnit.set(row.unit, (components = new Map()));
    components.set(row.component, row.points);
  }
  return byUnit;
}

/**
 * The scorecard of `peers` (interchange.md §6): a peer group of the period, or the children of a
 * unit on the period's map (its last day's; ./peers.ts `scorecardPeers`), within the principal's
 * reach. `previous` is the latest earlier period in which a peer or a peer's predecessor has
 * points; a peer that succeeded units in a reorganisation since then takes its previous points
 * from them (docs/organisation.md), while the others keep their own and their ranks as published
 * among the previous period's peers (that period's group, or the unit's children on its map).
 */
export async function parScorecard(
  db: Kysely<Database>,
  principal: Principal,
  request: z.input<typeof scorecardRequestSchema>,
  targets: Targets = new Map(),
): Promise<Scorecard> {
  const parsed = scorecardRequestSchema.safeParse(request);
  if (!parsed.success) {
    throw invalid(
      text('Yêu cầu không hợp lệ.', 'The request is not valid.'),
      fieldErrorsFromZod(parsed.error),
    );
  }
  const { period, level } = parsed.data;
  // The total's target of a targets file is `--top`'s.
  const top = targets.get(TOTAL) ?? parsed.data.top;
  return db.transaction().execute(async (trx) => {
    const framework = await pointsFramework(trx, parsed.data.framework);
    // The nodes of the level, by the tree's arithmetic (percent of the applicable maximum).
    const withNodes = async (card: Scorecard, previousPoints: PointsByUnit | null) => {
      if (level === undefined) return card;
      const types = await units.findUnitTypes(trx, peers.unitIds);
      const rows = treeScorecard({
        framework: framework.tree,
        peers: peers.codes.map((unit) => ({ unit, type: types.get(unit) ?? '' })),
        current,
        previous: previousPoints,
        targets: new Map([...targets, ...(top === null ? [] : [[TOTAL, top] as const])]),
        level,
      });
      return nodeRows(card, level, rows);
    };
    const peers = await scorecardPeers(trx, principal, { peers: parsed.data.peers, period });
    const day = periodLastDay(period);
    const lineage = await par.findLineageInto(trx, peers.unitIds, day);
    const previous = previousPeriod(
      await par.findPointPeriods(trx, framework.id, [
        ...peers.unitIds,
        ...lineage.map((edge) => edge.predecessorId),
      ]),
      period,
    );
    const current = pointsByUnit(await par.findPoints(trx, framework.id, peers.unitIds, period));
    if (previous === null) {
      return withNodes(
        scorecard({ framework, period, peers: peers.name, top, current, previous: null }),
        null,
      );
    }
    const previousDay = periodLastDay(previous);
    // A group without a group of the previous period was ranked then among its members now.
    const previousPeers =
      peers.kind === 'group' && !(await peerGroups.findGroup(trx, parsed.data.peers, previous))
        ? peers
        : await scorecardPeers(trx, principal, { peers: parsed.data.peers, period: previous });
    // The edges of reorganisations after the previous period's map: their successors did not
    // exist on it, or held less. An edge of unknown order (a period of no known last day) counts.
    const since = lineage.filter(
      (edge) => day === null || previousDay === null || edge.on > previousDay,
    );
    // A successor that stays (it was a peer on the previous map and absorbed others) counts
    // among its own predecessors, whole.
    const stayed = new Set(previousPeers.unitIds);
    const edgesInto = new Map(
      peers.unitIds.map((id, i) => {
        const code = peers.codes[i] ?? '';
        const edges = since.filter((edge) => edge.successorId === id);
        const own = edges.length > 0 && stayed.has(id);
        return [code, own ? [...edges, { predecessorId: id, predecessor: code, share: 1 }] : edges];
      }),
    );
    const codes = new Map(
      [...edgesInto.values()].flat().map((edge) => [edge.predecessorId, edge.predecessor]),
    );
    const published = await par.findPoints(trx, framework.id, previousPeers.unitIds, previous);
    const earlier = pointsByUnit(
      await par.findPoints(trx, framework.id, [...codes.keys()], previous),
    );
    const transactions = new Map<string, number>();
    const known = await unitTransactions(trx, framework.id, previous, SIPAS_COMPONENT, [
      ...codes.keys(),
    ]);
    for (const [id, code] of codes) {
      const n = known.get(id);
      if (n !== undefined) transactions.set(code, n);
    }
    const derived = new Map<string, DerivedPoints>();
    for (const [code, edges] of edgesInto) {
      const points =
        edges.length === 0 ? null : pointsFromPredecessors(framework, edges, earlier, transactions);
      if (points) derived.set(code, points);
    }
    const points = pointsByUnit(published);
    return withNodes(
      scorecard({
        framework,
        period,
        peers: peers.name,
        top,
        current,
        previous: { period: previous, points, derived },
      }),
      // A successor's nodes change from its predecessors' points, as its components do.
      new Map([...points, ...[...derived].map(([code, d]) => [code, d.points] as const)]),
    );
  });
}

/**
 * The scorecard with the tree's figures of each row: percent of the applicable maximum and band
 * of the total, and the nodes of the level.
 */
function nodeRows(card: Scorecard, level: ScorecardLevel, rows: TreeScorecardRow[]): Scorecard {
  const byUnit = new Map(rows.map((row) => [row.unit, row]));
  return {
    ...card,
    level,
    rows: card.rows.map((row) => {
      const tree = byUnit.get(row.unit);
      // Previous points derived from predecessors had no published rank: no rank change.
      const nodes = Object.entries(tree?.nodes ?? {}).map(([code, card]) => [
        code,
        row.previousFrom ? { ...card, rankChange: null } : card,
      ]);
      return {
        ...row,
        applicableMax: tree?.applicableMax ?? 0,
        percent: tree?.percent ?? null,
        band: tree?.band ?? null,
        nodes: Object.fromEntries(nodes),
      };
    }),
  };
}
