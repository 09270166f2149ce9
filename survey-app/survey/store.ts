// What the phone keeps, in localStorage (a few hundred bytes: no IndexedDB needed): the
// device id, the chosen language, and per counter token the response in progress, written at
// every answer so that a reload, a closed tab or a lost connection loses nothing.
import type { Answer, Answers } from './pages.ts';
import type { Lang } from './payload.ts';
import type { Submission } from './send.ts';

export type Phase = 'answering' | 'sending' | 'sent' | 'refused';

export interface Draft {
  /** The response's idempotency key, made once and kept until the server's final reply. */
  id: string;
  startedAt: string;
  submittedAt: string | undefined;
  answers: Answers;
  page: number;
  phase: Phase;
  /** The honeypot's value: people never see the field, so it stays empty. */
  website: string;
  refusal: { status: number; detail: string } | undefined;
  /** When it was last saved, to forget it after a while (never while it waits to be sent). */
  savedAt: number;
}

const HOUR_MS = 60 * 60 * 1000;
/**
 * How long a draft outlives its last save. A response left half answered belongs to that visit
 * to the counter, not to the next one; a finished one shows its last screen again on reload.
 */
const kept: Record<Phase, number> = {
  answering: 24 * HOUR_MS,
  sending: Infinity,
  sent: 6 * HOUR_MS,
  refused: 6 * HOUR_MS,
};

const draftKey = (token: string) => `sipas:response:${token}`;

export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage can be disabled (private browsing on some phones): the survey still works in memory.
    return null;
  }
}

export function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // As in read(): without storage the answers live as long as the page.
  }
}

/** A random UUID v4, also where crypto.randomUUID is missing (old browsers, plain http). */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function deviceId(): string {
  const stored = read('sipas:device');
  if (stored) return stored;
  const made = uuid();
  write('sipas:device', made);
  return made;
}

export function loadLang(): Lang {
  return read('sipas:lang') === 'en' ? 'en' : 'vi';
}

export function saveLang(lang: Lang): void {
  write('sipas:lang', lang);
}

export function newDraft(): Draft {
  return {
    id: uuid(),
    startedAt: new Date().toISOString(),
    submittedAt: undefined,
    answers: {},
    page: 0,
    phase: 'answering',
    website: '',
    refusal: undefined,
    savedAt: Date.now(),
  };
}

const phases: readonly string[] = ['answering', 'sending', 'sent', 'refused'];
const isPhase = (v: unknown): v is Phase => typeof v === 'string' && phases.includes(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) ? v : undefined;

function answer(v: unknown): Answer | undefined {
  if (Array.isArray(v)) {
    const values = v.filter((x): x is number => int(x) !== undefined);
    return values.length === v.length ? values : undefined;
  }
  return int(v);
}

/** The stored draft, or undefined when there is none, it is unreadable or long finished. */
export function loadDraft(token: string): Draft | undefined {
  const raw = read(draftKey(token));
  if (!raw) return undefined;
  let f: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    f = Object.fromEntries(Object.entries(parsed));
  } catch {
    return undefined;
  }
  const id = str(f.id);
  const startedAt = str(f.startedAt);
  const page = int(f.page);
  const savedAt = int(f.savedAt);
  if (!id || !startedAt || page === undefined || savedAt === undefined || !isPhase(f.phase)) {
    return undefined;
  }
  if (Date.now() - savedAt > kept[f.phase]) {
    write(draftKey(token), null);
    return undefined;
  }
  const answers: Answers = {};
  if (typeof f.answers === 'object' && f.answers !== null) {
    for (const [code, value] of Object.entries(f.answers)) {
      const a = answer(value);
      if (a !== undefined) answers[code] = a;
    }
  }
  let refusal: Draft['refusal'];
  if (typeof f.refusal === 'object' && f.refusal !== null) {
    const r = Object.fromEntries(Object.entries(f.refusal));
    refusal = { status: int(r.status) ?? 0, detail: str(r.detail) ?? '' };
  }
  return {
    id,
    startedAt,
    submittedAt: str(f.submittedAt),
    answers,
    page,
    phase: f.phase,
    website: str(f.website) ?? '',
    refusal,
    savedAt,
  };
}

/** Forgets the draft: a kiosk's next respondent starts afresh. */
export function forgetDraft(token: string): void {
  write(draftKey(token), null);
}

const queueKey = (token: string) => `sipas:queue:${token}`;

/**
 * A kiosk's responses waiting to be sent: the tablet goes back to the start at once, so they
 * cannot wait in the draft. Each is kept as the JSON body it will be sent as.
 */
export function loadQueue(token: string): Submission[] {
  return parsedList(read(queueKey(token))).filter(isSubmission);
}

export function saveQueue(token: string, queue: readonly Submission[]): void {
  write(queueKey(token), queue.length === 0 ? null : JSON.stringify(queue));
}

const asideKey = (token: string) => `sipas:refused:${token}`;

/** A kiosk's response that the server refused for good, with its reply. */
export type SetAside = Submission & { refusal: { status: number; detail: string } };

/**
 * A kiosk's responses refused for good after their respondent had left: kept on the tablet, not
 * dropped, and counted on its start screen for the counter's staff (docs/survey-submission.md).
 */
export function loadSetAside(token: string): SetAside[] {
  return parsedList(read(asideKey(token))).filter(
    (v): v is SetAside => isSubmission(v) && 'refusal' in v,
  );
}

export function setAside(
  token: string,
  submission: Submission,
  refusal: SetAside['refusal'],
): void {
  write(asideKey(token), JSON.stringify([...loadSetAside(token), { ...submission, refusal }]));
}

function parsedList(raw: string | null): unknown[] {
  try {
    const parsed: unknown = raw === null ? [] : JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function isSubmission(v: unknown): v is Submission {
  if (typeof v !== 'object' || v === null) return false;
  const f = Object.fromEntries(Object.entries(v));
  return (
    typeof f.id === 'string' &&
    typeof f.answers === 'object' &&
    f.answers !== null &&
    ['startedAt', 'submittedAt', 'device', 'lang', 'website'].every((k) => typeof f[k] === 'string')
  );
}

/** Saves the draft as it is now, and returns it with its new save time. */
export function saveDraft(token: string, draft: Draft): Draft {
  const saved = { ...draft, savedAt: Date.now() };
  write(draftKey(token), JSON.stringify(saved));
  return saved;
}
