// The documents as a reader sees them: LibreOffice lays the DOCX out and prints it to PDF,
// whose text must hold what the plan says, in its order. Both documents go through one
// LibreOffice start (it takes seconds). Without LibreOffice or pdftotext the test is skipped
// here, with a warning, and fails in CI, which installs them (.ci/run).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { planDocx } from './plan-docx.ts';
import { exampleDraft, examplePlan, expectInOrder } from './plan-documents.testing.ts';
import { progressDocx } from './progress-docx.ts';

const run = promisify(execFile);
const missing = ['soffice', 'pdftotext'].filter(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
);
const skipped = missing.length > 0 && !process.env.CI;
if (skipped) {
  console.warn(`The documents' render test is skipped: ${missing.join(', ')} not installed.`);
}

describe('the plan documents rendered by LibreOffice', () => {
  it.skipIf(skipped)(
    'print with the plan’s texts and figures, in order',
    async () => {
      expect(missing, 'LibreOffice (soffice) and pdftotext, which CI installs').toEqual([]);
      const dir = await mkdtemp(join(tmpdir(), 'plan-render-'));
      try {
        await writeFile(join(dir, 'plan.docx'), await planDocx(exampleDraft));
        await writeFile(join(dir, 'progress.docx'), await progressDocx(examplePlan));
        await run(
          'soffice',
          [
            `-env:UserInstallation=file://${join(dir, 'profile')}`,
            '--headless',
            '--convert-to',
            'pdf',
            '--outdir',
            dir,
            join(dir, 'plan.docx'),
            join(dir, 'progress.docx'),
          ],
          { timeout: 150_000 },
        );
        const textOf = async (name: string) => {
          await run('pdftotext', ['-layout', join(dir, `${name}.pdf`), join(dir, `${name}.txt`)]);
          return readFile(join(dir, `${name}.txt`), 'utf8');
        };
        const plan = await textOf('plan');
        // The heading's two columns print side by side; the rest one after the other.
        expect(plan).toContain('Số: ……/KH-……');
        expect(plan).toContain('Độc lập - Tự do - Hạnh phúc');
        expect(plan).toContain('SỞ TƯ PHÁP');
        expectInOrder(plan, [
          'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
          'KẾ HOẠCH',
          'Khắc phục hạn chế, nâng cao Chỉ số CCHC năm 2026',
          'I. MỤC ĐÍCH, YÊU CẦU',
          'II. NỘI DUNG',
          '85,620/95,000',
          '11/21',
          '14,250/20,000',
          '\u22121,250',
          'Cải cách thủ tục hành chính: mất 5,750 điểm',
          'Nội dung công việc',
          // A day in the task table fits its column, on one line.
          '30/09/2026',
          'Thường xuyên',
          'III. TỔ CHỨC THỰC HIỆN',
          'Nơi nhận:',
          'GIÁM ĐỐC',
          'Nguyễn Văn An',
        ]);
        // The page number is printed from the second page on: the first starts with the heading.
        const pages = plan.split('\f');
        expect(pages.length).toBeGreaterThan(1);
        expect(pages[0]?.trim()).toMatch(/^ỦY BAN NHÂN DÂN TỈNH/);
        expect(pages[1]?.trim()).toMatch(/^2\n/);
        const progress = await textOf('progress');
        expectInOrder(progress, [
          'BÁO CÁO',
          'I. KẾT QUẢ CHUNG',
          'Tính đến ngày 05/10/2026',
          'II. TÌNH HÌNH THỰC HIỆN TỪNG NHIỆM VỤ',
          '20/08/2026: Đã trình',
          'Chưa có báo cáo',
          'Nơi nhận:',
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
