// Planning a reorganisation (organisation.md §1, §3): the files reorganisation.csv,
// transfers.csv and counter-moves.csv, checked against the map of the day before D, become a
// ReorganisationPlan, or every problem of all three files is reported at once and nothing is
// stored. Pure: the map comes from the database (readMapBefore), the plan goes back to it
// (applyPlan); see docs/organisation.md for the rules.
import type { Readable } from 'node:stream';
import { alsoOnLine, required, text, unknownCode, type Text } from '../../errors.ts';
import {
  checkCodeCell,
  codeProblem,
  cycleProblem,
  nameProblem,
  typeProblem,
  DEFAULT_TYPE,
} from '../codes.ts';
import { at, ImportProblems, readTableInto, type CsvTableRow } from '../csv.ts';
import type { MapBefore, MapUnit, ReorganisationPlan } from './types.ts';

const reorganisationColumns = ['predecessor', 'successor', 'successor_name', 'successor_parent'];
const reorganisationOptional = ['share', 'successor_type'];
const transferColumns = ['unit', 'parent'] as const;
const counterMoveColumns = ['counter', 'unit'] as const;

/** The files of one reorganisation: the lineage, and for splits and transfers the other two. */
export interface ReorganisationFiles {
  reorganisation: Readable;
  transfers?: Readable;
  counterMoves?: Readable;
}

/** Shares add up in floating point: 0.3 + 0.7 may exceed 1 by an ulp. */
const SHARE_TOLERANCE = 1e-9;

interface Edge {
  line: number;
  predecessor: string;
  /** Empty: the predecessor ends without a successor. */
  successor: string;
  share: number;
  name: string;
  parent: string;
  type: string;
}

interface Destination {
  line: number;
  code: string;
  /** A unit's new parent (empty: a root), or a counter's new unit. */
  to: string;
}

/** Where each problem goes: the main file's own paths, the others' prefixed with their name. */
interface Problems {
  main: ImportProblems;
  transfers: ImportProblems;
  counterMoves: ImportProblems;
}

const shareProblem = text(
  'một số lớn hơn 0 và không quá 1 (để trống: 1)',
  'a number above 0 and at most 1 (empty: 1)',
);

function readEdges(rows: CsvTableRow[], problems: ImportProblems): Edge[] {
  const pairs = new Map<string, number>();
  return rows.flatMap((row) => {
    const bad = (column: string, message: Text | null) => {
      if (message) problems.add({ path: at(row.line, column), message });
      return message !== null;
    };
    const predecessor = row.cell('predecessor');
    const successor = row.cell('successor');
    const shareCell = row.cell('share');
    const name = row.cell('successor_name');
    const parent = row.cell('successor_parent');
    const type = row.cell('successor_type');
    const share = shareCell === '' ? 1 : Number(shareCell);
    const failed = [
      bad('predecessor', codeProblem(predecessor)),
      successor !== '' && bad('successor', codeProblem(successor)),
      bad('share', Number.isFinite(share) && share > 0 && share <= 1 ? null : shareProblem),
      name !== '' && bad('successor_name', nameProblem(name)),
      parent !== '' && bad('successor_parent', codeProblem(parent)),
      type !== '' && bad('successor_type', typeProblem(type)),
    ];
    if (failed.some(Boolean)) return [];
    const pair = `${predecessor}\u0000${successor}`;
    const first = pairs.get(pair);
    if (first !== undefined) {
      problems.add({
        path: at(row.line, 'successor'),
        message: alsoOnLine(`${predecessor} → ${successor || '∅'}`, first),
      });
      return [];
    }
    pairs.set(pair, row.line);
    return [{ line: row.line, predecessor, successor, share, name, parent, type }];
  });
}

/** The rows of transfers.csv or counter-moves.csv: each `code` once, `to` a code (or empty). */
function readDestinations(
  rows: CsvTableRow[],
  problems: ImportProblems,
  [codeColumn, toColumn]: readonly [string, string],
  toMayBeEmpty: boolean,
): Destination[] {
  const seen = new Map<string, number>();
  return rows.flatMap((row) => {
    const code = row.cell(codeColumn);
    const to = row.cell(toColumn);
    const count = problems.count;
    checkCodeCell(problems, seen, row.line, codeColumn, code);
    const toBad = to === '' && toMayBeEmpty ? null : codeProblem(to);
    if (toBad) problems.add({ path: at(row.line, toColumn), message: toBad });
    return problems.count > count ? [] : [{ line: row.line, code, to }];
  });
}

/**
 * The plan of the files against `map`, or the import's error listing every problem of the
 * three files (`line N, column C: reason`; those of transfers.csv and counter-moves.csv named
 * by their file).
 */
