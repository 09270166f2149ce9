import { describe, expect, it } from 'vitest';
import { instrumentSchema, storedItems } from '../../analysis/instrument.ts';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import { answerColumns, answersFromCells, decodeAnswers, encodeAnswers } from './answers.ts';

const [sipas2017] = builtinInstruments.filter((i) => i.code === 'sipas-2017');
if (!sipas2017) throw new Error('sipas-2017 is not built in');
const stored = storedItems(sipas2017).map((item) => item.code);
const at = (code: string) => stored.indexOf(code);

describe('encodeAnswers on sipas-2017', () => {
  it('stores each answer at its item position, blanks as null', () => {
    const { answers, texts, errors } = encodeAnswers(sipas2017, {
      TC1: 4,
      HL: 5,
      PAQ: 0,
      TC2: null,
      MD: [1, 3],
    });
    expect(errors).toEqual([]);
    expect(texts).toBeNull();
    expect(answers).toHaveLength(stored.length);
    expect(answers[at('TC1')]).toBe(4);
    expect(answers[at('HL')]).toBe(5);
    expect(answers[at('PAQ')]).toBe(0);
    // MD is multi-choice: bit 1 and bit 3 set, 2 + 8.
    expect(answers[at('MD')]).toBe(10);
    expect(answers.filter((a) => a !== null)).toHaveLength(4);
  });

  it('names every bad field: unknown item, value off the scale, non-integers, bad options', () => {
    const { errors } = encodeAnswers(sipas2017, {
      XX1: 3,
      TC1: 7,
      TC2: 4.5,
      TC3: '4',
      PAQ: 2,
      MD: [1, 9],
      SEX: [1],
    });
    expect(errors).toMatchObject([
      { path: 'answers.XX1', message: { en: 'unknown item' } },
      { path: 'answers.TC1', message: { en: '7 is not a value of sat5 (1, 2, 3, 4, 5)' } },
      { path: 'answers.TC2', message: { en: '4.5 is not a value of sat5 (1, 2, 3, 4, 5)' } },
      { path: 'answers.TC3', message: { en: '"4" is not a value of sat5 (1, 2, 3, 4, 5)' } },
      { path: 'answers.PAQ', message: { en: '2 is not a value of yesno (0, 1)' } },
      { path: 'answers.MD', message: { en: '9 is not an option of improve5 (1, 2, 3, 4, 5)' } },
      { path: 'answers.SEX', message: { en: '[1] is not a value of sex (1, 2)' } },
    ]);
  });

  it('refuses a multi-choice answer that is not a list, or repeats an option', () => {
    expect(encodeAnswers(sipas2017, { MD: 2 }).errors).toMatchObject([
      {
        path: 'answers.MD',
        message: { en: 'expected a list of options of improve5 (1, 2, 3, 4, 5)' },
      },
    ]);
    expect(encodeAnswers(sipas2017, { MD: [2, 2] }).errors).toMatchObject([
      { path: 'answers.MD', message: { en: 'option 2 is chosen twice' } },
    ]);
  });

  it('holds the skip rule: PA2-PA4 only after PAQ = 1', () => {
    expect(encodeAnswers(sipas2017, { PAQ: 1, PA2: 4, PA3: 5, PA4: 3 }).errors).toEqual([]);
    expect(encodeAnswers(sipas2017, { PAQ: 0, PA1: 4 }).errors).toEqual([]);
    expect(encodeAnswers(sipas2017, { PAQ: 0, PA2: 4, PA4: 2 }).errors).toMatchObject([
      { path: 'answers.PA2', message: { en: 'asked only when PAQ is 1: leave it blank' } },
      { path: 'answers.PA4', message: { en: 'asked only when PAQ is 1: leave it blank' } },
    ]);
    expect(encodeAnswers(sipas2017, { TC1: 4, PA3: 4 }).errors).toMatchObject([
      { path: 'answers.PA3', message: { en: 'asked only when PAQ is 1: leave it blank' } },
    ]);
    // A wrong PAQ is reported once, at PAQ.
    expect(encodeAnswers(sipas2017, { PAQ: 3, PA2: 4 }).errors.map((e) => e.path)).toEqual([
      'answers.PAQ',
    ]);
  });

  it('refuses no answers at all', () => {
    for (const answers of [{}, { TC1: null, MD: [] }]) {
      expect(encodeAnswers(sipas2017, answers).errors).toMatchObject([
        { path: 'answers', message: { en: 'no answers at all' } },
      ]);
    }
  });
});

