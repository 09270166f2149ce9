// Keying in paper forms, built for a keyboard: on an item, digits 1-9 pick the option at that
// position and move to the next asked item, 0 blanks and moves on, Backspace blanks in place,
// Enter stores the form. Skip rules hold: an item not asked is skipped and stays blank.
import { useRef, useState } from 'preact/hooks';
import type { EnteredResponse, Replacement } from '../../../api/contract.ts';
import {
  isAsked,
  KEYED_MODES,
  keyedByCode,
  RESPONSE_ID_MAX,
  TEXT_ANSWER_MAX,
  type Mode,
} from '../../../shared/rules.ts';
import { request } from '../api.ts';
import {
  ActionOutcome,
  ErrorNote,
  fieldError,
  Link,
  type Action,
  Loaded,
  PageTitle,
  useAction,
  useResource,
} from '../components/common.tsx';
import { CodeOptions, SelectField, TextField } from '../components/fields.tsx';
import { vietnamToday } from '../format.ts';
import { useI18n } from '../i18n.ts';
import {
  answersToSend,
  entryItems,
  keyAction,
  nextAsked,
  nextFormNumber,
  optionForDigit,
  setAnswer,
  storedAnswers,
  toggled,
  type Answer,
  type Answers,
  type EntryItem,
} from '../entry-logic.ts';
import {
  campaignSchema,
  instrumentSchema,
  list,
  replacedFormSchema,
  storedFormSchema,
  storedResponseSchema,
  type Campaign,
  type Instrument,
  type StoredForm,
} from '../schemas.ts';

interface Stored {
  id: string;
  form: string;
  answered: number;
}

function ItemField(props: {
  item: EntryItem;
  index: number;
  answer: Answer;
  asked: boolean;
  onAnswer: (value: Answer) => void;
  /** Keeps the ids of a second form of the same items on the page apart. */
  idPrefix?: string;
}) {
  const { t, lang } = useI18n();
  const { item } = props;
  const prefix = props.idPrefix ?? '';
  const [focusedOption, setFocusedOption] = useState(0);
  if (item.kind === 'text') {
    return (
      <div class={`entry-item entry-text${props.asked ? '' : ' skipped'}`}>
        <label for={`${prefix}${item.code}-text`}>
          <span class="code">{item.code}</span> {item.text[lang]}
        </label>
        <input
          id={`${prefix}${item.code}-text`}
          maxLength={TEXT_ANSWER_MAX}
          disabled={!props.asked}
          data-index={props.index}
          value={typeof props.answer === 'string' ? props.answer : ''}
          onInput={(e) => props.onAnswer(e.currentTarget.value)}
        />
      </div>
    );
  }
  return (
    <fieldset
      class={`entry-item${props.asked ? '' : ' skipped'}`}
      disabled={!props.asked}
      data-index={props.index}
    >
      <legend>
        <span class="code">{item.code}</span> {item.text[lang]}
        {props.asked ? null : (
          <span class="skip-note"> {t.skippedBecause(item.askIf?.item ?? '')}</span>
        )}
        {item.multiple ? <span class="muted"> {t.chooseMany}</span> : null}
      </legend>
      <div class="options">
        {item.options.map((option, position) => {
          const id = `${prefix}${item.code}-${option.value}`;
          const checked = item.multiple
            ? Array.isArray(props.answer) && props.answer.includes(option.value)
            : props.answer === option.value;
          return (
            <span class="option" key={option.value}>
              <input
                type={item.multiple ? 'checkbox' : 'radio'}
                id={id}
                name={item.code}
                value={option.value}
                checked={checked}
                data-index={props.index}
                data-position={position}
                // Multi-choice: one stop for Tab per item, arrows within it (as radios do).
                tabIndex={item.multiple ? (position === focusedOption ? 0 : -1) : undefined}
                onFocus={() => setFocusedOption(position)}
                onChange={() =>
                  props.onAnswer(item.multiple ? toggled(props.answer, option.value) : option.value)
                }
              />
              <label for={id}>
                <span class="key" aria-hidden="true">
                  {position + 1}
                </span>{' '}
                {option.label[lang]}
              </label>
            </span>
          );
        })}
      </div>
    </fieldset>
  );
}

