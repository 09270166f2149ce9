// Planning a reorganisation from its files (organisation.md §3), against maps built in memory:
// the 2025 province reorganisation of fixtures/organisation, each kind of change, and every
// refusal with its line, column and reason in both languages.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors.ts';
import { readTable } from '../csv.ts';
import { planReorganisation, type ReorganisationFiles } from './plan.ts';
import { describePlan, unitsOn } from './preview.ts';
import type { MapBefore, MapUnit } from './types.ts';

const file = (...lines: string[]) => Readable.from([lines.join('\n')]);
const fixture = (name: string) =>
  Readable.from([readFileSync(new URL(`../../../fixtures/organisation/${name}`, import.meta.url))]);

const D = '2025-07-01';

/** The map of the day before D from a units.csv with types, and what the database would add. */
async function mapOf(
  units: Readable,
  extra: {
    counters?: Record<string, string[]>;
    ended?: string[];
    inUseAfter?: string[];
    open?: string[];
  } = {},
): Promise<MapBefore> {
  const rows = await readTable(units, ['unit', 'name', 'parent', 'type']);
  const byCode = new Map<string, MapUnit>(
    rows.map((row) => [
      row.cell('unit'),
      {
        code: row.cell('unit'),
        name: row.cell('name'),
        type: row.cell('type'),
        parentCode: row.cell('parent') || null,
        counterCodes: extra.counters?.[row.cell('unit')] ?? [],
      },
    ]),
  );
  return {
    on: D,
    units: byCode,
    endedCodes: new Set(extra.ended),
    codesInUseAfter: new Set(extra.inUseAfter),
    openCampaignCounters: new Set(extra.open),
  };
}

describe('the 2025 province reorganisation (fixtures/organisation)', async () => {
  const map = await mapOf(fixture('provinces-2024.csv'));
  const plan = await planReorganisation(
    { reorganisation: fixture('reorganisation-2025-provinces.csv') },
    map,
  );
  const provinces = (units: Iterable<MapUnit>) =>
    [...units].filter((unit) => unit.type === 'province').length;

  it('takes 63 provinces on the day before to 34 on 1 July 2025', () => {
    expect(provinces(map.units.values())).toBe(63);
    expect(plan.ended).toHaveLength(52);
    expect(plan.created).toHaveLength(23);
    const after = unitsOn(plan, map);
    expect(provinces(after.values())).toBe(34);
    // Every province of the new map is under Việt Nam, which stays.
    expect([...after.values()].filter((u) => u.parentCode === 'VN')).toHaveLength(34);
    expect(after.get('VN.SONLA')?.name).toBe('Sơn La');
    expect(after.has('VN.HAGIANG')).toBe(false);
  });

  it('accounts for every predecessor, its shares summing to 1', () => {
    for (const code of plan.ended) {
      const shares = plan.lineage.filter((edge) => edge.predecessor === code);
      expect(shares.reduce((sum, edge) => sum + edge.share, 0)).toBeCloseTo(1, 9);
    }
    expect(new Set(plan.lineage.map((edge) => edge.predecessor))).toEqual(new Set(plan.ended));
  });

  it('gives each taken-over code to a new unit whose predecessors include the old one', () => {
    const ended = new Set(plan.ended);
    expect(plan.created.every((unit) => ended.has(unit.code))).toBe(true);
    expect(plan.created.find((unit) => unit.code === 'VN.HCM')).toEqual({
      code: 'VN.HCM',
      name: 'Thành phố Hồ Chí Minh',
      type: 'province',
      parentCode: 'VN',
      predecessors: ['VN.BINHDUONG', 'VN.BRVT', 'VN.HCM'],
    });
    expect(plan.parentChanges).toEqual([]);
    expect(plan.counterMoves).toEqual([]);
  });

  it('previews 23 merges and the unit counts', () => {
    const preview = describePlan(plan, map);
    expect(preview.units).toEqual({ before: 64, after: 35 });
    expect(preview.changes.map((change) => change.kind)).toEqual(Array(23).fill('merge'));
    expect(preview.changes).toContainEqual({
      kind: 'merge',
      predecessors: [
        { code: 'VN.HAGIANG', name: 'Hà Giang' },
        { code: 'VN.TUYENQUANG', name: 'Tuyên Quang' },
      ],
      successors: [{ code: 'VN.TUYENQUANG', name: 'Tuyên Quang', created: true }],
      edges: [
        { predecessor: 'VN.HAGIANG', successor: 'VN.TUYENQUANG', share: 1 },
        { predecessor: 'VN.TUYENQUANG', successor: 'VN.TUYENQUANG', share: 1 },
      ],
    });
  });
});

