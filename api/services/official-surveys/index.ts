// Running an officials' survey (par-cycle.md §5, docs/officials.md "Running a survey"): a
// survey of a framework's period with an instrument whose items score the framework's `survey`
// leaves; groups of invited respondents per unit, loaded from a file of counts (never names),
// each invitation a single-use link; the links for mail-merge or as printed slips; a lost link
// reissued; and the response rate by unit and group, counts only. An admin runs every survey;
// a surveyor runs any survey within its unit subtree: groups, links and progress of the units
// it reaches. Whether a given link was used is shown nowhere, except in the one refusal to
// reissue it. No token is ever written to the audit log.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import {
  officialProgressSchema,
  officialSurveySchema,
  type OfficialProgress,
  type OfficialSurvey,
} from '../../../analysis/official-document.ts';
import type { Database, Db } from '../../../db/database.ts';
import * as audit from '../../../db/repositories/audit.ts';
import * as frameworks from '../../../db/repositories/frameworks.ts';
import * as repo from '../../../db/repositories/official-surveys.ts';
import * as units from '../../../db/repositories/units.ts';
import { MIN_GROUP_DEFAULT, OFFICIAL_LIMITS, responseRate } from '../../../shared/official.ts';
import {
  alsoOnLine,
  conflict,
  DomainError,
  invalid,
  longerThan,
  parseInput,
  required,
  text,
  unknown,
  unknownCode,
  type FieldError,
  type Text,
} from '../../errors.ts';
import { assertUnitInScope, unitIdsInScope, type Principal } from '../access.ts';
import { at, ImportProblems, readTable, type Delimiter } from '../csv.ts';
import { frameworkTree } from '../frameworks.ts';
import { officialInstrumentByCode } from '../official-instruments.ts';
import { formatVietnamTime } from '../vietnam-time.ts';
import {
  GROUP_COLUMNS,
  INVITATION_COLUMNS,
  invitationLink,
  officialSurveyInputSchema,
  officialSurveyPatchSchema,
  reissuedSchema,
  reissueInputSchema,
  type InvitationLine,
  type OfficialGroupsImported,
  type OfficialReissued,
} from './schemas.ts';

export * from './schemas.ts';

/** 16 random bytes, base64url: 22 characters (shared/official.ts INVITATION_TOKEN_PATTERN). */
const newToken = () => randomBytes(16).toString('base64url');

// ---------------------------------------------------------------------------------------------
// Who runs a survey

const forbidden = (message: Text) => new DomainError('forbidden', message);

function assertManager(principal: Principal): void {
  if (principal.role === 'admin' || principal.role === 'surveyor') return;
  throw forbidden(
    text(
      'Chỉ quản trị viên và cán bộ khảo sát điều hành cuộc điều tra cán bộ.',
      "Only an admin or a surveyor runs an officials' survey.",
    ),
  );
}

const subject = (code: string) => `officials:${code}`;

async function surveyOf(db: Db, code: string, lock = false): Promise<repo.SurveyRow> {
  const row = await (lock ? repo.lockSurveyByCode(db, code) : repo.findSurveyByCode(db, code));
  if (!row) throw unknown('officialSurvey', code);
  return row;
}

function documentOf(row: repo.SurveyRow): OfficialSurvey {
  return officialSurveySchema.parse({
    code: row.code,
    name: row.name,
    instrument: row.instrument_code,
    framework: row.framework_code,
    period: row.period,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    minGroup: row.min_group,
    createdAt: formatVietnamTime(row.created_at),
    createdBy: row.created_by,
  });
}

// ---------------------------------------------------------------------------------------------
// Surveys

/**
 * A new survey. Every item of the instrument scores a leaf of source `survey` of the framework
 * (422 naming the item otherwise); the code is new (409).
 */
