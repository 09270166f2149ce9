// How an instrument becomes screens: one factor a screen (with the items its skip rules depend
// on, such as PAQ on the feedback screen), then the overall question with what follows it, then the
// respondent's profile. Skip rules are the instrument's `askIf`, nothing named in code; the rule
// itself is shared/rules.ts.
import { isAsked, keyedByCode } from '../../shared/rules.ts';
import type { Instrument, Item, Localized } from './payload.ts';

export type Answer = number | number[];

/**
 * The page's own value for "Không có ý kiến / Not applicable": never sent, so the item is stored
 * blank (asked, not answered), as a paper form's empty box is; no scale uses a negative value.
 */
export const NOT_APPLICABLE = -1;
export type Answers = Record<string, Answer>;

export interface Page {
  kind: 'factor' | 'overall' | 'profile';
  /** The factor's name; overall and profile pages take theirs from the message file. */
  name: Localized | undefined;
  items: Item[];
}

export function plan(instrument: Instrument): Page[] {
  const textScales = new Set(instrument.scales.filter((s) => s.kind === 'text').map((s) => s.code));
  const answerable = instrument.items.filter((item) => !textScales.has(item.scale));
  const placed = new Set<string>();
  const pages: Page[] = instrument.factors.map((factor) => {
    const own = answerable.filter((item) => item.factor === factor.code);
    const sources = new Set(own.flatMap((item) => (item.askIf ? [item.askIf.item] : [])));
    const items = answerable.filter(
      (item) =>
        item.factor === factor.code || (item.factor === undefined && sources.has(item.code)),
    );
    for (const item of items) placed.add(item.code);
    return { kind: 'factor', name: factor.name, items };
  });
  const rest = answerable.filter((item) => !placed.has(item.code));
  const overallAt = rest.findIndex((item) => item.code === instrument.overallItem);
  const single = (item: Item) =>
    !item.multiple && instrument.scales.some((s) => s.code === item.scale && s.kind === 'choice');
  // Profile questions (sex, age band…) are the single-choice items after the overall question.
  const profile = rest.filter((item, i) => i > overallAt && single(item));
  const overall = rest.filter((item) => !profile.includes(item));
  if (overall.length > 0) pages.push({ kind: 'overall', name: undefined, items: overall });
  if (profile.length > 0) pages.push({ kind: 'profile', name: undefined, items: profile });
  return pages;
}

/** Factor items, the items their skip rules depend on and the overall question need an answer. */
export function isRequired(instrument: Instrument, page: Page, item: Item): boolean {
  return page.kind === 'factor' || item.code === instrument.overallItem;
}

/**
 * A satisfaction item (one the page requires, on an ordinal scale such as sat5) may be answered
 * "not applicable"; a yes/no item that a skip rule reads, or a profile question, may not.
 */
export function offersNotApplicable(instrument: Instrument, page: Page, item: Item): boolean {
  return (
    isRequired(instrument, page, item) &&
    instrument.scales.some((s) => s.code === item.scale && s.kind === 'ordinal')
  );
}

export function isAnswered(answer: Answer | undefined): boolean {
  return Array.isArray(answer) ? answer.length > 0 : answer !== undefined;
}

/**
 * The answers to send: only asked items, so a changed mind about PAQ leaves no PA2-PA4 behind;
 * an item answered "not applicable" is left out, which the server stores as a blank.
 */
export function answersToSend(instrument: Instrument, answers: Answers): Answers {
  const sent: Answers = {};
  const itemsByCode = keyedByCode(instrument.items);
  for (const item of instrument.items) {
    const answer = answers[item.code];
    if (
      answer !== undefined &&
      answer !== NOT_APPLICABLE &&
      isAnswered(answer) &&
      isAsked(item, answers, itemsByCode)
    ) {
      sent[item.code] = answer;
    }
  }
  return sent;
}
