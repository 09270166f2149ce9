// The audit log (issue 14): who did what, when, newest first, filtered by unit, actor, action
// and days, older pages on request. An admin's.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import { ErrorNote, Loaded, PageTitle, Table, useResource } from '../components/common.tsx';
import { SelectField, TextField } from '../components/fields.tsx';
import { useI18n } from '../i18n.ts';
import { auditActionsSchema, auditPageSchema, type AuditPage } from '../schemas.ts';

interface Filters {
  unit: string;
  actor: string;
  action: string;
  from: string;
  to: string;
}

const none: Filters = { unit: '', actor: '', action: '', from: '', to: '' };

/** The filters that are set, as the API's query. */
const queryOf = (filters: Filters) =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => value.trim() !== ''));

function Entries(props: { page: AuditPage }) {
  const { t } = useI18n();
  if (props.page.entries.length === 0) return <p>{t.noEntries}</p>;
  return (
    <Table
      label={t.auditTitle}
      columns={[t.at, t.actor, t.auditAction, t.subject, t.detail]}
      data-table="audit"
    >
      <tbody>
        {props.page.entries.map((entry) => (
          <tr key={entry.id} data-action={entry.action}>
            <td>{entry.at}</td>
            <td>{entry.actorName ? `${entry.actorName} (${entry.actor})` : entry.actor}</td>
            <th scope="row">{entry.action}</th>
            <td>{entry.subject}</td>
            <td>
              <code>{entry.detail === null ? '' : JSON.stringify(entry.detail)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function AuditPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Filters>(none);
  const [filters, setFilters] = useState<Filters>(none);
  // The id the shown page starts below; null for the newest.
  const [before, setBefore] = useState<string | null>(null);
  const actions = useResource(
    (signal) => request(auditActionsSchema, '/audit/actions', { signal }),
    [],
  );
  const page = useResource(
    (signal) =>
      request(auditPageSchema, '/audit', {
        query: { ...queryOf(filters), ...(before === null ? {} : { before }) },
        signal,
      }),
    [filters, before],
  );
  const field = (key: keyof Filters) => ({
    id: `audit-${key}`,
    value: draft[key],
    onValue: (value: string) => setDraft({ ...draft, [key]: value }),
  });
  return (
    <>
      <PageTitle>{t.auditTitle}</PageTitle>
      <p>{t.auditIntro}</p>
      <form
        class="stack filters"
        onSubmit={(event) => {
          event.preventDefault();
          setBefore(null);
          setFilters(draft);
        }}
      >
        <TextField {...field('unit')} label={t.auditUnit} />
        <TextField {...field('actor')} label={t.auditActor} />
        <SelectField {...field('action')} label={t.auditAction}>
          <option value="">{t.anyAction}</option>
          {(actions.data ?? []).map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </SelectField>
        <TextField {...field('from')} type="date" label={t.fromDay} />
        <TextField {...field('to')} type="date" label={t.toDay} />
        <button type="submit">{t.applyFilters}</button>
      </form>
      {actions.error === undefined ? null : <ErrorNote error={actions.error} />}
      <Loaded resource={page}>
        {(data) => (
          <>
            <Entries page={data} />
            {data.next === null ? null : (
              <button type="button" class="secondary" onClick={() => setBefore(data.next)}>
                {t.olderEntries}
              </button>
            )}
          </>
        )}
      </Loaded>
    </>
  );
}