export async function createOfficialSurvey(
  db: Kysely<Database>,
  principal: Principal,
  input: unknown,
): Promise<OfficialSurvey> {
  assertManager(principal);
  const asked = parseInput(
    officialSurveyInputSchema,
    input,
    text('Cuộc điều tra cán bộ không hợp lệ.', "The officials' survey is invalid."),
  );
  return db.transaction().execute(async (trx) => {
    const instrument = await officialInstrumentByCode(trx, asked.instrument);
    const tree = await frameworkTree(trx, asked.framework);
    const framework = await frameworks.findFrameworkRow(trx, asked.framework);
    if (!framework) throw unknown('framework', asked.framework);
    const surveyLeaves = new Set(
      tree.nodes.filter((node) => node.source === 'survey').map((node) => node.code),
    );
    const problems: FieldError[] = instrument.items
      .filter((item) => !surveyLeaves.has(item.leaf))
      .map((item) => ({
        path: 'instrument',
        message: text(
          `câu ${item.code} chấm điểm ${item.leaf}, không phải tiêu chí lấy điểm từ điều tra ` +
            `(nguồn survey) của khung ${asked.framework}`,
          `item ${item.code} scores ${item.leaf}, which is not a leaf of source survey of ` +
            `framework ${asked.framework}`,
        ),
      }));
    if (problems.length > 0) {
      throw invalid(
        text(
          `Bộ câu hỏi ${asked.instrument} không chấm điểm khung ${asked.framework}.`,
          `Instrument ${asked.instrument} does not score framework ${asked.framework}.`,
        ),
        problems,
      );
    }
    if (await repo.findSurveyByCode(trx, asked.code)) {
      throw conflict(
        text(
          `Đã có cuộc điều tra cán bộ ${asked.code}.`,
          `An officials' survey ${asked.code} exists.`,
        ),
      );
    }
    const values = {
      code: asked.code,
      name: asked.name,
      instrument_id: instrument.id,
      framework_id: framework.id,
      period: asked.period,
      opens_on: asked.opensOn,
      closes_on: asked.closesOn,
      min_group: asked.minGroup ?? MIN_GROUP_DEFAULT,
      created_by: principal.actor.id,
    };
    await repo.insertSurvey(trx, values);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'officials.create',
      subject: subject(asked.code),
      detail: {
        name: asked.name,
        instrument: asked.instrument,
        framework: asked.framework,
        period: asked.period,
        opensOn: asked.opensOn,
        closesOn: asked.closesOn,
        minGroup: values.min_group,
      },
    });
    return documentOf(await surveyOf(trx, asked.code));
  });
}

/** Every survey, the latest opening first. Surveys name no unit: every account reads them. */
export async function listOfficialSurveys(db: Db): Promise<OfficialSurvey[]> {
  return (await repo.listSurveys(db)).map(documentOf);
}

export async function officialSurvey(db: Db, code: string): Promise<OfficialSurvey> {
  return documentOf(await surveyOf(db, code));
}

/** A new name, or a new last day (to extend a survey or close it early), audited. */
export async function patchOfficialSurvey(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  input: unknown,
): Promise<OfficialSurvey> {
  assertManager(principal);
  const patch = parseInput(
    officialSurveyPatchSchema,
    input,
    text('Thay đổi không hợp lệ.', 'The change is invalid.'),
  );
  return db.transaction().execute(async (trx) => {
    const before = await surveyOf(trx, code, true);
    if (patch.closesOn !== undefined && patch.closesOn < before.opens_on) {
      throw invalid(text('Thay đổi không hợp lệ.', 'The change is invalid.'), [
        {
          path: 'closesOn',
          message: text(
            `trước ngày bắt đầu ${before.opens_on}`,
            `before the opening day ${before.opens_on}`,
          ),
        },
      ]);
    }
    await repo.updateSurvey(trx, before.id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.closesOn !== undefined ? { closes_on: patch.closesOn } : {}),
    });
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'officials.patch',
      subject: subject(code),
      detail: {
        before: { name: before.name, closesOn: before.closes_on },
        after: patch,
      },
    });
    return documentOf(await surveyOf(trx, code));
  });
}

// ---------------------------------------------------------------------------------------------
// Groups and their links

const COUNT = /^\d+$/;

/** A group's key within its survey: its unit and its name. */
const groupKey = (unitId: number, name: string) => JSON.stringify([unitId, name]);

