import { describe, expect, it } from 'vitest';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import { isAsked, keyedByCode } from '../../shared/rules.ts';
import { answersToSend, isAnswered, NOT_APPLICABLE, offersNotApplicable, plan } from './pages.ts';
import { parseEmbedded, PayloadError, type Instrument } from './payload.ts';
import { backoff } from './send.ts';
import { uuid } from './store.ts';

function sipas2017(): Instrument {
  const instrument = builtinInstruments.find((i) => i.code === 'sipas-2017');
  const survey = {
    counter: { code: 'C', name: 'Quầy 1' },
    unit: { code: 'U', name: 'Sở' },
    campaign: { code: 'K', name: 'Đợt 1', startsOn: '2025-01-01', endsOn: '2025-12-31' },
    instrument,
  };
  const embedded = parseEmbedded(JSON.stringify({ survey }));
  if (!embedded.survey) throw new Error('not a survey');
  return embedded.survey.instrument;
}

describe('the screens of sipas-2017', () => {
  const instrument = sipas2017();

  it('are one a factor, PAQ with the feedback items, then overall, then profile', () => {
    expect(plan(instrument).map((p) => [p.kind, p.items.map((i) => i.code).join(' ')])).toEqual([
      ['factor', 'TC1 TC2 TC3 TC4'],
      ['factor', 'TT1 TT2 TT3 TT4 TT5'],
      ['factor', 'CC1 CC2 CC3 CC4 CC5 CC6'],
      ['factor', 'KQ1 KQ2 KQ3'],
      ['factor', 'PA1 PAQ PA2 PA3 PA4'],
      ['overall', 'HL MD'],
      ['profile', 'SEX AGE EDU JOB'],
    ]);
  });

  it('ask PA2-PA4 only after yes to PAQ, and send none of them otherwise', () => {
    const pa2 = instrument.items.find((i) => i.code === 'PA2');
    if (!pa2) throw new Error('no PA2');
    const items = keyedByCode(instrument.items);
    expect(isAsked(pa2, {}, items)).toBe(false);
    expect(isAsked(pa2, { PAQ: 0 }, items)).toBe(false);
    expect(isAsked(pa2, { PAQ: 1 }, items)).toBe(true);
    // A respondent who said yes, answered PA2, then changed PAQ to no.
    expect(answersToSend(instrument, { PA1: 4, PAQ: 0, PA2: 5, HL: 3, MD: [], SEX: 2 })).toEqual({
      PA1: 4,
      PAQ: 0,
      HL: 3,
      SEX: 2,
    });
    expect(answersToSend(instrument, { PAQ: 1, PA2: 5, MD: [2, 4] })).toEqual({
      PAQ: 1,
      PA2: 5,
      MD: [2, 4],
    });
  });
});

describe('"not applicable"', () => {
  const instrument = sipas2017();
  const pages = plan(instrument);
  const offered = pages.map((page) =>
    page.items.filter((item) => offersNotApplicable(instrument, page, item)).map((i) => i.code),
  );

  it('is offered for each satisfaction item and the overall question, not for PAQ, MD or the profile', () => {
    expect(offered).toEqual([
      ['TC1', 'TC2', 'TC3', 'TC4'],
      ['TT1', 'TT2', 'TT3', 'TT4', 'TT5'],
      ['CC1', 'CC2', 'CC3', 'CC4', 'CC5', 'CC6'],
      ['KQ1', 'KQ2', 'KQ3'],
      ['PA1', 'PA2', 'PA3', 'PA4'],
      ['HL'],
      [],
    ]);
  });

  it('answers the item on the page and sends nothing for it, so the server stores a blank', () => {
    expect(isAnswered(NOT_APPLICABLE)).toBe(true);
    expect(
      answersToSend(instrument, {
        TC1: NOT_APPLICABLE,
        TC2: 4,
        PAQ: 1,
        PA2: NOT_APPLICABLE,
        HL: 5,
      }),
    ).toEqual({ TC2: 4, PAQ: 1, HL: 5 });
  });
});

describe('the embedded data', () => {
  it('is refused when it is not what the server promises', () => {
    expect(() => parseEmbedded('{"survey":{"counter":{"code":"C"}}}')).toThrow(PayloadError);
    expect(parseEmbedded('{"problem":{"status":410,"detail":"Đã đóng"}}')).toEqual({
      problem: { status: 410, detail: 'Đã đóng' },
    });
  });
});

describe('sending', () => {
  it('waits 1 s, 2 s, 4 s… up to a minute, each time between half and all of it', () => {
    const ceilings = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000];
    ceilings.forEach((ceiling, attempt) => {
      expect(backoff(attempt, () => 0)).toBe(ceiling / 2);
      expect(backoff(attempt, () => 1)).toBe(ceiling);
    });
  });

  it('makes version 4 UUIDs without crypto.randomUUID too', () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const original = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
      const made = new Set(Array.from({ length: 100 }, uuid));
      expect(made.size).toBe(100);
      for (const id of made) expect(id).toMatch(v4);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
    expect(uuid()).toMatch(v4);
  });
});
