// What the server embeds in the officials' page (`#survey-data`): the page of a single-use link,
// or why it opens no questions. Checked by hand with the citizen page's helpers (no validation
// library on a phone); its types are the server's (api/contract.ts).
import type { LinkRefusal, OfficialEmbedded, OfficialPage } from '../../api/contract.ts';
import { fields, integer, list, localized, PayloadError, text } from '../survey/payload.ts';

export type Page = OfficialPage;
export type Item = Page['instrument']['items'][number];
export type Reason = LinkRefusal;

const reasons: readonly string[] = [
  'unknown',
  'used',
  'revoked',
  'closed',
  'not-open',
] satisfies Reason[];
const isReason = (v: unknown): v is Reason => typeof v === 'string' && reasons.includes(v);

function page(value: unknown): Page {
  const p = fields(value, 'page');
  const survey = fields(p.survey, 'survey');
  const instrument = fields(p.instrument, 'instrument');
  return {
    survey: {
      name: text(survey.name, 'survey.name'),
      closesOn: text(survey.closesOn, 'survey.closesOn'),
    },
    unit: { name: text(fields(p.unit, 'unit').name, 'unit.name') },
    group: text(p.group, 'group'),
    instrument: {
      name: localized(instrument.name, 'instrument.name'),
      note:
        instrument.note === undefined ? undefined : localized(instrument.note, 'instrument.note'),
      items: list(instrument.items, 'instrument.items', (v, path) => {
        const item = fields(v, path);
        return {
          code: text(item.code, `${path}.code`),
          text: localized(item.text, `${path}.text`),
          options: list(item.options, `${path}.options`, (o, q) => {
            const option = fields(o, q);
            return {
              code: text(option.code, `${q}.code`),
              label: localized(option.label, `${q}.label`),
            };
          }),
        };
      }),
    },
  };
}

/** Reads the embedded JSON; throws PayloadError when it is not what the server promises. */
export function parseEmbedded(json: string): OfficialEmbedded {
  const f = fields(JSON.parse(json), '(data)');
  if (f.problem !== undefined) {
    const p = fields(f.problem, 'problem');
    if (!isReason(p.reason)) throw new PayloadError('problem.reason: not a reason');
    return {
      problem: {
        status: integer(p.status, 'problem.status'),
        reason: p.reason,
        detail: text(p.detail, 'problem.detail'),
      },
    };
  }
  return { page: page(f.page) };
}
