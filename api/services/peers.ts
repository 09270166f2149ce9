// Peer groups (docs/organisation.md, spec §1 and §3): named sets of units for a period,
// independent of the hierarchy, imported from peers.csv, and the peers a scorecard or a league
// table ranks: a group of the period, or the children of a unit on the period's map.
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import * as z from 'zod';
import { periodLastDay } from '../../shared/periods.ts';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as peers from '../../db/repositories/peers.ts';
import * as units from '../../db/repositories/units.ts';
import { alsoOnLine, DomainError, required, text, unknownCode, type Text } from '../errors.ts';
import { assertUnitInScope, unitIdsInScope, type Principal } from './access.ts';
import { codeProblem, nameProblem } from './codes.ts';
import { at, type Delimiter, ImportProblems, readTable } from './csv.ts';

/** Who imports peer groups: an analyst within its scope, an admin anywhere. */
export const PEER_EDITORS = ['admin', 'analyst'] as const;

export const peersColumns = ['group', 'period', 'unit'] as const;

export const peerGroupSummarySchema = z.object({
  name: z.string(),
  period: z.string(),
  units: z.number().int().meta({ description: 'How many units the group holds' }),
});

export const peerGroupSchema = z.object({
  name: z.string(),
  period: z.string(),
  day: z.string().meta({ description: "The period's last day, whose map the units are valid on" }),
  units: z.array(z.object({ code: z.string(), name: z.string() })),
  outside: z
    .number()
    .int()
    .meta({ description: "Members outside a scoped account's unit subtree, not listed" }),
});

export type PeerGroupSummary = z.output<typeof peerGroupSummarySchema>;
export type PeerGroup = z.output<typeof peerGroupSchema>;

const periodProblem = (period: string): Text | null => {
  if (period === '') return required;
  return periodLastDay(period) !== null
    ? null
    : text(
        'không phải một kỳ như 2025, 2025-H1, 2025-Q3 hoặc 2025-07',
        'not a period such as 2025, 2025-H1, 2025-Q3 or 2025-07',
      );
};

const noRows = text('tệp không có dòng dữ liệu nào', 'the file has no rows');

const forbidden = (message: Text) => new DomainError('forbidden', message);

function assertEditor(principal: Principal) {
  if (!(PEER_EDITORS as readonly string[]).includes(principal.role)) {
    throw forbidden(
      text(
        'Chỉ quản trị viên và chuyên viên phân tích nhập nhóm so sánh.',
        'Only an admin or an analyst imports peer groups.',
      ),
    );
  }
}

/**
 * `sipas peers import peers.csv`: all or nothing. Each group of a period is given whole by its
 * rows, and replaces the membership of the group of that name and period, if any (audited).
 * A unit is one valid on the period's last day.
 */
export async function importPeers(
  db: Kysely<Database>,
  principal: Principal,
  input: Readable,
  delimiter?: Delimiter,
): Promise<{ groups: { name: string; period: string; units: number; replaced: boolean }[] }> {
  assertEditor(principal);
  const rows = await readTable(input, peersColumns, { delimiter });
  return db.transaction().execute(async (trx) => {
    const scope = await unitIdsInScope(trx, principal);
    const problems = new ImportProblems();
    const codes = [...new Set(rows.map((row) => row.cell('unit')).filter((c) => c !== ''))];
    const known = new Set((await units.findUnitsByCodes(trx, codes)).map((u) => u.code));
    // Per day, the units valid on it: a code may name different units before and after a change.
    const validOn = new Map<string, Map<string, number>>();
    const unitOn = async (code: string, day: string) => {
      let valid = validOn.get(day);
      if (!valid) {
        const found = await peers.findUnitsByCodesOn(trx, codes, day);
        validOn.set(day, (valid = new Map(found.map((u) => [u.code, u.id]))));
      }
      return valid.get(code);
    };
    const groups = new Map<string, { name: string; period: string; unitIds: number[] }>();
    const seen = new Map<string, number>();
    for (const { line, cell } of rows) {
      const problem = (column: string, message: Text) =>
        problems.add({ path: at(line, column), message });
      const [name, period, code] = [cell('group'), cell('period'), cell('unit')];
      const badName = nameProblem(name);
      if (badName) problem('group', badName);
      const badPeriod = periodProblem(period);
      if (badPeriod) problem('period', badPeriod);
      const badCode = codeProblem(code);
      if (badCode) problem('unit', badCode);
      else if (!known.has(code)) problem('unit', unknownCode('unit', code));
      const day = periodLastDay(period);
      if (badName || badPeriod || badCode || !known.has(code) || day === null) continue;
      const unitId = await unitOn(code, day);
      if (unitId === undefined) {
        problem(
          'unit',
          text(
            `đơn vị ${code} không có trên bản đồ ngày ${day} (cuối kỳ ${period})`,
            `unit ${code} is not on the map of ${day} (the end of ${period})`,
          ),
        );
        continue;
      }
      if (scope !== null && !scope.has(unitId)) {
        problem(
          'unit',
          text(
            `đơn vị ${code} nằm ngoài phạm vi của tài khoản`,
            `unit ${code} is outside your scope`,
          ),
        );
        continue;
      }
      const group = name.trim();
      const key = JSON.stringify([group, period]);
      const member = JSON.stringify([group, period, code]);
      const first = seen.get(member);
      if (first !== undefined) {
        problem('unit', alsoOnLine(`${code} (${group}, ${period})`, first));
        continue;
      }
      seen.set(member, line);
      let entry = groups.get(key);
      if (!entry) groups.set(key, (entry = { name: group, period, unitIds: [] }));
      entry.unitIds.push(unitId);
    }
    if (rows.length === 0) {
      problems.add({ path: 'line 2', message: noRows });
    }
    problems.throwIfAny();
    const stored = [];
    for (const group of groups.values()) {
      const before = await peers.findGroup(trx, group.name, group.period);
      const previous = before ? await peers.findMembers(trx, before.id) : [];
      // A scoped analyst replaces only a group all of whose units it reaches.
      if (scope !== null && previous.some((unit) => !scope.has(unit.id))) {
        throw forbidden(
          text(
            `Nhóm ${group.name} (${group.period}) có đơn vị nằm ngoài phạm vi của tài khoản.`,
            `Group ${group.name} (${group.period}) holds units outside your scope.`,
          ),
        );
      }
      const id = await peers.replaceGroup(trx, group, group.unitIds);
      const after = await peers.findMembers(trx, id);
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: before ? 'peers.replace' : 'peers.create',
        subject: `${group.name}/${group.period}`,
        detail: {
          units: after.map((unit) => unit.code),
          ...(before ? { before: previous.map((unit) => unit.code) } : {}),
        },
      });
      stored.push({
        name: group.name,
        period: group.period,
        units: after.length,
        replaced: before !== undefined,
      });
    }
    return { groups: stored };
  });
}

