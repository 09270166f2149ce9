// A message for a person, in both languages of the service (issue 14): the console and the
// survey are Vietnamese first, with English beside. A message is made whole with `text`, so
// that the compiler refuses one that lacks a language; the reply picks one (api/routes/problem.ts).

export type Language = 'vi' | 'en';

export const languages: readonly Language[] = ['vi', 'en'];

export interface Text {
  readonly vi: string;
  readonly en: string;
}

export const text = (vi: string, en: string): Text => ({ vi, en });

export const isText = (value: unknown): value is Text =>
  typeof value === 'object' &&
  value !== null &&
  typeof Reflect.get(value, 'vi') === 'string' &&
  typeof Reflect.get(value, 'en') === 'string';

/** Texts joined, each language with its own separator: `join([a, b], ', ')`. */
export const joinTexts = (texts: readonly Text[], separator: string): Text => ({
  vi: texts.map((t) => t.vi).join(separator),
  en: texts.map((t) => t.en).join(separator),
});

// zod (v4) writes an issue's message once, in one language. The pair is kept on the issue
// instead, under this key, and read back by api/errors.ts (fieldErrorsFromZod): an error map
// is handed the issue that becomes the reported one, whose own keys it keeps.
export const ISSUE_TEXT_KEY = 'text';

/** Keeps `message` on a zod issue being made; its English is zod's own message. */
export function keepText(issue: object, message: Text): string {
  Reflect.set(issue, ISSUE_TEXT_KEY, message);
  return message.en;
}

/**
 * A schema's own message in both languages, as zod's `error` parameter:
 * `z.enum(['1', '0'], says(text('phải là 1 hoặc 0', 'must be 1 or 0')))`.
 */
export const says = <I extends object>(message: Text | ((issue: I) => Text)) => ({
  error: (issue: I) => keepText(issue, typeof message === 'function' ? message(issue) : message),
});

/** An issue a refinement adds itself (`ctx.addIssue(customIssue(path, text(…)))`), both texts kept. */
export const customIssue = (path: (string | number)[], message: Text) => ({
  code: 'custom' as const,
  path,
  message: message.en,
  params: { [ISSUE_TEXT_KEY]: message },
});
