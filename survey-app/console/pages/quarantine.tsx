// Quarantine review (issue 14): a campaign's suspect survey answers, counted by reason and by
// counter, and released (one or many, with a note saying why) into the scores. An admin's.
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
import { quarantineSchema, releasedSchema, type Quarantined } from '../schemas.ts';

/** How many of the rows share each key, most first, then by key. */
function countBy(rows: readonly Quarantined[], key: (row: Quarantined) => string) {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

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

function Review(props: { rows: Quarantined[]; onReleased: () => void }) {
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
  return (
    <>
      <section aria-labelledby="by-reason-h">
        <h2 id="by-reason-h">{t.byReason}</h2>
        <Counts
          id="by-reason"
          label={t.byReason}
          heading={t.reason}
          rows={countBy(rows, (row) => reasonLabel(row.reason))}
        />
      </section>
      <section aria-labelledby="by-counter-h">
        <h2 id="by-counter-h">{t.byCounter}</h2>
        <Counts
          id="by-counter"
          label={t.byCounter}
          heading={t.counter}
          rows={countBy(rows, (row) => row.counter)}
        />
      </section>
      <section aria-labelledby="quarantined-h">
        <h2 id="quarantined-h">{t.quarantineTitle}</h2>
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
        <ActionOutcome action={action} />
      </section>
    </>
  );
}

export function QuarantinePage(props: { code: string }) {
  const { t } = useI18n();
  const list = useResource(
    (signal) =>
      request(quarantineSchema, `/campaigns/${encodeURIComponent(props.code)}/quarantine`, {
        signal,
      }),
    [props.code],
  );
  return (
    <>
      <PageTitle sub={props.code}>{t.quarantineTitle}</PageTitle>
      <p>{t.quarantineIntro}</p>
      <Loaded resource={list}>
        {(rows) =>
          rows.length === 0 ? (
            <p>{t.noQuarantined}</p>
          ) : (
            <Review rows={rows} onReleased={list.reload} />
          )
        }
      </Loaded>
    </>
  );
}
