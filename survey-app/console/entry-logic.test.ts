// The paper-form entry rules apart from the screen: keys, skip rules and what is sent, on the
// built-in sipas-2017 instrument.
import { describe, expect, it } from 'vitest';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import {
  answersToSend,
  entryItems,
  keyAction,
  nextAsked,
  nextFormNumber,
  optionForDigit,
  setAnswer,
  storedAnswers,
  toggled,
  type EntryItem,
} from './entry-logic.ts';
import { instrumentSchema } from './schemas.ts';

const sipas2017 = instrumentSchema.parse(builtinInstruments.find((i) => i.code === 'sipas-2017'));
const items = entryItems(sipas2017);
const at = (code: string) => items.findIndex((item) => item.code === code);
const key = (k: string) => keyAction({ key: k, ctrlKey: false, metaKey: false, altKey: false });

describe('paper-form entry', () => {
  it('maps keys: digits pick by position, 0 blanks and moves, Backspace blanks in place', () => {
    expect(key('4')).toEqual({ kind: 'pick', digit: 4 });
    expect(key('0')).toEqual({ kind: 'blank', move: true });
    expect(key('Backspace')).toEqual({ kind: 'blank', move: false });
    expect(key('Enter')).toEqual({ kind: 'submit' });
    expect(key('a')).toBeNull();
    expect(keyAction({ key: '4', ctrlKey: true, metaKey: false, altKey: false })).toBeNull();
  });

  it('picks the option at the digit’s position: yes is 1 and no is 2 for PAQ (stored 1 and 0)', () => {
    const paq = items[at('PAQ')];
    const tc1 = items[at('TC1')];
    if (!paq || !tc1) throw new Error('sipas-2017 lacks PAQ or TC1');
    expect([1, 2, 3].map((d) => optionForDigit(paq, d))).toEqual([1, 0, undefined]);
    expect([1, 5, 6].map((d) => optionForDigit(tc1, d))).toEqual([1, 5, undefined]);
  });

  it('skips PA2-PA4 unless PAQ is yes, and blanks them when PAQ changes', () => {
    let answers = setAnswer(items, {}, 'PAQ', 1);
    expect(nextAsked(items, answers, at('PAQ'))).toBe(at('PA2'));
    answers = setAnswer(items, answers, 'PA2', 5);
    answers = setAnswer(items, answers, 'PA3', 4);
    answers = setAnswer(items, answers, 'PAQ', 0);
    expect([answers.PA2, answers.PA3]).toEqual([null, null]);
    expect(nextAsked(items, answers, at('PAQ'))).toBe(at('HL'));
    expect(nextAsked(items, answers, items.length - 1)).toBe(-1);
  });

  it('sends asked items with an answer only, multi-choice as the chosen values', () => {
    let answers = setAnswer(items, {}, 'TC1', 4);
    answers = setAnswer(items, answers, 'TC2', null);
    answers = setAnswer(items, answers, 'MD', toggled(toggled(toggled(null, 4), 2), 4));
    answers = setAnswer(items, answers, 'MD', toggled(answers.MD ?? null, 5));
    expect(answersToSend(items, answers)).toEqual({ TC1: 4, MD: [2, 5] });
  });

  it('skips an item whose rule reads an item that was itself skipped (the rule is recursive)', () => {
    // Q asks A, A asks B: with Q = 0, B is not asked, whatever A still holds.
    const option = (value: number) => ({ value, label: { vi: String(value), en: String(value) } });
    const entry = (code: string, askIf?: { item: string; equals: number }): EntryItem => ({
      code,
      kind: 'choice',
      text: { vi: code, en: code },
      options: [option(1), option(0)],
      multiple: false,
      askIf,
    });
    const chain = [
      entry('Q'),
      entry('A', { item: 'Q', equals: 1 }),
      entry('B', { item: 'A', equals: 1 }),
    ];
    const answers = { Q: 0, A: 1, B: 1 };
    expect(nextAsked(chain, answers, 0)).toBe(-1);
    expect(answersToSend(chain, answers)).toEqual({ Q: 0 });
  });

  it('starts a corrected copy from the stored answers, dropping what the form cannot hold', () => {
    const stored = { TC1: 4, TC2: null, PAQ: 1, PA2: 3, HL: '5', NOPE: 2 };
    expect(storedAnswers(items, stored)).toEqual({ TC1: 4, PAQ: 1, PA2: 3 });
    expect(answersToSend(items, storedAnswers(items, stored))).toEqual({ TC1: 4, PAQ: 1, PA2: 3 });
  });

  it('numbers forms on from the last one, keeping leading zeros', () => {
    expect(['1', '009', '99', 'A-1', ''].map(nextFormNumber)).toEqual(['2', '010', '100', '', '']);
  });
});
