// Publication of PAR results (par-cycle.md §4, docs/par.md "Publication"): a period's scorecard
// of a peer group, frozen at level `all` as it is at that moment and read as published forever;
// a correction is a new version with a reason; results published elsewhere are imported as such.
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Scorecard, ScorecardRow } from '../../analysis/par.ts';
import {
  depth,
  SCORECARD_LEVELS,
  TOTAL,
  treeMax,
  withTargets,
  type FrameworkTree,
  type ScorecardLevel,
} from '../../analysis/par-tree.ts';
import { periodLastDay } from '../../shared/periods.ts';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as par from '../../db/repositories/par.ts';
import * as publications from '../../db/repositories/publications.ts';
import * as units from '../../db/repositories/units.ts';
import {
  alsoOnLine,
  DomainError,
  fieldErrorsFromZod,
  invalid,
  longerThan,
  notFound,
  required,
  says,
  text,
  unknown,
  type Text,
} from '../errors.ts';
import { READERS, type Principal } from './access.ts';
import { codeProblem } from './codes.ts';
import { at, ImportProblems, readTable } from './csv.ts';
import { frameworkTree } from './frameworks.ts';
import { parScorecard, periodSchema, type Targets } from './par.ts';
import { scorecardPeers, type Peers } from './peers.ts';

export const REASON_MAX = 1000;

const forbidden = (message: Text) => new DomainError('forbidden', message);

/** What a scorecard read as published says of its publication. */
export interface PublicationMark {
  version: number;
  /** When it was published, ISO 8601. */
  at: string;
  reason: string | null;
  source: 'service' | 'import';
  /** Where imported results were published; null for the service's own. */
  origin: string | null;
}

/** A scorecard, marked when it is a published one rather than the figures of now. */
export type PublishedScorecard = Scorecard & { published?: PublicationMark };

export interface PublicationSummary extends PublicationMark {
  /** Who published it: `cli`, or `account:ID`. */
  by: string;
}

export interface Publication extends PublicationSummary {
  framework: string;
  period: string;
  peers: string;
  /** The scorecard at level `all` as published. */
  document: Scorecard;
}

const componentSchema = z.object({
  points: z.number().nullable(),
  max: z.number(),
  available: z.number().nullable(),
  change: z.number().nullable(),
  rank: z.number().nullable(),
  rankChange: z.number().nullable(),
});

const nodeCardSchema = z.object({
  points: z.number().nullable(),
  max: z.number(),
  applicableMax: z.number(),
  percent: z.number().nullable(),
  change: z.number().nullable(),
  rank: z.number().nullable(),
  rankChange: z.number().nullable(),
  target: z.number().nullable(),
  gapToTarget: z.number().nullable(),
});

/** A stored document, read back: what parScorecard returned, or an import built alike. */
const documentSchema = z.object({
  framework: z.string(),
  period: z.string(),
  previous: z.string().nullable(),
  peers: z.string(),
  top: z.number().nullable(),
  target: z.number().nullable(),
  level: z.enum(SCORECARD_LEVELS).optional(),
  rows: z.array(
    z.object({
      unit: z.string(),
      previousFrom: z.array(z.string()).optional(),
      total: z.number(),
      change: z.number().nullable(),
      rank: z.number(),
      rankChange: z.number().nullable(),
      gapToTarget: z.number().nullable(),
      provisional: z.boolean(),
      components: z.record(z.string(), componentSchema),
      applicableMax: z.number().optional(),
      percent: z.number().nullable().optional(),
      band: z.string().nullable().optional(),
      nodes: z.record(z.string(), nodeCardSchema).optional(),
    }),
  ),
}) satisfies z.ZodType<Scorecard>;

type PublicationRow = Awaited<ReturnType<typeof publications.listPublications>>[number];

const summaryOf = (row: PublicationRow): PublicationSummary => ({
  version: row.version,
  at: new Date(row.published_at).toISOString(),
  reason: row.reason,
  source: row.source,
  origin: row.origin,
  by: row.published_by,
});

const markOf = ({ by: _by, ...mark }: PublicationSummary): PublicationMark => mark;

