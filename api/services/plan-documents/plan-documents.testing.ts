// A plan built by hand for the documents' tests (valid per the contract's schemas), and the
// text of a DOCX read back from its XML, paragraph by paragraph.
import JSZip from 'jszip';
import { expect } from 'vitest';
import { planDraftSchema, planSchema } from '../../../analysis/plan-document.ts';

/**
 * Sở Tư pháp among 21 departments: 85.62 of an applicable 95 (the third field's 70 has 5 not
 * applicable), 90.126…%, up 5.421 on 2024, 11th with one other, up two places. Its fields sum
 * to the total: 9.5 + 14.25 + 61.87 = 85.62 and 10 + 20 + 65 = 95.
 */
const fields = [
  {
    code: 'F1',
    name: 'Công tác chỉ đạo, điều hành',
    depth: 1,
    points: 9.5,
    max: 10,
    applicableMax: 10,
    percent: 95,
    change: 0.5,
    rank: 3,
    of: 21,
    tiedWith: 0,
    rankChange: 1,
    pointsLost: 0.5,
  },
  {
    code: 'F2',
    name: 'Cải cách thủ tục hành chính',
    depth: 1,
    points: 14.25,
    max: 20,
    applicableMax: 20,
    percent: 71.25,
    change: -1.25,
    rank: 18,
    of: 21,
    tiedWith: 0,
    rankChange: -4,
    pointsLost: 5.75,
  },
  {
    code: 'F3',
    name: 'Hiện đại hóa hành chính',
    depth: 1,
    points: 61.87,
    max: 70,
    applicableMax: 65,
    percent: (100 * 61.87) / 65,
    change: 6.171,
    rank: 9,
    of: 21,
    tiedWith: 2,
    rankChange: 0,
    pointsLost: 3.13,
  },
];

export const exampleDraft = planDraftSchema.parse({
  facts: {
    framework: { code: 'par-2020', name: 'Chỉ số CCHC' },
    period: '2025',
    previous: '2024',
    peers: { code: 'BRVT-SO', name: 'các sở, ban, ngành tỉnh' },
    unit: { code: 'BRVT.STP', name: 'Sở Tư pháp' },
    parent: { code: 'BRVT', name: 'Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu' },
    // 17:30 UTC on 30 March is 00:30 on 31 March in Vietnam.
    published: { version: 2, at: '2026-03-30T17:30:00Z' },
    provisional: false,
    total: {
      code: 'total',
      name: 'Tổng',
      points: 85.62,
      max: 100,
      applicableMax: 95,
      percent: (100 * 85.62) / 95,
      change: 5.421,
      rank: 11,
      of: 21,
      tiedWith: 1,
      rankChange: 2,
      pointsLost: 9.38,
      band: 'Khá',
    },
    fields,
    weakByPointsLost: ['F2', 'F3', 'F1'],
    weakByRank: ['F2', 'F3', 'F1'],
    nodes: Object.fromEntries(fields.map((field) => [field.code, field])),
    targets: [
      { node: 'total', name: 'Tổng', top: 5, target: 88.75, gap: 88.75 - 85.62 },
      // (80 − 71.25) × 20 / 100 = 1.75 points.
      { node: 'F2', name: 'Cải cách thủ tục hành chính', top: 10, target: 80, gap: 1.75 },
    ],
    sipas: {
      campaign: { code: 'sipas-2025', name: 'SIPAS 2025' },
      rules: 'Quyết định 3279/QĐ-BNV',
      respondents: 120,
      peersRespondents: 2400,
      sipas: { index: 82.2, se: 1.1, ci: [80.044, 84.356] },
      factors: [
        { code: 'TC', name: 'Tiếp cận dịch vụ', score: { index: 85, se: 1, ci: [83.04, 86.96] } },
      ],
      itemsBelowPeers: [
        {
          item: 'TC2',
          text: 'Nơi ngồi chờ có đủ chỗ ngồi',
          factor: 'TC',
          index: 70,
          peersIndex: 80,
          difference: -10,
          se: 2.5,
          ci: [-14.9, -5.1],
        },
      ],
    },
  },
  sections: {
    summary: 'Khắc phục hạn chế, nâng cao Chỉ số CCHC năm 2026',
    purpose: 'Khắc phục các hạn chế đã chỉ ra.\nNâng cao thứ hạng của Sở.',
    organisation: 'Các phòng thuộc Sở tổ chức thực hiện Kế hoạch này.',
    recipients: ['UBND tỉnh (để b/c);', '- Lưu: VT.'],
    place: 'Bà Rịa - Vũng Tàu',
    signerTitle: 'Giám đốc',
    signerName: 'Nguyễn Văn An',
    superiorBody: 'Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu',
    issuingBody: 'Sở Tư pháp',
  },
  tasks: [
    {
      content: 'Rà soát, đơn giản hóa thủ tục hành chính',
      lead: 'Sở Tư pháp',
      coordinating: ['Văn phòng UBND tỉnh', 'Sở Nội vụ'],
      deadline: '2026-09-30',
      expectedOutput: 'Báo cáo rà soát',
      nodes: ['F2'],
      factors: [],
      status: 'not-started',
    },
    {
      content: 'Bố trí thêm ghế chờ tại bộ phận một cửa',
      lead: 'BRVT.STP',
      coordinating: [],
      deadline: null,
      expectedOutput: 'Nơi chờ đủ chỗ ngồi',
      nodes: [],
      factors: ['TC'],
      status: 'in-progress',
    },
  ],
});

