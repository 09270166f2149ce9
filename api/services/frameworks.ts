// PAR frameworks as trees (par-cycle.md §1): `framework.csv` read all or nothing into a
// framework version, stored with its bands, and read back; the flat frameworks of before read
// as trees of depth one. A framework in use (points, an assessment round) never changes: a change
// is a new version.
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import {
  completeMaxima,
  DEFAULT_BANDS,
  flatAsTree,
  frameworkTreeSchema,
  innerCodes,
  NODE_SOURCES,
  TOTAL,
  treeAsFlat,
  UNIT_TYPE,
  type Band,
  type FrameworkTree,
  type NodeSource,
} from '../../analysis/par-tree.ts';
import { parFrameworkSchema } from '../../analysis/par.ts';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as frameworks from '../../db/repositories/frameworks.ts';
import {
  alsoOnLine,
  conflict,
  invalid,
  issueText,
  required,
  text,
  unknown,
  type Text,
} from '../errors.ts';
import type { Principal } from './access.ts';
import { at, ImportProblems, POINTS_CELL, readTable, type Delimiter } from './csv.ts';

/** The framework version a code names, as a tree. */
export async function frameworkTree(db: Db, code: string): Promise<FrameworkTree> {
  const row = await frameworks.findFrameworkRow(db, code);
  if (!row) throw unknown('framework', code);
  if (row.nodes === null) {
    return flatAsTree(
      parFrameworkSchema.parse({ code: row.code, name: row.name, components: row.components }),
    );
  }
  return frameworkTreeSchema.parse({
    code: row.code,
    name: row.name,
    nodes: row.nodes,
    bands: row.bands ?? DEFAULT_BANDS,
  });
}

export const frameworkTreeColumns = ['node', 'name', 'max'] as const;
export const optionalFrameworkColumns = ['source', 'applies_to', 'guidance'] as const;

const BAND = /^([A-Z][A-Za-z0-9+-]{0,7}):(\d+(\.\d*)?)$/;

/**
 * `--bands A:90,B:80,C:70`: each band with its lowest percent, highest first; below the last,
 * the next letter from 0 (D, as the Ministry's bands have it) unless the last starts at 0.
 */
export function parseBands(given: string): Band[] {
  const bands = given.split(',').map((part) => {
    const match = BAND.exec(part.trim());
    if (!match) {
      throw invalid(text('Các hạng không hợp lệ.', 'The bands are not valid.'), [
        {
          path: 'bands',
          message: text(
            `${part.trim()} không phải một hạng như A:90`,
            `${part.trim()} is not a band such as A:90`,
          ),
        },
      ]);
    }
    return { band: match[1] ?? '', min: Number(match[2]) };
  });
  const last = bands.at(-1);
  if (last && last.min > 0 && /^[A-Y]$/.test(last.band)) {
    bands.push({ band: String.fromCharCode(last.band.charCodeAt(0) + 1), min: 0 });
  }
  return bands;
}

const noRows = text('tệp không có dòng dữ liệu nào', 'the file has no rows');

const isSource = (value: string): value is NodeSource =>
  NODE_SOURCES.some((source) => source === value);

/** The file's column of a node's field, for `line N, column C`. */
const columnOf: Record<string, string> = { code: 'node', appliesTo: 'applies_to' };

/**
 * The tree the file's cells make, or the import's error with each problem on its row:
 * nodes.3.max is line 5, column max.
 */
function treeOf(candidate: unknown, rows: readonly { line: number }[]): FrameworkTree {
  const parsed = frameworkTreeSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const problems = new ImportProblems();
  for (const issue of parsed.error.issues) {
    const [head, index, field] = issue.path;
    const row = head === 'nodes' && typeof index === 'number' ? rows[index] : undefined;
    const column = typeof field === 'string' ? (columnOf[field] ?? field) : 'node';
    problems.add({
      path: row ? at(row.line, column) : issue.path.join('.') || 'framework',
      message: issueText(issue),
    });
  }
  problems.throwIfAny();
  // Unreached: a failed parse has issues, which throwIfAny throws.
  throw parsed.error;
}

/**
 * `sipas framework import CODE framework.csv`: a framework version as a tree, all or nothing,
 * every bad row reported. A leaf without a source takes `import` (points given from elsewhere,
 * as the flat frameworks' files without the column); an inner node's maximum may be left
 * empty, and is then the sum of its children's. The same code again replaces the framework
 * while no points and no assessment round use it, and is refused after.
 */
