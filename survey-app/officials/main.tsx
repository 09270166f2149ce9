// An official's page at /o/{token} (docs/officials.md "Answering"): every item on one page with
// its options as large radio buttons, all required. The server embeds the page (or why the link
// opens none); the answers are kept on the phone as they are given, and sent, and resent, with
// the citizen page's sending loop (survey/send.ts) until a final reply.
import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { OfficialEmbedded, OfficialSubmission } from '../../api/contract.ts';
import { Frame, Screen, Sending } from '../survey/frame.tsx';
import { registerServiceWorker } from '../survey/offline.ts';
import type { Lang } from '../survey/payload.ts';
import { postOnce } from '../survey/send.ts';
import { loadLang, read, uuid, write } from '../survey/store.ts';
import '../survey/survey.css';
import { messages, type Messages } from './messages.ts';
import { parseEmbedded, type Item, type Page, type Reason } from './payload.ts';
import './officials.css';

const token = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const draftKey = `sipas:official:${token}`;

type Phase = 'answering' | 'sending' | 'sent' | 'refused';

interface Draft {
  /** The submission key, made once and kept until the server's final reply. */
  id: string;
  answers: Record<string, string>;
  phase: Phase;
  refusal?: { status: number; detail: string };
}

const phases: readonly string[] = ['answering', 'sending', 'sent', 'refused'];
const isPhase = (v: unknown): v is Phase => typeof v === 'string' && phases.includes(v);