export async function planReorganisation(
  files: ReorganisationFiles,
  map: MapBefore,
): Promise<ReorganisationPlan> {
  const problems: Problems = {
    main: new ImportProblems(),
    transfers: new ImportProblems(),
    counterMoves: new ImportProblems(),
  };
  const rows = await readTableInto(files.reorganisation, reorganisationColumns, problems.main, {
    optional: reorganisationOptional,
  });
  const edges = readEdges(rows, problems.main);
  const transfers = files.transfers
    ? readDestinations(
        await readTableInto(files.transfers, transferColumns, problems.transfers),
        problems.transfers,
        transferColumns,
        true,
      )
    : [];
  const moves = files.counterMoves
    ? readDestinations(
        await readTableInto(files.counterMoves, counterMoveColumns, problems.counterMoves),
        problems.counterMoves,
        counterMoveColumns,
        false,
      )
    : [];
  const plan = planFrom(map, edges, transfers, moves, problems);
  problems.main.addFile('transfers.csv', problems.transfers);
  problems.main.addFile('counter-moves.csv', problems.counterMoves);
  problems.main.throwIfAny();
  return plan;
}

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The checks of §3 on rows that read well, and the plan they make. */
function planFrom(
  map: MapBefore,
  rows: Edge[],
  transfers: Destination[],
  moves: Destination[],
  problems: Problems,
): ReorganisationPlan {
  const { on } = map;
  const add = (line: number, column: string, message: Text) =>
    problems.main.add({ path: at(line, column), message });

  // Predecessors: units valid on the day before D. A row without a successor is the only row
  // of its predecessor.
  const succeeded = new Map<string, number>();
  for (const edge of rows) {
    if (edge.successor !== '' && !succeeded.has(edge.predecessor)) {
      succeeded.set(edge.predecessor, edge.line);
    }
  }
  const edges = rows.filter((edge) => {
    if (!map.units.has(edge.predecessor)) {
      add(
        edge.line,
        'predecessor',
        map.endedCodes.has(edge.predecessor)
          ? text(
              `đơn vị ${edge.predecessor} đã kết thúc (trước hoặc vào ngày ${on})`,
              `unit ${edge.predecessor} has already ended (on or before ${on})`,
            )
          : unknownCode('unit', edge.predecessor),
      );
      return false;
    }
    const other = succeeded.get(edge.predecessor);
    if (edge.successor === '' && other !== undefined) {
      add(
        edge.line,
        'successor',
        text(
          `${edge.predecessor} có đơn vị kế thừa ở dòng ${other}: không thể đồng thời kết thúc mà không có đơn vị kế thừa`,
          `${edge.predecessor} has a successor on line ${other}: it cannot also end without one`,
        ),
      );
      return false;
    }
    return true;
  });
  const byPredecessor = groupBy(edges, (edge) => edge.predecessor);
  const ending = new Set(byPredecessor.keys());
  for (const [predecessor, group] of byPredecessor) {
    let sum = 0;
    for (const edge of group) {
      sum += edge.share;
      if (sum > 1 + SHARE_TOLERANCE && sum - edge.share <= 1 + SHARE_TOLERANCE) {
        const lines = group.map((e) => e.line).join(', ');
        add(
          edge.line,
          'share',
          text(
            `tổng tỷ lệ của ${predecessor} lớn hơn 1 (dòng ${lines})`,
            `the shares of ${predecessor} add up to more than 1 (lines ${lines})`,
          ),
        );
      }
    }
  }

  // Successors: an existing unit that stays absorbs; any other is created (a new code, or the
  // code of a unit that ends on D, taken over).
  const bySuccessor = groupBy(
    edges.filter((edge) => edge.successor !== ''),
    (edge) => edge.successor,
  );
  const created = new Map<string, Edge>();
  for (const [successor, group] of bySuccessor) {
    const [first, ...rest] = group;
    if (!first) continue;
    const staying = ending.has(successor) ? undefined : map.units.get(successor);
    if (staying) {
      for (const edge of group) absorbingProblems(edge, staying, on, add);
      continue;
    }
    if (map.codesInUseAfter.has(successor)) {
      add(
        first.line,
        'successor',
        text(
          `mã ${successor} đang được dùng cho một đơn vị có hiệu lực từ ngày ${on} trở đi`,
          `code ${successor} is in use by a unit valid on or after ${on}`,
        ),
      );
      continue;
    }
    if (first.name === '') add(first.line, 'successor_name', required);
    if (first.parent === '') add(first.line, 'successor_parent', required);
    for (const edge of rest) {
      for (const [column, value, given] of [
        ['successor_name', edge.name, first.name],
        ['successor_parent', edge.parent, first.parent],
        ['successor_type', edge.type, first.type],
      ] as const) {
        if (value !== given) {
          add(
            edge.line,
            column,
            text(
              `${successor} ở dòng ${first.line} có ${column} “${given}”; mỗi dòng phải ghi giống nhau`,
              `${successor} has ${column} “${given}” on line ${first.line}; every row repeats it`,
            ),
          );
        }
      }
    }
    created.set(successor, first);
  }

  // The map on D, so far as parents go: units that stay, and those created.
  const validOn = (code: string) => created.has(code) || (map.units.has(code) && !ending.has(code));
  const parentProblem = (code: string): Text | null =>
    validOn(code)
      ? null
      : map.units.has(code)
        ? text(
            `đơn vị ${code} kết thúc vào ngày ${on} và không được tiếp nhận mã`,
            `unit ${code} ends on ${on} and no successor takes over its code`,
          )
        : unknownCode('unit', code);
  for (const edge of created.values()) {
    const problem = edge.parent === '' ? null : parentProblem(edge.parent);
    if (problem) add(edge.line, 'successor_parent', problem);
  }

  // Where each unit and counter of an ending predecessor goes: the successor of a whole
  // merge, unless transfers.csv or counter-moves.csv says otherwise.
  const wholeInto = new Map<string, string>();
  for (const [predecessor, group] of byPredecessor) {
    const [only] = group;
    if (group.length === 1 && only && only.successor !== '' && only.share === 1) {
      wholeInto.set(predecessor, only.successor);
    }
  }
  const parentAfter = new Map<string, string | null>();
  const parentChanges: ReorganisationPlan['parentChanges'] = [];
  for (const transfer of transfers) {
    const fail = (column: string, message: Text) =>
      problems.transfers.add({ path: at(transfer.line, column), message });
    const unit = map.units.get(transfer.code);
    if (!unit) fail('unit', unknownCode('unit', transfer.code));
    else if (ending.has(transfer.code)) {
      fail(
        'unit',
        text(
          `${transfer.code} kết thúc vào ngày ${on}: đơn vị cấp trên của đơn vị kế thừa ghi trong reorganisation.csv`,
          `${transfer.code} ends on ${on}: its successor's parent is given in reorganisation.csv`,
        ),
      );
    } else {
      const problem = transfer.to === '' ? null : parentProblem(transfer.to);
      if (problem) fail('parent', problem);
      else parentAfter.set(transfer.code, transfer.to === '' ? null : transfer.to);
    }
  }
  const counterUnit = new Map<string, string>();
  for (const unit of map.units.values()) {
    for (const counter of unit.counterCodes) counterUnit.set(counter, unit.code);
  }
  const unitAfter = new Map<string, string>();
  for (const move of moves) {
    const fail = (column: string, message: Text) =>
      problems.counterMoves.add({ path: at(move.line, column), message });
    if (!counterUnit.has(move.code)) fail('counter', unknownCode('counter', move.code));
    else {
      const problem = parentProblem(move.to);
      if (problem) fail('unit', problem);
      else unitAfter.set(move.code, move.to);
    }
  }

  for (const unit of map.units.values()) {
    if (ending.has(unit.code)) continue;
    const parent = unit.parentCode;
    const parentEnds = parent !== null && ending.has(parent);
    if (parentAfter.has(unit.code)) {
      const given = parentAfter.get(unit.code) ?? null;
      if (given !== parent || parentEnds)
        parentChanges.push({ unit: unit.code, parentCode: given });
    } else if (parent !== null && parentEnds) {
      const successor = wholeInto.get(parent);
      if (successor !== undefined) parentChanges.push({ unit: unit.code, parentCode: successor });
      else {
        const edge = firstEdge(byPredecessor, parent);
        add(edge.line, whereLeft(edge), childLeft(unit.code, parent, edge));
      }
    }
  }
  const counterMoves: ReorganisationPlan['counterMoves'] = [];
  for (const [counter, from] of counterUnit) {
    const to = unitAfter.get(counter) ?? (ending.has(from) ? wholeInto.get(from) : from);
    if (to === undefined) {
      const edge = firstEdge(byPredecessor, from);
      add(edge.line, whereLeft(edge), counterLeft(counter, from, edge, map));
    } else if (to !== from || ending.has(from)) counterMoves.push({ counter, from, to });
  }

  // Parents after D make no cycle: a transfer or a new unit may point into its own subtree.
  const parentOn = new Map<string, string | null>();
  for (const unit of map.units.values()) {
    if (!ending.has(unit.code)) parentOn.set(unit.code, unit.parentCode);
  }
  for (const change of parentChanges) parentOn.set(change.unit, change.parentCode);
  for (const [code, edge] of created) parentOn.set(code, edge.parent === '' ? null : edge.parent);
  for (const [code, edge] of created) {
    const cycle = cycleProblem(code, parentOn);
    if (cycle) add(edge.line, 'successor_parent', cycle);
  }
  for (const transfer of transfers) {
    const cycle = parentAfter.has(transfer.code) ? cycleProblem(transfer.code, parentOn) : null;
    if (cycle) problems.transfers.add({ path: at(transfer.line, 'parent'), message: cycle });
  }

  return {
    on,
    ended: [...ending].sort(byCode),
    created: [...created]
      .map(([code, edge]) => ({
        code,
        name: edge.name,
        type: edge.type || typeFrom(bySuccessor.get(code) ?? [], map),
        parentCode: edge.parent === '' ? null : edge.parent,
        predecessors: (bySuccessor.get(code) ?? []).map((e) => e.predecessor).sort(byCode),
      }))
      .sort((a, b) => byCode(a.code, b.code)),
    lineage: edges
      .filter((edge) => edge.successor !== '')
      .map(({ predecessor, successor, share }) => ({ predecessor, successor, share }))
      .sort((a, b) => byCode(a.predecessor, b.predecessor) || byCode(a.successor, b.successor)),
    parentChanges: parentChanges.sort((a, b) => byCode(a.unit, b.unit)),
    counterMoves: counterMoves.sort((a, b) => byCode(a.counter, b.counter)),
  };
}

