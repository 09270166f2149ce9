// What the service accepts of any input, whatever the route or file it came in: text that it
// can store, and JSON no deeper than its forms nest. Both are checked once, where the input
// is parsed, so that a refusal names the field and nothing reaches the database.
import { text, type FieldError } from './errors.ts';

/**
 * No form of the API nests deeper than a few levels; a deeper value would be walked
 * recursively later (zod, JSON.stringify in a message) and could overflow the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Past this many, further problems of one input are not listed: the reply stays small. */
const MAX_PROBLEMS = 20;

/** Neither engine stores a lone UTF-16 surrogate (PostgreSQL's jsonb refuses it: 22P02). */
const ILL_FORMED = text(
  'không phải Unicode hợp lệ (nửa cặp UTF-16 đứng lẻ)',
  'not well-formed Unicode',
);

/** A field error when `text` is not well-formed Unicode (holds a lone UTF-16 surrogate). */
export function illFormedText(value: string, path: string): FieldError | undefined {
  return value.isWellFormed() ? undefined : { path, message: ILL_FORMED };
}

/**
 * What a parsed JSON value holds that the service refuses: ill-formed text in a value or a
 * key, nesting deeper than MAX_JSON_DEPTH. Paths are dotted from `prefix` (`answers.TC9`).
 */
export function jsonProblems(value: unknown, prefix: readonly string[] = []): FieldError[] {
  const problems: FieldError[] = [];
  const at = (path: readonly string[]) => path.join('.') || '(body)';
  const visit = (node: unknown, path: string[], depth: number): void => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (typeof node === 'string') {
      const problem = illFormedText(node, at(path));
      if (problem) problems.push(problem);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    if (depth >= MAX_JSON_DEPTH) {
      problems.push({
        path: at(path),
        message: text(
          `lồng sâu quá ${MAX_JSON_DEPTH} cấp`,
          `nested deeper than ${MAX_JSON_DEPTH} levels`,
        ),
      });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, String(i)], depth + 1));
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      // An ill-formed key is named in its well-formed spelling (U+FFFD for the surrogate).
      const keyPath = [...path, key.toWellFormed()];
      if (!key.isWellFormed()) problems.push({ path: at(keyPath), message: ILL_FORMED });
      visit(item, keyPath, depth + 1);
    }
  };
  visit(value, [...prefix], 0);
  return problems.slice(0, MAX_PROBLEMS);
}