const requestSchema = z.object({
  framework: z.string().min(1),
  period: periodSchema,
  peers: z.string().trim().min(1).max(200),
  reason: z
    .string()
    .trim()
    .max(REASON_MAX, says(longerThan(REASON_MAX)))
    .optional()
    .transform((reason) => (reason === '' || reason === undefined ? null : reason)),
});

type PublicationRequest = z.input<typeof requestSchema>;

function parsed(request: PublicationRequest) {
  const result = requestSchema.safeParse(request);
  if (!result.success) {
    throw invalid(
      text('Yêu cầu không hợp lệ.', 'The request is not valid.'),
      fieldErrorsFromZod(result.error),
    );
  }
  return result.data;
}

async function frameworkId(db: Db, code: string): Promise<number> {
  const row = await par.findFrameworkByCode(db, code);
  if (!row) throw unknown('framework', code);
  return row.id;
}

/** Whether the unit is a top of the period's map (of the latest map for a period without a day). */
async function isTopOfMap(db: Db, unitId: number, period: string): Promise<boolean> {
  const day = periodLastDay(period);
  if (day === null) return (await units.findUnitAncestors(db, unitId)).length === 1;
  return (await units.listParentLinks(db, unitId, day)).length === 0;
}

/**
 * Who publishes the peers' results: an admin, or an appraiser scoped to the top of the
 * period's map (the province's team) whose scope reaches every peer (scorecardPeers refuses a
 * peer out of reach).
 */
async function assertPublishes(
  db: Db,
  principal: Principal,
  request: { peers: string; period: string },
): Promise<Peers> {
  if (principal.role !== 'admin' && principal.role !== 'appraiser') {
    throw forbidden(
      text(
        'Chỉ quản trị viên hoặc tổ thẩm định cấp cao nhất công bố kết quả.',
        'Only an admin or an appraiser of the top of the map publishes results.',
      ),
    );
  }
  const peers = await scorecardPeers(db, principal, request);
  if (principal.unitId !== null && !(await isTopOfMap(db, principal.unitId, request.period))) {
    const unit = principal.unitCode ?? '';
    throw forbidden(
      text(
        `Đơn vị ${unit} không phải cấp cao nhất của kỳ ${request.period}: tổ thẩm định cấp cao nhất công bố kết quả.`,
        `Unit ${unit} is not the top of the map of ${request.period}: its appraisers do not publish.`,
      ),
    );
  }
  return peers;
}

/**
 * Whether the principal reads the peers' publications: a reader reaching every peer. Peers this
 * service does not hold (an imported publication's provinces) are no one's to hide.
 */
