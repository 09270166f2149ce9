// What the server embeds in the page (`#survey-data`): the survey of a counter's token, or the
// problem that stops it. Checked by hand rather than with zod: a validation library would cost
// more bytes than the whole survey on a 3G phone.

export type Lang = 'vi' | 'en';
export type Localized = Record<Lang, string>;

export interface Option {
  value: number;
  label: Localized;
}

export interface Scale {
  code: string;
  kind: string;
  options: Option[];
}

export interface Item {
  code: string;
  text: Localized;
  scale: string;
  multiple: boolean;
  factor: string | undefined;
  askIf: { item: string; equals: number } | undefined;
}

export interface Instrument {
  scales: Scale[];
  items: Item[];
  factors: { code: string; name: Localized }[];
  overallItem: string;
}

export interface Survey {
  counter: { code: string; name: string };
  unit: { code: string; name: string };
  campaign: { code: string; name: string };
  instrument: Instrument;
}

export interface Problem {
  status: number;
  detail: string;
}

export type Embedded = { survey: Survey } | { problem: Problem };

export class PayloadError extends Error {}

type Fields = Record<string, unknown>;

function fields(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadError(`${path}: not an object`);
  }
  // A plain object's own enumerable keys, copied so no cast is needed to index it.
  return Object.fromEntries(Object.entries(value));
}

function list<T>(value: unknown, path: string, each: (v: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) throw new PayloadError(`${path}: not a list`);
  return value.map((v: unknown, i) => each(v, `${path}.${i}`));
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new PayloadError(`${path}: not text`);
  return value;
}

function integer(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new PayloadError(`${path}: not an integer`);
  }
  return value;
}

function localized(value: unknown, path: string): Localized {
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
        kind: text(s.kind, `${p}.kind`),
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
  if (f.problem !== undefined) {
    const p = fields(f.problem, 'problem');
    return {
      problem: {
        status: integer(p.status, 'problem.status'),
        detail: text(p.detail, 'problem.detail'),
      },
    };
  }
  const s = fields(f.survey, 'survey');
  return {
    survey: {
      counter: named(s.counter, 'counter'),
      unit: named(s.unit, 'unit'),
      campaign: named(s.campaign, 'campaign'),
      instrument: instrument(s.instrument, 'instrument'),
    },
  };
}
