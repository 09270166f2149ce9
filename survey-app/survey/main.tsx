// The citizen survey at /s/{token}. The server embeds the survey (or the problem that stops
// it) in the page, so the first screen needs no request of its own; answers are kept on the phone
// as they are given, and the response is sent, and resent, until the server gives a final reply.
import { render } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isAsked, keyedByCode } from '../../shared/rules.ts';
import { Frame, Screen, Sending } from './frame.tsx';
import { registerServiceWorker } from './offline.ts';
import { messages, type Messages } from './messages.ts';
import {
  answersToSend,
  isAnswered,
  isRequired,
  NOT_APPLICABLE,
  offersNotApplicable,
  plan,
  type Answer,
  type Page,
} from './pages.ts';
import {
  parseEmbedded,
  type Embedded,
  type Item,
  type Lang,
  type Option,
  type Survey,
} from './payload.ts';
import { sendQueue } from './queue.ts';
import { retryDelay, sendOnce, type Outcome, type Submission } from './send.ts';
import {
  deviceId,
  forgetDraft,
  loadDraft,
  loadQueue,
  loadLang,
  loadSetAside,
  newDraft,
  saveDraft,
  saveQueue,
  type Draft,
} from './store.ts';
import './survey.css';

const token = decodeURIComponent(location.pathname.split('/')[2] ?? '');
/**
 * /s/{token}/kiosk: a tablet shared at the counter. Each response is queued on the tablet and
 * sent from there, and the page goes back to the start after sending and after a minute idle.
 */
const kiosk = location.pathname.split('/')[3] === 'kiosk';
/** Where the draft is kept: a kiosk's apart from a phone's on the same counter. */
const draftToken = kiosk ? `${token}/kiosk` : token;
const KIOSK_IDLE_MS = 60_000;
const KIOSK_THANKS_MS = 10_000;

function readEmbedded(): Embedded | undefined {
  const json = document.getElementById('survey-data')?.textContent;
  try {
    return json ? parseEmbedded(json) : undefined;
  } catch {
    return undefined;
  }
}

type Update = (draft: Draft) => void;

