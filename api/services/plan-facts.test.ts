// The facts of a plan's draft on every engine, on a worked example: the example campaign's
// province BRVT with 18 more departments, 21 peers, and a framework of three fields. Every
// number below is worked out by hand in the comments (or is R's, fixtures/examples), never
// taken from what the code printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Z_975 } from '../../analysis/rules.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import type { Role } from '../../db/database.ts';
import { operator, type Principal } from './access.ts';
import { exampleActor, openExampleCampaign, textStream } from './examples.testing.ts';
import { importFrameworkTree } from './frameworks.ts';
import { importPoints } from './par.ts';
import { publish } from './publications.ts';
import { draftPlanFor, type PlanDraftRequest } from './plan-facts.ts';
import { expectedScores } from './scores.testing.ts';
import { importUnits } from './units.ts';

const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? NaN) - expected)).toBeLessThan(1e-9);
};

// 100 points: field 1 (50) = 1.1 (30) + 1.2 (20); field 2 (30) = 2.1; field 3 (20) = 3.1.
const framework = [
  'node,name,max,source',
  '1,Chỉ đạo điều hành,,',
  '1.1,Kế hoạch,30,assessment',
  '1.2,Kiểm tra,20,assessment',
  '2,Thể chế,,',
  '2.1,Văn bản,30,assessment',
  '3,Hài lòng,,',
  '3.1,Khảo sát,20,import',
].join('\n');

const departments = Array.from({ length: 18 }, (_, i) => `BRVT.D${String(i + 1).padStart(2, '0')}`);
const [top10, bottom8] = [departments.slice(0, 10), departments.slice(10)];

/**
 * 2025, leaves [1.1, 1.2, 2.1, 3.1]. The unit, BRVT.SKHDT: 25.5 + 12.12 + 28 + 20 = 85.62.
 * D01 … D10 total 95, 94, …, 88, 87, 87 (D09 and D10 share 9th): 1.1 = total − 65 (30 … 22),
 * 1.2 = 20, 2.1 = 25, 3.1 = 20. BRVT.CHAUDUC 84, BRVT.STP 83 and D11 … D18 82 … 75: 1.1 =
 * total − 70 (14 … 5), 1.2 = 20, 2.1 = 30, 3.1 = 20.
 */
function points2025(): string {
  const lines = ['unit,component,points'];
  const leaves = (unit: string, values: number[]) =>
    ['1.1', '1.2', '2.1', '3.1'].forEach((leaf, i) => lines.push(`${unit},${leaf},${values[i]}`));
  leaves('BRVT.SKHDT', [25.5, 12.12, 28, 20]);
  [95, 94, 93, 92, 91, 90, 89, 88, 87, 87].forEach((total, i) =>
    leaves(top10[i] ?? '', [total - 65, 20, 25, 20]),
  );
  ['BRVT.CHAUDUC', 'BRVT.STP', ...bottom8].forEach((unit, i) =>
    leaves(unit, [84 - i - 70, 20, 30, 20]),
  );
  return lines.join('\n');
}

/** 2024: the unit 20 + 12.199 + 28 + 20 = 80.199; D01 … D15 30 + 20 + 20 + 20 = 90. */
function points2024(): string {
  const lines = ['unit,component,points'];
  const leaves = (unit: string, values: number[]) =>
    ['1.1', '1.2', '2.1', '3.1'].forEach((leaf, i) => lines.push(`${unit},${leaf},${values[i]}`));
  leaves('BRVT.SKHDT', [20, 12.199, 28, 20]);
  for (const unit of departments.slice(0, 15)) leaves(unit, [30, 20, 20, 20]);
  return lines.join('\n');
}