/** A row naming a unit that stays as successor may repeat its name, parent and type only. */
function absorbingProblems(
  edge: Edge,
  unit: MapUnit,
  on: string,
  add: (line: number, column: string, message: Text) => void,
): void {
  for (const [column, value, kept] of [
    ['successor_name', edge.name, unit.name],
    ['successor_parent', edge.parent, unit.parentCode ?? ''],
    ['successor_type', edge.type, unit.type],
  ] as const) {
    if (value !== '' && value !== kept) {
      add(
        edge.line,
        column,
        text(
          `mã ${edge.successor} đang được dùng cho một đơn vị không kết thúc vào ngày ${on} (“${kept}”): để đổi, hãy cho nó kết thúc cùng ngày (một dòng ${edge.successor},${edge.successor})`,
          `code ${edge.successor} is in use by a unit that does not end on ${on} (“${kept}”): to change it, end it that day too (a row ${edge.successor},${edge.successor})`,
        ),
      );
    }
  }
}

/** A new unit's type when its rows name none: its predecessors' when they agree. */
function typeFrom(edges: readonly Edge[], map: MapBefore): string {
  const types = new Set(edges.map((edge) => map.units.get(edge.predecessor)?.type));
  const [only] = types;
  return types.size === 1 && only !== undefined ? only : DEFAULT_TYPE;
}

