// The printable slips of an officials' survey's links: eight to an A4 page, each with the unit,
// the group, the link's number, its QR code, the address and a line of instructions in
// Vietnamese, to hand out where e-mail and Zalo do not reach. Plain HTML with the printable
// sheets' stylesheet (api/routes/units/sheet.ts): no script, no inline style.
import type { InvitationLine } from '../../services/official-surveys/index.ts';
import { qrSvg } from '../counters/qr.ts';
import { escapeHtml } from '../units/sheet.ts';

const instruction =
  'Mời Ông/Bà quét mã QR hoặc mở đường dẫn dưới đây để trả lời phiếu điều tra. Phiếu ẩn danh, ' +
  'mỗi đường dẫn chỉ trả lời được một lần; xin không chuyển cho người khác.';

export async function slipsHtml(options: {
  survey: { code: string; name: string };
  links: readonly InvitationLine[];
  stylesheet: string;
}): Promise<string> {
  const slips = await Promise.all(
    options.links.map(
      async (link) => `<article class="slip">
${await qrSvg(link.link)}
<div><h2>${escapeHtml(link.unitName)}</h2>
<p>${escapeHtml(link.group)} · số ${link.number}</p>
<p>${instruction}</p>
<p class="url">${escapeHtml(link.link)}</p></div>
</article>`,
    ),
  );
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Phiếu mời – ${escapeHtml(options.survey.name)}</title>
<link rel="stylesheet" href="${escapeHtml(options.stylesheet)}"></head>
<body>
<p class="note">In trang này trên giấy A4 (Ctrl+P), cắt theo đường chấm và trao mỗi người một phiếu. ${options.links.length} đường dẫn còn hiệu lực.</p>
<main class="slips">
${slips.join('\n')}
</main>
</body></html>`;
}
