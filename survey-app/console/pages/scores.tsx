// A campaign's scores (interchange §5) read at a glance: SIPAS with its interval, the factors as
// bars with whiskers, the item table, counters and units ranked with their flags, the change on
// another campaign, and the exports. Every figure has 2 decimals and says the rule behind it.
import { useEffect, useState } from 'preact/hooks';
import { request, XLSX_TYPE } from '../api.ts';
import { BarChart, IntervalBar } from '../components/charts.tsx';
import {
  Downloads,
  Link,
  Loaded,
  num,
  PageTitle,
  Table,
  useResource,
  type Resource,
} from '../components/common.tsx';
import { CodeOptions, SelectField } from '../components/fields.tsx';
import { formatFor } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { rankWithTies, type Ranked } from '../ranking.ts';
import {
  campaignSchema,
  campaignSummarySchema,
  comparisonSchema,
  instrumentSchema,
  list,
  peerGroupSummarySchema,
  rankingScoresSchema,
  scoresSchema,
  unitSchema,
  type Campaign,
  type CampaignSummary,
  type Change,
  type GroupKey,
  type GroupScores,
  type Instrument,
  type PeerGroupSummary,
  type RankedGroup,
  type RankingScores,
  type Rules,
  type Scores,
  type Unit,
} from '../schemas.ts';
import { ModesText } from './campaign.tsx';

type By = 'all' | 'unit' | 'counter';
type DesignChoice = 'campaign' | 'srs' | 'stratified';

const keyOf = (key: GroupKey): string =>
  key.unit !== undefined
    ? `unit:${key.unit}`
    : key.counter !== undefined
      ? `counter:${key.counter}`
      : 'all';

function Flags(props: { flags: string[]; rules: Rules }) {
  const { t } = useI18n();
  if (props.flags.length === 0) return null;
  return (
    <span class="flags">
      {props.flags.map((flag) => (
        <span key={flag} class="badge badge-warn">
          {t.flagName(flag, props.rules)}
        </span>
      ))}
    </span>
  );
}

function RuleNote(props: { children: string }) {
  const { t } = useI18n();
  return (
    <p class="rule">
      <span class="rule-label">{t.ruleLabel}</span> {props.children}
    </p>
  );
}

function Headline(props: { group: GroupScores; rules: Rules; label: string }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { group, rules } = props;
  return (
    <section class="headline card" aria-labelledby="sipas-h">
      <h2 id="sipas-h">{t.sipasOf(props.label)}</h2>
      <p class="big" data-figure="sipas">
        {f.fixed(group.sipas.index)}
        <span class="unit-sign">%</span>
      </p>
      <IntervalBar value={group.sipas.index} ci={group.sipas.ci} tone="good" />
      <dl class="facts">
        <div>
          <dt>{t.interval95}</dt>
          <dd data-figure="sipas-ci">{f.interval(group.sipas.ci)}</dd>
        </div>
        <div>
          <dt>{t.se}</dt>
          <dd data-figure="sipas-se">{f.fixed(group.sipas.se)}</dd>
        </div>
        <div>
          <dt>{t.respondents}</dt>
          <dd>{f.count(group.respondents)}</dd>
        </div>
        <div>
          <dt>{t.byMode}</dt>
          <dd>
            <ModesText modes={group.modes} />
          </dd>
        </div>
        <div>
          <dt>{t.responseRate}</dt>
          <dd>{group.responseRate === null ? t.noTransactions : f.fixed(group.responseRate)}</dd>
        </div>
      </dl>
      <Flags flags={group.flags} rules={rules} />
      <RuleNote>{`${t.rule.sipas(rules)} ${t.rule.normalInterval} ${t.rule.design(rules)} ${t.rule.responseRate}`}</RuleNote>
    </section>
  );
}

