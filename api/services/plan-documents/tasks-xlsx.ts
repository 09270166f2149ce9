// The plan's tasks as a workbook (par-cycle.md §6, docs/plans.md "Documents"), to edit in a
// spreadsheet and import back: one row a task, the header in Vietnamese (or the English names
// of TASK_COLUMN_ALIASES), `Mã` the task's id so that a row imported back updates its task.
// Read with the bounds and the line/column reporting of every other import (xlsx.ts, csv.ts),
// all or nothing: every bad cell is named, and nothing is returned unless every row is good.
import * as z from 'zod';
import type { PlanDraft, PlanTaskInput } from '../../../analysis/plan-document.ts';
import { PLAN_LIMITS, TASK_STATUSES, type TaskStatus } from '../../../shared/plan.ts';
import { text, type Text } from '../../errors.ts';
import { at, ImportProblems, readTable } from '../csv.ts';
import { tableAsCsv } from '../spreadsheet.ts';
import { isCalendarDate } from '../vietnam-time.ts';
import { toXlsxText } from '../xlsx.ts';
import { ONGOING, STATUS_WORDS } from './words.ts';

/** A task as the table holds it: `id` null for a row that adds a task. */
export type TaskTableRow = PlanTaskInput & { id: number | null };

/** The columns, by the header each has in the workbook, in the workbook's order. */
export const TASK_COLUMNS = {
  id: 'Mã',
  position: 'STT',
  content: 'Nội dung công việc',
  lead: 'Chủ trì',
  coordinating: 'Phối hợp',
  deadline: 'Thời gian thực hiện',
  expectedOutput: 'Kết quả',
  status: 'Trạng thái',
  nodes: 'Lĩnh vực, tiêu chí',
  factors: 'Yếu tố SIPAS',
} as const;

type Key = keyof typeof TASK_COLUMNS;
const KEYS = Object.keys(TASK_COLUMNS).filter((key): key is Key => key in TASK_COLUMNS);

/** The header may name a column in English instead: a script need not write Vietnamese. */
export const TASK_COLUMN_ALIASES: Readonly<Record<string, string>> = {
  id: TASK_COLUMNS.id,
  position: TASK_COLUMNS.position,
  content: TASK_COLUMNS.content,
  lead: TASK_COLUMNS.lead,
  coordinating: TASK_COLUMNS.coordinating,
  deadline: TASK_COLUMNS.deadline,
  expected_output: TASK_COLUMNS.expectedOutput,
  status: TASK_COLUMNS.status,
  nodes: TASK_COLUMNS.nodes,
  factors: TASK_COLUMNS.factors,
};

const REQUIRED: readonly string[] = [TASK_COLUMNS.content, TASK_COLUMNS.lead];

const WIDTHS: Record<Key, number> = {
  id: 8,
  position: 6,
  content: 50,
  lead: 24,
  coordinating: 28,
  deadline: 14,
  expectedOutput: 30,
  status: 16,
  nodes: 16,
  factors: 14,
};

/** Coordinating units are names, which may hold commas: one a line, or separated by `;`. */
const UNIT_SEPARATOR = /[;\n]/;
/** Codes hold neither commas nor semicolons. */
const CODE_SEPARATOR = /[,;\n]/;

/** A day as a date cell: its UTC midnight, which a spreadsheet shows as that day. */
const dayCell = (day: string) => new Date(`${day}T00:00:00Z`);

/** The tasks as a workbook of one sheet, "Nhiệm vụ". */
export async function tasksXlsx(plan: Pick<PlanDraft, 'tasks'>): Promise<Uint8Array> {
  // Imported here, not above: exceljs is a large part of the server's start-up (issue 19).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Nhiệm vụ', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = KEYS.map((key) => ({
    header: TASK_COLUMNS[key],
    key,
    width: WIDTHS[key],
    style: { alignment: { wrapText: true, vertical: 'top' } },
  }));
  sheet.getRow(1).font = { bold: true };
  plan.tasks.forEach((task, i) => {
    const row = sheet.addRow({
      id: 'id' in task && typeof task.id === 'number' ? task.id : null,
      position: i + 1,
      content: toXlsxText(task.content),
      lead: toXlsxText(task.lead),
      coordinating: toXlsxText(task.coordinating.join('; ')),
      deadline: task.deadline === null ? ONGOING : dayCell(task.deadline),
      expectedOutput: toXlsxText(task.expectedOutput),
      status: STATUS_WORDS[task.status],
      nodes: toXlsxText(task.nodes.join(', ')),
      factors: toXlsxText(task.factors.join(', ')),
    });
    row.getCell('deadline').numFmt = 'dd/mm/yyyy';
  });
  // The statuses offered as a list, on the rows written and those a person may add.
  const statusColumn = KEYS.indexOf('status') + 1;
  for (let line = 2; line <= PLAN_LIMITS.tasks + 1; line++) {
    sheet.getCell(line, statusColumn).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${TASK_STATUSES.map((status) => STATUS_WORDS[status]).join(',')}"`],
    };
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const comparable = (word: string) => word.normalize('NFC').toLocaleLowerCase('vi');

const STATUS_OF = new Map<string, TaskStatus>(
  TASK_STATUSES.flatMap((status) => [
    [comparable(status), status],
    [comparable(STATUS_WORDS[status]), status],
  ]),
);