async function assertReads(
  db: Db,
  principal: Principal,
  request: { peers: string; period: string },
  published: boolean,
): Promise<void> {
  if (!(READERS as readonly string[]).includes(principal.role)) {
    throw forbidden(
      text('Tài khoản không được xem kết quả công bố.', 'This account may not read publications.'),
    );
  }
  try {
    await scorecardPeers(db, principal, request);
  } catch (error) {
    if (!(published && error instanceof DomainError && error.code === 'not-found')) throw error;
  }
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === '23505';

/**
 * Stores the next version of the publication, in `trx`: the first, or a correction, which
 * needs its reason.
 */
async function store(
  trx: Db,
  principal: Principal,
  values: Omit<publications.PublicationValues, 'version' | 'publishedBy'>,
  framework: string,
): Promise<PublicationSummary> {
  const key = { frameworkId: values.frameworkId, period: values.period, peers: values.peers };
  const latest = await publications.findPublication(trx, key, null);
  const version = (latest?.version ?? 0) + 1;
  if (latest && values.reason === null) {
    const message = text(
      `đã công bố phiên bản ${latest.version}: một bản sửa cần nêu lý do`,
      `version ${latest.version} is published: a correction needs its reason`,
    );
    throw new DomainError(
      'conflict',
      text(
        `Kết quả ${framework} kỳ ${values.period} của ${values.peers} đã công bố (phiên bản ${latest.version}); công bố lại cần lý do.`,
        `${framework} ${values.period} of ${values.peers} is published (version ${latest.version}); publishing again needs a reason.`,
      ),
      [{ path: 'reason', message }],
    );
  }
  const row = await publications.insertPublication(trx, {
    ...values,
    version,
    publishedBy: principal.actor.id,
  });
  return summaryOf(row);
}

/** Two publishers at once: the one that stored its version first wins, the other tries again. */
function concurrent(error: unknown): never {
  if (isUniqueViolation(error)) {
    throw new DomainError(
      'conflict',
      text(
        'Một phiên bản khác vừa được công bố cùng lúc; hãy xem lại và thử lại.',
        'Another version was published at the same moment; look again and retry.',
      ),
    );
  }
  throw error;
}

/**
 * Publishes the scorecard of the peers at level `all` as it is now, as the next version; the
 * `appraised` assessments of the framework's period of the peers' units become `published`.
 */
export async function publish(
  db: Kysely<Database>,
  principal: Principal,
  request: PublicationRequest,
): Promise<Publication & { assessments: string[] }> {
  const { framework: code, period, peers: name, reason } = parsed(request);
  const peers = await assertPublishes(db, principal, { peers: name, period });
  const document = await parScorecard(db, principal, {
    framework: code,
    period,
    peers: name,
    level: 'all',
  });
  if (document.rows.length === 0) {
    throw invalid(
      text(
        `${name} chưa có điểm ${code} kỳ ${period}: không có gì để công bố.`,
        `${name} has no ${code} points in ${period}: there is nothing to publish.`,
      ),
      [{ path: 'period', message: text('chưa có điểm', 'no points') }],
    );
  }
  return db
    .transaction()
    .execute(async (trx) => {
      const frameworkRow = await frameworkId(trx, code);
      const summary = await store(
        trx,
        principal,
        {
          frameworkId: frameworkRow,
          period,
          peers: name,
          reason,
          source: 'service',
          origin: null,
          document,
        },
        code,
      );
      const moved = new Set(
        await publications.publishAppraisedAssessments(trx, {
          frameworkId: frameworkRow,
          period,
          unitIds: peers.unitIds,
        }),
      );
      const assessments = peers.codes.filter((_, i) => moved.has(peers.unitIds[i] ?? 0)).sort();
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: 'par.publish',
        subject: `${code}/${period}/${name}`,
        detail: { version: summary.version, reason, source: 'service', assessments },
      });
      return { framework: code, period, peers: name, ...summary, document, assessments };
    })
    .catch(concurrent);
}

/** Every version of the peers' publication of the framework's period, the first first. */
export async function listPublications(
  db: Db,
  principal: Principal,
  request: PublicationRequest,
): Promise<{ framework: string; period: string; peers: string; versions: PublicationSummary[] }> {
  const { framework, period, peers } = parsed(request);
  const rows = await publications.listPublications(db, {
    frameworkId: await frameworkId(db, framework),
    period,
    peers,
  });
  await assertReads(db, principal, { peers, period }, rows.length > 0);
  return { framework, period, peers, versions: rows.map(summaryOf) };
}

/** One version of the publication, the latest when none is named. */
export async function readPublication(
  db: Db,
  principal: Principal,
  request: PublicationRequest & { version?: number | undefined },
): Promise<Publication> {
  const { framework, period, peers } = parsed(request);
  const key = { frameworkId: await frameworkId(db, framework), period, peers };
  const row = await publications.findPublication(db, key, request.version ?? null);
  await assertReads(db, principal, { peers, period }, row !== undefined);
  if (!row) {
    throw notFound(
      request.version === undefined
        ? text(
            `${framework} kỳ ${period} của ${peers} chưa được công bố.`,
            `${framework} ${period} of ${peers} is not published.`,
          )
        : text(
            `${framework} kỳ ${period} của ${peers} không có phiên bản công bố ${request.version}.`,
            `${framework} ${period} of ${peers} has no published version ${request.version}.`,
          ),
    );
  }
  return {
    framework,
    period,
    peers,
    ...summaryOf(row),
    document: documentSchema.parse(row.document),
  };
}

/** A level's figures of a document published at level `all`: the nodes of that depth. */
function atLevel(card: Scorecard, level: ScorecardLevel | undefined): Scorecard {
  const { level: _all, ...rest } = card;
  if (level === undefined) {
    return {
      ...rest,
      rows: card.rows.map(
        ({ applicableMax: _max, percent: _percent, band: _band, nodes: _nodes, ...row }) => row,
      ),
    };
  }
  const keep = (code: string) =>
    level === 'all' ||
    (level === 'field' && depth(code) === 1) ||
    (level === 'criterion' && depth(code) === 2);
  return {
    ...rest,
    level,
    rows: card.rows.map((row): ScorecardRow => ({
      ...row,
      nodes: Object.fromEntries(Object.entries(row.nodes ?? {}).filter(([code]) => keep(code))),
    })),
  };
}

