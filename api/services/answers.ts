// The one place that turns a respondent's answers into what is stored, and back: the CSV
// import and export and the survey submission all go through it, so that a rule (a scale's
// values, a skip rule) holds the same everywhere. No database here.
import { storedItems, type Instrument, type Item } from '../../analysis/instrument.ts';
import {
  askedWhen,
  keyedByCode,
  rulesHold,
  TEXT_ANSWER_MAX,
  type SkipRule,
} from '../../shared/rules.ts';
import { longerThan, text, type FieldError, type Text } from '../errors.ts';

interface ItemCodec {
  item: Item;
  kind: 'single' | 'multiple' | 'text';
  values: ReadonlySet<number>;
  /** Position in the stored array; -1 for a text item (kept in `texts`). */
  position: number;
  /** For messages: the scale's code and values. */
  scaleText: string;
  /** Where its problems are reported: `answers.CODE`. */
  path: string;
}

/** A stored item under a skip rule, with the chain of rules `askedWhen` gives for it. */
interface SkipCheck {
  spec: ItemCodec;
  rule: SkipRule;
  rules: readonly SkipRule[] | null;
  /** The path of the rule's item, whose wrong answer is reported there alone. */
  rulePath: string;
}

interface Codec {
  items: ReadonlyMap<string, ItemCodec>;
  stored: readonly ItemCodec[];
  /** Every item, in instrument order: the answer columns of a CSV file. */
  columns: readonly ItemCodec[];
  skips: readonly SkipCheck[];
  /** Position in the stored array by item code, for the skip rules. */
  positions: ReadonlyMap<string, number>;
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
      path: `answers.${item.code}`,
    };
  });
  const stored = columns.filter((c) => c.position >= 0);
  const askable = keyedByCode(instrument.items);
  const codec: Codec = {
    items: new Map(columns.map((c) => [c.item.code, c])),
    stored,
    columns,
    skips: stored.flatMap((spec): SkipCheck[] => {
      const rule = spec.item.askIf;
      if (!rule) return [];
      return [
        { spec, rule, rules: askedWhen(spec.item, askable), rulePath: `answers.${rule.item}` },
      ];
    }),
    positions,
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
 * One set of answers being checked and encoded, an item at a time (`add`), then as a whole
 * (`result`): the rules of encodeAnswers, whether the answers come as an object or as the
 * cells of a CSV row.
 */
class Encoding {
  readonly stored: (number | null)[];
  readonly errors: FieldError[] = [];
  texts: Record<string, string> | null = null;
  answered = 0;

  constructor(readonly codec: Codec) {
    this.stored = new Array<number | null>(codec.stored.length).fill(null);
  }

  add(spec: ItemCodec, value: unknown): void {
    const { errors, stored } = this;
    const path = spec.path;
    if (isBlank(value)) return;
    if (spec.kind === 'text') {
      if (typeof value !== 'string') {
        errors.push({ path, message: text('cần một đoạn văn bản', 'expected text') });
      } else if (value.length > TEXT_ANSWER_MAX) {
        errors.push({ path, message: longerThan(TEXT_ANSWER_MAX) });
      } else {
        this.texts ??= {};
        this.texts[spec.item.code] = value;
        this.answered++;
      }
      return;
    }
    if (spec.kind === 'single') {
      if (typeof value === 'number' && Number.isInteger(value) && spec.values.has(value)) {
        stored[spec.position] = value;
        this.answered++;
      } else {
        errors.push({
          path,
          message: text(
            `${describe(value)} không phải một giá trị của thang ${spec.scaleText}`,
            `${describe(value)} is not a value of ${spec.scaleText}`,
          ),
        });
      }
      return;
    }
    if (!Array.isArray(value)) {
      errors.push({
        path,
        message: text(
          `cần một danh sách lựa chọn của thang ${spec.scaleText}`,
          `expected a list of options of ${spec.scaleText}`,
        ),
      });
      return;
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
      this.answered++;
    }
  }

  /** The skip rules and "nothing answered", once every item is added. */
  result(): EncodedAnswers {
    const { codec, stored, errors } = this;
    // What the skip rules read, item code → stored value (undefined for an item not stored).
    const answerOf = (code: string) => {
      const position = codec.positions.get(code);
      return position === undefined ? undefined : stored[position];
    };
    for (const { spec, rule, rules, rulePath } of codec.skips) {
      if (stored[spec.position] === null) continue;
      // A wrong answer to the controlling item is reported once, there.
      if (errors.some((e) => e.path === rulePath)) continue;
      if (!rulesHold(rules, answerOf)) {
        errors.push({
          path: spec.path,
          message: text(
            `chỉ hỏi khi ${rule.item} là ${rule.equals}: hãy để trống`,
            `asked only when ${rule.item} is ${rule.equals}: leave it blank`,
          ),
        });
      }
    }
    if (this.answered === 0 && errors.length === 0) {
      errors.push({
        path: 'answers',
        message: text('không có câu trả lời nào', 'no answers at all'),
      });
    }
    return { answers: stored, texts: this.texts, errors };
  }
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
  const encoding = new Encoding(codec);
  for (const [code, value] of Object.entries(answers)) {
    const spec = codec.items.get(code);
    if (spec) encoding.add(spec, value);
    else {
      encoding.errors.push({
        path: `answers.${code}`,
        message: text('không có câu hỏi này', 'unknown item'),
      });
    }
  }
  return encoding.result();
}

const integer = (text: string): number | string => (/^-?\d{1,6}$/.test(text) ? Number(text) : text);

/**
 * A CSV cell as the answer `encodeAnswers` reads: an empty cell is a blank, a multi-choice
 * cell lists option values separated by `;`. A cell that is not a number is passed on as
 * text, so that the error names it.
 */
function cellValue(spec: ItemCodec | undefined, raw: string): unknown {
  const cell = spec?.kind === 'text' ? raw : raw.trim();
  if (cell === '') return null;
  if (spec?.kind === 'multiple') return cell.split(';').map((o) => integer(o.trim()));
  if (spec?.kind === 'single') return integer(cell);
  return cell;
}

/** Turns CSV cells (column → text) into the answers `encodeAnswers` reads (`cellValue`). */
export function answersFromCells(
  instrument: Instrument,
  cells: Iterable<[string, string]>,
): Record<string, unknown> {
  const codec = codecOf(instrument);
  const answers: Record<string, unknown> = {};
  for (const [code, raw] of cells) answers[code] = cellValue(codec.items.get(code), raw);
  return answers;
}

/**
 * `encodeAnswers(instrument, answersFromCells(instrument, cells))` for the rows of one file, its
 * answer columns `codes` (items of the instrument, each once) known beforehand: the returned
 * function takes a row's cells in the order of `codes`. The same checks and messages, without
 * the object in between (a bulk import reads a million rows).
 */
export function cellsEncoder(
  instrument: Instrument,
  codes: readonly string[],
): (cells: readonly string[]) => EncodedAnswers {
  const codec = codecOf(instrument);
  const specs = codes.map((code) => {
    const spec = codec.items.get(code);
    if (!spec) throw new Error(`${code} is not an item of ${instrument.code}`);
    return spec;
  });
  return (cells) => {
    const encoding = new Encoding(codec);
    specs.forEach((spec, i) => encoding.add(spec, cellValue(spec, cells[i] ?? '')));
    return encoding.result();
  };
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
