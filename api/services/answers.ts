// The one place that turns a respondent's answers into what is stored, and back: the CSV
// import and export and the survey submission all go through it, so that a rule (a scale's
// values, a skip rule) holds the same everywhere. No database here.
import { storedItems, type Instrument, type Item } from '../../analysis/instrument.ts';
import { isAsked, keyedByCode, TEXT_ANSWER_MAX, type Askable } from '../../shared/rules.ts';
import { longerThan, text, type FieldError, type Text } from '../errors.ts';

interface ItemCodec {
  item: Item;
  kind: 'single' | 'multiple' | 'text';
  values: ReadonlySet<number>;
  /** Position in the stored array; -1 for a text item (kept in `texts`). */
  position: number;
  /** For messages: the scale's code and values. */
  scaleText: string;
}

interface Codec {
  items: ReadonlyMap<string, ItemCodec>;
  /** For the skip rule. */
  askable: ReadonlyMap<string, Askable>;
  stored: readonly ItemCodec[];
  /** Every item, in instrument order: the answer columns of a CSV file. */
  columns: readonly ItemCodec[];
}

const codecs = new WeakMap<Instrument, Codec>();

function codecOf(instrument: Instrument): Codec {
  const cached = codecs.get(instrument);
  if (cached) return cached;
  const scales = new Map(instrument.scales.map((scale) => [scale.code, scale]));
  const positions = new Map(storedItems(instrument).map((item, i) => [item.code, i]));
  const columns = instrument.items.map((item): ItemCodec => {
    const scale = scales.get(item.scale);
    const values = new Set(scale?.options.map((option) => option.value) ?? []);
    const kind = scale?.kind === 'text' ? 'text' : item.multiple ? 'multiple' : 'single';
    return {
      item,
      kind,
      values,
      position: positions.get(item.code) ?? -1,
      scaleText: `${item.scale} (${[...values].sort((a, b) => a - b).join(', ')})`,
    };
  });
  const codec: Codec = {
    items: new Map(columns.map((c) => [c.item.code, c])),
    askable: keyedByCode(instrument.items),
    stored: columns.filter((c) => c.position >= 0),
    columns,
  };
  codecs.set(instrument, codec);
  return codec;
}

/** The answer columns of the responses CSV: every item code, in instrument order. */
export function answerColumns(instrument: Instrument): string[] {
  return codecOf(instrument).columns.map((c) => c.item.code);
}