const countProblem = (cell: string): Text | null => {
  if (cell === '') return required;
  const max = OFFICIAL_LIMITS.invitedPerGroup;
  if (!COUNT.test(cell) || Number(cell) < 1 || Number(cell) > max) {
    return text(
      `${cell} không phải số nguyên từ 1 đến ${max}`,
      `${cell} is not a whole number from 1 to ${max}`,
    );
  }
  return null;
};

/**
 * The group file (columns `unit`, `group`, `count`; CSV, or a workbook's sheet as tableAsCsv
 * reads it): creates each group new to the survey with `count` links, and issues the extra
 * links of a group whose count rose. All or nothing: every problem is named by line and column
 * (422); a count below the links a group holds is refused (409), as links are never taken back.
 */
export async function importOfficialGroups(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  input: Readable,
  delimiter?: Delimiter,
): Promise<OfficialGroupsImported> {
  assertManager(principal);
  const rows = await readTable(input, GROUP_COLUMNS, { delimiter });
  if (rows.length > OFFICIAL_LIMITS.groupRows) {
    const past = rows[OFFICIAL_LIMITS.groupRows];
    throw invalid(
      text(
        `Tệp có ${rows.length} nhóm; nhiều nhất ${OFFICIAL_LIMITS.groupRows}; không có gì được lưu.`,
        `The file has ${rows.length} groups; at most ${OFFICIAL_LIMITS.groupRows}; nothing was stored.`,
      ),
      [
        {
          path: `line ${past?.line ?? 0}`,
          message: text(
            `quá ${OFFICIAL_LIMITS.groupRows} dòng`,
            `more than ${OFFICIAL_LIMITS.groupRows} rows`,
          ),
        },
      ],
    );
  }
  return db.transaction().execute(async (trx) => {
    const survey = await surveyOf(trx, code, true);
    const scope = await unitIdsInScope(trx, principal);
    const codes = [...new Set(rows.map((row) => row.cell('unit')).filter((c) => c !== ''))];
    const known = new Map((await units.findUnitsByCodes(trx, codes)).map((u) => [u.code, u.id]));
    const stored = new Map(
      (await repo.listGroups(trx, survey.id)).map((g) => [groupKey(g.unit_id, g.name), g]),
    );
    const problems = new ImportProblems();
    const lowered: FieldError[] = [];
    const seen = new Map<string, number>();
    const wanted: { unitId: number; unit: string; name: string; count: number }[] = [];
    for (const { line, cell } of rows) {
      const problem = (column: string, message: Text) =>
        problems.add({ path: at(line, column), message });
      const [unit, group, count] = [cell('unit'), cell('group'), cell('count')];
      const unitId = known.get(unit);
      if (unit === '') problem('unit', required);
      else if (unitId === undefined) problem('unit', unknownCode('unit', unit));
      else if (scope !== null && !scope.has(unitId)) {
        problem(
          'unit',
          text(
            `đơn vị ${unit} nằm ngoài phạm vi của tài khoản`,
            `unit ${unit} is outside your scope`,
          ),
        );
      }
      if (group === '') problem('group', required);
      else if (group.length > OFFICIAL_LIMITS.groupName) {
        problem('group', longerThan(OFFICIAL_LIMITS.groupName));
      }
      const badCount = countProblem(count);
      if (badCount) problem('count', badCount);
      if (unitId === undefined || group === '') continue;
      const key = groupKey(unitId, group);
      const first = seen.get(key);
      if (first !== undefined) {
        problem('group', alsoOnLine(`${unit} / ${group}`, first));
        continue;
      }
      seen.set(key, line);
      if (badCount) continue;
      const held = stored.get(key)?.invited ?? 0;
      if (Number(count) < held) {
        lowered.push({
          path: at(line, 'count'),
          message: text(
            `nhóm ${group} của ${unit} đã có ${held} đường dẫn; không thể giảm xuống ${count}`,
            `group ${group} of ${unit} holds ${held} links already; it cannot go down to ${count}`,
          ),
        });
      }
      wanted.push({ unitId, unit, name: group, count: Number(count) });
    }
    problems.throwIfAny();
    if (lowered.length > 0) {
      throw new DomainError(
        'conflict',
        text(
          'Đường dẫn đã phát không thể thu hồi bằng cách giảm số lượng (hãy cấp lại từng đường ' +
            'dẫn nếu cần); không có gì được lưu.',
          'Links issued are not taken back by a lower count (reissue a link instead); ' +
            'nothing was stored.',
        ),
        lowered,
      );
    }
    const extra = wanted.reduce(
      (sum, g) => sum + g.count - (stored.get(groupKey(g.unitId, g.name))?.invited ?? 0),
      0,
    );
    const holds = await repo.countInvitations(trx, survey.id);
    if (holds + extra > OFFICIAL_LIMITS.invitationsPerSurvey) {
      throw invalid(
        text(
          `Cuộc điều tra sẽ có ${holds + extra} đường dẫn; nhiều nhất ` +
            `${OFFICIAL_LIMITS.invitationsPerSurvey}; không có gì được lưu.`,
          `The survey would hold ${holds + extra} links; at most ` +
            `${OFFICIAL_LIMITS.invitationsPerSurvey}; nothing was stored.`,
        ),
        [{ path: 'count', message: text('quá nhiều đường dẫn', 'too many links') }],
      );
    }
    const created = await repo.insertGroups(
      trx,
      wanted
        .filter((group) => !stored.has(groupKey(group.unitId, group.name)))
        .map((group) => ({
          survey_id: survey.id,
          unit_id: group.unitId,
          name: group.name,
          invited: group.count,
        })),
    );
    const ids = new Map(created.map((g) => [groupKey(g.unit_id, g.name), g.id]));
    const links: { group_id: number; token: string }[] = [];
    for (const group of wanted) {
      const key = groupKey(group.unitId, group.name);
      const present = stored.get(key);
      const groupId = present?.id ?? ids.get(key);
      if (groupId === undefined) throw new Error(`group ${key} was not stored`);
      if (present && group.count > present.invited) {
        await repo.setGroupInvited(trx, groupId, group.count);
      }
      for (let i = present?.invited ?? 0; i < group.count; i++) {
        links.push({ group_id: groupId, token: newToken() });
      }
    }
    await repo.insertInvitations(trx, links);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'officials.groups',
      subject: subject(code),
      detail: {
        groups: wanted.map((g) => ({ unit: g.unit, group: g.name, count: g.count })),
        issued: links.length,
      },
    });
    return { groups: wanted.length, issued: links.length };
  });
}

