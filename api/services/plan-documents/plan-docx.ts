// The plan as a Vietnamese administrative plan (par-cycle.md §6, docs/plans.md "Documents"):
// the heading of ND 30/2020, "KẾ HOẠCH" and its summary, I. the purpose; II. the facts, the weak
// points, the targets and the tasks as a table; III. the organisation; recipients and signature.
// Pure: the plan in, the DOCX's bytes out.
import { AlignmentType, type Paragraph, type Table } from 'docx';
import type {
  PlanDraft,
  PlanFacts,
  PlanNodeFact,
  PlanSipas,
} from '../../../analysis/plan-document.ts';
import {
  count,
  day,
  decimal,
  percent,
  PERCENT_DECIMALS,
  points,
  rank,
  signedPoints,
  thousandths,
} from '../../../shared/notation.ts';
import { vietnamDate } from '../vietnam-time.ts';
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
import { deadlineText, unitNamer } from './words.ts';

/** The plan's parts the document shows: a draft's, or a stored plan's (which has more). */
export type PlanContent = Pick<PlanDraft, 'facts' | 'sections' | 'tasks'>;

/** How many weak points the plan names, by points lost and by rank. */
const WEAKEST_SHOWN = 10;
const LOWEST_RANKS_SHOWN = 5;

const changeWords = (change: number) => {
  const units = thousandths(change);
  if (units > 0) return `tăng ${points(change)} điểm`;
  if (units < 0) return `giảm ${points(-change)} điểm`;
  return 'không thay đổi về điểm';
};

const rankChangeWords = (change: number) =>
  change > 0 ? `tăng ${change} bậc` : change < 0 ? `giảm ${-change} bậc` : 'giữ nguyên thứ hạng';

/** "xếp hạng 11/21 (đồng hạng với 1 đơn vị)". */
const rankWords = (node: Pick<PlanNodeFact, 'rank' | 'of' | 'tiedWith'>) =>
  `xếp hạng ${rank(node.rank, node.of)}` +
  (node.tiedWith > 0 ? ` (đồng hạng với ${node.tiedWith} đơn vị)` : '');

/** The total in one sentence: points of the applicable maximum, change, rank, band. */
function totalSentence(facts: PlanFacts): string {
  const { total, unit, framework, period, previous, peers } = facts;
  if (total.points === null) {
    return `${unit.name} chưa có điểm ${framework.name} kỳ ${period}.`;
  }
  const parts = [
    `Kỳ ${period}, ${unit.name} đạt ${points(total.points)}/${points(total.applicableMax)} điểm` +
      ` (${percent(total.percent)})` +
      (total.change !== null && previous !== null
        ? `, ${changeWords(total.change)} so với kỳ ${previous}`
        : ''),
    `${rankWords(total)} trong ${peers.name}` +
      (total.rankChange !== null ? `, ${rankChangeWords(total.rankChange)}` : ''),
    ...(total.band ? [`xếp loại ${total.band}`] : []),
  ];
  return `${parts.join('; ')}.`;
}

/** Where the figures come from: a publication (its version and day) or the scores of now. */
function sourceSentence(facts: PlanFacts): string {
  const source = facts.published
    ? `Số liệu theo kết quả đã công bố (lần ${facts.published.version}, ngày ${day(vietnamDate(new Date(facts.published.at)))}).`
    : 'Số liệu tại thời điểm lập kế hoạch, chưa công bố.';
  return facts.provisional
    ? `${source} Một số điểm là điểm tự đánh giá, chưa được thẩm định.`
    : source;
}

function fieldsTable(fields: PlanNodeFact[]): Table {
  return grid(
    [
      { title: 'STT', share: 0.07, align: AlignmentType.CENTER },
      { title: 'Lĩnh vực', share: 0.37 },
      { title: 'Điểm đạt/tối đa', share: 0.17, align: AlignmentType.CENTER },
      { title: 'Tỷ lệ', share: 0.12, align: AlignmentType.CENTER },
      { title: 'Xếp hạng', share: 0.13, align: AlignmentType.CENTER },
      { title: 'Thay đổi (điểm)', share: 0.14, align: AlignmentType.CENTER },
    ],
    fields.map((field, i) => [
      String(i + 1),
      field.name,
      `${points(field.points)}/${points(field.applicableMax)}`,
      percent(field.percent),
      rank(field.rank, field.of) + (field.tiedWith > 0 ? '\n(đồng hạng)' : ''),
      signedPoints(field.change),
    ]),
  );
}

const interval = (ci: readonly [number, number] | null) =>
  ci === null ? '' : ` (khoảng tin cậy 95%: ${percent(ci[0])} – ${percent(ci[1])})`;