// A province of three districts; five communes; counters Q1…Q5; OLD ended before D, LATER
// starts after it; Q2 is in a campaign still open on D.
const province = () =>
  mapOf(
    file(
      'unit,name,parent,type',
      'P,Tỉnh P,,province',
      'P.A,Huyện A,P,district',
      'P.B,Huyện B,P,district',
      'P.C,Huyện C,P,district',
      'P.A.1,Xã 1,P.A,commune',
      'P.A.2,Xã 2,P.A,commune',
      'P.B.1,Xã 3,P.B,commune',
    ),
    {
      counters: { 'P.A': ['Q1', 'Q2'], 'P.B': ['Q3'], 'P.C': ['Q4'], 'P.A.1': ['Q5'] },
      ended: ['OLD'],
      inUseAfter: ['LATER'],
      open: ['Q2'],
    },
  );

const HEADER = 'predecessor,successor,share,successor_name,successor_parent,successor_type';

describe('planning each kind of change', () => {
  it('merges a unit whole into one that stays: its children and counters follow', async () => {
    const map = await province();
    const plan = await planReorganisation({ reorganisation: file(HEADER, 'P.A,P.B,,,,') }, map);
    expect(plan).toEqual({
      on: D,
      ended: ['P.A'],
      created: [],
      lineage: [{ predecessor: 'P.A', successor: 'P.B', share: 1 }],
      parentChanges: [
        { unit: 'P.A.1', parentCode: 'P.B' },
        { unit: 'P.A.2', parentCode: 'P.B' },
      ],
      counterMoves: [
        { counter: 'Q1', from: 'P.A', to: 'P.B' },
        { counter: 'Q2', from: 'P.A', to: 'P.B' },
      ],
    });
    const preview = describePlan(plan, map);
    expect(preview.changes.map((c) => c.kind)).toEqual(['re-code', 'transfer', 'transfer']);
    expect(preview.openCampaignCounters).toEqual(['Q2']);
    expect(preview.units).toEqual({ before: 7, after: 6 });
  });

  it('takes over a code: the new unit is created, and what the old one held moves to it', async () => {
    const map = await province();
    const plan = await planReorganisation(
      {
        reorganisation: file(HEADER, 'P.A,P.A,1,Huyện A mới,P,', 'P.B,P.A,1,Huyện A mới,P,'),
      },
      map,
    );
    expect(plan.ended).toEqual(['P.A', 'P.B']);
    expect(plan.created).toEqual([
      {
        code: 'P.A',
        name: 'Huyện A mới',
        type: 'district',
        parentCode: 'P',
        predecessors: ['P.A', 'P.B'],
      },
    ]);
    expect(plan.parentChanges).toEqual([
      { unit: 'P.A.1', parentCode: 'P.A' },
      { unit: 'P.A.2', parentCode: 'P.A' },
      { unit: 'P.B.1', parentCode: 'P.A' },
    ]);
    expect(plan.counterMoves).toEqual([
      { counter: 'Q1', from: 'P.A', to: 'P.A' },
      { counter: 'Q2', from: 'P.A', to: 'P.A' },
      { counter: 'Q3', from: 'P.B', to: 'P.A' },
    ]);
    const preview = describePlan(plan, map);
    expect(preview.counterMoves[2]).toEqual({
      counter: 'Q3',
      from: { code: 'P.B', name: 'Huyện B' },
      to: { code: 'P.A', name: 'Huyện A mới' },
      openCampaign: false,
    });
    expect(preview.reparented[0]).toEqual({
      unit: { code: 'P.A.1', name: 'Xã 1' },
      from: { code: 'P.A', name: 'Huyện A' },
      to: { code: 'P.A', name: 'Huyện A mới' },
    });
  });

  it('splits a unit by its counter moves and transfers, and ends one without a successor', async () => {
    const map = await province();
    const plan = await planReorganisation(
      {
        reorganisation: file(
          HEADER,
          'P.A,P.D,0.6,Huyện D,P,',
          'P.A,P.E,0.4,Huyện E,P,',
          'P.C,,,,,',
        ),
        transfers: file('unit,parent', 'P.A.1,P.D', 'P.A.2,P'),
        counterMoves: file('counter,unit', 'Q1,P.D', 'Q2,P.E', 'Q4,P.B', 'Q5,P.A.1'),
      },
      map,
    );
    expect(plan).toEqual({
      on: D,
      ended: ['P.A', 'P.C'],
      created: [
        { code: 'P.D', name: 'Huyện D', type: 'district', parentCode: 'P', predecessors: ['P.A'] },
        { code: 'P.E', name: 'Huyện E', type: 'district', parentCode: 'P', predecessors: ['P.A'] },
      ],
      lineage: [
        { predecessor: 'P.A', successor: 'P.D', share: 0.6 },
        { predecessor: 'P.A', successor: 'P.E', share: 0.4 },
      ],
      parentChanges: [
        { unit: 'P.A.1', parentCode: 'P.D' },
        { unit: 'P.A.2', parentCode: 'P' },
      ],
      counterMoves: [
        { counter: 'Q1', from: 'P.A', to: 'P.D' },
        { counter: 'Q2', from: 'P.A', to: 'P.E' },
        { counter: 'Q4', from: 'P.C', to: 'P.B' },
      ],
    });
    const preview = describePlan(plan, map);
    expect(preview.changes.map((change) => change.kind)).toEqual([
      'split',
      'end',
      'transfer',
      'transfer',
    ]);
    expect(preview.units).toEqual({ before: 7, after: 7 });
    expect(preview.ended).toEqual([
      { code: 'P.A', name: 'Huyện A', type: 'district' },
      { code: 'P.C', name: 'Huyện C', type: 'district' },
    ]);
    expect(preview.created[1]).toEqual({
      code: 'P.E',
      name: 'Huyện E',
      type: 'district',
      parent: { code: 'P', name: 'Tỉnh P' },
      predecessors: [{ code: 'P.A', name: 'Huyện A' }],
    });
    expect(preview.reparented[1]).toEqual({
      unit: { code: 'P.A.2', name: 'Xã 2' },
      from: { code: 'P.A', name: 'Huyện A' },
      to: { code: 'P', name: 'Tỉnh P' },
    });
    expect(preview.openCampaignCounters).toEqual(['Q2']);
    expect(unitsOn(plan, map).get('P.B')?.counterCodes).toEqual(['Q3', 'Q4']);
  });

  it('reads a file without the optional share and successor_type columns', async () => {
    const plan = await planReorganisation(
      {
        reorganisation: file('successor,predecessor,successor_parent,successor_name', 'P.B,P.C,,'),
      },
      await province(),
    );
    expect(plan.lineage).toEqual([{ predecessor: 'P.C', successor: 'P.B', share: 1 }]);
    expect(plan.counterMoves).toEqual([{ counter: 'Q4', from: 'P.C', to: 'P.B' }]);
  });
});

