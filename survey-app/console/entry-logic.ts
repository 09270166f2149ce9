// The rules of the paper-form entry screen, apart from the screen: which items are asked (skip
// rules, shared/rules.ts), what a key does, and the answers sent for one form.
import { isAsked, keyedByCode, type SkipRule } from '../../shared/rules.ts';
import type { Instrument, Localized } from './schemas.ts';

export interface EntryOption {
  value: number;
  label: Localized;
}

export interface EntryItem {
  code: string;
  /** `text` items take free text, typed as it is; the others take digits. */
  kind: 'choice' | 'text';
  text: Localized;
  options: EntryOption[];
  multiple: boolean;
  askIf: SkipRule | undefined;
}

/**
 * A single answer is an option value, a multi-choice answer the chosen values, free text a
 * string; null is blank.
 */
export type Answer = number | number[] | string | null;
export type Answers = Readonly<Record<string, Answer>>;

/** The items of a form, in the instrument's order. */
export function entryItems(instrument: Instrument): EntryItem[] {
  const scales = new Map(instrument.scales.map((scale) => [scale.code, scale]));
  return instrument.items.flatMap((item): EntryItem[] => {
    const scale = scales.get(item.scale);
    if (!scale) return [];
    return [
      {
        code: item.code,
        kind: scale.kind === 'text' ? 'text' : 'choice',
        text: item.text,
        options: scale.options,
        multiple: item.multiple === true,
        askIf: item.askIf,
      },
    ];
  });
}

/** The answers with one item set, and the answers of items no longer asked blanked. */
export function setAnswer(
  items: EntryItem[],
  answers: Answers,
  code: string,
  value: Answer,
): Answers {
  const next: Record<string, Answer> = { ...answers, [code]: value };
  const itemsByCode = keyedByCode(items);
  for (const item of items) {
    if (!isAsked(item, next, itemsByCode)) next[item.code] = null;
  }
  return next;
}

/** The option value that digit `digit` (1-9) picks: options are keyed by their position. */
export function optionForDigit(item: EntryItem, digit: number): number | undefined {
  return item.options[digit - 1]?.value;
}

/** A multi-choice answer with the value added or taken away. */
export function toggled(answer: Answer, value: number): number[] {
  const chosen = Array.isArray(answer) ? answer : [];
  return chosen.includes(value)
    ? chosen.filter((v) => v !== value)
    : [...chosen, value].sort((a, b) => a - b);
}

/** The index of the next asked item after `index`, or -1 past the last. */
export function nextAsked(items: EntryItem[], answers: Answers, index: number): number {
  const itemsByCode = keyedByCode(items);
  for (let i = index + 1; i < items.length; i++) {
    const item = items[i];
    if (item && isAsked(item, answers, itemsByCode)) return i;
  }
  return -1;
}

export type KeyAction =
  { kind: 'pick'; digit: number } | { kind: 'blank'; move: boolean } | { kind: 'submit' };

/**
 * What a key does on an item: digits 1-9 pick the option at that position (and move on, but
 * for multi-choice), 0 blanks and moves on, Backspace or Delete blanks in place, Enter submits.
 */
export function keyAction(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>,
): KeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (/^[1-9]$/.test(event.key)) return { kind: 'pick', digit: Number(event.key) };
  if (event.key === '0') return { kind: 'blank', move: true };
  if (event.key === 'Backspace' || event.key === 'Delete') return { kind: 'blank', move: false };
  if (event.key === 'Enter') return { kind: 'submit' };
  return null;
}

/** The answers of a form as the API takes them: asked items with an answer, nothing else. */
export function answersToSend(
  items: EntryItem[],
  answers: Answers,
): Record<string, number | number[] | string> {
  const sent: Record<string, number | number[] | string> = {};
  const itemsByCode = keyedByCode(items);
  for (const item of items) {
    const answer = answers[item.code];
    if (answer === null || answer === undefined || !isAsked(item, answers, itemsByCode)) continue;
    if (Array.isArray(answer) && answer.length === 0) continue;
    if (typeof answer === 'string') {
      if (answer.trim() !== '') sent[item.code] = answer.trim();
      continue;
    }
    sent[item.code] = answer;
  }
  return sent;
}

/**
 * A stored form's answers (as the API gives them, item code → value) as the form's fields hold
 * them: what is not a value of its item, or of an item of the instrument, is left out.
 */
export function storedAnswers(items: EntryItem[], stored: Record<string, unknown>): Answers {
  const answers: Record<string, Answer> = {};
  for (const item of items) {
    const value = stored[item.code];
    if (item.kind === 'text') {
      if (typeof value === 'string') answers[item.code] = value;
    } else if (item.multiple) {
      if (Array.isArray(value)) {
        answers[item.code] = value.filter((v): v is number => typeof v === 'number');
      }
    } else if (typeof value === 'number') {
      answers[item.code] = value;
    }
  }
  return answers;
}

/** The next form number: one more when the last was a number, else nothing. */
export function nextFormNumber(current: string): string {
  return /^\d{1,15}$/.test(current)
    ? String(Number(current) + 1).padStart(current.length, '0')
    : '';
}