function loadDraft(): Draft | undefined {
  try {
    const parsed: unknown = JSON.parse(read(draftKey) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const f = Object.fromEntries(Object.entries(parsed));
    if (typeof f.id !== 'string' || !isPhase(f.phase)) return undefined;
    const answers: Record<string, string> = {};
    if (typeof f.answers === 'object' && f.answers !== null) {
      for (const [code, v] of Object.entries(f.answers))
        if (typeof v === 'string') answers[code] = v;
    }
    const r = typeof f.refusal === 'object' && f.refusal !== null ? f.refusal : undefined;
    const refusal = r && {
      status: 'status' in r && typeof r.status === 'number' ? r.status : 0,
      detail: 'detail' in r && typeof r.detail === 'string' ? r.detail : '',
    };
    return { id: f.id, answers, phase: f.phase, ...(refusal ? { refusal } : {}) };
  } catch {
    return undefined;
  }
}

function readEmbedded(): OfficialEmbedded | undefined {
  const json = document.getElementById('survey-data')?.textContent;
  try {
    return json ? parseEmbedded(json) : undefined;
  } catch {
    return undefined;
  }
}

function Question({
  item,
  number,
  chosen,
  lang,
  t,
  error,
  onChoose,
}: {
  item: Item;
  number: number;
  chosen: string | undefined;
  lang: Lang;
  t: Messages;
  error: boolean;
  onChoose: (code: string) => void;
}) {
  return (
    <fieldset id={`q-${item.code}`} class={error ? 'q err' : 'q'}>
      <legend>
        {number}. {item.text[lang]}{' '}
        <abbr class="req" title={t.required}>
          *
        </abbr>
        {error && <span class="error">{t.unanswered}</span>}
      </legend>
      <div class="options">
        {item.options.map((option) => (
          <label key={option.code} class={chosen === option.code ? 'option on' : 'option'}>
            <input
              type="radio"
              name={item.code}
              value={option.code}
              required
              checked={chosen === option.code}
              onChange={() => onChoose(option.code)}
            />
            <span>
              <b class="code">{option.code}.</b> {option.label[lang]}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Questions({
  page,
  draft,
  lang,
  t,
  update,
}: {
  page: Page;
  draft: Draft;
  lang: Lang;
  t: Messages;
  update: (draft: Draft) => void;
}) {
  const [showErrors, setShowErrors] = useState(false);
  const items = page.instrument.items;
  const missing = items.filter((item) => draft.answers[item.code] === undefined);
  const done = items.length - missing.length;
  const send = (event: Event) => {
    event.preventDefault();
    const first = missing[0];
    if (first) {
      setShowErrors(true);
      document.querySelector<HTMLInputElement>(`#q-${first.code} input`)?.focus();
      return;
    }
    update({ ...draft, phase: 'sending' });
  };
  return (
    <Screen title={page.survey.name}>
      <p class="muted">{page.instrument.name[lang]}</p>
      <p>{t.anonymous}</p>
      <p class="muted">{t.closesOn(page.survey.closesOn)}</p>
      <p>{t.requiredNote}</p>
      <p id="progress" class="progress" aria-live="polite">
        {t.progress(done, items.length)}
      </p>
      <progress max={items.length} value={done} aria-labelledby="progress" />
      <form onSubmit={send} noValidate>
        {items.map((item, i) => (
          <Question
            key={item.code}
            item={item}
            number={i + 1}
            chosen={draft.answers[item.code]}
            lang={lang}
            t={t}
            error={showErrors && missing.includes(item)}
            onChoose={(code) =>
              update({ ...draft, answers: { ...draft.answers, [item.code]: code } })
            }
          />
        ))}
        {showErrors && missing.length > 0 && (
          <p class="error" role="alert">
            {t.unansweredSummary(missing.length)}
          </p>
        )}
        <div class="nav">
          <button type="submit">{t.send}</button>
        </div>
        {page.instrument.note && <p class="muted">{page.instrument.note[lang]}</p>}
      </form>
    </Screen>
  );
}

/** The screen of a link that opens no questions, by its reason. */
function refusal(t: Messages, reason: Reason): [string, string] {
  switch (reason) {
    case 'used':
      return [t.usedTitle, t.used];
    case 'revoked':
      return [t.revokedTitle, t.revoked];
    case 'closed':
      return [t.closedTitle, t.closed];
    case 'not-open':
      return [t.notOpenTitle, t.notOpen];
    case 'unknown':
      return [t.unknownTitle, t.unknown];
  }
}

/**
 * A refused submission's screen: the reply's status says which (docs/officials.md); no text of
 * its own for a 410, whose reply says which of revoked, closed or not yet open.
 */
function refusedScreen(t: Messages, status: number): [string, string] {
  if (status === 409) return refusal(t, 'used');
  if (status === 404) return refusal(t, 'unknown');
  if (status === 410) return [t.goneTitle, ''];
  return [t.refusedTitle, t.refused];
}

function App({ embedded }: { embedded: OfficialEmbedded | undefined }) {
  const [lang, setLang] = useState<Lang>(loadLang);
  const [draft, setDraft] = useState<Draft | undefined>(loadDraft);
  const t = messages[lang];
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.title;
  }, [lang]);
  const update = (next: Draft) => {
    write(draftKey, JSON.stringify(next));
    setDraft(next);
  };
  const screen = draft?.phase ?? 'answering';
  const firstScreen = useRef(true);
  useEffect(() => {
    // A new screen: its heading takes focus, so a screen reader announces it (not on load).
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    window.scrollTo(0, 0);
    document.querySelector('h1')?.focus({ preventScroll: true });
  }, [screen]);
  const page = embedded && 'page' in embedded ? embedded.page : undefined;
  const problem = embedded && 'problem' in embedded ? embedded.problem : undefined;

  let body;
  // What this phone did comes first: a link it answered is "used" to the server, thanks here.
  if (draft?.phase === 'sending') {
    const submission = { id: draft.id, answers: draft.answers } satisfies OfficialSubmission;
    body = (
      <Sending
        id={draft.id}
        send={() => postOnce(`/api/v1/o/${encodeURIComponent(token)}/responses`, submission, lang)}
        settled={(outcome) =>
          update(
            outcome.kind === 'stored'
              ? { ...draft, phase: 'sent' }
              : {
                  ...draft,
                  phase: 'refused',
                  refusal: { status: outcome.status, detail: outcome.detail },
                },
          )
        }
        texts={t}
      />
    );
  } else if (draft?.phase === 'sent') {
    body = (
      <Screen title={t.thanks}>
        <p>{t.thanksDetail}</p>
      </Screen>
    );
  } else if (draft?.phase === 'refused') {
    const [title, detail] = refusedScreen(t, draft.refusal?.status ?? 0);
    // The server's words (in the page's language) where the page has none of its own.
    body = (
      <Screen title={title}>
        <p>{detail || draft.refusal?.detail || t.refused}</p>
      </Screen>
    );
  } else if (problem) {
    const [title, detail] = refusal(t, problem.reason);
    // Only the server's words carry the survey's days; they are Vietnamese, as the page opens.
    const dated = problem.reason === 'closed' || problem.reason === 'not-open';
    body = (
      <Screen title={title}>
        <p>{dated && lang === 'vi' ? problem.detail : detail}</p>
        {dated && lang === 'en' && (
          <p class="muted" lang="vi">
            {problem.detail}
          </p>
        )}
      </Screen>
    );
  } else if (page) {
    body = (
      <Questions
        page={page}
        draft={draft ?? { id: uuid(), answers: {}, phase: 'answering' }}
        lang={lang}
        t={t}
        update={update}
      />
    );
  } else {
    body = (
      <Screen title={t.refusedTitle}>
        <p>{t.broken}</p>
      </Screen>
    );
  }
  return (
    <Frame
      place={page && [page.unit.name, page.group]}
      lang={lang}
      otherLanguage={t.otherLanguage}
      onLanguage={setLang}
    >
      {body}
    </Frame>
  );
}

const root = document.getElementById('app');
if (root) render(<App embedded={readEmbedded()} />, root);
registerServiceWorker('/o/');