/** A deadline: a date cell (read as its ISO time), 30/09/2026, 2026-09-30, or ongoing. */
function readDeadline(cell: string): string | null | undefined {
  if (cell === '' || comparable(cell) === comparable(ONGOING)) return null;
  const iso = /^(\d{4}-\d{2}-\d{2})(?:T00:00:00)?$/.exec(cell)?.[1];
  const written = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(cell);
  const day =
    iso ??
    (written
      ? `${written[3]}-${(written[2] ?? '').padStart(2, '0')}-${(written[1] ?? '').padStart(2, '0')}`
      : undefined);
  return day !== undefined && isCalendarDate(day) ? day : undefined;
}

const idCell = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const tooLong = (limit: number) =>
  text(`dài quá ${limit} ký tự`, `longer than ${limit} characters`);

/**
 * The tasks of a workbook made by tasksXlsx (or written the same way), in its rows' order.
 * Throws the import's error (422) naming the line and column of every bad cell; `STT` is
 * read past: the tasks keep the plan's order.
 */
export async function readTasksXlsx(bytes: Uint8Array): Promise<TaskTableRow[]> {
  const rows = await readTable(await tableAsCsv('xlsx', bytes), REQUIRED, {
    optional: Object.values(TASK_COLUMNS).filter((column) => !REQUIRED.includes(column)),
    aliases: TASK_COLUMN_ALIASES,
  });
  const problems = new ImportProblems();
  const seen = new Map<number, number>();
  const tasks = rows.flatMap(({ line, cell }, index): TaskTableRow[] => {
    let good = true;
    const problem = (key: Key, message: Text) => {
      problems.add({ path: at(line, TASK_COLUMNS[key]), message });
      good = false;
    };
    if (index === PLAN_LIMITS.tasks) {
      problems.add({
        path: `line ${line}`,
        message: text(
          `một kế hoạch có nhiều nhất ${PLAN_LIMITS.tasks} nhiệm vụ`,
          `a plan has at most ${PLAN_LIMITS.tasks} tasks`,
        ),
      });
    }
    const textOf = (key: Key, required: boolean) => {
      const value = cell(TASK_COLUMNS[key]);
      if (required && value === '') problem(key, text('không được để trống', 'must not be empty'));
      if (value.length > PLAN_LIMITS.taskText) problem(key, tooLong(PLAN_LIMITS.taskText));
      return value;
    };
    const listOf = (key: Key, separator: RegExp) => {
      const items = cell(TASK_COLUMNS[key])
        .split(separator)
        .map((item) => item.trim())
        .filter((item) => item !== '');
      if (items.length > PLAN_LIMITS.taskList) {
        problem(
          key,
          text(`nhiều hơn ${PLAN_LIMITS.taskList} mục`, `more than ${PLAN_LIMITS.taskList} items`),
        );
      }
      if (items.some((item) => item.length > PLAN_LIMITS.taskText)) {
        problem(key, tooLong(PLAN_LIMITS.taskText));
      }
      if (new Set(items).size < items.length) {
        problem(key, text('có mục bị lặp lại', 'an item is repeated'));
      }
      return items;
    };

    const idText = cell(TASK_COLUMNS.id);
    let id: number | null = null;
    if (idText !== '') {
      const parsed = idCell.safeParse(idText);
      if (!parsed.success) {
        problem(
          'id',
          text(
            'phải là mã của một nhiệm vụ (số nguyên dương), hoặc để trống cho nhiệm vụ mới',
            'must be the id of a task (a positive whole number), or empty for a new task',
          ),
        );
      } else if (seen.has(parsed.data)) {
        problem(
          'id',
          text(
            `nhiệm vụ ${parsed.data} đã có ở dòng ${seen.get(parsed.data)}`,
            `task ${parsed.data} is on line ${seen.get(parsed.data)} already`,
          ),
        );
      } else {
        id = parsed.data;
        seen.set(id, line);
      }
    }
    const content = textOf('content', true);
    const lead = textOf('lead', true);
    const coordinating = listOf('coordinating', UNIT_SEPARATOR);
    const deadline = readDeadline(cell(TASK_COLUMNS.deadline));
    if (deadline === undefined) {
      problem(
        'deadline',
        text(
          `phải là một ngày như 30/09/2026, hoặc «${ONGOING}»`,
          `must be a day such as 30/09/2026, or "${ONGOING}" (ongoing)`,
        ),
      );
    }
    const expectedOutput = textOf('expectedOutput', false);
    const statusText = cell(TASK_COLUMNS.status);
    const status = statusText === '' ? 'not-started' : STATUS_OF.get(comparable(statusText));
    if (status === undefined) {
      problem(
        'status',
        text(
          `phải là một trong: ${TASK_STATUSES.map((s) => STATUS_WORDS[s]).join(', ')}`,
          `must be one of: ${TASK_STATUSES.join(', ')} (or their Vietnamese words)`,
        ),
      );
    }
    const nodes = listOf('nodes', CODE_SEPARATOR);
    const factors = listOf('factors', CODE_SEPARATOR);
    return good && deadline !== undefined && status !== undefined
      ? [{ id, content, lead, coordinating, deadline, expectedOutput, status, nodes, factors }]
      : [];
  });
  problems.throwIfAny();
  return tasks;
}
