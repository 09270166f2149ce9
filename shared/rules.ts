// The domain rules that the browser (the citizen survey, the console) and the server both apply,
// each written once. Pure and without imports. The survey page and the console load it as one
// shared chunk, so the survey pays for every export the console uses too: keep it small.

/** How a response was collected (spec §3; the `response.mode` check of the first migration). */
export const MODES = ['qr', 'kiosk', 'paper', 'post', 'phone', 'interview', 'online'] as const;
export type Mode = (typeof MODES)[number];

export function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

/** The modes of a form that staff key in on the console's entry screen (paper is its default). */
export const KEYED_MODES = [
  'paper',
  'post',
  'phone',
  'interview',
] as const satisfies readonly Mode[];

/** The longest code of a unit, counter, campaign, instrument or framework. */
export const CODE_MAX = 64;

/**
 * A unit, counter or campaign code, as an HTML `pattern` (anchored, compiled with the `v` flag,
 * hence the escaped hyphen); `new RegExp(`^${CODE_PATTERN}$`)` on the server.
 */
export const CODE_PATTERN = `[A-Za-z0-9][A-Za-z0-9._\\-]{0,${CODE_MAX - 1}}`;

/** The longest name of a unit, counter or campaign. */
export const NAME_MAX = 200;

/** The longest free-text answer; longer is refused rather than cut. */
export const TEXT_ANSWER_MAX = 2_000;

/** The longest id a response brings from where it was collected (`response_id`: a form's number). */
export const RESPONSE_ID_MAX = 100;

/** The answers of a sat5 item that count as satisfied unless a campaign says otherwise (spec §5). */
export const SATISFIED_DEFAULT = [4, 5] as const;

/** A skip rule: the item is asked only when the earlier item `item` was answered `equals`. */
export interface SkipRule {
  readonly item: string;
  readonly equals: number;
}

export interface Askable {
  readonly code: string;
  readonly askIf?: SkipRule | undefined;
}

/**
 * The skip rules under which an item is asked: its own, then that of the item it reads, and so
 * on up (an item whose rule's item was not asked is not asked either). Empty for an item always
 * asked; null when a rule reads no item of the instrument, or the rules go round.
 */
export function askedWhen(
  item: Askable,
  itemsByCode: ReadonlyMap<string, Askable>,
): SkipRule[] | null {
  const rules: SkipRule[] = [];
  for (let rule = item.askIf; rule; rule = itemsByCode.get(rule.item)?.askIf) {
    if (!itemsByCode.has(rule.item) || rules.length === itemsByCode.size) return null;
    rules.push(rule);
  }
  return rules;
}

/** Whether the item is asked, given the answers by item code. */
export function isAsked(
  item: Askable,
  answers: Readonly<Record<string, unknown>>,
  itemsByCode: ReadonlyMap<string, Askable>,
): boolean {
  return rulesHold(askedWhen(item, itemsByCode), (code) => answers[code]);
}

/**
 * Whether every rule of an `askedWhen` chain holds, given each item's answer; never for null (rules
 * that read no item of the instrument, or go round).
 */
export function rulesHold(
  rules: readonly SkipRule[] | null,
  answerOf: (code: string) => unknown,
): boolean {
  return rules !== null && rules.every((rule) => answerOf(rule.item) === rule.equals);
}

/** Items by code, as `isAsked` reads them. */
export function keyedByCode<T extends Askable>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((item) => [item.code, item]));
}

/**
 * Competition ranking ("đồng hạng"), highest first: scores equal at `decimals` decimals share a
 * rank and the next rank skips (1, 2, 2, 4). Returns the rank of a score among `scores`.
 * Comparing whole numbers of the last decimal keeps 85.62 and 85.620000000000001 together. PAR
 * points are compared at 3 decimals, as published; SIPAS league tables at 2, as shown.
 */
export function rankAmong(scores: readonly number[], decimals: number): (score: number) => number {
  const scale = 10 ** decimals;
  const keys = scores.map((score) => Math.round(score * scale));
  return (score) => {
    const key = Math.round(score * scale);
    return 1 + keys.filter((other) => other > key).length;
  };
}