/**
 * The units whose links and progress the principal reads: every one for an admin; a
 * surveyor's subtree; `unit` alone when named (403 outside reach).
 */
async function unitsRead(db: Db, principal: Principal, unit?: string): Promise<number[] | null> {
  assertManager(principal);
  const scope = await unitIdsInScope(db, principal);
  if (unit === undefined) return scope && [...scope];
  await assertUnitInScope(db, principal, unit);
  const row = await units.findUnitByCode(db, unit);
  return row ? [row.id] : [];
}

/**
 * The survey's links for mail-merge or printing (of one unit when `unit` is given), by unit,
 * group and number: `active` or `revoked`, never whether one was answered.
 */
export async function officialInvitations(
  db: Db,
  principal: Principal,
  code: string,
  publicUrl: string,
  unit?: string,
): Promise<InvitationLine[]> {
  const survey = await surveyOf(db, code);
  const rows = await repo.listInvitations(db, survey.id, await unitsRead(db, principal, unit));
  return rows.map((row) => ({
    unit: row.unit_code,
    unitName: row.unit_name,
    group: row.group_name,
    number: row.id,
    link: invitationLink(publicUrl, row.token),
    status: row.revoked_at === null ? 'active' : 'revoked',
    issued: row.issued_at,
  }));
}

/** The links as the rows of the mail-merge file, its header first. */
export const invitationRows = (lines: readonly InvitationLine[]) => [
  [...INVITATION_COLUMNS],
  ...lines.map((l) => [l.unit, l.unitName, l.group, l.number, l.link, l.status, l.issued]),
];

