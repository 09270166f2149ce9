// QR codes of survey URLs: SVG for the screen and the printed sheet, PNG for anything else.
import QRCode from 'qrcode';

export const surveyUrl = (publicUrl: string, token: string) => `${publicUrl}/s/${token}`;

// Level M survives a scuffed sticker; the URL is short enough to stay an easy scan.
const options = { errorCorrectionLevel: 'M', margin: 2 } as const;

export const qrSvg = (url: string) => QRCode.toString(url, { ...options, type: 'svg' });

export const qrPng = (url: string) => QRCode.toBuffer(url, { ...options, type: 'png', width: 600 });