function firstEdge(byPredecessor: ReadonlyMap<string, Edge[]>, predecessor: string): Edge {
  const edge = byPredecessor.get(predecessor)?.[0];
  // Only a predecessor (a key of byPredecessor) leaves units and counters without a place.
  if (!edge) throw new Error(`no row for predecessor ${predecessor}`);
  return edge;
}

/** A unit or counter left behind is reported on its predecessor's first row. */
const whereLeft = (edge: Edge) => (edge.successor === '' ? 'successor' : 'predecessor');

function childLeft(unit: string, parent: string, edge: Edge): Text {
  return edge.successor === ''
    ? text(
        `${parent} kết thúc không có đơn vị kế thừa nhưng còn đơn vị trực thuộc ${unit}: ghi đơn vị cấp trên mới của nó trong transfers.csv`,
        `${parent} ends without a successor but keeps the child unit ${unit}: give its new parent in transfers.csv`,
      )
    : text(
        `đơn vị trực thuộc ${unit} của ${parent} (được chia tách) chưa có đơn vị cấp trên mới: ghi trong transfers.csv`,
        `the child unit ${unit} of ${parent} (split) has no new parent: give it in transfers.csv`,
      );
}

function counterLeft(counter: string, unit: string, edge: Edge, map: MapBefore): Text {
  if (map.openCampaignCounters.has(counter)) {
    return text(
      `quầy ${counter} của ${unit} thuộc một đợt khảo sát còn diễn ra từ ngày ${map.on} và sẽ không còn đơn vị: ghi đơn vị mới của nó trong counter-moves.csv`,
      `counter ${counter} of ${unit} is in a campaign open on or after ${map.on} and would be left without a unit: give its new unit in counter-moves.csv`,
    );
  }
  return edge.successor === ''
    ? text(
        `${unit} kết thúc không có đơn vị kế thừa nhưng còn quầy ${counter}: ghi đơn vị mới của nó trong counter-moves.csv`,
        `${unit} ends without a successor but keeps counter ${counter}: give its new unit in counter-moves.csv`,
      )
    : text(
        `quầy ${counter} của ${unit} (được chia tách) chưa có đơn vị mới: ghi trong counter-moves.csv`,
        `counter ${counter} of ${unit} (split) has no new unit: give it in counter-moves.csv`,
      );
}
