// What the server embeds in the page (`#survey-data`): the survey of a counter's token, or the
// problem that stops it. Checked by hand rather than with zod: a validation library would cost
// more bytes than the whole survey on a 3G phone. Its types are the server's (api/contract.ts),
// so that a field renamed or retyped there fails typecheck here; static.test.ts parses a page
// the server made.
import type { Embedded as ApiEmbedded, SurveyPayload } from '../../api/contract.ts';

type ApiInstrument = SurveyPayload['instrument'];

export type Localized = ApiInstrument['name'];
export type Lang = keyof Localized;
export type Option = Scale['options'][number];
export type Scale = ApiInstrument['scales'][number];
export type Item = ApiInstrument['items'][number];

/** Of the instrument, what the page reads; each field named and typed as the API has it. */
export type Instrument = Pick<ApiInstrument, 'scales' | 'items' | 'overallItem'> & {
  factors: Pick<ApiInstrument['factors'][number], 'code' | 'name'>[];
};

export type Survey = Pick<SurveyPayload, 'counter' | 'unit'> & {
  campaign: Pick<SurveyPayload['campaign'], 'code' | 'name'>;
  instrument: Instrument;
};

export type Problem = Extract<ApiEmbedded, { problem: unknown }>['problem'];

/** A replaced token's problem comes with its survey, for a citizen who began under it. */
export type Embedded = { survey: Survey } | { problem: Problem; survey?: Survey };

export class PayloadError extends Error {}

type Fields = Record<string, unknown>;

export function fields(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadError(`${path}: not an object`);
  }
  // A plain object's own enumerable keys, copied so no cast is needed to index it.
  return Object.fromEntries(Object.entries(value));
}

export function list<T>(value: unknown, path: string, each: (v: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) throw new PayloadError(`${path}: not a list`);
  return value.map((v: unknown, i) => each(v, `${path}.${i}`));
}

export function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new PayloadError(`${path}: not text`);
  return value;
}

export function integer(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new PayloadError(`${path}: not an integer`);
  }
  return value;
}

function kind(value: unknown, path: string): Scale['kind'] {
  if (value === 'ordinal' || value === 'choice' || value === 'text') return value;
  throw new PayloadError(`${path}: not a scale kind`);
}

export function localized(value: unknown, path: string): Localized {
  const f = fields(value, path);
  return { vi: text(f.vi, `${path}.vi`), en: text(f.en, `${path}.en`) };
}

function named(value: unknown, path: string): { code: string; name: string } {
  const f = fields(value, path);
  return { code: text(f.code, `${path}.code`), name: text(f.name, `${path}.name`) };
}

function item(value: unknown, path: string): Item {
  const f = fields(value, path);
  const askIf = f.askIf === undefined ? undefined : fields(f.askIf, `${path}.askIf`);
  return {
    code: text(f.code, `${path}.code`),
    text: localized(f.text, `${path}.text`),
    scale: text(f.scale, `${path}.scale`),
    multiple: f.multiple === true,
    factor: f.factor === undefined ? undefined : text(f.factor, `${path}.factor`),
    askIf: askIf && {
      item: text(askIf.item, `${path}.askIf.item`),
      equals: integer(askIf.equals, `${path}.askIf.equals`),
    },
  };
}

function instrument(value: unknown, path: string): Instrument {
  const f = fields(value, path);
  return {
    scales: list(f.scales, `${path}.scales`, (v, p) => {
      const s = fields(v, p);
      return {
        code: text(s.code, `${p}.code`),
        kind: kind(s.kind, `${p}.kind`),
        options: list(s.options ?? [], `${p}.options`, (o, q) => {
          const option = fields(o, q);
          return {
            value: integer(option.value, `${q}.value`),
            label: localized(option.label, `${q}.label`),
          };
        }),
      };
    }),
    items: list(f.items, `${path}.items`, item),
    factors: list(f.factors, `${path}.factors`, (v, p) => {
      const factor = fields(v, p);
      return { code: text(factor.code, `${p}.code`), name: localized(factor.name, `${p}.name`) };
    }),
    overallItem: text(f.overallItem, `${path}.overallItem`),
  };
}

/** Reads the embedded JSON; throws PayloadError when it is not what the server promises. */
export function parseEmbedded(json: string): Embedded {
  const f = fields(JSON.parse(json), '(data)');
  const survey = f.survey === undefined ? undefined : parseSurvey(f.survey);
  if (f.problem !== undefined) {
    const p = fields(f.problem, 'problem');
    const problem = {
      status: integer(p.status, 'problem.status'),
      detail: text(p.detail, 'problem.detail'),
    };
    return survey ? { problem, survey } : { problem };
  }
  if (!survey) throw new PayloadError('(data): no survey and no problem');
  return { survey };
}

function parseSurvey(value: unknown): Survey {
  const s = fields(value, 'survey');
  return {
    counter: named(s.counter, 'counter'),
    unit: named(s.unit, 'unit'),
    campaign: named(s.campaign, 'campaign'),
    instrument: instrument(s.instrument, 'instrument'),
  };
}