/** Every peer group, or those of one period. */
export async function listPeerGroups(
  db: Db,
  request: { period?: string | undefined },
): Promise<PeerGroupSummary[]> {
  const rows = await peers.listGroups(db, request.period);
  return rows.map((row) => ({ name: row.name, period: row.period, units: Number(row.units) }));
}

const unknownGroup = (name: string, period: string, field: string) =>
  new DomainError(
    'not-found',
    text(
      `Không có nhóm so sánh ${name} cho kỳ ${period}.`,
      `Unknown peer group ${name} for period ${period}.`,
    ),
    [
      {
        path: field,
        message: text(
          `không có nhóm ${name} cho kỳ ${period}`,
          `no peer group ${name} for period ${period}`,
        ),
      },
    ],
  );

/** A group's units, by code: a scoped principal's alone, the others counted. */
export async function showPeerGroup(
  db: Db,
  principal: Principal,
  request: { name: string; period: string },
): Promise<PeerGroup> {
  const group = await peers.findGroup(db, request.name, request.period);
  if (!group) throw unknownGroup(request.name, request.period, 'name');
  const members = await peers.findMembers(db, group.id);
  const scope = await unitIdsInScope(db, principal);
  const shown = scope === null ? members : members.filter((unit) => scope.has(unit.id));
  return {
    name: group.name,
    period: group.period,
    day: periodLastDay(group.period) ?? '',
    units: shown.map((unit) => ({ code: unit.code, name: unit.name })),
    outside: members.length - shown.length,
  };
}

/** The peers ranked together: their unit ids, and how the document names them. */
export interface Peers {
  unitIds: number[];
  /** The same units' codes. */
  codes: string[];
  /** The group's name, or the unit whose children they are. */
  name: string;
  kind: 'group' | 'children';
}

/**
 * The units of a peer group of the period, every one within the principal's reach (a ranking
 * among units it cannot see would show their places): 404 naming `field` when there is none.
 */
export async function peerGroupUnits(
  db: Db,
  principal: Principal,
  request: { name: string; period: string; field: string },
): Promise<Peers> {
  const group = await peers.findGroup(db, request.name, request.period);
  if (!group) throw unknownGroup(request.name, request.period, request.field);
  const members = await peers.findMembers(db, group.id);
  const scope = await unitIdsInScope(db, principal);
  if (scope !== null && members.some((unit) => !scope.has(unit.id))) {
    throw forbidden(
      text(
        `Nhóm so sánh ${group.name} (${group.period}) có đơn vị nằm ngoài phạm vi của tài khoản.`,
        `Peer group ${group.name} (${group.period}) holds units outside your scope.`,
      ),
    );
  }
  return {
    unitIds: members.map((unit) => unit.id),
    codes: members.map((unit) => unit.code),
    name: group.name,
    kind: 'group',
  };
}

/**
 * The peers of a scorecard: the peer group of that name for the period when there is one, else
 * the children of the unit of that code on the period's map (its last day; a period of another
 * form has none, and the latest map serves). Neither: 404 naming `peers`.
 */
export async function scorecardPeers(
  db: Db,
  principal: Principal,
  request: { peers: string; period: string },
): Promise<Peers> {
  if (await peers.findGroup(db, request.peers, request.period)) {
    return peerGroupUnits(db, principal, { ...request, name: request.peers, field: 'peers' });
  }
  const unit = await units.findUnitByCode(db, request.peers);
  if (!unit) {
    throw new DomainError(
      'not-found',
      text(
        `Không có nhóm so sánh hay đơn vị ${request.peers} cho kỳ ${request.period}.`,
        `No peer group or unit ${request.peers} for period ${request.period}.`,
      ),
      [{ path: 'peers', message: unknownCode('unit', request.peers) }],
    );
  }
  await assertUnitInScope(db, principal, request.peers);
  const day = periodLastDay(request.period);
  // The unit the code names on that day: a code taken over by a new unit names the old one then.
  const parent =
    day === null ? unit : ((await peers.findUnitsByCodesOn(db, [unit.code], day))[0] ?? unit);
  const children =
    day === null
      ? (await units.listUnits(db)).filter((u) => u.parent_id === unit.id)
      : await peers.findChildrenOn(db, parent.id, day);
  return {
    unitIds: children.map((child) => child.id),
    codes: children.map((child) => child.code),
    name: unit.code,
    kind: 'children',
  };
}