describe.each(engines)('a plan draft on %s', (engine) => {
  let database: TestDatabase;
  const request: PlanDraftRequest = {
    framework: 't-plan',
    period: '2025',
    unit: 'BRVT.SKHDT',
    campaign: 'BRVT-2025',
    top: 5,
    targets: { '1': 3, '2': 10 },
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    await openExampleCampaign(db);
    await importUnits(
      db,
      exampleActor,
      textStream(['unit,name,parent', ...departments.map((d) => `${d},Sở ${d},BRVT`)].join('\n')),
    );
    await importFrameworkTree(
      db,
      exampleActor,
      { code: 't-plan', name: 'Chỉ số CCHC sở' },
      textStream(framework),
    );
    await importPoints(
      db,
      exampleActor,
      { framework: 't-plan', period: '2024' },
      textStream(points2024()),
    );
    await importPoints(
      db,
      exampleActor,
      { framework: 't-plan', period: '2025' },
      textStream(points2025()),
    );
  });
  afterAll(() => database.close());

  const staff = async (role: Role, unit: string): Promise<Principal> => {
    const found = await database.db
      .selectFrom('unit')
      .select('id')
      .where('code', '=', unit)
      .executeTakeFirstOrThrow();
    return { ...operator(`${role}-${unit}`), role, unitId: found.id, unitCode: unit };
  };

  it('states the total, the fields, the weak points and the targets among the 21 peers', async () => {
    const { facts, sections, tasks } = await draftPlanFor(database.db, operator(), request);
    expect(facts.peers).toEqual({ code: 'BRVT', name: 'Tỉnh Bà Rịa - Vũng Tàu' });
    expect(facts.parent).toEqual({ code: 'BRVT', name: 'Tỉnh Bà Rịa - Vũng Tàu' });
    expect(facts.unit).toEqual({ code: 'BRVT.SKHDT', name: 'Sở Kế hoạch và Đầu tư' });
    expect(facts.previous).toBe('2024');
    expect(facts.published).toBeNull();
    expect(facts.provisional).toBe(false);

    // Total 85.62 of 100 (band B: 80 ≤ 85.62 < 90); ten units above it (D09 and D10 share 9th),
    // so 11th of 21, alone at its rank. 2024: 80.199, 16th (15 units at 90): +5.421, +5.
    const { total } = facts;
    close(total.points, 85.62);
    expect([total.max, total.applicableMax]).toEqual([100, 100]);
    close(total.percent, 85.62);
    expect(total.band).toBe('B');
    expect(total.change).toBe(5.421);
    expect([total.rank, total.of, total.tiedWith, total.rankChange]).toEqual([11, 21, 0, 5]);
    close(total.pointsLost, 14.38);

    // Field 1: 37.62 of 50 = 75.24%; D01 … D10 have 50 … 42 (≥ 84%), the rest 34 … 25 (≤ 68%):
    // 11th. 2024: 32.199 (64.398%) against 15 at 100%, 16th: change 5.421, rank change +5.
    const [one, two, three] = facts.fields;
    expect(one).toMatchObject({ code: '1', name: 'Chỉ đạo điều hành', depth: 1, max: 50 });
    close(one?.points, 37.62);
    close(one?.percent, 75.24);
    close(one?.change, 5.421);
    close(one?.pointsLost, 12.38);
    expect([one?.rank, one?.of, one?.tiedWith, one?.rankChange]).toEqual([11, 21, 0, 5]);
    // Field 2: 28 of 30 = 93.333%; ten units at 100%, ten at 83.333%: 11th. 2024: 93.333%
    // against 15 at 66.667%: 1st, so −10; no change in points.
    close(two?.percent, (100 * 28) / 30);
    expect([two?.rank, two?.of, two?.tiedWith, two?.rankChange, two?.change]).toEqual([
      11, 21, 0, -10, 0,
    ]);
    close(two?.pointsLost, 2);
    // Field 3: all 21 at 20: first with the 20 others.
    expect([three?.rank, three?.tiedWith, three?.pointsLost]).toEqual([1, 20, 0]);

    // Lost: 1 (12.38), 1.2 (7.88: 60.6% against all others' 100%, 21st), 1.1 (4.5: 85% behind
    // 30 … 26 of 30, 6th), 2 and 2.1 (2 each, both 11th: the framework's order).
    expect(facts.nodes['1.2']).toMatchObject({ rank: 21, of: 21, tiedWith: 0 });
    close(facts.nodes['1.2']?.pointsLost, 7.88);
    expect(facts.nodes['1.1']?.rank).toBe(6);
    expect(facts.weakByPointsLost).toEqual(['1', '1.2', '1.1', '2', '2.1']);
    expect(facts.weakByRank).toEqual(['1.2', '1', '2', '2.1', '1.1']);

    // Targets: total top 5 = D05's 91, gap 91 − 85.62 = 5.38; field 1 top 3 = D03's 48/50 = 96%,
    // gap (96 − 75.24) × 50 / 100 = 10.38; field 2 top 10: the ten at 100%, gap 2.
    expect(facts.targets.map((t) => [t.node, t.top])).toEqual([
      ['total', 5],
      ['1', 3],
      ['2', 10],
    ]);
    close(facts.targets[0]?.target, 91);
    close(facts.targets[0]?.gap, 5.38);
    close(facts.targets[1]?.target, 96);
    close(facts.targets[1]?.gap, 10.38);
    close(facts.targets[2]?.target, 100);
    close(facts.targets[2]?.gap, 2);

    // Weak fields: 1 and 2 (lost points, 11th > 21/2); not 3 (lost none).
    expect(tasks.filter((t) => t.nodes.length > 0).map((t) => t.nodes)).toEqual([['1'], ['2']]);
    expect(tasks[0]).toMatchObject({
      lead: 'Sở Kế hoạch và Đầu tư',
      coordinating: [],
      deadline: '2026-09-30',
      status: 'not-started',
      factors: [],
    });
    expect(sections.summary).toBe(
      'Khắc phục hạn chế, nâng cao Chỉ số cải cách hành chính năm 2025 của Sở Kế hoạch và Đầu tư',
    );
    expect(sections.recipients).toEqual(['Như trên;', 'Tỉnh Bà Rịa - Vũng Tàu;', 'Lưu: VT.']);
    // The heading's bodies start as the parent and the unit, for the authors to correct.
    expect([sections.superiorBody, sections.issuingBody]).toEqual([
      'Tỉnh Bà Rịa - Vũng Tàu',
      'Sở Kế hoạch và Đầu tư',
    ]);
  });

  it('states the SIPAS figures and the item significantly below the peers', async () => {
    const { facts, tasks } = await draftPlanFor(database.db, operator(), request);
    const sipas = facts.sipas;
    expect(sipas?.campaign.code).toBe('BRVT-2025');
    expect(sipas?.rules).toContain('design srs');
    // The example's respondents: 25 at BRVT.SKHDT.Q1, 60 at the three counters of the peers.
    expect([sipas?.respondents, sipas?.peersRespondents]).toEqual([25, 60]);
    // R's figures for the unit (fixtures/examples/expected.json).
    const r = expectedScores.srs.find((g) => 'unit' in g.key && g.key.unit === 'BRVT.SKHDT');
    close(sipas?.sipas.index, r?.sipas.index ?? NaN);
    close(sipas?.sipas.se, r?.sipas.se ?? NaN);
    expect(sipas?.factors.map((f) => f.code)).toEqual(['TC', 'TT', 'CC', 'KQ', 'PA']);
    close(sipas?.factors[2]?.score.index, r?.factors.CC?.index ?? NaN);

    // HL (responses.csv, satisfied = 4 or 5, no blank): the unit 18 of 25 (p_u = 0.72), the
    // pool 52 of 60 (p = 13/15). u = 100 (s − 0.72 v)/25 − 100 (s − 13/15 v)/60 at the unit:
    // 1.12 − 2/9 for its 18 satisfied, −2.88 + 13/9 for its 7 others; −2/9 for the 34 satisfied
    // elsewhere, +13/9 for the one other. Σu = 0, so SE² = 60/59 Σu². Every other item's
    // interval holds 0 (worked the same way).
    const [a, b, c, d] = [1.12 - 2 / 9, -2.88 + 13 / 9, -2 / 9, 13 / 9];
    const se = Math.sqrt((60 / 59) * (18 * a * a + 7 * b * b + 34 * c * c + d * d));
    expect(sipas?.itemsBelowPeers.map((item) => [item.item, item.factor])).toEqual([['HL', '']]);
    const [hl] = sipas?.itemsBelowPeers ?? [];
    close(hl?.index, 72);
    close(hl?.peersIndex, (100 * 52) / 60);
    close(hl?.difference, 72 - (100 * 52) / 60);
    close(hl?.se, se);
    close(hl?.ci[0], 72 - (100 * 52) / 60 - Z_975 * se);
    close(hl?.ci[1], 72 - (100 * 52) / 60 + Z_975 * se);
    // HL belongs to no factor: no factor's task.
    expect(tasks.every((t) => t.factors.length === 0)).toBe(true);
  });

  it('names the field of an unknown code, and says why a unit has nothing to draft', async () => {
    const db = database.db;
    for (const field of ['framework', 'unit', 'campaign'] as const) {
      await expect(
        draftPlanFor(db, operator(), { ...request, [field]: 'NOPE' }),
      ).rejects.toMatchObject({ code: 'not-found', errors: [{ path: field }] });
    }
    await expect(
      draftPlanFor(db, operator(), { ...request, targets: { '9': 2 } }),
    ).rejects.toMatchObject({ code: 'invalid', errors: [{ path: 'targets.9' }] });
    // No 2023 points: nothing to draft from.
    await expect(
      draftPlanFor(db, operator(), { ...request, period: '2023', campaign: undefined }),
    ).rejects.toMatchObject({ code: 'conflict' });
    // BRVT.STP has no children: the unit is not among those peers.
    await expect(
      draftPlanFor(db, operator(), { ...request, peers: 'BRVT.STP' }),
    ).rejects.toMatchObject({ code: 'invalid', errors: [{ path: 'peers' }] });
    // The top of the map has no parent: its peers must be named.
    await expect(draftPlanFor(db, operator(), { ...request, unit: 'BRVT' })).rejects.toMatchObject({
      code: 'invalid',
      errors: [{ path: 'peers' }],
    });
  });

  it('is read by a reader reaching the unit, its own account too, and no one else', async () => {
    const db = database.db;
    const plain = { ...request, campaign: undefined };
    for (const [role, unit] of [
      ['unit', 'BRVT.SKHDT'],
      ['analyst', 'BRVT'],
      ['appraiser', 'BRVT'],
    ] as const) {
      const { facts } = await draftPlanFor(db, await staff(role, unit), plain);
      expect([facts.total.rank, facts.total.of]).toEqual([11, 21]);
    }
    await expect(draftPlanFor(db, await staff('unit', 'BRVT.STP'), plain)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(draftPlanFor(db, await staff('surveyor', 'BRVT'), plain)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('reads the published figures once the peers results are published', async () => {
    const db = database.db;
    const { version } = await publish(db, operator(), {
      framework: 't-plan',
      period: '2025',
      peers: 'BRVT',
    });
    // After publication the unit's 1.2 becomes 20 (total 93.5, 4th): the draft keeps 85.62, 11th.
    await importPoints(
      db,
      exampleActor,
      { framework: 't-plan', period: '2025' },
      textStream('unit,component,points\nBRVT.SKHDT,1.2,20'),
    );
    const { facts } = await draftPlanFor(db, operator(), { ...request, campaign: undefined });
    expect(facts.published?.version).toBe(version);
    close(facts.total.points, 85.62);
    expect([facts.total.rank, facts.total.of, facts.total.change]).toEqual([11, 21, 5.421]);
    close(facts.targets[0]?.gap, 5.38);
  });
});
