// The plan's progress report (par-cycle.md §6, docs/plans.md "Documents"): "BÁO CÁO Tình hình
// thực hiện Kế hoạch …" as of the plan's day, in the plan's layout (ND 30/2020): the tasks
// counted by status and by the node they answer, then each task with its status, deadline,
// whether it is overdue and its latest report. Pure: the plan in, the DOCX's bytes out.
import { AlignmentType, type Paragraph, type Table } from 'docx';
import type { Plan, PlanTask } from '../../../analysis/plan-document.ts';
import { count, day } from '../../../shared/notation.ts';
import {
  body,
  bodyParagraph,
  closing,
  documentBytes,
  documentHeading,
  documentTitle,
  gap,
  grid,
  heading,
  run,
} from './administrative.ts';
import { deadlineText, STATUS_WORDS, unitNamer } from './words.ts';

/** The report of a task written last: the latest day, then the latest written that day. */
function latestReport(task: PlanTask) {
  return task.reports.reduce<PlanTask['reports'][number] | undefined>(
    (latest, report) =>
      latest === undefined ||
      report.on > latest.on ||
      (report.on === latest.on && report.at > latest.at)
        ? report
        : latest,
    undefined,
  );
}

function reportText(task: PlanTask): string {
  const report = latestReport(task);
  if (report === undefined) return 'Chưa có báo cáo';
  const files = report.files.length;
  return `${day(report.on)}: ${report.text}${files > 0 ? `\n(${files} tệp minh chứng)` : ''}`;
}

/** The tasks counted: "3 nhiệm vụ: 1 đã hoàn thành, 1 đang thực hiện, 1 chưa thực hiện; …". */
function countsSentence(plan: Plan): string {
  const { tasks } = plan;
  const withStatus = (status: PlanTask['status']) =>
    count(tasks.filter((task) => task.status === status).length);
  const overdue = tasks.filter((task) => task.overdue).length;
  return (
    `Tính đến ngày ${day(plan.today)}, Kế hoạch có ${count(tasks.length)} nhiệm vụ: ` +
    `${withStatus('done')} nhiệm vụ đã hoàn thành, ${withStatus('in-progress')} nhiệm vụ đang ` +
    `thực hiện, ${withStatus('not-started')} nhiệm vụ chưa thực hiện; ` +
    (overdue > 0 ? `trong đó ${count(overdue)} nhiệm vụ quá hạn.` : 'không có nhiệm vụ quá hạn.')
  );
}

const byNodeTable = (plan: Plan): Table =>
  grid(
    [
      { title: 'Nội dung', share: 0.35 },
      { title: 'Số nhiệm vụ', share: 0.13, align: AlignmentType.CENTER },
      { title: 'Đã hoàn thành', share: 0.13, align: AlignmentType.CENTER },
      { title: 'Đang thực hiện', share: 0.13, align: AlignmentType.CENTER },
      { title: 'Chưa thực hiện', share: 0.13, align: AlignmentType.CENTER },
      { title: 'Quá hạn', share: 0.13, align: AlignmentType.CENTER },
    ],
    plan.progress.map((node) => [
      node.name,
      ...[node.tasks, node.done, node.inProgress, node.notStarted, node.overdue].map(count),
    ]),
  );

const tasksTable = (plan: Plan, unitName: (unit: string) => string): Table =>
  grid(
    [
      { title: 'STT', share: 0.07, align: AlignmentType.CENTER },
      { title: 'Nội dung công việc', share: 0.25 },
      { title: 'Chủ trì', share: 0.14 },
      { title: 'Thời hạn', share: 0.17, align: AlignmentType.CENTER },
      { title: 'Tình trạng', share: 0.13, align: AlignmentType.CENTER },
      { title: 'Báo cáo gần nhất', share: 0.24 },
    ],
    plan.tasks.map((task, i) => [
      String(i + 1),
      task.content,
      unitName(task.lead),
      deadlineText(task.deadline),
      STATUS_WORDS[task.status] + (task.overdue ? '\nQuá hạn' : ''),
      reportText(task),
    ]),
  );

/** "Khắc phục hạn chế…" continues a sentence: "…thực hiện Kế hoạch khắc phục hạn chế…". */
const continuing = (summary: string) =>
  summary.charAt(0).toLocaleLowerCase('vi') + summary.slice(1);

/**
 * The progress report as DOCX, as of `plan.today`. `unitNames` (code → name) names a lead unit
 * written as its code.
 */
export async function progressDocx(
  plan: Plan,
  unitNames?: ReadonlyMap<string, string>,
): Promise<Uint8Array> {
  const { sections } = plan;
  const summary = `Tình hình thực hiện Kế hoạch ${continuing(sections.summary)}`;
  const children: (Paragraph | Table)[] = [
    documentHeading(sections, 'BC'),
    ...documentTitle('BÁO CÁO', summary),
    heading('I. KẾT QUẢ CHUNG'),
    ...body(countsSentence(plan)),
    ...(plan.progress.length > 0
      ? [bodyParagraph([run('Theo nội dung cần khắc phục:')]), byNodeTable(plan), gap()]
      : []),
    heading('II. TÌNH HÌNH THỰC HIỆN TỪNG NHIỆM VỤ'),
    tasksTable(plan, unitNamer(unitNames)),
    gap(),
    closing(sections),
  ];
  return documentBytes(`Báo cáo: ${summary}`, children);
}
