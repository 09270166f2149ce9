// The PAR scorecard (spec §6, interchange §6): points per component, total, rank with ties,
// change on the previous period, and the gap to a top-K target, for the children of one unit;
// with a level, the band and each node's percent of its applicable maximum (par-cycle.md §3).
// A published period shows as published, with the figures of now on asking (docs/par.md).
import { useState } from 'preact/hooks';
import { request, XLSX_TYPE } from '../api.ts';
import {
  ActionOutcome,
  Downloads,
  Link,
  Loaded,
  num,
  PageTitle,
  Table,
  useAction,
  useResource,
} from '../components/common.tsx';
import { CodeOptions, SelectField, TextField } from '../components/fields.tsx';
import { formatFor, formatInstant } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { can } from '../roles.ts';
import {
  list,
  publishedSchema,
  scorecardSchema,
  unitSchema,
  type Me,
  type Scorecard,
} from '../schemas.ts';
import { periodLastDay } from '../../../shared/periods.ts';

interface Query {
  framework: string;
  period: string;
  peers: string;
  top: string;
  /** '' for the components alone, or a level of par-cycle.md §3. */
  level: string;
}

const LEVELS = ['', 'total', 'field', 'criterion', 'all'];

export function RankChange(props: { value: number | null }) {
  const { t } = useI18n();
  if (props.value === null) return <>—</>;
  if (props.value === 0) return <>{t.rankSame}</>;
  return (
    <span class={props.value > 0 ? 'up' : 'down'}>
      <span aria-hidden="true">{props.value > 0 ? '▲' : '▼'} </span>
      {props.value > 0 ? t.rankUp(props.value) : t.rankDown(-props.value)}
    </span>
  );
}

/** A row's way to the unit's remediation plan and its results sheet among these peers. */
function PlanLinks(props: { card: Scorecard; unit: string }) {
  const { t } = useI18n();
  const { card, unit } = props;
  const target = { framework: card.framework, period: card.period, unit };
  return (
    <span class="row-links">
      <Link to={{ page: 'plan', ...target }} aria-label={t.scorecardPlan(unit)}>
        {t.scorecardPlanShort}
      </Link>{' '}
      ·{' '}
      <Link
        to={{ page: 'plan-sheet', ...target, peers: card.peers, campaign: '', top: '' }}
        aria-label={t.scorecardSheet(unit)}
      >
        {t.scorecardSheetShort}
      </Link>
    </span>
  );
}

