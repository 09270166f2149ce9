// PAR frameworks, their points per unit and period, and the scorecard (spec §6,
// interchange.md §3 and §6).
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import * as z from 'zod';
import {
  builtinFrameworks,
  parFrameworkSchema,
  previousPeriod,
  SELF_ASSESSED,
  SIPAS_COMPONENT,
  sipasPoints,
  type ParFramework,
  type PointsByUnit,
  type Scorecard,
} from '../../analysis/par.ts';
import {
  innerCodes,
  SCORECARD_LEVELS,
  scorecard,
  TOTAL,
  type FrameworkTree,
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
import { at, ImportProblems, POINTS_CELL, readTable } from './csv.ts';
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

/**
 * The framework whose points a file, a derivation or a scorecard reads, with its leaves as
 * components: a flat framework's components, or a tree's leaf nodes (`3.2.1`), the codes
 * par_points are keyed by; its tree, and the codes of its inner nodes.
 */
export async function frameworkByCode(
  db: Db,
  code: string,
): Promise<ParFramework & { id: number; tree: FrameworkTree; inner: Set<string> }> {
  const row = await par.findFrameworkByCode(db, code);
  if (!row) throw unknown('framework', code);
  const tree = await frameworkTree(db, code);
  const inner = innerCodes(tree.nodes);
  // Leaf codes such as 3.2.1 are no flat component codes: lineage.ts reads them as they are,
  // so this framework is built, not parsed.
  const components = tree.nodes
    .filter((node) => !inner.has(node.code))
    .map(({ code: leaf, name, max }) => ({ code: leaf, name, max }));
  return { code: tree.code, name: tree.name, components, id: row.id, tree, inner };
}

/** The leaves SIPAS feeds (`sipas par derive` fills them from a campaign). */
const sipasLeaves = (tree: FrameworkTree) => tree.nodes.filter((node) => node.source === 'sipas');

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
/** `yes` marks the unit's leaf not applicable: stored with null points, its points cell empty. */
export const optionalPointsColumns = ['not_applicable'] as const;

/**
 * Imports a points.csv for one period: all or nothing. A unit's points for a component replace
 * those it held in the period; a leaf marked `not_applicable` (`yes`) is stored without points.
 */
export async function importPoints(
  db: Kysely<Database>,
  principal: Principal,
  request: { framework: string; period: string },
  input: Readable,
): Promise<{ stored: number }> {
  const period = validPeriod(request.period);
  // par-cycle.md §7 names the column `node`; the flat files of before say `component`.
  const rows = await readTable(input, pointsColumns, {
    optional: optionalPointsColumns,
    aliases: { node: 'component' },
  });
  return db.transaction().execute(async (trx) => {
    const framework = await frameworkByCode(trx, request.framework);
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
      const marked = cell('not_applicable');
      const notApplicable = marked === 'yes';
      const points = notApplicable ? null : Number(given);
      if (marked !== '' && !notApplicable) {
        problem(
          'not_applicable',
          text(
            `${marked}: ghi yes nếu mục không áp dụng cho đơn vị, để trống nếu có áp dụng`,
            `${marked}: yes when the leaf does not apply to the unit, empty when it does`,
          ),
        );
      } else if (notApplicable) {
        if (given !== '') {
          problem(
            'points',
            text(
              'để trống: mục được ghi là không áp dụng',
              'leave it empty: the leaf is marked not applicable',
            ),
          );
        }
      } else if (!POINTS_CELL.test(given)) {
        problem(
          'points',
          text('không phải số điểm, ví dụ 56.93', 'not a number of points such as 56.93'),
        );
      } else if (max !== undefined && points !== null && (points < 0 || points > max)) {
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
 * Stores each unit's SIPAS points from a campaign in every leaf of source `sipas` (a flat
 * framework's `sipas` component, a tree's SIPAS criteria): its SIPAS index under the campaign's
 * rules × the leaf's maximum / 100. A unit without an index (no valid answers) gets no points.
 */
export async function deriveSipasPoints(
  db: Kysely<Database>,
  principal: Principal,
  request: { framework: string; period: string; campaign: string },
): Promise<{ stored: number; withoutIndex: string[] }> {
  const period = validPeriod(request.period);
  const framework = await frameworkByCode(db, request.framework);
  const leaves = sipasLeaves(framework.tree);
  if (leaves.length === 0) {
    throw invalid(
      text(
        `${framework.code} không có mục nào có nguồn ${SIPAS_COMPONENT} để tính.`,
        `${framework.code} has no leaf of source ${SIPAS_COMPONENT} to derive.`,
      ),
      [
        {
          path: 'framework',
          message: text(
            `không có mục nguồn ${SIPAS_COMPONENT}`,
            `no leaf of source ${SIPAS_COMPONENT}`,
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
      return leaves.map((leaf) => ({
        unitId,
        component: leaf.code,
        points: sipasPoints(index, leaf.max),
        source: `campaign:${scores.campaign}`,
      }));
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
      detail: {
        campaign: scores.campaign,
        rules: scores.rules,
        leaves: leaves.map((leaf) => leaf.code),
        units: values.length / leaves.length,
      },
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

/** The leaf points of the rows, null where a unit marked a leaf not applicable. */
function leafPoints(rows: readonly par.PointsRow[]): Map<string, Map<string, number | null>> {
  const byUnit = new Map<string, Map<string, number | null>>();
  for (const row of rows) {
    let leaves = byUnit.get(row.unit);
    if (!leaves) byUnit.set(row.unit, (leaves = new Map()));
    leaves.set(row.component, row.points);
  }
  return byUnit;
}

/**
 * The predecessors' points that lineage.ts weighs: a leaf a predecessor marked not applicable
 * is one it has no points for.
 */
function givenPoints(rows: readonly par.PointsRow[]): PointsByUnit {
  const byUnit = new Map<string, Map<string, number>>();
  for (const row of rows) {
    if (row.points === null) continue;
    let leaves = byUnit.get(row.unit);
    if (!leaves) byUnit.set(row.unit, (leaves = new Map()));
    leaves.set(row.component, row.points);
  }
  return byUnit;
}

/** The units (and their types, that `applies_to` reads) of a scorecard's peers. */
async function peersWithTypes(db: Db, peers: { unitIds: number[]; codes: string[] }) {
  const types = await units.findUnitTypes(db, peers.unitIds);
  return peers.codes.map((unit) => ({ unit, type: types.get(unit) ?? '' }));
}

/**
 * The scorecard of `peers` (interchange.md §6, par-cycle.md §3): a peer group of the period, or
 * the children of a unit on the period's map (its last day's; ./peers.ts `scorecardPeers`),
 * within the principal's reach. `previous` is the latest earlier period in which a peer or a
 * peer's predecessor has points; a peer that succeeded units in a reorganisation since then
 * takes its previous points from them (docs/organisation.md), while the others keep their own
 * and their ranks as published among the previous period's peers (that period's group, or the
 * unit's children on its map), on the total, each component and each node alike. A row is
 * `provisional` when its points include a leaf self-scored and not yet appraised.
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
    const framework = await frameworkByCode(trx, parsed.data.framework);
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
    const now = await par.findPoints(trx, framework.id, peers.unitIds, period);
    const card = {
      framework: framework.tree,
      period,
      group: peers.name,
      peers: await peersWithTypes(trx, peers),
      top,
      targets,
      current: leafPoints(now),
      level,
      provisional: new Set(now.filter((row) => row.source === SELF_ASSESSED).map((r) => r.unit)),
    };
    if (previous === null) return scorecard({ ...card, previous: null });
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
    const earlier = givenPoints(
      await par.findPoints(trx, framework.id, [...codes.keys()], previous),
    );
    const transactions = new Map<string, number>();
    const known = await unitTransactions(
      trx,
      framework.id,
      previous,
      // The transactions behind the SIPAS points weigh the predecessors (lineage.ts).
      sipasLeaves(framework.tree)[0]?.code ?? SIPAS_COMPONENT,
      [...codes.keys()],
    );
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
    return scorecard({
      ...card,
      previous: {
        period: previous,
        peers: await peersWithTypes(trx, previousPeers),
        points: leafPoints(published),
        derived,
      },
    });
  });
}