function Factors(props: { group: GroupScores; instrument: Instrument; rules: Rules }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const rows = props.instrument.factors.map((factor) => {
    const score = props.group.factors[factor.code] ?? { index: null, se: null, ci: null };
    return {
      key: factor.code,
      label: (
        <>
          <span class="code">{factor.code}</span> {factor.name[lang]}
        </>
      ),
      value: score.index,
      ci: score.ci,
      text: (
        <>
          <strong data-figure={`factor-${factor.code}`}>{f.fixed(score.index)}</strong>{' '}
          <span class="ci">
            <span class="visually-hidden">{t.interval95} </span>({f.interval(score.ci)})
          </span>
        </>
      ),
    };
  });
  const blocks = props.group.blocks;
  return (
    <section class="card" aria-labelledby="factors-h">
      <h2 id="factors-h">{t.factorsTitle}</h2>
      <BarChart rows={rows} axisLabel={t.axisPercent} />
      {blocks ? (
        <ul class="inline-list">
          {Object.entries(blocks).map(([code, score]) => (
            <li key={code}>
              {t.block} <span class="code">{code}</span>: <strong>{f.fixed(score.index)}</strong> (
              {f.interval(score.ci)})
            </li>
          ))}
        </ul>
      ) : null}
      <RuleNote>{`${t.rule.factor(props.rules)} ${t.rule.normalInterval}`}</RuleNote>
    </section>
  );
}

