// The printable A4 sheet of a unit's QR codes: one card per counter with its name, the unit,
// the QR code and a line for the citizen. Plain HTML and a stylesheet: no script at all.
import type { IssuedToken } from '../../services/credentials.ts';
import { shortCodeOf } from '../../services/credentials.ts';
import { qrSvg, surveyUrl } from '../counters/qr.ts';

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export const sheetStylesheet = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Be Vietnam Pro", Arial, sans-serif; color: #111; }
.note { margin: 1rem; padding: .75rem 1rem; background: #fff6d6; border: 1px solid #e0c060; }
.warning { margin: 1rem; padding: .75rem 1rem; background: #fde2e1; border: 2px solid #b3261e;
  font-weight: bold; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.card { height: 135mm; border: 1px dashed #999; padding: 6mm; text-align: center;
  display: flex; flex-direction: column; align-items: center; justify-content: space-between;
  break-inside: avoid; page-break-inside: avoid; }
.card h2 { margin: 0; font-size: 17pt; }
.card .unit { margin: 1mm 0 0; font-size: 11pt; }
.card svg { width: 62mm; height: 62mm; }
.card .how { margin: 0; font-size: 11.5pt; line-height: 1.35; }
.card .url { margin: 0; font-size: 7.5pt; color: #555; word-break: break-all; }
.card .code { margin: 0.5em 0 0; font-size: 9pt; }
.card .code strong { font-size: 14pt; letter-spacing: 0.15em; }
/* The officials' survey's slips (api/routes/official-surveys/slips.ts): eight an A4 page. */
.slips { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.slip { height: 64mm; border: 1px dashed #999; padding: 3mm 4mm; display: grid;
  grid-template-columns: 38mm 1fr; gap: 3mm; align-items: center;
  break-inside: avoid; page-break-inside: avoid; }
.slip svg { width: 38mm; height: 38mm; }
.slip h2 { margin: 0; font-size: 11pt; }
.slip p { margin: 1mm 0 0; font-size: 9pt; line-height: 1.3; }
.slip .url { font-size: 7pt; color: #555; word-break: break-all; }
@media print { .note { display: none; } }
`.trim();

const instruction =
  'Mời Ông/Bà quét mã QR bằng điện thoại để đánh giá mức độ hài lòng về việc giải quyết thủ ' +
  'tục hành chính. Phiếu khảo sát ẩn danh, chỉ mất khoảng 3 phút.';

/** For a camera that cannot read the code: the short address and the counter's code. */
const codeInstruction = (publicUrl: string) =>
  `Không quét được mã? Vào ${escapeHtml(publicUrl.replace(/^https?:\/\//, ''))}/c và nhập mã:`;

// Printed too: a sheet printed anyway carries the reason its codes do not work.
const localhostWarning = (publicUrl: string) =>
  `<p class="warning" role="alert">Cảnh báo: các mã QR dưới đây trỏ tới ${escapeHtml(publicUrl)}, ` +
  `địa chỉ mà điện thoại của người dân không truy cập được, vì máy chủ chưa đặt SIPAS_PUBLIC_URL. ` +
  `Hãy đặt SIPAS_PUBLIC_URL là địa chỉ công khai của dịch vụ, khởi động lại rồi in lại. ` +
  `(Warning: these QR codes point at ${escapeHtml(publicUrl)}, which citizens' phones cannot ` +
  `reach: SIPAS_PUBLIC_URL is not set.)</p>\n`;

export async function sheetHtml(options: {
  unit: { code: string; name: string };
  tokens: IssuedToken[];
  publicUrl: string;
  /** SIPAS_PUBLIC_URL is unset on a server reachable from elsewhere (config.ts). */
  qrPointsAtLocalhost: boolean;
  stylesheet: string;
}): Promise<string> {
  const cards = await Promise.all(
    options.tokens.map(async ({ counter, token }) => {
      const url = surveyUrl(options.publicUrl, token);
      return `<article class="card">
<header><h2>${escapeHtml(counter.name)}</h2><p class="unit">${escapeHtml(options.unit.name)}</p></header>
${await qrSvg(url)}
<p class="how">${instruction}</p>
<p class="url">${escapeHtml(url)}</p>
<p class="code">${codeInstruction(options.publicUrl)} <strong>${shortCodeOf(token)}</strong></p>
</article>`;
    }),
  );
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Mã QR khảo sát – ${escapeHtml(options.unit.name)}</title>
<link rel="stylesheet" href="${escapeHtml(options.stylesheet)}"></head>
<body>
${options.qrPointsAtLocalhost ? localhostWarning(options.publicUrl) : ''}<p class="note">In trang này trên giấy A4 (Ctrl+P). Các mã QR cũ của những quầy này đã hết hiệu lực: hãy thay bằng bản in mới.</p>
<main class="sheet">
${cards.join('\n')}
</main>
</body></html>`;
}
