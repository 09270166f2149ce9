// One campaign: its progress (responses per counter against target and transactions, the
// response rate, by mode), refreshed while the campaign is open, and its transaction counts.
import { useEffect, useState } from 'preact/hooks';
import type { Transactions } from '../../../api/contract.ts';
import { request, send, XLSX_TYPE } from '../api.ts';
import { IntervalBar } from '../components/charts.tsx';
import {
  ActionOutcome,
  Link,
  Loaded,
  num,
  PageTitle,
  Table,
  TemplateDownloads,
  useAction,
  useResource,
} from '../components/common.tsx';
import { FileField, TextField } from '../components/fields.tsx';
import { formatFor } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { can } from '../roles.ts';
import {
  campaignSchema,
  progressSchema,
  type Campaign,
  type Me,
  type Progress,
  type ProgressFigures,
} from '../schemas.ts';
import { campaignPages, stateOf } from './campaigns.tsx';

/** How often an open campaign's progress is fetched again. */
const REFRESH_MS = 15_000;

export function ModesText(props: { modes: Record<string, number> }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const entries = Object.entries(props.modes).filter(([, n]) => n > 0);
  if (entries.length === 0) return <>—</>;
  return <>{entries.map(([mode, n]) => `${t.modeName(mode)} ${f.count(n)}`).join(' · ')}</>;
}

function ProgressTable(props: { progress: Progress }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const row = (
    key: string,
    label: string,
    name: string,
    unit: string,
    r: ProgressFigures,
    total = false,
  ) => (
    <tr key={key} class={total ? 'total' : undefined} data-counter={total ? undefined : key}>
      <th scope="row">
        {total ? label : <span class="code">{label}</span>} {name}
      </th>
      <td>{unit}</td>
      <td class="num">{f.count(r.respondents)}</td>
      <td class="num">{f.count(r.target)}</td>
      <td class="num">{f.count(r.plannedSample)}</td>
      <td class="bar-cell">
        {r.progress === null ? null : (
          <>
            <IntervalBar value={r.progress} tone={r.progress >= 100 ? 'good' : 'plain'} />
            <span class="bar-caption">{f.fixed(r.progress)}%</span>
          </>
        )}
      </td>
      <td class="num">{f.count(r.transactions)}</td>
      <td class="num">{f.fixed(r.responseRate)}</td>
      <td class="num">{f.count(r.quarantined)}</td>
      <td>
        <ModesText modes={r.modes} />
      </td>
    </tr>
  );
  return (
    <>
      <Table
        label={t.progressTable}
        caption={t.progressCaption}
        columns={[
          t.counter,
          t.unit,
          num(t.responses),
          num(t.target),
          num(t.plannedSample),
          t.againstTarget,
          num(t.transactions),
          num(t.responseRate),
          num(t.quarantined),
          t.byMode,
        ]}
      >
        <tbody>
          {props.progress.counters.map((r) => row(r.counter, r.counter, r.name, r.unit, r))}
        </tbody>
        <tfoot>{row('total', t.total, '', '', props.progress.total, true)}</tfoot>
      </Table>
      <p class="rule">
        <span class="rule-label">{t.ruleLabel}</span> {t.rule.progress}
      </p>
    </>
  );
}