describe('CSV cells', () => {
  it('are read as integers, `;`-separated options, blanks; other text reaches the check', () => {
    const answers = answersFromCells(sipas2017, [
      ['TC1', ' 4 '],
      ['TC2', ''],
      ['MD', '1; 5'],
      ['HL', 'abc'],
    ]);
    expect(answers).toEqual({ TC1: 4, TC2: null, MD: [1, 5], HL: 'abc' });
    expect(encodeAnswers(sipas2017, answers).errors).toMatchObject([
      { path: 'answers.HL', message: { en: '"abc" is not a value of sat5 (1, 2, 3, 4, 5)' } },
    ]);
  });

  it('decode back to the cells they came from, one per item in instrument order', () => {
    expect(answerColumns(sipas2017)).toEqual(sipas2017.items.map((item) => item.code));
    const { answers } = encodeAnswers(sipas2017, { TC1: 4, PAQ: 1, PA2: 2, MD: [5, 2], SEX: 2 });
    const cells = decodeAnswers(sipas2017, answers);
    const byCode = Object.fromEntries(answerColumns(sipas2017).map((c, i) => [c, cells[i]]));
    expect(byCode).toMatchObject({ TC1: 4, TC2: null, PAQ: 1, PA2: 2, MD: '2;5', SEX: 2 });
    expect(cells.filter((c) => c !== null)).toHaveLength(5);
  });

  it('refuse a stored array of the wrong length', () => {
    expect(() => decodeAnswers(sipas2017, [1, 2])).toThrow(/2 entries/);
  });
});

describe('an instrument with free text and option 15', () => {
  const instrument = instrumentSchema.parse({
    code: 'probe',
    name: { vi: 'Thử', en: 'Probe' },
    scales: [
      {
        code: 'sat5',
        kind: 'ordinal',
        options: [1, 2, 3, 4, 5].map((value) => ({
          value,
          label: { vi: `${value}`, en: `${value}` },
        })),
      },
      {
        code: 'wide',
        kind: 'choice',
        options: [0, 7, 15].map((value) => ({ value, label: { vi: `${value}`, en: `${value}` } })),
      },
      { code: 'text', kind: 'text' },
    ],
    factors: [{ code: 'F', name: { vi: 'F', en: 'F' } }],
    items: [
      { code: 'F1', factor: 'F', scale: 'sat5', text: { vi: 'F1', en: 'F1' } },
      { code: 'W', scale: 'wide', multiple: true, text: { vi: 'W', en: 'W' } },
      { code: 'NOTE', scale: 'text', text: { vi: 'Ý kiến', en: 'Note' } },
      { code: 'HL', scale: 'sat5', text: { vi: 'HL', en: 'HL' } },
    ],
    overallItem: 'HL',
  });

  it('keeps free text out of the array and a 16-bit option set inside a smallint', () => {
    const encoded = encodeAnswers(instrument, { W: [0, 15], NOTE: '=SUM(A1)' });
    expect(encoded.errors).toEqual([]);
    // Bits 0 and 15: 1 + 32768 = 32769, stored as the smallint 32769 − 65536.
    expect(encoded.answers).toEqual([null, -32767, null]);
    expect(encoded.texts).toEqual({ NOTE: '=SUM(A1)' });
    expect(decodeAnswers(instrument, encoded.answers, encoded.texts)).toEqual([
      null,
      '0;15',
      '=SUM(A1)',
      null,
    ]);
  });

  it('takes a text answer only as text and only up to 2000 characters', () => {
    expect(encodeAnswers(instrument, { NOTE: 5, F1: 4 }).errors).toMatchObject([
      { path: 'answers.NOTE', message: { en: 'expected text' } },
    ]);
    expect(encodeAnswers(instrument, { NOTE: 'x'.repeat(2001) }).errors).toMatchObject([
      { path: 'answers.NOTE', message: { en: 'longer than 2000 characters' } },
    ]);
    expect(encodeAnswers(instrument, { NOTE: 'x'.repeat(2000) }).errors).toEqual([]);
  });
});
