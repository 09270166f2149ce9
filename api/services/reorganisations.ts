// Reorganisations (organisation.md §3, docs/organisation.md): the files of one date previewed
// or applied, an admin's alone. Applying is one transaction that takes the organisation lock
// before it reads the map, so that two reorganisations (or an import) cannot interleave: the
// second sees what the first ended. A bad file is refused whole, every problem named, and
// nothing is stored.
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as reorganisations from '../../db/repositories/reorganisations.ts';
import * as units from '../../db/repositories/units.ts';
import { DomainError, invalid, text } from '../errors.ts';
import type { Principal } from './access.ts';
import { planReorganisation, type ReorganisationFiles } from './reorganisation/plan.ts';
import { describePlan, type PlanPreview } from './reorganisation/preview.ts';
import { applyPlan, readMapBefore, type StoredMap } from './reorganisation/storage.ts';
import type { ReorganisationPlan } from './reorganisation/types.ts';
import { isCalendarDate } from './vietnam-time.ts';

export type { ReorganisationFiles };

const namedUnit = z.object({ code: z.string(), name: z.string() });

const change = z.union([
  z.object({
    kind: z.enum(['merge', 'split', 're-code']),
    predecessors: z.array(namedUnit),
    successors: z.array(namedUnit.extend({ created: z.boolean() })),
    edges: z.array(z.object({ predecessor: z.string(), successor: z.string(), share: z.number() })),
  }),
  z.object({ kind: z.literal('end'), unit: namedUnit }),
  z.object({
    kind: z.literal('transfer'),
    unit: namedUnit,
    from: namedUnit.nullable(),
    to: namedUnit.nullable(),
  }),
]);

export const reorganisationPreviewSchema = z.object({
  on: z.string(),
  units: z.object({ before: z.number().int(), after: z.number().int() }),
  changes: z.array(change),
  ended: z.array(namedUnit.extend({ type: z.string() })),
  created: z.array(
    namedUnit.extend({
      type: z.string(),
      parent: namedUnit.nullable(),
      predecessors: z.array(namedUnit),
    }),
  ),
  reparented: z.array(
    z.object({ unit: namedUnit, from: namedUnit.nullable(), to: namedUnit.nullable() }),
  ),
  counterMoves: z.array(
    z.object({ counter: z.string(), from: namedUnit, to: namedUnit, openCampaign: z.boolean() }),
  ),
  openCampaignCounters: z.array(z.string()),
  /** The campaigns open on or after D whose counters move, with those counters. */
  campaigns: z.array(namedUnit.extend({ counters: z.array(z.string()) })),
  /** The peer groups holding a unit that ends, with those units. */
  peerGroups: z.array(
    z.object({ name: z.string(), period: z.string(), units: z.array(z.string()) }),
  ),
});
export type ReorganisationPreview = z.output<typeof reorganisationPreviewSchema>;

export const appliedReorganisationSchema = reorganisationPreviewSchema.extend({
  id: z.number().int(),
});
export type AppliedReorganisation = z.output<typeof appliedReorganisationSchema>;

export const reorganisationEntrySchema = z.object({
  id: z.number().int(),
  on: z.string(),
  appliedAt: z.string(),
  by: z.string(),
  counts: z.object({
    ended: z.number().int(),
    created: z.number().int(),
    lineage: z.number().int(),
    reparented: z.number().int(),
    counterMoves: z.number().int(),
  }),
});
export type ReorganisationEntry = z.output<typeof reorganisationEntrySchema>;

export interface ReorganisationInput {
  /** D, YYYY-MM-DD. */
  on: string;
  files: ReorganisationFiles;
}

function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      text('Chỉ quản trị viên sắp xếp lại đơn vị.', 'Only an admin reorganises the units.'),
    );
  }
}

const cannotReorganise = text(
  'Không thể sắp xếp lại đơn vị.',
  'The reorganisation cannot be applied.',
);

/** D as a day, and not before the latest reorganisation: history is applied in order. */
async function checkDay(db: Db, on: string): Promise<void> {
  if (!isCalendarDate(on)) {
    throw invalid(cannotReorganise, [
      { path: 'on', message: text('một ngày YYYY-MM-DD', 'a date YYYY-MM-DD') },
    ]);
  }
  const latest = await reorganisations.latestReorganisationDay(db);
  if (latest !== null && on < latest) {
    throw invalid(cannotReorganise, [
      {
        path: 'on',
        message: text(
          `đã có một lần sắp xếp lại từ ngày ${latest}: không thể sắp xếp lại vào ngày sớm hơn`,
          `a reorganisation took effect on ${latest}: none may take effect earlier`,
        ),
      },
    ]);
  }
}