function ScorecardTable(props: { card: Scorecard; names: Map<string, string>; plans: boolean }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { card } = props;
  const components = Object.keys(card.rows[0]?.components ?? {});
  // A JSON object lists whole-number keys (fields 1, 2) before the others (1.1): numbered codes
  // are put back in the decision's order, 1, 1.1, 1.2, 2; a flat framework's keep the object's.
  const keys = Object.keys(card.rows[0]?.nodes ?? {});
  const nodes = keys.every((code) => /^\d/.test(code))
    ? keys.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    : keys;
  const ranks = card.rows.map((row) => row.rank);
  if (card.rows.length === 0) return <p>{t.noPoints(card.peers, card.period)}</p>;
  return (
    <>
      <p>
        {t.scorecardSummary(card.peers, card.period, card.previous)}
        {card.top !== null ? ` ${t.targetSummary(card.top, f.fixed(card.target))}` : ''}
      </p>
      <Table
        label={t.scorecardTitle}
        class="figures"
        data-table="scorecard"
        columns={[
          num(t.rank),
          t.unit,
          num(t.total),
          num(t.change),
          t.rankChange,
          num(t.gapToTarget),
          ...components.map((c) => num(t.componentName(c))),
          ...(card.level === undefined ? [] : [t.band, ...nodes.map((code) => num(code))]),
        ]}
      >
        <tbody>
          {card.rows.map((row) => {
            const tied = ranks.filter((r) => r === row.rank).length > 1;
            return (
              <tr key={row.unit} data-unit={row.unit}>
                <td class="num">
                  {row.rank}
                  {tied ? <span class="tie"> {t.tied}</span> : null}
                </td>
                <th scope="row">
                  <span class="code">{row.unit}</span> {props.names.get(row.unit) ?? ''}
                  {props.plans ? (
                    <>
                      <br />
                      <PlanLinks card={card} unit={row.unit} />
                    </>
                  ) : null}
                  {row.previousFrom ? (
                    <>
                      <br />
                      <span class="muted" data-previous-from>
                        {t.previousFrom(row.previousFrom.join(', '))}
                      </span>
                    </>
                  ) : null}
                </th>
                <td class="num">
                  <strong>{f.fixed(row.total)}</strong>
                </td>
                <td class="num">{f.signed(row.change)}</td>
                <td>
                  <RankChange value={row.rankChange} />
                </td>
                <td class="num">{f.fixed(row.gapToTarget)}</td>
                {components.map((c) => {
                  const part = row.components[c];
                  return (
                    <td class="num nowrap" key={c}>
                      {/* A leaf the unit marked not applicable has no points. */}
                      {part && part.rank !== null ? (
                        <>
                          {t.pointsOf(f.fixed(part.points), f.fixed(part.max))}
                          <br />
                          <span class="muted">
                            {t.rankShort(part.rank)} · {t.available(f.fixed(part.available))}
                          </span>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  );
                })}
                {card.level === undefined ? null : (
                  <>
                    <td data-band>{row.band ?? '—'}</td>
                    {nodes.map((code) => {
                      const node = row.nodes?.[code];
                      return (
                        <td class="num nowrap" key={code} data-node={code}>
                          {node && node.percent !== null ? (
                            <>
                              {t.nodeOf(
                                f.fixed(node.percent),
                                f.fixed(node.points),
                                f.fixed(node.applicableMax),
                              )}
                              <br />
                              <span class="muted">
                                {node.rank === null ? '' : t.rankShort(node.rank)}
                                {node.gapToTarget ? ` · ${f.fixed(node.gapToTarget)}` : ''}
                              </span>
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      );
                    })}
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </Table>
      <p class="rule">
        <span class="rule-label">{t.ruleLabel}</span> {t.rule.scorecard}
      </p>
      {props.plans ? (
        <p>
          <Link
            to={{
              page: 'plan-roll-up',
              framework: card.framework,
              period: card.period,
              unit: card.peers,
            }}
          >
            {t.scorecardRollUp(card.peers)}
          </Link>
        </p>
      ) : null}
    </>
  );
}

/** Whether the figures shown are published ones, and the way to the others. */
function PublicationNote(props: {
  card: Scorecard;
  live: boolean;
  setLive: (live: boolean) => void;
}) {
  const { t, lang } = useI18n();
  const { published } = props.card;
  if (props.live) {
    return (
      <p data-live>
        {t.liveNote}{' '}
        <button type="button" class="link-button" onClick={() => props.setLive(false)}>
          {t.showPublished}
        </button>
      </p>
    );
  }
  if (!published) return null;
  return (
    <p data-published={published.version}>
      {t.publishedNote(published.version, formatInstant(lang, published.at), published.reason)}{' '}
      <button type="button" class="link-button" onClick={() => props.setLive(true)}>
        {t.showLive}
      </button>
    </p>
  );
}

/** Publishes the period's results for the peers: a correction needs its reason. */
function PublishForm(props: { query: Query; onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const { framework, period, peers } = props.query;
  const submit = async (event: Event) => {
    event.preventDefault();
    let message = '';
    const ok = await action.run(async () => {
      const published = await request(
        publishedSchema,
        `/par/${encodeURIComponent(framework)}/publications`,
        { json: { period, peers, reason: reason.trim() === '' ? undefined : reason } },
      );
      message = t.publishedDone(published.version);
    });
    setDone(ok ? message : '');
    if (ok) {
      setReason('');
      props.onDone();
    }
  };
  return (
    <form
      class="controls card"
      aria-label={t.publishTitle}
      onSubmit={(event) => void submit(event)}
    >
      <TextField
        id="sc-reason"
        label={t.publishReason}
        path="reason"
        failure={action.error}
        maxLength={1000}
        value={reason}
        onValue={setReason}
      />
      <button type="submit" disabled={action.busy}>
        {t.publishButton}
      </button>
      <p class="status" role="status" data-published-done>
        {done}
      </p>
      {action.error !== undefined ? <ActionOutcome action={action} /> : null}
    </form>
  );
}

function ScorecardDownloads(props: { query: Query; params: Record<string, string | undefined> }) {
  const { t } = useI18n();
  const { framework, period, peers } = props.query;
  const path = `/par/${encodeURIComponent(framework)}/scorecard`;
  const name = `${framework}-${period}-${peers}-scorecard`;
  return (
    <Downloads
      files={[
        {
          label: t.exportScorecardCsv,
          path,
          query: { ...props.params, format: 'csv' },
          file: { type: 'text/csv', name: `${name}.csv` },
        },
        {
          label: t.exportScorecardXlsx,
          path,
          query: { ...props.params, format: 'xlsx' },
          file: { type: XLSX_TYPE, name: `${name}.xlsx` },
        },
      ]}
    />
  );
}

export function ScorecardPage(props: { me: Me }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Query>({
    framework: 'par-2020-province',
    period: String(new Date().getFullYear() - 1),
    peers: props.me.unit ?? '',
    top: '',
    level: '',
  });
  const [query, setQuery] = useState<Query | null>(null);
  const [live, setLive] = useState(false);
  // The units to pick peers from are those of the period's map (its last day).
  const day = periodLastDay(draft.period) ?? undefined;
  const units = useResource(
    (signal) => request(list(unitSchema), '/units', { query: { on: day }, signal }).catch(() => []),
    [day],
  );
  const names = new Map((units.data ?? []).map((u) => [u.code, u.name]));
  const params = (q: Query) => ({
    period: q.period,
    peers: q.peers,
    top: q.top === '' ? undefined : q.top,
    level: q.level === '' ? undefined : q.level,
    live: live ? 'true' : undefined,
  });
  const card = useResource(
    (signal) =>
      query === null
        ? Promise.resolve(null)
        : request(scorecardSchema, `/par/${encodeURIComponent(query.framework)}/scorecard`, {
            query: params(query),
            signal,
          }),
    [query, live],
  );
  const set = (key: keyof Query) => (value: string) => setDraft({ ...draft, [key]: value });
  return (
    <>
      <PageTitle>{t.scorecardTitle}</PageTitle>
      <form
        class="controls card"
        onSubmit={(event) => {
          event.preventDefault();
          setLive(false);
          setQuery({ ...draft });
        }}
      >
        <TextField
          id="sc-framework"
          label={t.framework}
          required
          value={draft.framework}
          onValue={set('framework')}
        />
        <TextField
          id="sc-period"
          label={t.periodLabel}
          required
          class="narrow"
          value={draft.period}
          onValue={set('period')}
        />
        <SelectField
          id="sc-peers"
          label={t.peersUnit}
          required
          value={draft.peers}
          onValue={set('peers')}
        >
          <option value="">{t.chooseUnit}</option>
          <CodeOptions items={units.data ?? []} />
        </SelectField>
        <TextField
          id="sc-top"
          label={t.topK}
          type="number"
          min={1}
          step={1}
          class="narrow"
          value={draft.top}
          onValue={set('top')}
        />
        <SelectField
          id="sc-level"
          label={t.scorecardLevel}
          value={draft.level}
          onValue={set('level')}
        >
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {t.levelName(level)}
            </option>
          ))}
        </SelectField>
        <button type="submit">{t.showScorecard}</button>
      </form>
      {query ? (
        <section aria-labelledby="scorecard-h">
          <h2 id="scorecard-h">{t.scorecardOf(query.framework, query.period)}</h2>
          <Loaded resource={card}>
            {(data) =>
              data ? (
                <>
                  <PublicationNote card={data} live={live} setLive={setLive} />
                  <ScorecardTable card={data} names={names} plans={can.readPlans(props.me.role)} />
                </>
              ) : null
            }
          </Loaded>
          {can.publish(props.me.role) ? (
            <PublishForm
              query={query}
              onDone={() => {
                setLive(false);
                card.reload();
              }}
            />
          ) : null}
          <ScorecardDownloads query={query} params={params(query)} />
        </section>
      ) : null}
    </>
  );
}