export interface EncodedAnswers {
  /** One entry per stored item (analysis/instrument.ts `storedItems`); null is a blank. */
  answers: (number | null)[];
  texts: Record<string, string> | null;
  errors: FieldError[];
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

// A smallint holds 16 bits: option value 15 sets the sign bit.
const toSmallint = (bits: number) => (bits >= 0x8000 ? bits - 0x10000 : bits);

function isBlank(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Checks answers (item code → a value of its scale, an array of option values for a
 * multi-choice item, a string for free text; null or absent is a blank) and encodes them.
 * Error paths are `answers.CODE`, or `answers` when nothing at all was answered.
 */
export function encodeAnswers(
  instrument: Instrument,
  answers: Record<string, unknown>,
): EncodedAnswers {
  const codec = codecOf(instrument);
  const stored: (number | null)[] = new Array<number | null>(codec.stored.length).fill(null);
  const errors: FieldError[] = [];
  let texts: Record<string, string> | null = null;
  let answered = 0;
  for (const [code, value] of Object.entries(answers)) {
    const spec = codec.items.get(code);
    const path = `answers.${code}`;
    if (!spec) {
      errors.push({ path, message: text('không có câu hỏi này', 'unknown item') });
      continue;
    }
    if (isBlank(value)) continue;
    if (spec.kind === 'text') {
      if (typeof value !== 'string') {
        errors.push({ path, message: text('cần một đoạn văn bản', 'expected text') });
      } else if (value.length > TEXT_ANSWER_MAX) {
        errors.push({ path, message: longerThan(TEXT_ANSWER_MAX) });
      } else {
        texts ??= {};
        texts[code] = value;
        answered++;
      }
      continue;
    }
    if (spec.kind === 'single') {
      if (typeof value === 'number' && Number.isInteger(value) && spec.values.has(value)) {
        stored[spec.position] = value;
        answered++;
      } else {
        errors.push({
          path,
          message: text(
            `${describe(value)} không phải một giá trị của thang ${spec.scaleText}`,
            `${describe(value)} is not a value of ${spec.scaleText}`,
          ),
        });
      }
      continue;
    }
    if (!Array.isArray(value)) {
      errors.push({
        path,
        message: text(
          `cần một danh sách lựa chọn của thang ${spec.scaleText}`,
          `expected a list of options of ${spec.scaleText}`,
        ),
      });
      continue;
    }
    const options: unknown[] = value;
    let bits = 0;
    let problem: Text | undefined;
    for (const option of options) {
      if (typeof option !== 'number' || !Number.isInteger(option) || !spec.values.has(option)) {
        problem = text(
          `${describe(option)} không phải một lựa chọn của thang ${spec.scaleText}`,
          `${describe(option)} is not an option of ${spec.scaleText}`,
        );
        break;
      }
      if ((bits & (1 << option)) !== 0) {
        problem = text(`lựa chọn ${option} được chọn hai lần`, `option ${option} is chosen twice`);
        break;
      }
      bits |= 1 << option;
    }
    if (problem !== undefined) errors.push({ path, message: problem });
    else {
      stored[spec.position] = toSmallint(bits);
      answered++;
    }
  }
  const storedByCode = Object.fromEntries(
    codec.stored.map((c) => [c.item.code, stored[c.position]]),
  );
  for (const spec of codec.stored) {
    const rule = spec.item.askIf;
    if (!rule || stored[spec.position] === null) continue;
    // A wrong answer to the controlling item is reported once, there.
    if (errors.some((e) => e.path === `answers.${rule.item}`)) continue;
    if (!isAsked(spec.item, storedByCode, codec.askable)) {
      errors.push({
        path: `answers.${spec.item.code}`,
        message: text(
          `chỉ hỏi khi ${rule.item} là ${rule.equals}: hãy để trống`,
          `asked only when ${rule.item} is ${rule.equals}: leave it blank`,
        ),
      });
    }
  }
  if (answered === 0 && errors.length === 0) {
    errors.push({
      path: 'answers',
      message: text('không có câu trả lời nào', 'no answers at all'),
    });
  }
  return { answers: stored, texts, errors };
}

/**
 * Turns CSV cells (column → text) into the answers `encodeAnswers` reads: an empty cell is a
 * blank, a multi-choice cell lists option values separated by `;`. A cell that is not a number
 * is passed on as text, so that the error names it.
 */
export function answersFromCells(
  instrument: Instrument,
  cells: Iterable<[string, string]>,
): Record<string, unknown> {
  const codec = codecOf(instrument);
  const integer = (text: string): number | string =>
    /^-?\d{1,6}$/.test(text) ? Number(text) : text;
  const answers: Record<string, unknown> = {};
  for (const [code, raw] of cells) {
    const spec = codec.items.get(code);
    const cell = spec?.kind === 'text' ? raw : raw.trim();
    if (cell === '') answers[code] = null;
    else if (spec?.kind === 'multiple')
      answers[code] = cell.split(';').map((o) => integer(o.trim()));
    else if (spec?.kind === 'single') answers[code] = integer(cell);
    else answers[code] = cell;
  }
  return answers;
}

/**
 * The CSV cells of stored answers, one per `answerColumns` entry: a number for a single
 * answer, option values joined by `;` for a multi-choice one, the text of a free-text item,
 * null for a blank.
 */
export function decodeAnswers(
  instrument: Instrument,
  stored: readonly (number | null)[],
  texts: Readonly<Record<string, string>> | null = null,
): (number | string | null)[] {
  const codec = codecOf(instrument);
  if (stored.length !== codec.stored.length) {
    throw new Error(
      `stored answers have ${stored.length} entries, ${instrument.code} has ${codec.stored.length} items`,
    );
  }
  return codec.columns.map((spec) => {
    if (spec.kind === 'text') return texts?.[spec.item.code] ?? null;
    const value = stored[spec.position] ?? null;
    if (value === null || spec.kind === 'single') return value;
    const bits = value & 0xffff;
    return [...spec.values]
      .sort((a, b) => a - b)
      .filter((option) => (bits & (1 << option)) !== 0)
      .join(';');
  });
}
