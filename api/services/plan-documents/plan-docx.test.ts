import { describe, expect, it } from 'vitest';
import { planDocx } from './plan-docx.ts';
import {
  docxParagraphs,
  exampleDraft,
  examplePlan,
  expectInOrder,
} from './plan-documents.testing.ts';

const MINUS = '\u2212';

/** The paragraphs from `first` on, as many as `expected` holds. */
const from = (paragraphs: string[], first: string, expected: string[]) => {
  const at = paragraphs.indexOf(first);
  expect(at, first).toBeGreaterThanOrEqual(0);
  expect(paragraphs.slice(at, at + expected.length)).toEqual(expected);
};

describe('the plan as DOCX', () => {
  it('lays the draft out as an administrative plan (ND 30/2020), figures in Vietnamese notation', async () => {
    const paragraphs = await docxParagraphs(await planDocx(exampleDraft));
    expectInOrder(paragraphs.join('\n'), [
      'ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU',
      'SỞ TƯ PHÁP',
      'Số: ……/KH-……',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Bà Rịa - Vũng Tàu, ngày …… tháng …… năm ……',
      'KẾ HOẠCH',
      'Khắc phục hạn chế, nâng cao Chỉ số CCHC năm 2026',
      'I. MỤC ĐÍCH, YÊU CẦU',
      'Khắc phục các hạn chế đã chỉ ra.\nNâng cao thứ hạng của Sở.',
      'II. NỘI DUNG',
      '1. Kết quả Chỉ số CCHC kỳ 2025',
      // 100 × 85.62 / 95 = 90.1263…%.
      'Kỳ 2025, Sở Tư pháp đạt 85,620/95,000 điểm (90,13%), tăng 5,421 điểm so với kỳ 2024; ' +
        'xếp hạng 11/21 (đồng hạng với 1 đơn vị) trong các sở, ban, ngành tỉnh, tăng 2 bậc; ' +
        'xếp loại Khá.',
      // Published at 17:30 UTC on 30 March: 31 March in Vietnam.
      'Số liệu theo kết quả đã công bố (lần 2, ngày 31/03/2026).',
      'Kết quả theo từng lĩnh vực:',
      // SIPAS: 80.044 and 84.356 at 2 decimals; 2400 respondents with a thousands dot.
      'Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) theo khảo sát SIPAS 2025: 82,20% ' +
        '(khoảng tin cậy 95%: 80,04% – 84,36%), trên 120 phiếu của đơn vị và 2.400 phiếu của ' +
        'các sở, ban, ngành tỉnh.',
      '- Tiếp cận dịch vụ: 85,00% (khoảng tin cậy 95%: 83,04% – 86,96%).',
      'Các tiêu chí thấp hơn đáng kể so với chỉ số chung của các sở, ban, ngành tỉnh:',
      `- TC2. Nơi ngồi chờ có đủ chỗ ngồi: 70,00%, chung 80,00%, chênh lệch ${MINUS}10,00 ` +
        `điểm phần trăm (khoảng tin cậy 95%: ${MINUS}14,90 – ${MINUS}5,10).`,
      '(Quyết định 3279/QĐ-BNV)',
      '2. Những hạn chế, điểm yếu',
      // The weakest first: 20 − 14.25 = 5.75 lost, then 65 − 61.87 = 3.13, then 10 − 9.5.
      '- Cải cách thủ tục hành chính: mất 5,750 điểm (đạt 14,250/20,000), xếp hạng 18/21.',
      '- Hiện đại hóa hành chính: mất 3,130 điểm (đạt 61,870/65,000), xếp hạng 9/21 ' +
        '(đồng hạng với 2 đơn vị).',
      '- Công tác chỉ đạo, điều hành: mất 0,500 điểm (đạt 9,500/10,000), xếp hạng 3/21.',
      'Các nội dung có thứ hạng thấp nhất trong nhóm: Cải cách thủ tục hành chính (18/21); ' +
        'Hiện đại hóa hành chính (9/21); Công tác chỉ đạo, điều hành (3/21).',
      '3. Mục tiêu',
      // 88.75 − 85.62 = 3.13.
      '- Tổng: vào nhóm 5 đơn vị dẫn đầu (88,750 điểm); còn thiếu 3,130 điểm.',
      '- Cải cách thủ tục hành chính: vào nhóm 10 đơn vị dẫn đầu (80,00%); còn thiếu 1,750 điểm.',
      '4. Nhiệm vụ, giải pháp',
      'III. TỔ CHỨC THỰC HIỆN',
      'Các phòng thuộc Sở tổ chức thực hiện Kế hoạch này.',
      'Nơi nhận:',
      '- UBND tỉnh (để b/c);',
      '- Lưu: VT.',
      'GIÁM ĐỐC',
      'Nguyễn Văn An',
    ]);
    // The fields' table: 61.87 / 65 = 95.1846…%; F3 shares its rank.
    from(paragraphs, 'Lĩnh vực', [
      'Lĩnh vực',
      'Điểm đạt/tối đa',
      'Tỷ lệ',
      'Xếp hạng',
      'Thay đổi (điểm)',
      '1',
      'Công tác chỉ đạo, điều hành',
      '9,500/10,000',
      '95,00%',
      '3/21',
      '+0,500',
      '2',
      'Cải cách thủ tục hành chính',
      '14,250/20,000',
      '71,25%',
      '18/21',
      `${MINUS}1,250`,
      '3',
      'Hiện đại hóa hành chính',
      '61,870/65,000',
      '95,18%',
      '9/21',
      '(đồng hạng)',
      '+6,171',
    ]);
    from(paragraphs, 'Nội dung công việc', [
      'Nội dung công việc',
      'Chủ trì',
      'Phối hợp',
      'Thời gian thực hiện',
      'Kết quả',
      '1',
      'Rà soát, đơn giản hóa thủ tục hành chính',
      'Sở Tư pháp',
      'Văn phòng UBND tỉnh,',
      'Sở Nội vụ',
      '30/09/2026',
      'Báo cáo rà soát',
      '2',
      'Bố trí thêm ghế chờ tại bộ phận một cửa',
      'BRVT.STP',
      '',
      'Thường xuyên',
      'Nơi chờ đủ chỗ ngồi',
    ]);
  });

  it('heads the plan with the bodies its sections name, rather than the parent and unit on the map', async () => {
    const paragraphs = await docxParagraphs(
      await planDocx({
        ...exampleDraft,
        sections: {
          ...exampleDraft.sections,
          superiorBody: 'Ủy ban nhân dân tỉnh Đồng Nai',
          issuingBody: 'Văn phòng Sở Tư pháp',
        },
      }),
    );
    expect(paragraphs.slice(0, 3)).toEqual([
      'ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI',
      'VĂN PHÒNG SỞ TƯ PHÁP',
      'Số: ……/KH-……',
    ]);
  });

  it('names a unit written as its code, when told the name', async () => {
    const named = await docxParagraphs(
      await planDocx(exampleDraft, new Map([['BRVT.STP', 'Sở Tư pháp']])),
    );
    from(named, 'Bố trí thêm ghế chờ tại bộ phận một cửa', [
      'Bố trí thêm ghế chờ tại bộ phận một cửa',
      'Sở Tư pháp',
    ]);
  });

  it('leaves blanks for what is not known, and says what the figures are', async () => {
    const { facts, sections } = exampleDraft;
    const bytes = await planDocx({
      facts: {
        ...facts,
        parent: null,
        published: null,
        provisional: true,
        total: { ...facts.total, points: null, percent: null, rank: null, change: null },
        weakByPointsLost: [],
        weakByRank: [],
        targets: [],
        sipas: null,
      },
      sections: { ...sections, superiorBody: '', place: ' ', signerTitle: '', signerName: '' },
      tasks: [],
    });
    const paragraphs = await docxParagraphs(bytes);
    const text = paragraphs.join('\n');
    expect(text).not.toContain('ỦY BAN NHÂN DÂN');
    expect(text).not.toContain('SIPAS');
    expectInOrder(text, [
      'SỞ TƯ PHÁP',
      '……, ngày …… tháng …… năm ……',
      'Sở Tư pháp chưa có điểm Chỉ số CCHC kỳ 2025.',
      'Số liệu tại thời điểm lập kế hoạch, chưa công bố. Một số điểm là điểm tự đánh giá, ' +
        'chưa được thẩm định.',
      'Đơn vị không bị mất điểm ở nội dung nào.',
      'Kế hoạch không đặt mục tiêu về thứ hạng.',
      'Nơi nhận:',
    ]);
    // The signature: title and name left blank.
    expect(paragraphs.slice(-6)).toEqual(['……', '', '', '', '', '……']);
  });

  it('writes a stored plan the same way', async () => {
    const paragraphs = await docxParagraphs(await planDocx(examplePlan));
    from(paragraphs, 'Tập huấn kỹ năng giao tiếp cho công chức một cửa', [
      'Tập huấn kỹ năng giao tiếp cho công chức một cửa',
      'Văn phòng Sở',
      '',
      '31/03/2027',
      'Lớp tập huấn',
    ]);
  });
});
