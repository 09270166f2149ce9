// A reorganisation between the database and the pure planning (plan.ts): the map of the day
// before D read from the dated tables, and a checked plan written back to them, in the
// caller's transaction (which holds the organisation lock: api/services/reorganisations.ts).
import type { Db } from '../../../db/database.ts';
import * as links from '../../../db/repositories/links.ts';
import * as reorganisations from '../../../db/repositories/reorganisations.ts';
import * as units from '../../../db/repositories/units.ts';
import type { MapBefore, MapUnit, ReorganisationPlan } from './types.ts';

/** The day before `day`, both YYYY-MM-DD. */
export function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The map with the ids of its units and counters, which applying needs. */
export interface StoredMap {
  map: MapBefore;
  unitIds: ReadonlyMap<string, number>;
  counterIds: ReadonlyMap<string, number>;
}

/**
 * The map a reorganisation on `on` is checked against: the units valid on the day before that
 * have no end yet, with their parent and counters that day. A unit already given an end (by
 * an earlier reorganisation, of that day too) is known as ended.
 */
export async function readMapBefore(db: Db, on: string): Promise<StoredMap> {
  const before = dayBefore(on);
  const [rows, memberships, endingBy, validFrom, open] = await Promise.all([
    reorganisations.openUnitsOn(db, before),
    reorganisations.membershipsOn(db, before),
    reorganisations.codesEndingBy(db, on),
    reorganisations.codesValidFrom(db, on),
    reorganisations.countersOfCampaignsFrom(db, on),
  ]);
  const mapUnits = new Map<string, MapUnit>();
  const unitIds = new Map<string, number>();
  const byId = new Map<number, MapUnit>();
  for (const row of rows) {
    const unit = {
      code: row.code,
      name: row.name,
      type: row.type,
      parentCode: row.parent_code,
      counterCodes: [],
    };
    mapUnits.set(row.code, unit);
    unitIds.set(row.code, row.id);
    byId.set(row.id, unit);
  }
  const counterIds = new Map<string, number>();
  for (const membership of memberships) {
    const unit = byId.get(membership.unit_id);
    // A counter of a unit already ended on D belongs to no unit of this map.
    if (!unit) continue;
    unit.counterCodes.push(membership.code);
    counterIds.set(membership.code, membership.id);
  }
  const notOnMap = (codes: string[]) => new Set(codes.filter((code) => !mapUnits.has(code)));
  return {
    map: {
      on,
      units: mapUnits,
      endedCodes: notOnMap(endingBy),
      codesInUseAfter: notOnMap(validFrom),
      openCampaignCounters: new Set(open),
    },
    unitIds,
    counterIds,
  };
}

/**
 * Writes `plan` (checked against `stored`) in `trx`: the ended units and their parent links
 * end at D, the created units start at D under their parent, the lineage edges join the unit
 * of the day before to the unit of D, parents change and counters move at D, and the
 * reorganisation is kept with its plan. Its id.
 */
export async function applyPlan(
  trx: Db,
  stored: StoredMap,
  plan: ReorganisationPlan,
  actor: string,
): Promise<number> {
  const { on } = plan;
  const idBefore = (code: string) => {
    const id = stored.unitIds.get(code);
    if (id === undefined) throw new Error(`unit ${code} is not on the map of ${on}`);
    return id;
  };
  const counterId = (code: string) => {
    const id = stored.counterIds.get(code);
    if (id === undefined) throw new Error(`counter ${code} is not on the map of ${on}`);
    return id;
  };

  // Ended first: a taken-over code may name a new unit only once the old one has an end.
  const ended = plan.ended.map(idBefore);
  await reorganisations.endUnits(trx, ended, on);
  for (const id of ended) await links.endParent(trx, id, on);

  // A code of D names the created unit, else the unit of the day before that stays.
  const endedCodes = new Set(plan.ended);
  const idOn = new Map([...stored.unitIds].filter(([code]) => !endedCodes.has(code)));
  for (const unit of plan.created) {
    idOn.set(
      unit.code,
      await units.insertUnit(trx, {
        code: unit.code,
        name: unit.name,
        type: unit.type,
        validFrom: on,
      }),
    );
  }
  const idAfter = (code: string) => {
    const id = idOn.get(code);
    if (id === undefined) throw new Error(`unit ${code} is not on the map of ${on}`);
    return id;
  };
  for (const unit of plan.created) {
    if (unit.parentCode !== null) {
      await links.startParent(trx, idAfter(unit.code), idAfter(unit.parentCode), on);
    }
  }
  for (const change of plan.parentChanges) {
    const id = idAfter(change.unit);
    await links.endParent(trx, id, on);
    if (change.parentCode === null) await reorganisations.clearLatestParent(trx, id);
    else await links.startParent(trx, id, idAfter(change.parentCode), on);
  }
  for (const move of plan.counterMoves) {
    const id = counterId(move.counter);
    await links.endMembership(trx, id, on);
    await links.startMembership(trx, id, idAfter(move.to), on);
  }

  const reorganisationId = await reorganisations.insertReorganisation(trx, {
    on,
    appliedBy: actor,
    plan,
  });
  await reorganisations.insertLineage(
    trx,
    reorganisationId,
    plan.lineage.map((edge) => ({
      predecessorId: idBefore(edge.predecessor),
      successorId: idAfter(edge.successor),
      share: edge.share,
    })),
  );
  return reorganisationId;
}
