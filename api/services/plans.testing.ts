// Test support for remediation plans: a draft as drafting makes one (valid per planDraftSchema),
// written by hand for the framework of assessments.testing.ts (t-assess: fields 1 and 2), with
// SIPAS factors TC and HS, and stored as a unit's plan without the drafting.
import type { Kysely } from 'kysely';
import type { PlanDraft, PlanNodeFact, PlanTaskInput } from '../../analysis/plan-document.ts';
import type { Database } from '../../db/database.ts';
import * as units from '../../db/repositories/units.ts';
import type { Principal } from './access.ts';
import { storePlan } from './plans.ts';

const node = (code: string, name: string, depth: number, max: number): PlanNodeFact => ({
  code,
  name,
  depth,
  points: max / 2,
  max,
  applicableMax: max,
  percent: 50,
  change: null,
  rank: 2,
  of: 3,
  tiedWith: 0,
  rankChange: null,
  pointsLost: max / 2,
});

const score = { index: 80, se: 2, ci: [76, 84] as [number, number] };

/** A proposed task answering `nodes` (and `factors`), due on `deadline`. */
export const proposedTask = (
  content: string,
  deadline: string | null,
  nodes: string[] = ['1'],
  factors: string[] = [],
): PlanTaskInput => ({
  content,
  lead: 'Văn phòng',
  coordinating: [],
  deadline,
  expectedOutput: 'Báo cáo',
  nodes,
  factors,
  status: 'not-started',
});

/** The draft of `unit`'s plan for t-assess 2025 among the children of `peers`. */
export function planDraft(
  unit: { code: string; name: string },
  tasks: PlanTaskInput[] = [proposedTask('Rà soát kế hoạch', '2026-09-30')],
  peers = { code: 'T.H', name: 'Huyện H' },
): PlanDraft {
  const nodes = [
    node('1', 'Chỉ đạo', 1, 30),
    node('1.1', 'Kế hoạch', 2, 10),
    node('1.2', 'Kiểm tra', 2, 20),
    node('2', 'Hài lòng', 1, 20),
  ];
  const { depth: _, ...total } = node('total', 'Tổng', 1, 50);
  return {
    facts: {
      framework: { code: 't-assess', name: 't-assess' },
      period: '2025',
      previous: null,
      peers,
      unit,
      parent: peers,
      published: null,
      provisional: false,
      total: { ...total, band: null },
      fields: nodes.filter((n) => n.depth === 1),
      weakByPointsLost: nodes.map((n) => n.code),
      weakByRank: nodes.map((n) => n.code),
      nodes: Object.fromEntries(nodes.map((n) => [n.code, n])),
      targets: [],
      sipas: {
        campaign: { code: 'C-2025', name: 'Khảo sát 2025' },
        rules: 'sipas-2017',
        respondents: 100,
        peersRespondents: 300,
        sipas: score,
        factors: [
          { code: 'TC', name: 'Tiếp cận dịch vụ', score },
          { code: 'HS', name: 'Thủ tục hành chính', score },
        ],
        itemsBelowPeers: [],
      },
    },
    sections: {
      summary: 'Khắc phục hạn chế',
      purpose: 'Nâng cao chỉ số',
      organisation: 'Văn phòng theo dõi',
      recipients: ['Như trên'],
      place: '',
      signerTitle: '',
      signerName: '',
      superiorBody: '',
      issuingBody: '',
    },
    tasks,
  };
}

/** Stores `draft` (by default planDraft's) as the plan of the unit of `code`; its id. */
export async function seedPlan(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  tasks?: PlanTaskInput[],
): Promise<number> {
  const unit = await units.findUnitByCode(db, code);
  if (!unit) throw new Error(`no unit ${code}`);
  return db.transaction().execute((trx) => storePlan(trx, principal, unit, planDraft(unit, tasks)));
}
