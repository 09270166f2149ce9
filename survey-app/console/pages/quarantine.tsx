// Quarantine review (issue 14): a campaign's suspect survey answers, counted by reason and by
// counter (by the server, over all of them), listed a page at a time, and released (one or
// many, with a note saying why) into the scores. An admin's.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import {
  ActionOutcome,
  Loaded,
  num,
  PageTitle,
  Table,
  useAction,
  useResource,
} from '../components/common.tsx';
import { TextField } from '../components/fields.tsx';
import { formatFor } from '../format.ts';
import { useI18n } from '../i18n.ts';
import {
  quarantineSchema,
  quarantineSummarySchema,
  releasedSchema,
  type Quarantined,
  type QuarantineSummary,
} from '../schemas.ts';

/** Responses a page lists. */
const PAGE = 100;

function Counts(props: { label: string; heading: string; rows: [string, number][]; id: string }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  return (
    <Table label={props.label} columns={[props.heading, num(t.count)]} data-table={props.id}>
      <tbody>
        {props.rows.map(([key, n]) => (
          <tr key={key} data-key={key}>
            <th scope="row">{key}</th>
            <td class="num">{f.count(n)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function Review(props: {
  summary: QuarantineSummary;
  rows: Quarantined[];
  /** How many responses the pages before this one hold. */
  before: number;
  onReleased: () => void;
  onPage: (after: string | undefined) => void;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [note, setNote] = useState('');
  const action = useAction();
  const { rows } = props;
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (!next.delete(id)) next.add(id);
    setChosen(next);
  };
  const release = async (event: Event) => {
    event.preventDefault();
    const ids = rows.map((row) => row.id).filter((id) => chosen.has(id));
    // All or nothing: released, they are every one of the ids.
    const ok = await action.run(
      () =>
        request(releasedSchema, '/quarantine/release', {
          json: { ids, ...(note.trim() === '' ? {} : { note }) },
        }),
      t.released(ids.length),
    );
    if (ok) {
      setChosen(new Set());
      setNote('');
      props.onReleased();
    }
  };
  const reasonLabel = (reason: string | null) => `${reason ?? '—'} (${t.reasonName(reason)})`;
  const { summary, before } = props;
  const last = rows.at(-1)?.id;
  const page = (after: string | undefined) => {
    setChosen(new Set());
    props.onPage(after);
  };
  return (
    <>
      <section aria-labelledby="by-reason-h">
        <h2 id="by-reason-h">{t.byReason}</h2>
        <Counts
          id="by-reason"
          label={t.byReason}
          heading={t.reason}
          rows={summary.byReason.map((c): [string, number] => [reasonLabel(c.key), c.responses])}
        />
      </section>
      <section aria-labelledby="by-counter-h">
        <h2 id="by-counter-h">{t.byCounter}</h2>
        <Counts
          id="by-counter"
          label={t.byCounter}
          heading={t.counter}
          rows={summary.byCounter.map((c): [string, number] => [c.key, c.responses])}
        />
      </section>
      <section aria-labelledby="quarantined-h">
        <h2 id="quarantined-h">{t.quarantineTitle}</h2>
        <p data-shown>{t.quarantineShown(before + 1, before + rows.length, summary.total)}</p>
        <form class="stack" onSubmit={release}>
          <Table
            label={t.quarantineTitle}
            columns={[t.select, 'id', t.counter, t.reason, t.submittedAt, t.receivedAt]}
            data-table="quarantined"
          >
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-id={row.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t.selectRow(row.id)}
                      checked={chosen.has(row.id)}
                      onChange={() => toggle(row.id)}
                    />
                  </td>
                  <th scope="row">{row.responseId ?? row.id}</th>
                  <td>{row.counter}</td>
                  <td>{reasonLabel(row.reason)}</td>
                  <td>{row.submittedAt}</td>
                  <td>{row.receivedAt}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <TextField id="release-note" label={t.releaseNote} value={note} onValue={setNote} />
          <button type="submit" disabled={action.busy || chosen.size === 0}>
            {t.release(chosen.size)}
          </button>
        </form>
        <nav aria-label={t.quarantineTitle}>
          {before > 0 && (
            <button type="button" class="secondary" onClick={() => page(undefined)}>
              {t.firstPage}
            </button>
          )}
          {before + rows.length < summary.total && (
            <button type="button" class="secondary" onClick={() => page(last)}>
              {t.nextPage}
            </button>
          )}
        </nav>
        <ActionOutcome action={action} />
      </section>
    </>
  );
}

export function QuarantinePage(props: { code: string }) {
  const { t } = useI18n();
  const path = `/campaigns/${encodeURIComponent(props.code)}/quarantine`;
  // Keyset pages: the last id of the page before, and how many the pages before hold.
  const [page, setPage] = useState<{ after: string | undefined; before: number }>({
    after: undefined,
    before: 0,
  });
  const review = useResource(
    async (signal) => {
      const [summary, rows] = await Promise.all([
        request(quarantineSummarySchema, `${path}/summary`, { signal }),
        request(quarantineSchema, path, { signal, query: { limit: PAGE, after: page.after } }),
      ]);
      return { summary, rows };
    },
    [path, page.after],
  );
  const onPage = (after: string | undefined) =>
    setPage({ after, before: after === undefined ? 0 : page.before + PAGE });
  // A release shortens the list: back to the first page, counted again.
  const onReleased = () => {
    if (page.after === undefined) review.reload();
    else setPage({ after: undefined, before: 0 });
  };
  return (
    <>
      <PageTitle sub={props.code}>{t.quarantineTitle}</PageTitle>
      <p>{t.quarantineIntro}</p>
      <Loaded resource={review}>
        {({ summary, rows }) =>
          summary.total === 0 ? (
            <p>{t.noQuarantined}</p>
          ) : (
            <Review
              summary={summary}
              rows={rows}
              before={page.before}
              onReleased={onReleased}
              onPage={onPage}
            />
          )
        }
      </Loaded>
    </>
  );
}
