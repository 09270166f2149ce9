import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors.ts';
import { exampleDraft, examplePlan } from './plan-documents.testing.ts';
import { readTasksXlsx, tasksXlsx, type TaskTableRow } from './tasks-xlsx.ts';

const asRows = (tasks: readonly (Omit<TaskTableRow, 'id'> & { id?: number })[]): TaskTableRow[] =>
  tasks.map((task) => ({
    id: task.id ?? null,
    content: task.content,
    lead: task.lead,
    coordinating: task.coordinating,
    deadline: task.deadline,
    expectedOutput: task.expectedOutput,
    status: task.status,
    nodes: task.nodes,
    factors: task.factors,
  }));

async function workbook(rows: unknown[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Nhiệm vụ').addRows(rows);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function refusal(bytes: Uint8Array) {
  const error: unknown = await readTasksXlsx(bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`not refused: ${String(error)}`);
  expect(error.code).toBe('invalid');
  return error.errors.map(({ path, message }) => [path, message.en]);
}

describe('the tasks as XLSX', () => {
  it('reads back the tasks it wrote: a stored plan’s with their ids', async () => {
    const bytes = await tasksXlsx(examplePlan);
    expect(await readTasksXlsx(bytes)).toEqual(asRows(examplePlan.tasks));
  });

  it('reads back a draft’s tasks without ids, as new ones', async () => {
    expect(await readTasksXlsx(await tasksXlsx(exampleDraft))).toEqual(asRows(exampleDraft.tasks));
  });

  it('writes a Vietnamese header, the deadline as a date cell and the status as its word', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.read(Readable.from([await tasksXlsx(examplePlan)]));
    const sheet = book.getWorksheet('Nhiệm vụ');
    expect(sheet?.getRow(1).values).toEqual([
      undefined,
      'Mã',
      'STT',
      'Nội dung công việc',
      'Chủ trì',
      'Phối hợp',
      'Thời gian thực hiện',
      'Kết quả',
      'Trạng thái',
      'Lĩnh vực, tiêu chí',
      'Yếu tố SIPAS',
    ]);
    const first = sheet?.getRow(2);
    expect(first?.getCell(1).value).toBe(31);
    expect(first?.getCell(5).value).toBe('Văn phòng UBND tỉnh; Sở Nội vụ');
    expect(first?.getCell(6).value).toEqual(new Date('2026-09-30T00:00:00Z'));
    expect(first?.getCell(6).numFmt).toBe('dd/mm/yyyy');
    expect(first?.getCell(8).value).toBe('Đang thực hiện');
    expect(sheet?.getRow(3).getCell(6).value).toBe('Thường xuyên');
  });

  it('reads a table typed by hand, with the English names of the columns and codes', async () => {
    const bytes = await workbook([
      ['id', 'content', 'lead', 'coordinating', 'deadline', 'status', 'nodes', 'expected_output'],
      [12, ' Rà soát ', 'Sở Tư pháp', 'Sở Nội vụ\nSở Tài chính', '1/2/2027', 'done', '1; 2', ''],
      [],
      [null, '- Tập huấn', 'Văn phòng', null, '2027-02-28', 'đang THỰC HIỆN', null, 'Lớp'],
    ]);
    expect(await readTasksXlsx(bytes)).toEqual([
      {
        id: 12,
        content: 'Rà soát',
        lead: 'Sở Tư pháp',
        coordinating: ['Sở Nội vụ', 'Sở Tài chính'],
        deadline: '2027-02-01',
        expectedOutput: '',
        status: 'done',
        nodes: ['1', '2'],
        factors: [],
      },
      {
        id: null,
        content: '- Tập huấn',
        lead: 'Văn phòng',
        coordinating: [],
        deadline: '2027-02-28',
        expectedOutput: 'Lớp',
        status: 'in-progress',
        nodes: [],
        factors: [],
      },
    ]);
  });

  it('names the line and column of every bad cell, and returns nothing', async () => {
    const bytes = await workbook([
      ['Mã', 'Nội dung công việc', 'Chủ trì', 'Thời gian thực hiện', 'Trạng thái', 'Yếu tố SIPAS'],
      ['x', 'A', 'Sở', '31/02/2026', 'xong', 'TC, TC'],
      [5, '', 'Sở', null, null, null],
      [5, 'C', '', 'Thường xuyên', 'Chưa thực hiện', null],
      [6, 'D', 'Sở', '30/09/2026', 'not-started', null],
    ]);
    expect(await refusal(bytes)).toEqual([
      [
        'line 2, column Mã',
        'must be the id of a task (a positive whole number), or empty for a new task',
      ],
      // 31 February is no day.
      [
        'line 2, column Thời gian thực hiện',
        'must be a day such as 30/09/2026, or "Thường xuyên" (ongoing)',
      ],
      [
        'line 2, column Trạng thái',
        'must be one of: not-started, in-progress, done (or their Vietnamese words)',
      ],
      ['line 2, column Yếu tố SIPAS', 'an item is repeated'],
      ['line 3, column Nội dung công việc', 'must not be empty'],
      ['line 4, column Mã', 'task 5 is on line 3 already'],
      ['line 4, column Chủ trì', 'must not be empty'],
    ]);
  });

  it('refuses a table without its required columns, or past a plan’s tasks', async () => {
    expect(await refusal(await workbook([['Nội dung công việc'], ['A']]))).toEqual([
      ['line 1, column Chủ trì', 'required column missing'],
    ]);
    const many = Array.from({ length: 201 }, (_, i) => [`Việc ${i + 1}`, 'Sở']);
    expect(await refusal(await workbook([['content', 'lead'], ...many]))).toEqual([
      ['line 202', 'a plan has at most 200 tasks'],
    ]);
  });
});