function Items(props: { group: GroupScores; instrument: Instrument; rules: Rules }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const texts = new Map(props.instrument.items.map((item) => [item.code, item]));
  const codes = props.instrument.items
    .map((item) => item.code)
    .filter((code) => code in props.group.items);
  return (
    <section class="card" aria-labelledby="items-h">
      <h2 id="items-h">{t.itemsTitle}</h2>
      <Table
        label={t.itemsTitle}
        class="figures"
        data-table="items"
        columns={[
          t.code,
          t.criterion,
          num(t.index),
          num(t.interval95),
          num(t.valid),
          num(t.satisfied),
          num(t.se),
          t.flags,
        ]}
      >
        <tbody>
          {codes.map((code) => {
            const score = props.group.items[code];
            if (!score) return null;
            return (
              <tr key={code} data-item={code}>
                <th scope="row" class="code">
                  {code}
                </th>
                <td class="text">{texts.get(code)?.text[lang] ?? ''}</td>
                <td class="num">{f.fixed(score.index)}</td>
                <td class="num nowrap">{f.interval(score.ci)}</td>
                <td class="num">{f.count(score.valid)}</td>
                <td class="num">{f.count(score.satisfied)}</td>
                <td class="num">{f.fixed(score.se)}</td>
                <td>
                  <Flags flags={score.flags} rules={props.rules} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <RuleNote>{`${t.rule.item(props.rules)} ${t.rule.itemInterval(props.rules)}`}</RuleNote>
    </section>
  );
}

/** The period of a campaign's peer groups: the year of its last day. */
const peerPeriod = (campaign: Campaign) => campaign.endsOn.slice(0, 4);

/**
 * The league table of a peer group of the campaign's period (the year of its last day): the
 * API scores the group's units alone (`peers=`) in its league view, ranked as the units are.
 */
function PeerLeague(props: {
  campaign: Campaign;
  /** The peer groups of the period, loaded with the scores. */
  groups: PeerGroupSummary[];
  design: string | undefined;
  rules: Rules;
  names: Map<string, string>;
}) {
  const { t } = useI18n();
  const period = peerPeriod(props.campaign);
  const [group, setGroup] = useState('');
  const league = useResource(
    (signal) =>
      group === ''
        ? Promise.resolve(null)
        : request(
            rankingScoresSchema,
            `/campaigns/${encodeURIComponent(props.campaign.code)}/scores`,
            { query: { by: 'unit', peers: group, view: 'league', design: props.design }, signal },
          ),
    [props.campaign.code, props.design, group],
  );
  if (props.groups.length === 0) return null;
  return (
    <>
      <form class="controls card" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="scores-peers"
          label={t.peersLeagueChoose(period)}
          value={group}
          onValue={setGroup}
        >
          <option value="">{t.peersLeagueNone}</option>
          {props.groups.map((g) => (
            <option key={g.name} value={g.name}>
              {g.name}
            </option>
          ))}
        </SelectField>
      </form>
      <Loaded resource={league}>
        {(data) =>
          data ? (
            <Ranking
              id="rank-peers"
              title={t.peersLeague(group, period)}
              groups={data.groups}
              rules={props.rules}
              names={props.names}
            />
          ) : null
        }
      </Loaded>
    </>
  );
}

/**
 * Rows of a league table shown at once, a screenful or two: a province's 1,000 counters laid out
 * together held the page for seconds after its figures had arrived (issue 19). The pages follow
 * one another in the ranking's order; the exports hold every row.
 */
const RANK_PAGE_ROWS = 50;

function RankTable(props: {
  id: string;
  label: string;
  caption: string | undefined;
  ranked: Ranked<RankedGroup>[];
  rules: Rules;
  names: Map<string, string>;
}) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const [first, setFirst] = useState(0);
  const { ranked } = props;
  const shown = ranked.slice(first, first + RANK_PAGE_ROWS);
  // How many rows hold each rank: a rank two hold is a tie, on whichever page the other is.
  const holders = new Map<number, number>();
  for (const { rank } of ranked) {
    if (rank !== null) holders.set(rank, (holders.get(rank) ?? 0) + 1);
  }
  const label = (group: RankedGroup) => group.key.unit ?? group.key.counter ?? '';
  return (
    <>
      <Table
        label={props.label}
        class="figures"
        data-table={props.id}
        caption={props.caption}
        columns={[num(t.rank), t.group, num('SIPAS'), num(t.interval95), num(t.respondents)]}
      >
        <tbody>
          {shown.map(({ row, rank }) => {
            const tied = rank !== null && (holders.get(rank) ?? 0) > 1;
            return (
              <tr key={keyOf(row.key)} data-group={label(row)}>
                <td class="num">
                  {rank === null ? (
                    <>
                      <span aria-hidden="true">—</span>
                      <span class="visually-hidden">{t.notRanked}</span>
                    </>
                  ) : (
                    rank
                  )}
                  {tied ? <span class="tie"> {t.tied}</span> : null}
                </td>
                <th scope="row">
                  <span class="code">{label(row)}</span> {props.names.get(label(row)) ?? ''}
                  {/* Beside the name, so that a narrow screen shows them without scrolling. */}
                  <Flags flags={row.flags} rules={props.rules} />
                </th>
                <td class="num">{f.fixed(row.sipas.index)}</td>
                <td class="num nowrap">{f.interval(row.sipas.ci)}</td>
                <td class="num">{f.count(row.respondents)}</td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {ranked.length > RANK_PAGE_ROWS ? (
        <nav class="pager" aria-label={t.rankPages(props.label)}>
          <p aria-live="polite">
            {t.rankRowsShown(
              f.count(first + 1),
              f.count(first + shown.length),
              f.count(ranked.length),
            )}
          </p>
          <button
            type="button"
            class="secondary"
            disabled={first === 0}
            onClick={() => setFirst(Math.max(0, first - RANK_PAGE_ROWS))}
          >
            {t.previousPage}
          </button>
          <button
            type="button"
            class="secondary"
            disabled={first + RANK_PAGE_ROWS >= ranked.length}
            onClick={() => setFirst(first + RANK_PAGE_ROWS)}
          >
            {t.nextPage}
          </button>
        </nav>
      ) : null}
    </>
  );
}

function Ranking(props: {
  title: string;
  id: string;
  groups: RankedGroup[];
  rules: Rules;
  names: Map<string, string>;
  peerOf?: (group: RankedGroup) => string;
}) {
  const { t } = useI18n();
  const [includeFlagged, setIncludeFlagged] = useState(false);
  const include = (group: RankedGroup) => includeFlagged || group.flags.length === 0;
  const peerGroups = new Map<string, RankedGroup[]>();
  for (const group of props.groups) {
    const peer = props.peerOf?.(group) ?? '';
    const peers = peerGroups.get(peer);
    if (peers) peers.push(group);
    else peerGroups.set(peer, [group]);
  }
  return (
    <section class="card" aria-labelledby={`${props.id}-h`}>
      <h2 id={`${props.id}-h`}>{props.title}</h2>
      <div class="check">
        <input
          id={`${props.id}-flagged`}
          type="checkbox"
          checked={includeFlagged}
          onChange={(e) => setIncludeFlagged(e.currentTarget.checked)}
        />
        <label for={`${props.id}-flagged`}>{t.rankFlagged}</label>
      </div>
      {[...peerGroups.entries()].map(([peer, groups]) => (
        // A new ranking starts again from its first page.
        <RankTable
          key={`${peer}:${String(includeFlagged)}`}
          id={props.id}
          label={peer ? t.peersOf(peer) : props.title}
          caption={peer ? t.peersOf(peer) : undefined}
          ranked={rankWithTies(groups, (g) => g.sipas.index, include)}
          rules={props.rules}
          names={props.names}
        />
      ))}
      <RuleNote>{`${t.rule.ranking} ${t.rule.sipas(props.rules)} ${t.rule.above(props.rules)}`}</RuleNote>
    </section>
  );
}

function ChangeRow(props: { label: string; change: Change | undefined }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const c = props.change;
  if (!c) return null;
  return (
    <tr>
      <th scope="row">{props.label}</th>
      <td class="num">{f.fixed(c.campaign)}</td>
      <td class="num">{f.fixed(c.with)}</td>
      <td class="num">{f.signed(c.change)}</td>
      <td class="num nowrap">{f.interval(c.ci)}</td>
      <td>
        {c.significant === null ? (
          <span class="muted">{t.notTestable}</span>
        ) : c.significant ? (
          <span class="badge badge-ok">{t.significant}</span>
        ) : (
          <span class="badge">{t.notSignificant}</span>
        )}
      </td>
    </tr>
  );
}

function Comparison(props: {
  campaign: Campaign;
  campaigns: CampaignSummary[];
  by: By;
  group: string;
  instrument: Instrument;
}) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const others = props.campaigns.filter((c) => c.code !== props.campaign.code);
  const [other, setOther] = useState('');
  const compared = useResource(
    (signal) =>
      other === ''
        ? Promise.resolve(null)
        : request(
            comparisonSchema,
            `/campaigns/${encodeURIComponent(props.campaign.code)}/compare`,
            {
              query: { with: other, by: props.by },
              signal,
            },
          ),
    [other, props.by, props.campaign.code],
  );
  return (
    <section class="card" aria-labelledby="compare-h">
      <h2 id="compare-h">{t.compareTitle}</h2>
      <SelectField id="compare-with" label={t.compareWith} value={other} onValue={setOther}>
        <option value="">{t.chooseCampaign}</option>
        <CodeOptions items={others} />
      </SelectField>
      {other === '' ? null : (
        <Loaded resource={compared}>
          {(doc) => {
            const group = doc?.groups.find((g) => keyOf(g.key) === props.group);
            if (!doc || !group) return <p>{t.noComparableGroup}</p>;
            return (
              <>
                <Table
                  label={t.compareTitle}
                  class="figures"
                  data-table="compare"
                  caption={t.compareCaption(
                    doc.campaign,
                    doc.with,
                    group.respondents.campaign,
                    group.respondents.with,
                  )}
                  columns={[
                    t.index,
                    num(doc.campaign),
                    num(doc.with),
                    num(t.change),
                    num(t.changeInterval),
                    t.significance,
                  ]}
                >
                  <tbody>
                    <ChangeRow label="SIPAS" change={group.sipas} />
                    {props.instrument.factors.map((factor) => (
                      <ChangeRow
                        key={factor.code}
                        label={`${factor.code} ${factor.name[lang]}`}
                        change={group.factors[factor.code]}
                      />
                    ))}
                  </tbody>
                </Table>
                {group.coverage === null ? null : (
                  <p data-coverage={group.coverage}>
                    {t.coverage(f.fixed(group.coverage * 100))}{' '}
                    <Flags
                      flags={[...group.flags.campaign, ...group.flags.with].filter(
                        (flag) => flag === 'reorganised',
                      )}
                      rules={doc.rules.campaign}
                    />
                  </p>
                )}
                <RuleNote>{t.rule.change}</RuleNote>
              </>
            );
          }}
        </Loaded>
      )}
    </section>
  );
}

function Exports(props: { campaign: string; design: DesignChoice }) {
  const { t } = useI18n();
  const base = `/campaigns/${encodeURIComponent(props.campaign)}`;
  const design = props.design === 'campaign' ? undefined : props.design;
  const csv = { type: 'text/csv' };
  const xlsx = { type: XLSX_TYPE };
  return (
    <Downloads
      files={[
        {
          label: t.exportScoresCsv,
          path: `${base}/scores`,
          query: { by: 'counter', design, format: 'csv' },
          file: { ...csv, name: `${props.campaign}-scores.csv` },
        },
        {
          label: t.exportScoresXlsx,
          path: `${base}/scores`,
          query: { by: 'counter', design, format: 'xlsx' },
          file: { ...xlsx, name: `${props.campaign}-scores.xlsx` },
        },
        {
          label: t.exportResponsesCsv,
          path: `${base}/responses/export`,
          query: { format: 'csv' },
          file: { ...csv, name: `${props.campaign}-responses.csv` },
        },
        {
          label: t.exportResponsesXlsx,
          path: `${base}/responses/export`,
          query: { format: 'xlsx' },
          file: { ...xlsx, name: `${props.campaign}-responses.xlsx` },
        },
      ]}
    />
  );
}

interface ScoresData {
  all: Scores;
  units: Scores;
  /** Read for the league table alone: a counter's own figures come when it is chosen. */
  counters: RankingScores;
}

function ScoresView(props: {
  campaign: Campaign;
  instrument: Instrument;
  campaigns: CampaignSummary[];
  units: Unit[];
  peerGroups: PeerGroupSummary[];
  design: DesignChoice;
  onDesign: (design: DesignChoice) => void;
  scores: Resource<ScoresData>;
}) {
  const { t } = useI18n();
  const { campaign, design, scores } = props;
  const setDesign = props.onDesign;
  const [groupKey, setGroupKey] = useState('all');
  const unitNames = new Map(props.units.map((u) => [u.code, u.name]));
  const counterNames = new Map(campaign.counters.map((c) => [c.code, c.name]));
  const parentOf = new Map(props.units.map((u) => [u.code, u.parent]));
  const groupLabel = (group: GroupScores) =>
    group.key.unit !== undefined
      ? `${group.key.unit} ${unitNames.get(group.key.unit) ?? ''}`.trim()
      : (group.key.counter ?? t.wholeCampaign);
  useEffect(() => setGroupKey('all'), [campaign.code]);
  const counter = groupKey.startsWith('counter:') ? groupKey.slice('counter:'.length) : null;
  const counterScores = useResource(
    (signal) =>
      counter === null
        ? Promise.resolve(null)
        : request(scoresSchema, `/campaigns/${encodeURIComponent(campaign.code)}/scores`, {
            query: {
              by: 'counter',
              counters: counter,
              design: design === 'campaign' ? undefined : design,
            },
            signal,
          }),
    [campaign.code, design, counter],
  );

  return (
    <>
      <PageTitle
        sub={`${campaign.code} · ${campaign.instrument} · ${t.periodText(campaign.startsOn, campaign.endsOn)}`}
      >
        {t.scoresTitle(campaign.name)}
      </PageTitle>
      <p>
        <Link to={{ page: 'campaign', code: campaign.code }}>{t.backToCampaign}</Link>
      </p>
      <form class="controls card" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="scores-design"
          label={t.design}
          value={design}
          onValue={(value) =>
            setDesign(value === 'srs' ? 'srs' : value === 'stratified' ? 'stratified' : 'campaign')
          }
        >
          <option value="campaign">{t.campaignDesign(t.designName[campaign.rules.design])}</option>
          <option value="srs">{t.designName.srs}</option>
          <option value="stratified">{t.designName.stratified}</option>
        </SelectField>
        {scores.data ? (
          <SelectField
            id="scores-group"
            label={t.groupShown}
            value={groupKey}
            onValue={setGroupKey}
          >
            <option value="all">{t.wholeCampaign}</option>
            <optgroup label={t.units}>
              {scores.data.units.groups.map((g) => (
                <option key={keyOf(g.key)} value={keyOf(g.key)}>
                  {g.key.unit} {unitNames.get(g.key.unit ?? '') ?? ''}
                </option>
              ))}
            </optgroup>
            <optgroup label={t.counters}>
              {scores.data.counters.groups.map((g) => (
                <option key={keyOf(g.key)} value={keyOf(g.key)}>
                  {g.key.counter}
                </option>
              ))}
            </optgroup>
          </SelectField>
        ) : null}
      </form>
      <Loaded resource={scores}>
        {(data) => {
          const whole = data.all.groups[0];
          if (!whole) return <p>{t.noResponses}</p>;
          const group =
            counter === null
              ? ([...data.all.groups, ...data.units.groups].find(
                  (g) => keyOf(g.key) === groupKey,
                ) ?? whole)
              : counterScores.data?.groups.find((g) => keyOf(g.key) === groupKey);
          const rules = data.all.rules;
          const shown = group ? keyOf(group.key) : groupKey;
          const by: By = shown.startsWith('unit:')
            ? 'unit'
            : shown.startsWith('counter:')
              ? 'counter'
              : 'all';
          return (
            <>
              {group ? (
                <>
                  <div class="scores-top">
                    <Headline group={group} rules={rules} label={groupLabel(group)} />
                    <Factors group={group} instrument={props.instrument} rules={rules} />
                  </div>
                  <Items group={group} instrument={props.instrument} rules={rules} />
                </>
              ) : (
                <Loaded resource={counterScores}>{() => <p>{t.noResponses}</p>}</Loaded>
              )}
              <Ranking
                id="rank-counters"
                title={t.rankCounters}
                groups={data.counters.groups}
                rules={rules}
                names={counterNames}
              />
              <Ranking
                id="rank-units"
                title={t.rankUnits}
                groups={data.units.groups}
                rules={rules}
                names={unitNames}
                peerOf={(g) => parentOf.get(g.key.unit ?? '') ?? ''}
              />
              <PeerLeague
                campaign={campaign}
                groups={props.peerGroups}
                design={design === 'campaign' ? undefined : design}
                rules={rules}
                names={unitNames}
              />
              <Comparison
                campaign={campaign}
                campaigns={props.campaigns}
                by={by}
                group={shown}
                instrument={props.instrument}
              />
            </>
          );
        }}
      </Loaded>
      <Exports campaign={campaign.code} design={design} />
    </>
  );
}

/**
 * The page's requests in two rounds at most: the scores need only the campaign's code and run
 * beside the campaign, which the instrument, the map of units and the peer groups wait for.
 */
export function ScoresPage(props: { code: string }) {
  const [design, setDesign] = useState<DesignChoice>('campaign');
  const path = `/campaigns/${encodeURIComponent(props.code)}`;
  const data = useResource(
    async (signal) => {
      const campaign = await request(campaignSchema, path, { signal });
      const [instrument, campaigns, units, peerGroups] = await Promise.all([
        request(instrumentSchema, `/instruments/${encodeURIComponent(campaign.instrument)}`, {
          signal,
        }),
        request(list(campaignSummarySchema), '/campaigns', { signal }),
        // Names and parents of units on the campaign's map (its last day), as its scores roll
        // up; without them, units are ranked all together by code.
        request(list(unitSchema), '/units', { query: { on: campaign.endsOn }, signal }).catch(
          (): Unit[] => [],
        ),
        // Without them, the page offers no league table of a peer group.
        request(list(peerGroupSummarySchema), '/peer-groups', {
          query: { period: peerPeriod(campaign) },
          signal,
        }).catch((): PeerGroupSummary[] => []),
      ]);
      return { campaign, instrument, campaigns, units, peerGroups };
    },
    [path],
  );
  const scores = useResource(
    async (signal): Promise<ScoresData> => {
      const get = (by: By) =>
        request(scoresSchema, `${path}/scores`, {
          query: { by, design: design === 'campaign' ? undefined : design },
          signal,
        });
      const [all, units, counters] = await Promise.all([
        get('all'),
        get('unit'),
        request(rankingScoresSchema, `${path}/scores`, {
          query: {
            by: 'counter',
            view: 'league',
            design: design === 'campaign' ? undefined : design,
          },
          signal,
        }),
      ]);
      return { all, units, counters };
    },
    [path, design],
  );
  return (
    <Loaded resource={data}>
      {(d) => <ScoresView {...d} design={design} onDesign={setDesign} scores={scores} />}
    </Loaded>
  );
}
