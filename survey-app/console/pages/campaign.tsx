// One campaign: its progress (responses per counter against target and transactions, the
// response rate, by mode), refreshed while the campaign is open; its edits (period, counters,
// targets, transaction counts) are on its edit page (campaign-edit.tsx).
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api.ts';
import { IntervalBar } from '../components/charts.tsx';
import { Link, Loaded, num, PageTitle, Table, useResource } from '../components/common.tsx';
import { formatFor } from '../format.ts';
import { useI18n } from '../i18n.ts';
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