function EntryForm(props: { campaign: Campaign; instrument: Instrument }) {
  const { t, lang } = useI18n();
  const items = entryItems(props.instrument);
  const itemsByCode = keyedByCode(items);
  const today = vietnamToday();
  const inPeriod = today >= props.campaign.startsOn && today <= props.campaign.endsOn;
  const [counter, setCounter] = useState(props.campaign.counters[0]?.code ?? '');
  const [date, setDate] = useState(inPeriod ? today : props.campaign.startsOn);
  const [mode, setMode] = useState<Mode>('paper');
  const [form, setForm] = useState('1');
  const [answers, setAnswers] = useState<Answers>({});
  // Keys come faster than renders: each key reads and writes the latest answers here.
  const latest = useRef<Answers>({});
  const saving = useRef(false);
  const [stored, setStored] = useState<Stored[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);

  /** Focuses the item's chosen option, or its first one; past the last item, the submit button. */
  const focusItem = (index: number) => {
    const root = formRef.current;
    if (!root) return;
    if (index < 0) {
      submitRef.current?.focus();
      return;
    }
    // The item may have become asked by the key just pressed, before the render that enables it.
    const field = root.querySelector(`fieldset[data-index="${index}"]`);
    if (field instanceof HTMLFieldSetElement) field.disabled = false;
    const inputs = [...root.querySelectorAll<HTMLInputElement>(`input[data-index="${index}"]`)];
    (inputs.find((input) => input.checked) ?? inputs[0])?.focus();
  };

  const update = (next: Answers) => {
    latest.current = next;
    setAnswers(next);
  };
  const answer = (item: EntryItem, value: Answer) =>
    update(setAnswer(items, latest.current, item.code, value));

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target;
    // Digits typed into a text field (the form number, a free-text item) are text.
    if (!(target instanceof HTMLInputElement) || target.dataset.index === undefined) return;
    if (target.type !== 'radio' && target.type !== 'checkbox') return;
    const index = Number(target.dataset.index);
    const item = items[index];
    const action = keyAction(event);
    if (!item || !action) {
      if (item?.multiple && /^Arrow/.test(event.key)) moveWithin(event, target);
      return;
    }
    event.preventDefault();
    if (saving.current) {
      setStatus(t.stillSaving);
      return;
    }
    if (action.kind === 'submit') {
      formRef.current?.requestSubmit();
      return;
    }
    const answers = latest.current;
    let next: Answers;
    if (action.kind === 'blank') {
      next = setAnswer(items, answers, item.code, null);
    } else {
      const value = optionForDigit(item, action.digit);
      if (value === undefined) {
        setStatus(t.noSuchOption(action.digit, item.code));
        return;
      }
      next = setAnswer(
        items,
        answers,
        item.code,
        item.multiple ? toggled(answers[item.code] ?? null, value) : value,
      );
    }
    update(next);
    const move = action.kind === 'blank' ? action.move : !item.multiple;
    if (move) focusItem(nextAsked(items, next, index));
  };

  const moveWithin = (event: KeyboardEvent, target: HTMLInputElement) => {
    const step =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? -1
          : 0;
    if (step === 0) return;
    event.preventDefault();
    const siblings = [
      ...(formRef.current?.querySelectorAll<HTMLInputElement>(
        `input[data-index="${target.dataset.index}"]`,
      ) ?? []),
    ];
    const position = siblings.indexOf(target);
    siblings[(position + step + siblings.length) % siblings.length]?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (saving.current) return;
    const sent = answersToSend(items, latest.current);
    if (Object.keys(sent).length === 0) {
      setStatus(t.nothingAnswered);
      focusItem(0);
      return;
    }
    saving.current = true;
    setBusy(true);
    setError(undefined);
    try {
      const reply = await request(
        storedResponseSchema,
        `/campaigns/${encodeURIComponent(props.campaign.code)}/responses`,
        {
          json: {
            counter,
            submittedAt: date,
            mode,
            ...(form.trim() ? { responseId: form.trim() } : {}),
            answers: sent,
          } satisfies EnteredResponse,
        },
      );
      const entry = { id: reply.id, form: form.trim(), answered: Object.keys(sent).length };
      setStored((list) => [entry, ...list]);
      setStatus(t.formStored(entry.form, entry.answered, stored.length + 1));
      update({});
      setForm(nextFormNumber(form.trim()));
      focusItem(0);
    } catch (failure) {
      setError(failure);
      setStatus('');
    } finally {
      saving.current = false;
      setBusy(false);
    }
  };

  const answeredCount = Object.keys(answersToSend(items, answers)).length;
  return (
    <form
      ref={formRef}
      class="entry"
      onSubmit={submit}
      onKeyDown={onKeyDown}
      aria-describedby="entry-keys"
    >
      <div id="entry-keys" class="note">
        <p>{t.entryKeys}</p>
        <p class="muted">
          {props.instrument.code}: {props.instrument.name[lang]}
        </p>
      </div>
      <fieldset class="entry-setup">
        <legend>{t.formDetails}</legend>
        <div class="field-row">
          <SelectField
            id="entry-counter"
            label={t.counter}
            required
            value={counter}
            onValue={setCounter}
          >
            <CodeOptions items={props.campaign.counters} />
          </SelectField>
          <TextField
            id="entry-date"
            label={t.formDate}
            type="date"
            required
            min={props.campaign.startsOn}
            max={props.campaign.endsOn}
            value={date}
            onValue={setDate}
          />
          <SelectField
            id="entry-mode"
            label={t.mode}
            value={mode}
            onValue={(value) => setMode(KEYED_MODES.find((m) => m === value) ?? 'paper')}
          >
            {KEYED_MODES.map((m) => (
              <option key={m} value={m}>
                {t.modeName(m)}
              </option>
            ))}
          </SelectField>
          <TextField
            id="entry-form"
            label={t.formNumber}
            help={t.formNumberHelp}
            maxLength={RESPONSE_ID_MAX}
            value={form}
            onValue={setForm}
          />
        </div>
      </fieldset>
      <div class="entry-items">
        {items.map((item, index) => (
          <ItemField
            key={item.code}
            item={item}
            index={index}
            answer={answers[item.code] ?? null}
            asked={isAsked(item, answers, itemsByCode)}
            onAnswer={(value) => answer(item, value)}
          />
        ))}
      </div>
      <div class="entry-submit">
        <button type="submit" ref={submitRef} disabled={busy}>
          {t.storeForm}
        </button>
        <span class="muted">
          {t.answeredOf(
            answeredCount,
            items.filter((item) => isAsked(item, answers, itemsByCode)).length,
          )}
        </span>
      </div>
      <p class="status" role="status">
        {status}
      </p>
      {error !== undefined ? <ErrorNote error={error} title={t.formRefused} /> : null}
      {stored.length > 0 ? (
        <section aria-labelledby="stored-h">
          <h2 id="stored-h">{t.storedThisSession(stored.length)}</h2>
          <ol class="stored" reversed>
            {stored.map((entry) => (
              <li key={entry.id}>
                {entry.form ? `${t.formNumber} ${entry.form}: ` : ''}
                {t.answersCount(entry.answered)} <span class="muted code">{entry.id}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </form>
  );
}

/**
 * The corrected copy of a keyed form (POST …/responses/{id}/replace): every answer keyed in
 * again, starting from the stored ones, with a reason. The original leaves the scores and
 * stays in the audit trail; the copy takes its number, counter, mode and date.
 */
function ReplaceEditor(props: {
  form: StoredForm;
  instrument: Instrument;
  path: string;
  action: Action;
  onReplaced: (original: StoredForm, copy: StoredForm) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { form, action } = props;
  const items = entryItems(props.instrument);
  const itemsByCode = keyedByCode(items);
  const [answers, setAnswers] = useState<Answers>(() => storedAnswers(items, form.answers));
  const [reason, setReason] = useState('');
  const number = form.responseId ?? form.id;
  const submit = async (event: Event) => {
    event.preventDefault();
    await action.run(async () => {
      const replaced = await request(replacedFormSchema, `${props.path}/${form.id}/replace`, {
        json: { reason, answers: answersToSend(items, answers) } satisfies Replacement,
      });
      props.onReplaced(replaced.original, replaced.replacement);
    }, t.formReplaced(number));
  };
  return (
    <form
      class="entry replace"
      onSubmit={submit}
      aria-labelledby={`replace-h-${form.id}`}
      data-replace={form.id}
    >
      <h3 id={`replace-h-${form.id}`}>{t.replaceTitle(number)}</h3>
      <p class="muted">{t.replaceHelp}</p>
      <div class="entry-items">
        {items.map((item, index) => (
          <ItemField
            key={item.code}
            idPrefix={`replace-${form.id}-`}
            item={item}
            index={index}
            answer={answers[item.code] ?? null}
            asked={isAsked(item, answers, itemsByCode)}
            onAnswer={(value) => setAnswers(setAnswer(items, answers, item.code, value))}
          />
        ))}
      </div>
      <div class="field-row">
        <TextField
          id={`replace-reason-${form.id}`}
          label={t.replaceReason}
          required
          maxLength={500}
          value={reason}
          onValue={setReason}
          error={fieldError(action.error, 'reason')}
        />
        <button type="submit" disabled={action.busy || reason.trim() === ''}>
          {t.storeReplacement}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

/**
 * Finds a keyed form by its number and voids it with a reason (POST …/responses/{id}/void), or
 * replaces it by a corrected copy (ReplaceEditor): either way it leaves the scores and stays in
 * the audit trail. A citizen's answer can be neither.
 */
function CorrectForm(props: { code: string; instrument: Instrument }) {
  const { t } = useI18n();
  const [number, setNumber] = useState('');
  const [found, setFound] = useState<StoredForm[] | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [replacing, setReplacing] = useState<string | null>(null);
  const action = useAction();
  const path = `/campaigns/${encodeURIComponent(props.code)}/responses`;
  const find = async (event: Event) => {
    event.preventDefault();
    setReplacing(null);
    await action.run(async () => {
      setFound(
        await request(list(storedFormSchema), path, { query: { responseId: number.trim() } }),
      );
    });
  };
  const voidOne = async (form: StoredForm) => {
    await action.run(
      async () => {
        const voided = await request(storedFormSchema, `${path}/${form.id}/void`, {
          json: { reason },
        });
        setFound((forms) => forms?.map((f) => (f.id === voided.id ? voided : f)));
        setReason('');
      },
      t.formVoided(form.responseId ?? form.id),
    );
  };
  const replaced = (original: StoredForm, copy: StoredForm) => {
    setFound((forms) => [...(forms ?? []).map((f) => (f.id === original.id ? original : f)), copy]);
    setReplacing(null);
  };
  return (
    <section class="card" aria-labelledby="void-h">
      <h2 id="void-h">{t.correctTitle}</h2>
      <p class="muted">{t.correctHelp}</p>
      <form class="field-row" onSubmit={find}>
        <TextField
          id="void-number"
          label={t.formNumber}
          required
          maxLength={RESPONSE_ID_MAX}
          value={number}
          onValue={setNumber}
        />
        <button type="submit" disabled={action.busy}>
          {t.findForm}
        </button>
      </form>
      {found?.length === 0 ? <p>{t.noSuchForm(number.trim())}</p> : null}
      {found?.map((form) => (
        <div key={form.id} class="stored-form" data-form={form.id}>
          <p>
            {t.formNumber} {form.responseId ?? ''} · {form.counter} · {form.submittedAt} ·{' '}
            {t.modeName(form.mode)} · <strong>{t.formStatus(form.status)}</strong>
            {form.voidReason ? ` (${form.voidReason})` : ''}
          </p>
          {form.correctable && replacing === form.id ? (
            <ReplaceEditor
              form={form}
              instrument={props.instrument}
              path={path}
              action={action}
              onReplaced={replaced}
              onCancel={() => setReplacing(null)}
            />
          ) : form.correctable ? (
            <div class="field-row">
              <TextField
                id={`void-reason-${form.id}`}
                label={t.voidReason}
                required
                maxLength={500}
                value={reason}
                onValue={setReason}
              />
              <button
                type="button"
                class="danger"
                disabled={action.busy || reason.trim() === ''}
                onClick={() => void voidOne(form)}
              >
                {t.voidForm}
              </button>
              <button
                type="button"
                class="secondary"
                disabled={action.busy}
                onClick={() => {
                  action.clear();
                  setReplacing(form.id);
                }}
              >
                {t.replaceForm}
              </button>
            </div>
          ) : form.status === 'valid' || form.status === 'quarantined' ? (
            <p class="muted">{t.notCorrectable}</p>
          ) : null}
        </div>
      ))}
      <ActionOutcome action={action} />
    </section>
  );
}

export function EntryPage(props: { code: string }) {
  const { t } = useI18n();
  const path = `/campaigns/${encodeURIComponent(props.code)}`;
  const data = useResource(
    async (signal) => {
      const campaign = await request(campaignSchema, path, { signal });
      const instrument = await request(
        instrumentSchema,
        `/instruments/${encodeURIComponent(campaign.instrument)}`,
        { signal },
      );
      return { campaign, instrument };
    },
    [props.code],
  );
  return (
    <>
      <PageTitle sub={props.code}>{t.entryTitle}</PageTitle>
      <p>
        <Link to={{ page: 'campaign', code: props.code }}>{t.backToCampaign}</Link>
      </p>
      <Loaded resource={data}>
        {(d) => (
          <>
            <EntryForm campaign={d.campaign} instrument={d.instrument} />
            <CorrectForm code={props.code} instrument={d.instrument} />
          </>
        )}
      </Loaded>
    </>
  );
}