/** The SIPAS index, its factors and the items significantly below the peers' pooled index. */
function sipasParagraphs(sipas: PlanSipas, peers: string): Paragraph[] {
  const lines = [
    `Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) theo khảo sát ${sipas.campaign.name}: ` +
      `${percent(sipas.sipas.index)}${interval(sipas.sipas.ci)}, trên ${count(sipas.respondents)} ` +
      `phiếu của đơn vị và ${count(sipas.peersRespondents)} phiếu của ${peers}.`,
    ...sipas.factors.map(
      (factor) => `- ${factor.name}: ${percent(factor.score.index)}${interval(factor.score.ci)}.`,
    ),
    sipas.itemsBelowPeers.length === 0
      ? `Không có tiêu chí nào thấp hơn đáng kể so với chỉ số chung của ${peers}.`
      : `Các tiêu chí thấp hơn đáng kể so với chỉ số chung của ${peers}:`,
    ...sipas.itemsBelowPeers.map(
      (item) =>
        `- ${item.item}. ${item.text}: ${percent(item.index)}, chung ${percent(item.peersIndex)}, ` +
        `chênh lệch ${decimal(item.difference, PERCENT_DECIMALS, { signed: true })} điểm phần trăm ` +
        `(khoảng tin cậy 95%: ${decimal(item.ci[0], PERCENT_DECIMALS, { signed: true })} – ` +
        `${decimal(item.ci[1], PERCENT_DECIMALS, { signed: true })}).`,
    ),
    `(${sipas.rules})`,
  ];
  return lines.flatMap((line) => body(line));
}

/** 2. The weakest nodes by points lost, then those ranked lowest among the peers. */
function weakParagraphs(facts: PlanFacts): Paragraph[] {
  const nodeOf = (code: string) => facts.nodes[code];
  const byLoss = facts.weakByPointsLost.slice(0, WEAKEST_SHOWN).flatMap((code) => {
    const node = nodeOf(code);
    return node
      ? [
          `- ${node.name}: mất ${points(node.pointsLost)} điểm (đạt ${points(node.points)}/` +
            `${points(node.applicableMax)}), ${rankWords(node)}.`,
        ]
      : [];
  });
  if (byLoss.length === 0) {
    return body('Đơn vị không bị mất điểm ở nội dung nào.');
  }
  const byRank = facts.weakByRank.slice(0, LOWEST_RANKS_SHOWN).flatMap((code) => {
    const node = nodeOf(code);
    return node ? [`${node.name} (${rank(node.rank, node.of)})`] : [];
  });
  return [
    ...body('Các nội dung bị mất nhiều điểm nhất:'),
    ...byLoss.flatMap((line) => body(line)),
    ...(byRank.length > 0
      ? body(`Các nội dung có thứ hạng thấp nhất trong nhóm: ${byRank.join('; ')}.`)
      : []),
  ];
}

/** 3. Each target "top K" and the points still missing to reach it. */
function targetParagraphs(facts: PlanFacts): Paragraph[] {
  if (facts.targets.length === 0) return body('Kế hoạch không đặt mục tiêu về thứ hạng.');
  return facts.targets.flatMap((target) => {
    const level =
      target.target === null
        ? ''
        : target.node === 'total'
          ? ` (${points(target.target)} điểm)`
          : ` (${percent(target.target)})`;
    const gap =
      target.gap === null
        ? 'chưa xác định được điểm còn thiếu'
        : thousandths(target.gap) > 0
          ? `còn thiếu ${points(target.gap)} điểm`
          : 'đã đạt';
    return body(`- ${target.name}: vào nhóm ${target.top} đơn vị dẫn đầu${level}; ${gap}.`);
  });
}

/** 4. The tasks: STT, content, lead, coordinating, deadline, expected output. */
function tasksTable(plan: PlanContent, unitName: (unit: string) => string): Table {
  return grid(
    [
      { title: 'STT', share: 0.07, align: AlignmentType.CENTER },
      { title: 'Nội dung công việc', share: 0.3 },
      { title: 'Chủ trì', share: 0.14 },
      { title: 'Phối hợp', share: 0.14 },
      { title: 'Thời gian thực hiện', share: 0.17, align: AlignmentType.CENTER },
      { title: 'Kết quả', share: 0.18 },
    ],
    plan.tasks.map((task, i) => [
      String(i + 1),
      task.content,
      unitName(task.lead),
      task.coordinating.map(unitName).join(',\n'),
      deadlineText(task.deadline),
      task.expectedOutput,
    ]),
  );
}

/**
 * The plan as DOCX. `unitNames` (code → name) names a lead or coordinating unit written as
 * its code.
 */
export async function planDocx(
  plan: PlanContent,
  unitNames?: ReadonlyMap<string, string>,
): Promise<Uint8Array> {
  const { facts, sections } = plan;
  const children: (Paragraph | Table)[] = [
    documentHeading(sections, 'KH'),
    ...documentTitle('KẾ HOẠCH', sections.summary),
    heading('I. MỤC ĐÍCH, YÊU CẦU'),
    ...body(sections.purpose),
    heading('II. NỘI DUNG'),
    heading(`1. Kết quả ${facts.framework.name} kỳ ${facts.period}`),
    ...body(totalSentence(facts)),
    ...body(sourceSentence(facts)),
    ...(facts.fields.length > 0
      ? [bodyParagraph([run('Kết quả theo từng lĩnh vực:')]), fieldsTable(facts.fields), gap()]
      : []),
    ...(facts.sipas ? sipasParagraphs(facts.sipas, facts.peers.name) : []),
    heading('2. Những hạn chế, điểm yếu'),
    ...weakParagraphs(facts),
    heading('3. Mục tiêu'),
    ...targetParagraphs(facts),
    heading('4. Nhiệm vụ, giải pháp'),
    tasksTable(plan, unitNamer(unitNames)),
    gap(),
    heading('III. TỔ CHỨC THỰC HIỆN'),
    ...body(sections.organisation),
    closing(sections),
  ];
  return documentBytes(`Kế hoạch: ${sections.summary}`, children);
}