/**
 * Revokes a link (lost, sent to the wrong person) and issues another in its group in its place.
 * A used link is refused (409): its answer counts, and this refusal is the one place where
 * staff learn that a link was used. A revoked one is refused too.
 */
export async function reissueInvitation(
  db: Kysely<Database>,
  principal: Principal,
  code: string,
  number: number,
  input: unknown,
  publicUrl: string,
): Promise<OfficialReissued> {
  assertManager(principal);
  const { reason } = parseInput(
    reissueInputSchema,
    input,
    text('Yêu cầu cấp lại không hợp lệ.', 'The reissue request is invalid.'),
  );
  return db.transaction().execute(async (trx) => {
    const survey = await surveyOf(trx, code, true);
    const link = await repo.lockInvitation(trx, survey.id, number);
    if (!link) {
      throw new DomainError(
        'not-found',
        text(
          `Cuộc điều tra ${code} không có đường dẫn số ${number}.`,
          `Survey ${code} has no link number ${number}.`,
        ),
      );
    }
    const scope = await unitIdsInScope(trx, principal);
    if (scope !== null && !scope.has(link.unit_id)) {
      throw forbidden(
        text(
          `Đường dẫn số ${number} thuộc đơn vị ${link.unit_code}, ngoài phạm vi của tài khoản.`,
          `Link number ${number} is of unit ${link.unit_code}, outside your scope.`,
        ),
      );
    }
    if (link.used) {
      throw conflict(
        text(
          `Đường dẫn số ${number} đã được dùng để trả lời; câu trả lời được tính, không cấp lại.`,
          `Link number ${number} has been answered; its answer counts, and it is not reissued.`,
        ),
      );
    }
    if (link.revoked_at !== null) {
      throw conflict(
        text(`Đường dẫn số ${number} đã bị thu hồi.`, `Link number ${number} is revoked already.`),
      );
    }
    await repo.revokeInvitation(trx, link.id, reason);
    const token = newToken();
    const [id] = await repo.insertInvitations(trx, [
      { group_id: link.group_id, token, replaces: link.id },
    ]);
    if (id === undefined) throw new Error('the new link was not stored');
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'officials.reissue',
      subject: subject(code),
      detail: { number, replacedBy: id, unit: link.unit_code, group: link.group_name, reason },
    });
    return reissuedSchema.parse({ number: id, link: invitationLink(publicUrl, token) });
  });
}

// ---------------------------------------------------------------------------------------------
// Progress

/**
 * The response rate of the survey, of its groups and of their units (those the principal
 * reaches), counted in the database: invited, answered, and links revoked. Never who answered.
 */
export async function officialProgress(
  db: Db,
  principal: Principal,
  code: string,
): Promise<OfficialProgress> {
  const survey = await surveyOf(db, code);
  const groups = await repo.groupCounts(db, survey.id, await unitsRead(db, principal));
  const byUnit = new Map<string, OfficialProgress['units'][number]>();
  for (const row of groups) {
    const [answered, revoked] = [Number(row.answered), Number(row.revoked)];
    let unit = byUnit.get(row.unit_code);
    if (!unit) {
      unit = {
        unit: row.unit_code,
        name: row.unit_name,
        invited: 0,
        answered: 0,
        rate: null,
        groups: [],
      };
      byUnit.set(row.unit_code, unit);
    }
    unit.invited += row.invited;
    unit.answered += answered;
    unit.groups.push({
      group: row.name,
      invited: row.invited,
      answered,
      rate: responseRate(answered, row.invited),
      revoked,
    });
  }
  const unitList = [...byUnit.values()].map((u) => ({
    ...u,
    rate: responseRate(u.answered, u.invited),
  }));
  const invited = unitList.reduce((sum, u) => sum + u.invited, 0);
  const answered = unitList.reduce((sum, u) => sum + u.answered, 0);
  return officialProgressSchema.parse({
    survey: survey.code,
    invited,
    answered,
    rate: responseRate(answered, invited),
    units: unitList,
  });
}