/**
 * The scorecard as `sipas par scorecard` and the API serve it: the latest published document
 * of the framework's period and peers when there is one (at the level asked, with the targets
 * asked read off its figures), marked `published`; else, or with `live`, parScorecard's
 * figures of now.
 */
export async function scorecardAsPublished(
  db: Kysely<Database>,
  principal: Principal,
  request: Parameters<typeof parScorecard>[2] & { live?: boolean | undefined },
  targets?: Targets,
): Promise<PublishedScorecard> {
  const { live, ...asked } = request;
  const framework = await par.findFrameworkByCode(db, asked.framework);
  const row =
    live === true || framework === undefined
      ? undefined
      : await publications.findPublication(
          db,
          { frameworkId: framework.id, period: asked.period, peers: asked.peers },
          null,
        );
  if (!row) return parScorecard(db, principal, asked, targets);
  await assertReads(db, principal, { peers: asked.peers, period: asked.period }, true);
  // Targets are a reading of the published figures, not a part of them: "top K" asked now is
  // read off the ranks and values as published.
  const top = targets?.get(TOTAL) ?? asked.top ?? null;
  const document = atLevel(documentSchema.parse(row.document), asked.level);
  return {
    ...(top === null && (targets?.size ?? 0) === 0
      ? document
      : withTargets(document, top, targets ?? new Map())),
    published: markOf(summaryOf(row)),
  };
}

export const publicationColumns = ['unit', 'points', 'rank'] as const;
export const optionalPublicationColumns = ['band', 'node'] as const;

const NUMBER = /^(\d+(\.\d*)?|\.\d+)$/;
const RANK = /^[1-9]\d{0,5}$/;

