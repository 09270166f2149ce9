import { describe, expect, it } from 'vitest';
import { progressDocx } from './progress-docx.ts';
import { docxParagraphs, examplePlan, expectInOrder } from './plan-documents.testing.ts';

describe('the progress report as DOCX', () => {
  it('counts the tasks as of the plan’s day and shows each with its latest report', async () => {
    const paragraphs = await docxParagraphs(await progressDocx(examplePlan));
    expectInOrder(paragraphs.join('\n'), [
      'SỞ TƯ PHÁP',
      'Số: ……/BC-……',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'BÁO CÁO',
      'Tình hình thực hiện Kế hoạch khắc phục hạn chế, nâng cao Chỉ số CCHC năm 2026',
      'I. KẾT QUẢ CHUNG',
      // Three tasks: one of each status; the one in progress is past its 30 September.
      'Tính đến ngày 05/10/2026, Kế hoạch có 3 nhiệm vụ: 1 nhiệm vụ đã hoàn thành, 1 nhiệm vụ ' +
        'đang thực hiện, 1 nhiệm vụ chưa thực hiện; trong đó 1 nhiệm vụ quá hạn.',
      'II. TÌNH HÌNH THỰC HIỆN TỪNG NHIỆM VỤ',
      'Nơi nhận:',
      'GIÁM ĐỐC',
    ]);
    const at = paragraphs.indexOf('Quá hạn');
    // The table by node: its header, then F2's row (1 task, in progress and overdue).
    expect(paragraphs.slice(at - 5, at + 7)).toEqual([
      'Nội dung',
      'Số nhiệm vụ',
      'Đã hoàn thành',
      'Đang thực hiện',
      'Chưa thực hiện',
      'Quá hạn',
      'Cải cách thủ tục hành chính',
      '1',
      '0',
      '1',
      '0',
      '1',
    ]);
    const tasks = paragraphs.indexOf('Tình trạng') - 4;
    expect(paragraphs.slice(tasks, tasks + 25)).toEqual([
      'STT',
      'Nội dung công việc',
      'Chủ trì',
      'Thời hạn',
      'Tình trạng',
      'Báo cáo gần nhất',
      '1',
      'Rà soát, đơn giản hóa thủ tục hành chính',
      'Sở Tư pháp',
      '30/09/2026',
      'Đang thực hiện',
      'Quá hạn',
      // The later of its two reports, listed first, with its two files.
      '20/08/2026: Đã trình UBND tỉnh phương án đơn giản hóa',
      '(2 tệp minh chứng)',
      '2',
      'Bố trí thêm ghế chờ tại bộ phận một cửa',
      'BRVT.STP',
      'Thường xuyên',
      'Đã hoàn thành',
      '01/07/2026: Đã lắp 20 ghế chờ',
      '3',
      'Tập huấn kỹ năng giao tiếp cho công chức một cửa',
      'Văn phòng Sở',
      '31/03/2027',
      'Chưa thực hiện',
    ]);
    expect(paragraphs[tasks + 25]).toBe('Chưa có báo cáo');
  });

  it('says when no task is overdue, and names a lead written as its code', async () => {
    const plan = {
      ...examplePlan,
      tasks: examplePlan.tasks.map((task) => ({ ...task, overdue: false })),
      progress: [],
    };
    const paragraphs = await docxParagraphs(
      await progressDocx(plan, new Map([['BRVT.STP', 'Sở Tư pháp']])),
    );
    const text = paragraphs.join('\n');
    expect(text).toContain('1 nhiệm vụ chưa thực hiện; không có nhiệm vụ quá hạn.');
    expect(text).not.toContain('Quá hạn');
    expect(text).not.toContain('BRVT.STP');
  });
});