function TransactionsForm(props: { campaign: string; progress: Progress; onSaved: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const initial = () =>
    Object.fromEntries(
      props.progress.counters.map((r) => [
        r.counter,
        r.transactions === null ? '' : String(r.transactions),
      ]),
    );
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [file, setFile] = useState<File | null>(null);
  const path = `/campaigns/${encodeURIComponent(props.campaign)}/transactions`;
  const save = async (event: Event) => {
    event.preventDefault();
    const counts = Object.fromEntries(
      Object.entries(values).flatMap(([counter, text]) =>
        text.trim() === '' ? [] : [[counter, Number(text)]],
      ),
    );
    if (
      await action.run(
        () => send(path, { method: 'PUT', json: counts satisfies Transactions }),
        t.transactionsSaved,
      )
    ) {
      props.onSaved();
    }
  };
  const upload = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    const type = file.name.toLowerCase().endsWith('.xlsx') ? XLSX_TYPE : 'text/csv';
    const table = new Blob([file], { type });
    if (await action.run(() => send(`${path}/import`, { file: table }), t.transactionsSaved)) {
      props.onSaved();
    }
  };
  return (
    <section class="card" aria-labelledby="transactions-h">
      <h2 id="transactions-h">{t.transactionsTitle}</h2>
      <p>{t.transactionsHelp}</p>
      <form class="stack" onSubmit={save}>
        <div class="field-grid">
          {props.progress.counters.map((r) => (
            <TextField
              key={r.counter}
              id={`tx-${r.counter}`}
              label={r.counter}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={values[r.counter] ?? ''}
              onValue={(value) => setValues({ ...values, [r.counter]: value })}
            />
          ))}
        </div>
        <button type="submit" disabled={action.busy}>
          {t.saveTransactions}
        </button>
      </form>
      <form class="stack" onSubmit={upload}>
        <FileField
          id="tx-file"
          label={t.transactionsFile}
          help={t.transactionsFileHelp}
          accept={`.csv,text/csv,.xlsx,${XLSX_TYPE}`}
          onFile={setFile}
        />
        <button type="submit" class="secondary" disabled={action.busy || !file}>
          {t.importTransactions}
        </button>
      </form>
      <TemplateDownloads path={path} name={`${props.campaign}-transactions-template`} />
      <ActionOutcome action={action} />
    </section>
  );
}

function Refreshed(props: { at: Date | null; open: boolean; onRefresh: () => void }) {
  const { t, lang } = useI18n();
  const time = props.at ? props.at.toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB') : '—';
  return (
    <p class="refresh">
      <span>{props.open ? t.refreshedAuto(time, REFRESH_MS / 1000) : t.refreshedAt(time)}</span>{' '}
      <button type="button" class="secondary" onClick={props.onRefresh}>
        {t.refreshNow}
      </button>
    </p>
  );
}

function CampaignView(props: { campaign: Campaign; me: Me }) {
  const { t } = useI18n();
  const { campaign } = props;
  const open = stateOf(campaign) === 'open';
  const [at, setAt] = useState<Date | null>(null);
  const progress = useResource(
    (signal) =>
      request(progressSchema, `/campaigns/${encodeURIComponent(campaign.code)}/progress`, {
        signal,
      }),
    [campaign.code],
  );
  useEffect(() => {
    if (progress.data) setAt(new Date());
  }, [progress.data]);
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => {
      if (!document.hidden) progress.reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [open, progress.reload]);
  return (
    <>
      <PageTitle
        sub={`${campaign.code} · ${campaign.instrument} · ${t.periodText(campaign.startsOn, campaign.endsOn)} · ${t.campaignState[stateOf(campaign)]}`}
      >
        {campaign.name}
      </PageTitle>
      <nav aria-label={t.campaignNav} class="sub-nav">
        <ul>
          {campaignPages(campaign.code, props.me.role, t).map((link) => (
            <li key={link.to.page}>
              <Link to={link.to}>{link.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="progress-h">
        <h2 id="progress-h">{t.progress}</h2>
        <Refreshed at={at} open={open} onRefresh={progress.reload} />
        <Loaded resource={progress}>{(data) => <ProgressTable progress={data} />}</Loaded>
      </section>
      {can.enter(props.me.role) && progress.data ? (
        <TransactionsForm
          campaign={campaign.code}
          progress={progress.data}
          onSaved={progress.reload}
        />
      ) : null}
    </>
  );
}

export function CampaignPage(props: { code: string; me: Me }) {
  const campaign = useResource(
    (signal) => request(campaignSchema, `/campaigns/${encodeURIComponent(props.code)}`, { signal }),
    [props.code],
  );
  return (
    <Loaded resource={campaign}>{(data) => <CampaignView campaign={data} me={props.me} />}</Loaded>
  );
}