/** The refusal of the files, as (path, English, Vietnamese). */
async function refusal(files: ReorganisationFiles): Promise<[string, string, string][]> {
  const error: unknown = await planReorganisation(files, await province()).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error('the files were accepted');
  expect(error.code).toBe('invalid');
  return error.errors.map((e) => [e.path, e.message.en, e.message.vi]);
}

const main = (...rows: string[]) => ({ reorganisation: file(HEADER, ...rows) });

describe('refusing bad files, with every problem at once', () => {
  it.each<[string, ReorganisationFiles, [string, string, string][]]>([
    [
      'an unknown predecessor',
      main('X,P.B,,,,'),
      [['line 2, column predecessor', 'unknown unit X', 'không có đơn vị X']],
    ],
    [
      'a predecessor already ended',
      main('OLD,P.B,,,,'),
      [
        [
          'line 2, column predecessor',
          'unit OLD has already ended (on or before 2025-07-01)',
          'đơn vị OLD đã kết thúc (trước hoặc vào ngày 2025-07-01)',
        ],
      ],
    ],
    [
      'a successor code in use by a unit that stays, given another name',
      main('P.C,P.B,1,Huyện mới,P,'),
      [
        [
          'line 2, column successor_name',
          'code P.B is in use by a unit that does not end on 2025-07-01 (“Huyện B”): to change it, end it that day too (a row P.B,P.B)',
          'mã P.B đang được dùng cho một đơn vị không kết thúc vào ngày 2025-07-01 (“Huyện B”): để đổi, hãy cho nó kết thúc cùng ngày (một dòng P.B,P.B)',
        ],
      ],
    ],
    [
      'a successor code in use by a unit starting after D',
      main('P.C,LATER,1,Huyện L,P,'),
      [
        [
          'line 2, column successor',
          'code LATER is in use by a unit valid on or after 2025-07-01',
          'mã LATER đang được dùng cho một đơn vị có hiệu lực từ ngày 2025-07-01 trở đi',
        ],
      ],
    ],
    [
      'shares of one predecessor above 1',
      {
        ...main('P.C,P.D,0.7,Huyện D,P,', 'P.C,P.E,0.5,Huyện E,P,'),
        counterMoves: file('counter,unit', 'Q4,P.D'),
      },
      [
        [
          'line 3, column share',
          'the shares of P.C add up to more than 1 (lines 2, 3)',
          'tổng tỷ lệ của P.C lớn hơn 1 (dòng 2, 3)',
        ],
      ],
    ],
    [
      'a share out of (0, 1] and a pair given twice',
      main('P.C,P.B,0,,,', 'P.C,P.B,abc,,,', 'P.A,P.B,,,,', 'P.A,P.B,1,,,'),
      [
        [
          'line 2, column share',
          'a number above 0 and at most 1 (empty: 1)',
          'một số lớn hơn 0 và không quá 1 (để trống: 1)',
        ],
        [
          'line 3, column share',
          'a number above 0 and at most 1 (empty: 1)',
          'một số lớn hơn 0 và không quá 1 (để trống: 1)',
        ],
        ['line 5, column successor', 'P.A → P.B is also on line 4', 'P.A → P.B đã có ở dòng 4'],
      ],
    ],
    [
      'a new successor without name or parent',
      main('P.C,P.Z,1,,,'),
      [
        ['line 2, column successor_name', 'required', 'bắt buộc'],
        ['line 2, column successor_parent', 'required', 'bắt buộc'],
      ],
    ],
    [
      'a successor named differently on two rows',
      main('P.B,P.Z,1,Huyện Z,P,district', 'P.C,P.Z,1,Huyện Zed,P,'),
      [
        [
          'line 3, column successor_name',
          'P.Z has successor_name “Huyện Z” on line 2; every row repeats it',
          'P.Z ở dòng 2 có successor_name “Huyện Z”; mỗi dòng phải ghi giống nhau',
        ],
        [
          'line 3, column successor_type',
          'P.Z has successor_type “district” on line 2; every row repeats it',
          'P.Z ở dòng 2 có successor_type “district”; mỗi dòng phải ghi giống nhau',
        ],
      ],
    ],
    [
      "a split predecessor's counter without a destination",
      main('P.C,P.D,0.5,Huyện D,P,', 'P.C,P.E,0.5,Huyện E,P,'),
      [
        [
          'line 2, column predecessor',
          'counter Q4 of P.C (split) has no new unit: give it in counter-moves.csv',
          'quầy Q4 của P.C (được chia tách) chưa có đơn vị mới: ghi trong counter-moves.csv',
        ],
      ],
    ],
    [
      "a split predecessor's child without a destination",
      {
        ...main('P.B,P.D,0.5,Huyện D,P,', 'P.B,P.E,0.5,Huyện E,P,'),
        counterMoves: file('counter,unit', 'Q3,P.E'),
      },
      [
        [
          'line 2, column predecessor',
          'the child unit P.B.1 of P.B (split) has no new parent: give it in transfers.csv',
          'đơn vị trực thuộc P.B.1 của P.B (được chia tách) chưa có đơn vị cấp trên mới: ghi trong transfers.csv',
        ],
      ],
    ],
    [
      'an empty successor for a unit that keeps a child and a counter',
      main('P.B,,,,,'),
      [
        [
          'line 2, column successor',
          'P.B ends without a successor but keeps the child unit P.B.1: give its new parent in transfers.csv',
          'P.B kết thúc không có đơn vị kế thừa nhưng còn đơn vị trực thuộc P.B.1: ghi đơn vị cấp trên mới của nó trong transfers.csv',
        ],
        [
          'line 2, column successor',
          'P.B ends without a successor but keeps counter Q3: give its new unit in counter-moves.csv',
          'P.B kết thúc không có đơn vị kế thừa nhưng còn quầy Q3: ghi đơn vị mới của nó trong counter-moves.csv',
        ],
      ],
    ],
    [
      'an empty successor beside a successor',
      { ...main('P.C,,,,,', 'P.C,P.B,,,,') },
      [
        [
          'line 2, column successor',
          'P.C has a successor on line 3: it cannot also end without one',
          'P.C có đơn vị kế thừa ở dòng 3: không thể đồng thời kết thúc mà không có đơn vị kế thừa',
        ],
      ],
    ],
    [
      "an open campaign's counter left without a unit",
      {
        ...main('P.A,P.D,0.5,Huyện D,P,', 'P.A,P.E,0.5,Huyện E,P,'),
        transfers: file('unit,parent', 'P.A.1,P.D', 'P.A.2,P.E'),
        counterMoves: file('counter,unit', 'Q1,P.D'),
      },
      [
        [
          'line 2, column predecessor',
          'counter Q2 of P.A is in a campaign open on or after 2025-07-01 and would be left without a unit: give its new unit in counter-moves.csv',
          'quầy Q2 của P.A thuộc một đợt khảo sát còn diễn ra từ ngày 2025-07-01 và sẽ không còn đơn vị: ghi đơn vị mới của nó trong counter-moves.csv',
        ],
      ],
    ],
    [
      'a taken-over code under a parent that ends',
      main('P.A,P.A,1,Huyện A,P.B,', 'P.B,P.C,,,,'),
      [
        [
          'line 2, column successor_parent',
          'unit P.B ends on 2025-07-01 and no successor takes over its code',
          'đơn vị P.B kết thúc vào ngày 2025-07-01 và không được tiếp nhận mã',
        ],
      ],
    ],
    [
      'transfers and counter moves naming what is not there, or a unit that ends',
      {
        ...main('P.C,P.B,,,,'),
        transfers: file('unit,parent', 'P.X,P', 'P.C,P.B', 'P.A.1,P.C', 'P.A.1,P'),
        counterMoves: file('counter,unit', 'Q9,P.B'),
      },
      [
        ['counter-moves.csv, line 2, column counter', 'unknown counter Q9', 'không có quầy Q9'],
        ['transfers.csv, line 2, column unit', 'unknown unit P.X', 'không có đơn vị P.X'],
        [
          'transfers.csv, line 3, column unit',
          "P.C ends on 2025-07-01: its successor's parent is given in reorganisation.csv",
          'P.C kết thúc vào ngày 2025-07-01: đơn vị cấp trên của đơn vị kế thừa ghi trong reorganisation.csv',
        ],
        [
          'transfers.csv, line 4, column parent',
          'unit P.C ends on 2025-07-01 and no successor takes over its code',
          'đơn vị P.C kết thúc vào ngày 2025-07-01 và không được tiếp nhận mã',
        ],
        ['transfers.csv, line 5, column unit', 'P.A.1 is also on line 4', 'P.A.1 đã có ở dòng 4'],
      ],
    ],
    [
      'a transfer into its own subtree',
      { ...main('P.C,P.B,,,,'), transfers: file('unit,parent', 'P.A,P.A.1') },
      [
        [
          'transfers.csv, line 2, column parent',
          'a cycle: P.A → P.A.1 → P.A',
          'một vòng lặp: P.A → P.A.1 → P.A',
        ],
      ],
    ],
    [
      'a taken-over code under its own old child, and a type not lower-case',
      main('P.A,P.A,1,Huyện A,P.A.1,', 'P.C,P.B,1,,,Huyện'),
      [
        [
          'line 2, column successor_parent',
          'a cycle: P.A → P.A.1 → P.A',
          'một vòng lặp: P.A → P.A.1 → P.A',
        ],
        [
          'line 3, column successor_type',
          'a lower-case type such as province, department, commune',
          'một loại viết thường như province, department, commune',
        ],
      ],
    ],
    [
      'a missing column, in each file',
      {
        reorganisation: file('predecessor,successor,successor_name'),
        transfers: file('unit,parent,extra'),
      },
      [
        ['line 1, column successor_parent', 'required column missing', 'thiếu cột bắt buộc'],
        ['transfers.csv, line 1, column extra', 'unknown column', 'cột không xác định'],
      ],
    ],
  ])('%s', async (_, files, expected) => {
    expect(await refusal(files)).toEqual(expected);
  });
});
