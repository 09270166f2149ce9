// An officials' survey's results (par-cycle.md §5, docs/officials.md "Scoring"): per unit and
// group, each leaf's points with their standard error and interval, small groups withheld; and
// the units' points stored as PAR points of the survey's framework and period.
import type { Kysely } from 'kysely';
import * as z from 'zod';
import {
  officialResultsSchema,
  type OfficialGroupResult,
  type OfficialResults,
} from '../../analysis/official-document.ts';
import { leavesOf, optionsOf } from '../../analysis/official-instrument.ts';
import {
  officialLeafResult,
  suppressedGroups,
  type LeafAggregate,
  type ScoredLeaf,
} from '../../analysis/official-scoring.ts';
import { officialLeafSums } from '../../analysis/queries/index.ts';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as surveys from '../../db/repositories/official-surveys.ts';
import * as par from '../../db/repositories/par.ts';
import { responseRate } from '../../shared/official.ts';
import { conflict, DomainError, invalid, text, unknown } from '../errors.ts';
import { unitIdsInScope, type Principal } from './access.ts';
import { officialInstrumentById } from './official-instruments.ts';
import { frameworkByCode } from './par.ts';

/** What a derivation stored (POST …/derive, `sipas officials derive`). */
export const officialDerivedSchema = z.object({
  /** Points stored: one per unit with respondents and leaf. */
  stored: z.number().int().positive(),
  /** Units whose points were stored. */
  units: z.number().int().positive(),
});
export type OfficialDerived = z.output<typeof officialDerivedSchema>;

/** `${unit or group id}/${leaf}` → its sums; a unit's rows under `u${id}`, a group's `g${id}`. */
type Sums = Map<string, LeafAggregate>;

/** The survey's leaves as the framework defines them: code, name and maximum. */
async function scoredLeaves(db: Db, framework: string, leaves: readonly string[]) {
  const { tree } = await frameworkByCode(db, framework);
  return leaves.map((code): ScoredLeaf => {
    const node = tree.nodes.find((n) => n.code === code);
    // The survey's creation checks every item's leaf; a framework changed since cannot score it.
    if (!node || node.max === null) {
      throw conflict(
        text(
          `Mục ${code} của bộ câu hỏi không còn là mục lá của khung ${framework}.`,
          `The instrument's leaf ${code} is no longer a leaf of framework ${framework}.`,
        ),
      );
    }
    return { code, name: node.name, max: node.max };
  });
}

/**
 * The results as `principal` may read them, and the ids of their units. A scoped reader reads
 * the units of its subtree only, and is refused a survey with no group there.
 */
async function readResults(db: Db, principal: Principal, code: string) {
  const survey = await surveys.findSurveyByCode(db, code);
  if (!survey) throw unknown('officialSurvey', code);
  const scope = await unitIdsInScope(db, principal);
  const all = (await surveys.groupCounts(db, survey.id, null)).map((group) => ({
    id: group.id,
    name: group.name,
    invited: group.invited,
    unitId: group.unit_id,
    unit: group.unit_code,
    unitName: group.unit_name,
    answered: Number(group.answered),
  }));
  const groups = scope === null ? all : all.filter((group) => scope.has(group.unitId));
  if (scope !== null && groups.length === 0) {
    const unit = principal.unitCode ?? '';
    throw new DomainError(
      'forbidden',
      text(
        `Cuộc điều tra ${code} không có nhóm nào thuộc đơn vị ${unit} và các đơn vị trực thuộc.`,
        `Survey ${code} has no group within unit ${unit} and the units under it.`,
      ),
    );
  }
  const instrument = await officialInstrumentById(db, survey.instrument_id);
  const leaves = await scoredLeaves(db, survey.framework_code, leavesOf(instrument));
  const layout = instrument.items.map((item) => ({
    leaf: item.leaf,
    shares: optionsOf(instrument, item).map((option) => option.share),
  }));
  const sums: Sums = new Map(
    (await officialLeafSums(db, survey.id, layout)).map((row) => [
      `${row.groupId === null ? `u${row.unitId}` : `g${row.groupId}`}/${row.leaf}`,
      row,
    ]),
  );
  const scored = (key: string, invited: number) =>
    leaves.map((leaf) => officialLeafResult(leaf, sums.get(`${key}/${leaf.code}`), invited));

  // Units in the order of their first group: by code.
  const byUnit = new Map<number, { unit: string; name: string; groups: typeof groups }>();
  for (const group of groups) {
    const unit = byUnit.get(group.unitId);
    if (unit) unit.groups.push(group);
    else byUnit.set(group.unitId, { unit: group.unit, name: group.unitName, groups: [group] });
  }
  const units = [...byUnit].map(([id, { unit, name, groups: own }]) => {
    const invited = own.reduce((sum, group) => sum + group.invited, 0);
    const answered = own.reduce((sum, group) => sum + group.answered, 0);
    const marks = suppressedGroups(
      own.map((group) => group.answered),
      survey.min_group,
    );
    return {
      id,
      unit,
      name,
      invited,
      answered,
      rate: responseRate(answered, invited),
      leaves: scored(`u${id}`, invited),
      groups: own.map((group, i): OfficialGroupResult => {
        const suppressed = marks[i] ?? null;
        return {
          group: group.name,
          invited: group.invited,
          answered: group.answered,
          rate: responseRate(group.answered, group.invited),
          suppressed,
          leaves: suppressed === null ? scored(`g${group.id}`, group.invited) : null,
        };
      }),
    };
  });
  const document = officialResultsSchema.parse({
    survey: survey.code,
    name: survey.name,
    framework: survey.framework_code,
    period: survey.period,
    minGroup: survey.min_group,
    // Parsing drops each unit's id, which only the derivation needs.
    units,
  });
  return { document, survey, units };
}

/** The survey's results by unit and group (GET …/results, `sipas officials results`). */
export async function officialResults(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
): Promise<OfficialResults> {
  // One snapshot, so that the counts and the sums are of the same answers.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => (await readResults(trx, principal, code)).document);
}

/**
 * Stores each unit's points of every leaf the survey scores as PAR points of its framework and
 * period, source `officials:CODE`, replacing what the unit held there. A unit without answers
 * gets none; a survey without any answer is refused, and nothing is stored.
 */
export async function deriveOfficialPoints(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
): Promise<OfficialDerived> {
  return db.transaction().execute(async (trx) => {
    const { survey, units } = await readResults(trx, principal, code);
    // Points come from the sums alone: a leaf has them when the unit has respondents.
    const answered = units.filter((unit) => unit.leaves.some((leaf) => leaf.points !== null));
    const values = answered.flatMap((unit) =>
      unit.leaves.flatMap((leaf): par.PointsValues[] =>
        leaf.points === null
          ? []
          : [
              {
                unitId: unit.id,
                component: leaf.leaf,
                points: leaf.points,
                source: `officials:${survey.code}`,
              },
            ],
      ),
    );
    if (values.length === 0) {
      throw invalid(
        text(
          `Cuộc điều tra ${survey.code} chưa có câu trả lời nào; không có điểm nào được lưu.`,
          `Survey ${survey.code} has no answers yet; no points were stored.`,
        ),
      );
    }
    await par.upsertPoints(trx, survey.framework_id, survey.period, values);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'officials.derive',
      subject: survey.code,
      detail: {
        framework: survey.framework_code,
        period: survey.period,
        leaves: [...new Set(values.map((value) => value.component))],
        units: answered.map((unit) => unit.unit),
      },
    });
    return officialDerivedSchema.parse({ stored: values.length, units: answered.length });
  });
}