export async function importFrameworkTree(
  db: Kysely<Database>,
  principal: Principal,
  request: { code: string; name?: string | undefined; bands?: string | undefined },
  input: Readable,
): Promise<{ framework: FrameworkTree; replaced: boolean }> {
  const bands = request.bands === undefined ? DEFAULT_BANDS : parseBands(request.bands);
  const rows = await readTable(input, frameworkTreeColumns, {
    optional: optionalFrameworkColumns,
  });
  const problems = new ImportProblems();
  const inner = innerCodes(rows.map(({ cell }) => ({ code: cell('node') })));
  const seen = new Map<string, number>();
  const given = rows.map(({ line, cell }) => {
    const problem = (column: string, message: Text) =>
      problems.add({ path: at(line, column), message });
    const code = cell('node');
    const isInner = inner.has(code);
    const first = seen.get(code);
    if (code === '') problem('node', required);
    else if (first !== undefined) problem('node', alsoOnLine(code, first));
    else seen.set(code, line);
    if (cell('name') === '') problem('name', required);
    const max = cell('max');
    if (max === '' && !isInner) problem('max', text('bắt buộc ở mục lá', 'required on a leaf'));
    else if (max !== '' && !POINTS_CELL.test(max)) {
      problem('max', text('không phải số điểm, ví dụ 30', 'not a number of points such as 30'));
    } else if (Number(max) < 0) {
      problem('max', text(`${max} là số âm`, `${max} is negative`));
    } else if (max !== '' && Number(max) === 0) {
      problem('max', text('phải lớn hơn 0', 'must be more than 0'));
    }
    const source = cell('source');
    if (source !== '' && !isSource(source)) {
      problem(
        'source',
        text(
          `không có nguồn ${source}: assessment, sipas, survey hoặc import`,
          `unknown source ${source}: assessment, sipas, survey or import`,
        ),
      );
    }
    const types = cell('applies_to')
      .split(';')
      .map((type) => type.trim())
      .filter((type) => type !== '');
    for (const type of types.filter((t) => !UNIT_TYPE.test(t))) {
      problem(
        'applies_to',
        text(
          `${type} không phải một loại đơn vị như commune`,
          `${type} is not a unit type such as commune`,
        ),
      );
    }
    const guidance = cell('guidance');
    return {
      code,
      name: cell('name'),
      max: max === '' ? null : Number(max),
      source: isSource(source) ? source : isInner || source !== '' ? null : 'import',
      appliesTo: types.length === 0 ? null : types,
      guidance: guidance === '' ? null : guidance,
    };
  });
  if (rows.length === 0) {
    problems.add({ path: 'line 2', message: noRows });
  }
  problems.throwIfAny();
  const maxima = completeMaxima(given);
  const framework = treeOf(
    {
      code: request.code,
      name: request.name ?? request.code,
      nodes: given.map((node, i) => ({ ...node, max: maxima[i] })),
      bands,
    },
    rows,
  );
  return db.transaction().execute(async (trx) => {
    const existing = await frameworks.findFrameworkRow(trx, framework.code);
    const use = existing ? await frameworks.frameworkUse(trx, existing.id) : null;
    if (use !== null) {
      const [vi, en] =
        use === 'points'
          ? ['đã có điểm', 'has points']
          : ['đã mở đợt tự đánh giá', 'has an assessment round'];
      throw conflict(
        text(
          `Khung chỉ số PAR ${framework.code} ${vi} nên không thay đổi: một thay đổi là một phiên bản mới, với mã mới.`,
          `The PAR framework ${framework.code} ${en} and never changes: a change is a new version, under a new code.`,
        ),
      );
    }
    await frameworks.saveFrameworkTree(trx, {
      code: framework.code,
      name: framework.name,
      components: treeAsFlat(framework)?.components ?? [],
      nodes: framework.nodes,
      bands: framework.bands,
    });
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'par.framework.import',
      subject: framework.code,
      detail: { nodes: framework.nodes.length, replaced: existing !== undefined },
    });
    return { framework, replaced: existing !== undefined };
  });
}

export const targetsColumns = ['node', 'top'] as const;

/**
 * `--targets FILE` (par-cycle.md §7): node code (or `total`) → K of its target "top K", all or
 * nothing: "total: top 10; field 3: top 15; field 6: keep the top 5".
 */
export async function readTargets(
  framework: FrameworkTree,
  input: Readable,
  delimiter?: Delimiter,
): Promise<Map<string, number>> {
  const rows = await readTable(input, targetsColumns, { delimiter });
  const codes = new Set(framework.nodes.map((node) => node.code));
  const problems = new ImportProblems();
  const targets = new Map<string, number>();
  const lines = new Map<string, number>();
  for (const { line, cell } of rows) {
    const [node, top] = [cell('node'), cell('top')];
    const first = lines.get(node);
    if (node === '') problems.add({ path: at(line, 'node'), message: required });
    else if (node !== TOTAL && !codes.has(node)) {
      problems.add({
        path: at(line, 'node'),
        message: text(
          `${framework.code} không có mục ${node} (hoặc ghi total cho tổng điểm)`,
          `no node ${node} in ${framework.code} (or total for the whole)`,
        ),
      });
    } else if (first !== undefined) {
      problems.add({ path: at(line, 'node'), message: alsoOnLine(node, first) });
    } else lines.set(node, line);
    if (!/^[1-9]\d{0,5}$/.test(top)) {
      problems.add({
        path: at(line, 'top'),
        message: text('không phải một thứ hạng như 10', 'not a rank such as 10'),
      });
    } else targets.set(node, Number(top));
  }
  if (rows.length === 0) problems.add({ path: 'line 2', message: noRows });
  problems.throwIfAny(text('không dùng mục tiêu nào', 'no target was used'));
  return targets;
}