function Question({
  item,
  answer,
  lang,
  t,
  optional,
  notApplicable,
  error,
  onAnswer,
  options,
}: {
  item: Item;
  answer: Answer | undefined;
  lang: Lang;
  t: Messages;
  optional: boolean;
  /** Offers "Không có ý kiến / Not applicable" after the scale's options. */
  notApplicable: boolean;
  error: boolean;
  onAnswer: (answer: Answer) => void;
  options: Option[];
}) {
  const chosen = Array.isArray(answer) ? answer : answer === undefined ? [] : [answer];
  const choices = notApplicable
    ? [...options, { value: NOT_APPLICABLE, label: { vi: t.notApplicable, en: t.notApplicable } }]
    : options;
  return (
    <fieldset id={`q-${item.code}`} class={error ? 'q err' : 'q'}>
      <legend>
        {item.text[lang]}
        {optional && <span class="note"> {t.optional}</span>}
        {item.multiple && <span class="hint">{t.chooseAny}</span>}
        {error && <span class="error">{t.unanswered}</span>}
      </legend>
      <div class="options">
        {choices.map((option) => {
          const on = chosen.includes(option.value);
          const kind = option.value === NOT_APPLICABLE ? 'option na' : 'option';
          return (
            <label key={option.value} class={on ? `${kind} on` : kind}>
              <input
                type={item.multiple ? 'checkbox' : 'radio'}
                name={item.code}
                value={option.value}
                checked={on}
                onChange={() =>
                  onAnswer(
                    item.multiple
                      ? on
                        ? chosen.filter((v) => v !== option.value)
                        : [...chosen, option.value].sort((a, b) => a - b)
                      : option.value,
                  )
                }
              />
              <span>{option.label[lang]}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

function Questions({
  survey,
  draft,
  lang,
  t,
  update,
}: {
  survey: Survey;
  draft: Draft;
  lang: Lang;
  t: Messages;
  update: Update;
}) {
  const instrument = survey.instrument;
  const pages = useMemo(() => plan(instrument), [instrument]);
  const itemsByCode = useMemo(() => keyedByCode(instrument.items), [instrument]);
  const index = Math.min(draft.page, pages.length - 1);
  const page: Page | undefined = pages[index];
  const [showErrors, setShowErrors] = useState(false);
  useEffect(() => setShowErrors(false), [index]);
  if (!page) return null;
  const last = index === pages.length - 1;
  const asked = page.items.filter((item) => isAsked(item, draft.answers, itemsByCode));
  const missing = asked.filter(
    (item) => isRequired(instrument, page, item) && !isAnswered(draft.answers[item.code]),
  );
  const title =
    page.kind === 'factor' && page.name
      ? page.name[lang]
      : page.kind === 'overall'
        ? t.overall
        : `${t.profile} ${t.optional}`;

  const next = (event: Event) => {
    event.preventDefault();
    const first = missing[0];
    if (first) {
      setShowErrors(true);
      document.querySelector<HTMLInputElement>(`#q-${first.code} input`)?.focus();
      return;
    }
    if (!last) {
      update({ ...draft, page: index + 1 });
      return;
    }
    update({
      ...draft,
      answers: answersToSend(instrument, draft.answers),
      submittedAt: new Date().toISOString(),
      phase: 'sending',
    });
  };

  return (
    <Screen title={title}>
      <p id="progress" class="progress">
        {t.progress(index + 1, pages.length)}
      </p>
      <progress max={pages.length} value={index + 1} aria-labelledby="progress" />
      <form onSubmit={next} noValidate>
        {asked.map((item) => (
          <Question
            key={item.code}
            item={item}
            answer={draft.answers[item.code]}
            lang={lang}
            t={t}
            optional={page.kind !== 'profile' && !isRequired(instrument, page, item)}
            notApplicable={offersNotApplicable(instrument, page, item)}
            error={showErrors && missing.includes(item)}
            options={instrument.scales.find((s) => s.code === item.scale)?.options ?? []}
            onAnswer={(answer) =>
              update({ ...draft, answers: { ...draft.answers, [item.code]: answer } })
            }
          />
        ))}
        <div class="hp" aria-hidden="true">
          <label>
            {t.honeypot}
            <input
              name="website"
              tabIndex={-1}
              autocomplete="off"
              value={draft.website}
              onInput={(e) => update({ ...draft, website: e.currentTarget.value })}
            />
          </label>
        </div>
        {showErrors && missing.length > 0 && (
          <p class="error" role="alert">
            {t.unansweredSummary(missing.length)}
          </p>
        )}
        <div class="nav">
          {index > 0 && (
            <button
              type="button"
              class="secondary"
              onClick={() => update({ ...draft, page: index - 1 })}
            >
              {t.back}
            </button>
          )}
          <button type="submit">{last ? t.send : t.next}</button>
        </div>
      </form>
    </Screen>
  );
}

function submissionOf(draft: Draft, lang: Lang): Submission {
  return {
    id: draft.id,
    answers: draft.answers,
    startedAt: draft.startedAt,
    submittedAt: draft.submittedAt ?? new Date().toISOString(),
    device: deviceId(),
    lang,
    website: draft.website,
  };
}

/**
 * A kiosk's queue, sent in order until each gets a final reply: at once, when the tablet is back
 * online, and after a growing wait otherwise. `told` hears each reply; returns the function that
 * starts a round.
 */
function useKioskQueue(told: (id: string, outcome: Outcome) => void): () => void {
  const drain = useRef<() => void>(() => {});
  const tell = useRef(told);
  tell.current = told;
  useEffect(() => {
    if (!kiosk) return;
    let stopped = false;
    let busy = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const round = async () => {
      const retry = await sendQueue(
        token,
        (id, outcome) => tell.current(id, outcome),
        () => stopped,
      );
      if (retry) timer = setTimeout(run, retryDelay(retry, attempt++));
      else attempt = 0;
    };
    const run = () => {
      if (busy || stopped) return;
      busy = true;
      clearTimeout(timer);
      void round().finally(() => (busy = false));
    };
    drain.current = run;
    run();
    addEventListener('online', run);
    return () => {
      stopped = true;
      clearTimeout(timer);
      removeEventListener('online', run);
    };
  }, []);
  return () => drain.current();
}

/** Why the survey cannot go on, in the page's words; `otherwise` for any other status. */
function reason(t: Messages, status: number, otherwise: string): string {
  if (status === 404) return t.unknownLink;
  if (status === 410) return t.closed;
  if (status === 429) return t.tooMany;
  return otherwise;
}

/**
 * A kiosk's response after Send, while its respondent may still be at the tablet: on its way,
 * stored, waiting in the tablet's queue, or refused for good (then set aside on the tablet).
 */
type Sent = { id: string; state: 'sending' | 'stored' | 'queued' | 'refused' };

function App({ embedded }: { embedded: Embedded | undefined }) {
  const [lang, setLang] = useState<Lang>(loadLang);
  const [draft, setDraft] = useState<Draft | undefined>(() => loadDraft(draftToken));
  /** A kiosk's thanks, shown until the next respondent (or a few seconds) takes the tablet. */
  const [thanked, setThanked] = useState<Sent>();
  /** How many of the kiosk's responses the server refused for good, kept on the tablet. */
  const [setAside, setSetAside] = useState(() => (kiosk ? loadSetAside(token).length : 0));
  // The thanks say what became of the response: nobody is told "received" of one still queued.
  const drain = useKioskQueue((id, outcome) => {
    if (outcome.kind === 'refused') setSetAside(loadSetAside(token).length);
    setThanked((sent) =>
      sent?.state !== 'sending'
        ? sent
        : outcome.kind === 'retry'
          ? { ...sent, state: 'queued' }
          : sent.id === id
            ? { id, state: outcome.kind }
            : sent,
    );
  });
  const t = messages[lang];
  const survey = embedded?.survey;
  const problem = embedded && 'problem' in embedded ? embedded.problem : undefined;
  // Before the paint, not after it: the page never shows one language under the other's lang.
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.title;
  }, [lang]);
  const restart = () => {
    forgetDraft(draftToken);
    setDraft(undefined);
    setThanked(undefined);
  };
  const update: Update = (next) => {
    if (kiosk && next.phase === 'sending') {
      saveQueue(token, [...loadQueue(token), submissionOf(next, lang)]);
      forgetDraft(draftToken);
      setDraft(undefined);
      setThanked({ id: next.id, state: 'sending' });
      drain();
      return;
    }
    setDraft(saveDraft(draftToken, next));
  };
  // A kiosk left alone goes back to the start: the next respondent sees no one else's answers.
  useEffect(() => {
    if (!kiosk || (!draft && !thanked)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wait = () => {
      clearTimeout(timer);
      timer = setTimeout(restart, thanked ? KIOSK_THANKS_MS : KIOSK_IDLE_MS);
    };
    const events = ['pointerdown', 'keydown', 'input'] as const;
    for (const type of events) addEventListener(type, wait, true);
    wait();
    return () => {
      clearTimeout(timer);
      for (const type of events) removeEventListener(type, wait, true);
    };
  }, [draft, thanked]);
  const screen = draft ? `${draft.phase}:${draft.page}` : thanked ? 'thanked' : 'intro';
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

  let body;
  if (thanked) {
    const refused = thanked.state === 'refused';
    body = (
      <Screen title={refused ? t.refusedTitle : t.thanks}>
        <p role="status">
          {refused
            ? `${t.refused} ${t.kioskKept}`
            : thanked.state === 'sending'
              ? t.sending
              : thanked.state === 'queued'
                ? t.kioskQueued
                : t.thanksDetail}
        </p>
        <p>{t.kioskNext}</p>
        <div class="nav">
          <button type="button" onClick={restart}>
            {t.kioskRestart}
          </button>
        </div>
      </Screen>
    );
  } else if (draft?.phase === 'sending') {
    // Made once: every attempt sends the same submission, as a retry must.
    const submission = submissionOf(draft, lang);
    body = (
      <Sending
        id={draft.id}
        send={() => sendOnce(token, submission)}
        settled={(outcome) =>
          update({
            ...draft,
            phase: outcome.kind === 'stored' ? 'sent' : 'refused',
            refusal:
              outcome.kind === 'refused'
                ? { status: outcome.status, detail: outcome.detail }
                : undefined,
          })
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
    body = (
      <Screen title={t.refusedTitle}>
        <p>{reason(t, draft.refusal?.status ?? 0, t.refused)}</p>
        {draft.refusal?.detail && <p class="muted">{draft.refusal.detail}</p>}
      </Screen>
    );
  } else if (!survey || (problem && !draft)) {
    // A replaced QR code's survey is only for a citizen who began under it: a new one is told.
    body = (
      <Screen title={t.closedTitle}>
        <p>{problem ? reason(t, problem.status, t.broken) : t.broken}</p>
        {problem && <p class="muted">{problem.detail}</p>}
      </Screen>
    );
  } else if (!draft) {
    body = (
      <Screen title={t.title}>
        <p class="campaign">{survey.campaign.name}</p>
        <p>{t.consent}</p>
        {setAside > 0 && <p class="muted">{t.kioskSetAside(setAside)}</p>}
        <div class="nav">
          <button type="button" onClick={() => update(newDraft())}>
            {t.start}
          </button>
        </div>
      </Screen>
    );
  } else {
    body = <Questions survey={survey} draft={draft} lang={lang} t={t} update={update} />;
  }

  return (
    <Frame
      place={survey && [survey.counter.name, survey.unit.name]}
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
registerServiceWorker('/s/');