/** The plan of the files on the stored map, and its preview with what else it touches. */
async function prepare(db: Db, input: ReorganisationInput) {
  await checkDay(db, input.on);
  const stored = await readMapBefore(db, input.on);
  const plan = await planReorganisation(input.files, stored.map);
  // Files without a row change nothing: a reorganisation of nothing would be stored as one.
  if (Object.values(countsOf(plan)).every((count) => count === 0)) {
    throw invalid(cannotReorganise, [
      {
        path: 'reorganisation',
        message: text(
          'tệp không có thay đổi nào (không có dòng nào, không có chuyển đơn vị nào)',
          'the files change nothing (no rows, no transfers)',
        ),
      },
    ]);
  }
  return { stored, plan, preview: await previewOf(db, stored, plan) };
}

async function previewOf(
  db: Db,
  stored: StoredMap,
  plan: ReorganisationPlan,
): Promise<ReorganisationPreview> {
  const described: PlanPreview = describePlan(plan, stored.map);
  const [held, grouped] = await Promise.all([
    reorganisations.campaignsHoldingFrom(
      db,
      plan.on,
      plan.counterMoves.map((move) => move.counter),
    ),
    reorganisations.peerGroupsHolding(
      db,
      plan.ended.flatMap((code) => stored.unitIds.get(code) ?? []),
    ),
  ]);
  const campaigns = new Map<string, { code: string; name: string; counters: string[] }>();
  for (const row of held) {
    const campaign = campaigns.get(row.code) ?? { code: row.code, name: row.name, counters: [] };
    campaign.counters.push(row.counter);
    campaigns.set(row.code, campaign);
  }
  const peerGroups = new Map<string, { name: string; period: string; units: string[] }>();
  for (const row of grouped) {
    const key = `${row.name}\u0000${row.period}`;
    const group = peerGroups.get(key) ?? { name: row.name, period: row.period, units: [] };
    group.units.push(row.unit);
    peerGroups.set(key, group);
  }
  return reorganisationPreviewSchema.parse({
    ...described,
    campaigns: [...campaigns.values()],
    peerGroups: [...peerGroups.values()],
  });
}

/** What the files would do on `on`, or every problem of them; nothing is stored. */
export async function previewReorganisation(
  db: Kysely<Database>,
  principal: Principal,
  input: ReorganisationInput,
): Promise<ReorganisationPreview> {
  assertAdmin(principal);
  return (await prepare(db, input)).preview;
}

/** Applies the files on `on` in one transaction, or refuses them whole. */
export async function applyReorganisation(
  db: Kysely<Database>,
  principal: Principal,
  input: ReorganisationInput,
): Promise<AppliedReorganisation> {
  assertAdmin(principal);
  return db.transaction().execute(async (trx) => {
    await units.lockOrganisation(trx);
    const { stored, plan, preview } = await prepare(trx, input);
    const actor = principal.actor.id;
    const id = await applyPlan(trx, stored, plan, actor);
    await audit.recordAudit(trx, {
      actor,
      action: 'units.reorganise',
      subject: `reorganisation:${id}`,
      detail: { on: plan.on, ...countsOf(plan) },
    });
    return { id, ...preview };
  });
}

/** What the list counts of a stored plan (types.ts ReorganisationPlan). */
const storedPlan = z.object({
  ended: z.array(z.string()),
  created: z.array(z.unknown()),
  lineage: z.array(z.unknown()),
  parentChanges: z.array(z.unknown()),
  counterMoves: z.array(z.unknown()),
});

const countsOf = (plan: z.output<typeof storedPlan>) => ({
  ended: plan.ended.length,
  created: plan.created.length,
  lineage: plan.lineage.length,
  reparented: plan.parentChanges.length,
  counterMoves: plan.counterMoves.length,
});

/** Every reorganisation applied, the latest date first. */
export async function listReorganisations(
  db: Kysely<Database>,
  principal: Principal,
): Promise<ReorganisationEntry[]> {
  assertAdmin(principal);
  const rows = await reorganisations.listReorganisations(db);
  return rows.map((row) =>
    reorganisationEntrySchema.parse({
      id: row.id,
      on: row.effective_on,
      appliedAt: row.applied_at.toISOString(),
      by: row.applied_by,
      counts: countsOf(storedPlan.parse(row.plan)),
    }),
  );
}