/** The scorecard rows of an imported file, as published elsewhere. */
function importedRows(
  tree: FrameworkTree,
  rows: Awaited<ReturnType<typeof readTable>>,
): ScorecardRow[] {
  const problems = new ImportProblems();
  const maxima = new Map(tree.nodes.map((node) => [node.code, node.max]));
  const total = treeMax(tree);
  const bands = tree.bands.map((b) => b.band);
  const seen = new Map<string, number>();
  const byUnit = new Map<string, { line: number; row?: ScorecardRow }>();
  const nodeCards = new Map<string, Record<string, z.output<typeof nodeCardSchema>>>();
  for (const { line, cell } of rows) {
    const problem = (column: string, message: Text) =>
      problems.add({ path: at(line, column), message });
    const [unit, node, given, rank, band] = [
      cell('unit'),
      cell('node'),
      cell('points'),
      cell('rank'),
      cell('band'),
    ];
    const badUnit = codeProblem(unit);
    if (badUnit) problem('unit', badUnit);
    const max = node === '' ? total : maxima.get(node);
    if (max === undefined) {
      problem('node', text(`${tree.code} không có mục ${node}`, `no node ${node} in ${tree.code}`));
    }
    const key = JSON.stringify([unit, node]);
    const first = seen.get(key);
    if (first !== undefined) {
      problem(node === '' ? 'unit' : 'node', alsoOnLine(`${unit} ${node}`.trim(), first));
    } else seen.set(key, line);
    const points = Number(given);
    if (given === '') problem('points', required);
    else if (!NUMBER.test(given)) {
      problem(
        'points',
        text('không phải số điểm, ví dụ 85.62', 'not a number of points such as 85.62'),
      );
    } else if (max !== undefined && points > max) {
      problem('points', text(`${given} nằm ngoài [0, ${max}]`, `${given} is outside [0, ${max}]`));
    }
    if (rank === '') problem('rank', required);
    else if (!RANK.test(rank)) {
      problem(
        'rank',
        text('không phải thứ hạng, một số nguyên từ 1', 'not a rank, a whole number from 1'),
      );
    }
    if (band !== '' && node !== '') {
      problem(
        'band',
        text(
          'hạng xếp loại chỉ ghi ở dòng tổng (node để trống)',
          "a band is the total's: leave it empty on a node's row",
        ),
      );
    } else if (band !== '' && !bands.includes(band)) {
      problem(
        'band',
        text(
          `${tree.code} không có hạng ${band} (${bands.join(', ')})`,
          `no band ${band} in ${tree.code} (${bands.join(', ')})`,
        ),
      );
    }
    if (problems.count > 0 || max === undefined) continue;
    const entry = byUnit.get(unit) ?? { line };
    byUnit.set(unit, entry);
    if (node === '') {
      entry.row = {
        unit,
        total: points,
        change: null,
        rank: Number(rank),
        rankChange: null,
        gapToTarget: null,
        // Results published elsewhere are final: nothing in them is a unit's self-score.
        provisional: false,
        components: {},
        applicableMax: total,
        percent: (100 * points) / total,
        band: band === '' ? null : band,
        nodes: {},
      };
    } else {
      const cards = nodeCards.get(unit) ?? {};
      nodeCards.set(unit, cards);
      // A file from elsewhere says nothing of leaves not applicable: the node's whole maximum.
      cards[node] = {
        points,
        max,
        applicableMax: max,
        percent: (100 * points) / max,
        change: null,
        rank: Number(rank),
        rankChange: null,
        target: null,
        gapToTarget: null,
      };
    }
  }
  // A unit whose total row was refused has its problem already.
  for (const [unit, entry] of problems.count > 0 ? [] : byUnit) {
    if (!entry.row) {
      problems.add({
        path: at(entry.line, 'unit'),
        message: text(
          `${unit} không có dòng tổng điểm (node để trống)`,
          `${unit} has no row of its total (node empty)`,
        ),
      });
    }
  }
  if (rows.length === 0) {
    problems.add({
      path: 'line 2',
      message: text('tệp không có dòng dữ liệu nào', 'the file has no rows'),
    });
  }
  problems.throwIfAny();
  const order = new Map(tree.nodes.map((node, i) => [node.code, i]));
  return [...byUnit]
    .flatMap(([unit, { row }]) => {
      if (!row) return [];
      const cards = Object.entries(nodeCards.get(unit) ?? {}).sort(
        ([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0),
      );
      return [{ ...row, nodes: Object.fromEntries(cards) }];
    })
    .sort((a, b) => a.rank - b.rank || a.unit.localeCompare(b.unit));
}

/**
 * Imports results published elsewhere (`unit, points, rank` and optionally `band` and `node`
 * per row: a row without a node is the unit's total) as the next version of the peers'
 * publication, of source `import`: all or nothing. An admin's.
 */
export async function importPublication(
  db: Kysely<Database>,
  principal: Principal,
  request: PublicationRequest & { origin: string },
  input: Readable,
): Promise<PublicationSummary & { rows: number }> {
  if (principal.role !== 'admin') {
    throw forbidden(
      text(
        'Chỉ quản trị viên nhập kết quả công bố từ nơi khác.',
        'Only an admin imports results published elsewhere.',
      ),
    );
  }
  const { framework: code, period, peers, reason } = parsed(request);
  const origin = request.origin.trim();
  if (origin === '' || origin.length > REASON_MAX) {
    throw invalid(text('Thiếu nguồn công bố.', 'Where the results were published is missing.'), [
      { path: 'source', message: origin === '' ? required : longerThan(REASON_MAX) },
    ]);
  }
  const rows = await readTable(input, publicationColumns, {
    optional: optionalPublicationColumns,
  });
  return db
    .transaction()
    .execute(async (trx) => {
      const tree = await frameworkTree(trx, code);
      const document: Scorecard = {
        framework: tree.code,
        period,
        previous: null,
        peers,
        top: null,
        target: null,
        level: 'all',
        rows: importedRows(tree, rows),
      };
      const summary = await store(
        trx,
        principal,
        {
          frameworkId: await frameworkId(trx, code),
          period,
          peers,
          reason,
          source: 'import',
          origin,
          document,
        },
        code,
      );
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: 'par.publish',
        subject: `${code}/${period}/${peers}`,
        detail: { version: summary.version, reason, source: 'import', origin },
      });
      return { ...summary, rows: document.rows.length };
    })
    .catch(concurrent);
}
