// An instrument version is data (spec §4): items grouped into factors (and, for sipas-2023,
// factors into blocks), each with its Vietnamese and English text and its scale. This module
// validates a definition and answers the questions the rest of the service asks of one.
import * as z from 'zod';
import { customIssue, says, text, type Text } from '../shared/text.ts';

const notSat5 = (item: string | undefined) =>
  text(`${item ?? ''} không phải câu hỏi thang đo sat5`, `${item ?? ''} is not a sat5 item`);

const localized = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });
const code = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9_]{0,31}$/,
    says(text('một mã chữ in hoa như TC1', 'an upper-case code such as TC1')),
  );

export const scaleSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9]*$/),
  /** `text` items take free text and have no options. */
  kind: z.enum(['ordinal', 'choice', 'text']),
  options: z
    .array(z.strictObject({ value: z.number().int().min(0).max(15), label: localized }))
    .default([]),
});

export const itemSchema = z.strictObject({
  code,
  text: localized,
  scale: z.string(),
  /** Multi-choice: the answer is a set of option values (stored as a bit set). */
  multiple: z.boolean().default(false),
  factor: code.optional(),
  /** Skip rule: the item is asked only when another, earlier item has this answer. */
  askIf: z.strictObject({ item: code, equals: z.number().int() }).optional(),
});

export const factorSchema = z.strictObject({
  code,
  name: localized,
  block: code.optional(),
  /** The factor's own overall question, for the `overallItem` factor rule. */
  overallItem: code.optional(),
});

// Strict at every level: a misspelt key (`askif`) is an error, not a rule silently lost.
export const instrumentSchema = z
  .strictObject({
    code: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{0,63}$/,
        says(text('một mã chữ thường như sipas-2017', 'a lower-case code such as sipas-2017')),
      ),
    name: localized,
    scales: z.array(scaleSchema).min(1),
    items: z.array(itemSchema).min(1),
    factors: z.array(factorSchema).min(1),
    blocks: z.array(z.strictObject({ code, name: localized })).default([]),
    /** The overall satisfaction question (HL), for the `overallItem` SIPAS rule. */
    overallItem: code,
  })
  .superRefine((instrument, ctx) => {
    const issue = (path: (string | number)[], message: Text) =>
      ctx.addIssue(customIssue(path, message));
    const scales = new Map(instrument.scales.map((s) => [s.code, s]));
    const factors = new Set(instrument.factors.map((f) => f.code));
    const blocks = new Set(instrument.blocks.map((b) => b.code));
    const seen = new Map<string, number>();
    instrument.items.forEach((item, i) => {
      if (seen.has(item.code))
        issue(
          ['items', i, 'code'],
          text(`mã câu hỏi ${item.code} bị trùng`, `duplicate item code ${item.code}`),
        );
      const scale = scales.get(item.scale);
      if (!scale)
        issue(
          ['items', i, 'scale'],
          text(`không có thang đo ${item.scale}`, `unknown scale ${item.scale}`),
        );
      if (item.factor !== undefined) {
        if (!factors.has(item.factor))
          issue(
            ['items', i, 'factor'],
            text(`không có nhóm ${item.factor}`, `unknown factor ${item.factor}`),
          );
        if (item.scale !== 'sat5')
          issue(
            ['items', i, 'scale'],
            text('câu hỏi thuộc nhóm dùng thang đo sat5', 'a factor item uses the sat5 scale'),
          );
      }
      if (item.askIf && !seen.has(item.askIf.item)) {
        issue(
          ['items', i, 'askIf', 'item'],
          text(
            `${item.askIf.item} không phải một câu hỏi đứng trước`,
            `${item.askIf.item} is not an earlier item`,
          ),
        );
      }
      seen.set(item.code, i);
    });
    const sat5 = scales.get('sat5');
    if (!sat5 || sat5.options.map((o) => o.value).join() !== '1,2,3,4,5') {
      issue(
        ['scales'],
        text(
          'cần có thang đo sat5 với các giá trị từ 1 đến 5',
          'the sat5 scale with values 1 to 5 is required',
        ),
      );
    }
    instrument.factors.forEach((factor, f) => {
      if (!instrument.items.some((item) => item.factor === factor.code)) {
        issue(
          ['factors', f],
          text(`nhóm ${factor.code} không có câu hỏi nào`, `factor ${factor.code} has no items`),
        );
      }
      if (factor.block !== undefined && !blocks.has(factor.block)) {
        issue(
          ['factors', f, 'block'],
          text(`không có khối ${factor.block}`, `unknown block ${factor.block}`),
        );
      }
      if (
        factor.overallItem !== undefined &&
        instrument.items[seen.get(factor.overallItem) ?? -1]?.scale !== 'sat5'
      ) {
        issue(['factors', f, 'overallItem'], notSat5(factor.overallItem));
      }
    });
    if (blocks.size > 0 && instrument.factors.some((f) => f.block === undefined)) {
      issue(
        ['factors'],
        text(
          'khi có khối, mỗi nhóm phải nêu khối của mình',
          'with blocks, every factor names its block',
        ),
      );
    }
    if (instrument.items[seen.get(instrument.overallItem) ?? -1]?.scale !== 'sat5') {
      issue(['overallItem'], notSat5(instrument.overallItem));
    }
  });

export type Instrument = z.output<typeof instrumentSchema>;
export type InstrumentInput = z.input<typeof instrumentSchema>;
export type Item = z.output<typeof itemSchema>;
export type Scale = z.output<typeof scaleSchema>;

/** Items stored in the answers array: every item but free text, in instrument order. */
export function storedItems(instrument: Instrument): Item[] {
  const text = new Set(instrument.scales.filter((s) => s.kind === 'text').map((s) => s.code));
  return instrument.items.filter((item) => !text.has(item.scale));
}

/** The `sat5` items, the ones that have indices (interchange §5: `items`). */
export function satisfactionItems(instrument: Instrument): Item[] {
  return instrument.items.filter((item) => item.scale === 'sat5');
}
