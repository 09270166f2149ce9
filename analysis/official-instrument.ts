// An officials' survey instrument is data (par-cycle.md §5, docs/officials.md): items, each with
// its Vietnamese and English text, the framework leaf (of source `survey`) whose points it
// scores, and answer options A, B, C, … each worth a share of the item's points (by default
// A 100%, B 60%, C 20%, D 0%). This module validates a definition and answers what the rest of
// the service asks of one.
import * as z from 'zod';
import { OFFICIAL_LIMITS } from '../shared/official.ts';
import { customIssue, says, text, type Text } from '../shared/text.ts';

const localized = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });

export const officialOptionSchema = z.strictObject({
  code: z
    .string()
    .regex(/^[A-Z]$/, says(text('một chữ in hoa như A', 'an upper-case letter such as A'))),
  label: localized,
  /** The share of the item's points this answer is worth, in percent. */
  share: z.number().finite().min(0).max(100),
});

/** A100 B60 C20 D0 (par-cycle.md §5); an instrument or an item may say otherwise. */
export const DEFAULT_OFFICIAL_OPTIONS: readonly z.input<typeof officialOptionSchema>[] = [
  { code: 'A', label: { vi: 'Tốt', en: 'Good' }, share: 100 },
  { code: 'B', label: { vi: 'Khá', en: 'Fairly good' }, share: 60 },
  { code: 'C', label: { vi: 'Trung bình', en: 'Average' }, share: 20 },
  { code: 'D', label: { vi: 'Kém', en: 'Poor' }, share: 0 },
];

const options = z.array(officialOptionSchema).min(2).max(10);

export const officialItemSchema = z.strictObject({
  code: z
    .string()
    .regex(
      /^[A-Z][A-Z0-9_]{0,31}$/,
      says(text('một mã chữ in hoa như LD1', 'an upper-case code such as LD1')),
    ),
  text: localized,
  /** The code of the framework leaf whose points this item scores. */
  leaf: z.string().min(1).max(64),
  /** This item's own options, when the instrument's do not fit its question. */
  options: options.optional(),
});

export const officialInstrumentSchema = z
  .strictObject({
    code: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{0,63}$/,
        says(text('một mã chữ thường như par-officials-2020', 'a lower-case code')),
      ),
    name: localized,
    /** Where the wording comes from (the project's own rendering, an official form, …). */
    note: localized.optional(),
    options: options.default(() => DEFAULT_OFFICIAL_OPTIONS.map((option) => ({ ...option }))),
    items: z.array(officialItemSchema).min(1).max(OFFICIAL_LIMITS.items),
  })
  .superRefine((instrument, ctx) => {
    const issue = (path: (string | number)[], message: Text) =>
      ctx.addIssue(customIssue(path, message));
    const uniqueCodes = (codes: readonly { code: string }[], path: (string | number)[]) => {
      const seen = new Set<string>();
      codes.forEach(({ code }, i) => {
        if (seen.has(code))
          issue([...path, i, 'code'], text(`mã ${code} bị trùng`, `duplicate code ${code}`));
        seen.add(code);
      });
    };
    uniqueCodes(instrument.items, ['items']);
    uniqueCodes(instrument.options, ['options']);
    instrument.items.forEach((item, i) => {
      if (item.options) uniqueCodes(item.options, ['items', i, 'options']);
    });
  });

export type OfficialInstrument = z.output<typeof officialInstrumentSchema>;
export type OfficialInstrumentInput = z.input<typeof officialInstrumentSchema>;
export type OfficialItem = z.output<typeof officialItemSchema>;
export type OfficialOption = z.output<typeof officialOptionSchema>;

/** The options an item is answered with: its own, else the instrument's. */
export function optionsOf(instrument: OfficialInstrument, item: OfficialItem): OfficialOption[] {
  return item.options ?? instrument.options;
}

/** The leaves the instrument scores, each once, in the order of their first item. */
export function leavesOf(instrument: OfficialInstrument): string[] {
  return [...new Set(instrument.items.map((item) => item.leaf))];
}