const report = (id: number, on: string, text: string, files = 0) => ({
  id,
  on,
  text,
  by: 'stp-admin',
  at: `${on}T03:00:00Z`,
  files: Array.from({ length: files }, (_, i) => ({
    id: id * 10 + i,
    name: `minh-chung-${i + 1}.pdf`,
    mediaType: 'application/pdf',
    size: 1000,
    sha256: '0'.repeat(64),
  })),
});

/**
 * The draft stored, on 5 October 2026: the first task (due 30 September) in progress and so
 * overdue, with its reports listed out of order; the second done; a third not started.
 */
export const examplePlan = planSchema.parse({
  id: 7,
  unit: exampleDraft.facts.unit,
  framework: exampleDraft.facts.framework,
  period: '2025',
  peers: 'BRVT-SO',
  campaign: 'sipas-2025',
  facts: exampleDraft.facts,
  sections: exampleDraft.sections,
  tasks: [
    {
      ...exampleDraft.tasks[0],
      status: 'in-progress',
      id: 31,
      position: 1,
      overdue: true,
      reports: [
        report(2, '2026-08-20', 'Đã trình UBND tỉnh phương án đơn giản hóa', 2),
        report(1, '2026-06-15', 'Đã rà soát 40 thủ tục'),
      ],
    },
    {
      ...exampleDraft.tasks[1],
      status: 'done',
      id: 32,
      position: 2,
      overdue: false,
      reports: [report(3, '2026-07-01', 'Đã lắp 20 ghế chờ')],
    },
    {
      content: 'Tập huấn kỹ năng giao tiếp cho công chức một cửa',
      lead: 'Văn phòng Sở',
      coordinating: [],
      deadline: '2027-03-31',
      expectedOutput: 'Lớp tập huấn',
      nodes: ['F3'],
      factors: [],
      status: 'not-started',
      id: 33,
      position: 3,
      overdue: false,
      reports: [],
    },
  ],
  progress: [
    {
      code: 'F2',
      name: 'Cải cách thủ tục hành chính',
      tasks: 1,
      notStarted: 0,
      inProgress: 1,
      done: 0,
      overdue: 1,
    },
    {
      code: 'F3',
      name: 'Hiện đại hóa hành chính',
      tasks: 1,
      notStarted: 1,
      inProgress: 0,
      done: 0,
      overdue: 0,
    },
    {
      code: 'TC',
      name: 'Tiếp cận dịch vụ',
      tasks: 1,
      notStarted: 0,
      inProgress: 0,
      done: 1,
      overdue: 0,
    },
  ],
  today: '2026-10-05',
  draftedAt: '2026-04-01T02:00:00Z',
  draftedBy: 'stp-admin',
  updatedAt: '2026-10-05T02:00:00Z',
});

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

/** The paragraphs of a DOCX's body (table cells' included, in reading order), as text. */
export async function docxParagraphs(bytes: Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')?.async('string');
  if (xml === undefined) throw new Error('no word/document.xml');
  return [...xml.matchAll(/<w:p(?: [^>]*)?\/>|<w:p[ >][\s\S]*?<\/w:p>/g)].map(([paragraph]) =>
    [...paragraph.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map(([, text = '']) => text.replace(/&(amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e))
      .join(''),
  );
}

/** Each of `expected` is found in `text`, each after the one before. */
export function expectInOrder(text: string, expected: readonly string[]): void {
  let from = 0;
  for (const piece of expected) {
    const at = text.indexOf(piece, from);
    expect(at, `"${piece}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + piece.length;
  }
}
