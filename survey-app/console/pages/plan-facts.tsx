// The facts of a remediation plan's draft (par-cycle.md §6, docs/plans.md) as the plan page and
// the results sheet show them: the total and rank among the peers, each field's points, the
// SIPAS factors with their intervals and the items below the peers, the weak points and the
// targets. Points in the notation they are published with (85,620), ranks as "11/21".
import { rank } from '../../../shared/notation.ts';
import { BarChart, type BarDatum } from '../components/charts.tsx';
import { num, Table } from '../components/common.tsx';
import { formatFor, formatInstant } from '../format.ts';
import { useI18n } from '../i18n.ts';
import type { Messages } from '../messages.ts';
import type { PlanFacts, PlanNodeFact } from '../schemas.ts';
import { RankChange } from './scorecard.tsx';

type Ranked = Pick<PlanNodeFact, 'rank' | 'of' | 'tiedWith'>;

/** A rank among the peers as "11/21", "(đồng hạng)" when others share it; a dash for none. */
export function rankOf(t: Messages, fact: Ranked): string {
  const text = rank(fact.rank, fact.of);
  return fact.rank !== null && fact.tiedWith > 0 ? `${text} ${t.tied}` : text;
}

/** The total, the rank, the changes and the band, and whose figures they are. */
export function TotalFacts(props: { facts: PlanFacts }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { facts } = props;
  const { total } = facts;
  return (
    <>
      <dl class="facts plan-total">
        <div>
          <dt>{t.planTotal}</dt>
          <dd data-figure="total">
            {t.pointsOfTotal(f.points(total.points), f.maximum(total.applicableMax))}
          </dd>
        </div>
        <div>
          <dt>{t.planRank(facts.peers.name)}</dt>
          <dd data-figure="rank">{rankOf(t, total)}</dd>
        </div>
        <div>
          <dt>{t.planChange(facts.previous)}</dt>
          <dd data-figure="change">{f.signedPoints(total.change)}</dd>
        </div>
        <div>
          <dt>{t.rankChange}</dt>
          <dd>
            <RankChange value={total.rankChange} />
          </dd>
        </div>
        <div>
          <dt>{t.band}</dt>
          <dd data-figure="band">{total.band ?? '—'}</dd>
        </div>
      </dl>
      <p class="muted" data-published={facts.published?.version}>
        {facts.published
          ? t.planPublished(facts.published.version, formatInstant(lang, facts.published.at))
          : t.planLive}
        {facts.provisional ? ` ${t.planProvisional}` : ''}
      </p>
    </>
  );
}

/** Each field's points of its applicable maximum, percent, rank, change and points lost. */
export function FieldsTable(props: { facts: PlanFacts }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  return (
    <Table
      label={t.planFields}
      class="figures"
      data-table="plan-fields"
      columns={[
        t.planField,
        num(t.planPoints),
        num(t.planPercent),
        num(t.rank),
        num(t.change),
        num(t.planPointsLost),
      ]}
    >
      <tbody>
        {props.facts.fields.map((field) => (
          <tr key={field.code} data-node={field.code}>
            <th scope="row">
              <span class="code">{field.code}</span> {field.name}
            </th>
            <td class="num nowrap">
              {t.pointsOf(f.points(field.points), f.maximum(field.applicableMax))}
            </td>
            <td class="num">{f.fixed(field.percent)}</td>
            <td class="num nowrap">{rankOf(t, field)}</td>
            <td class="num">{f.signedPoints(field.change)}</td>
            <td class="num">{f.points(field.pointsLost)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The fields as bars of their percent of the applicable maximum, figures beside them. */
export function FieldsChart(props: { facts: PlanFacts }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const rows: BarDatum[] = props.facts.fields.map((field) => ({
    key: field.code,
    label: (
      <>
        <span class="code">{field.code}</span> {field.name}
      </>
    ),
    value: field.percent,
    ci: null,
    text: (
      <>
        <strong>{t.pointsOf(f.points(field.points), f.maximum(field.applicableMax))}</strong>{' '}
        <span class="ci">({t.planRankShort(rankOf(t, field))})</span>
      </>
    ),
  }));
  return <BarChart rows={rows} axisLabel={t.planFieldsAxis} />;
}

/** The SIPAS index of the campaign named and its factors, each with its 95% interval. */
export function SipasChart(props: { sipas: NonNullable<PlanFacts['sipas']> }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { sipas } = props;
  const rows: BarDatum[] = [
    { key: 'sipas', label: <strong>SIPAS</strong>, ...sipas.sipas },
    ...sipas.factors.map((factor) => ({
      key: factor.code,
      label: (
        <>
          <span class="code">{factor.code}</span> {factor.name}
        </>
      ),
      ...factor.score,
    })),
  ].map(({ key, label, index, ci }) => ({
    key,
    label,
    value: index,
    ci,
    text: (
      <>
        <strong data-figure={`factor-${key}`}>{f.fixed(index)}</strong>{' '}
        <span class="ci">
          <span class="visually-hidden">{t.interval95} </span>({f.interval(ci)})
        </span>
      </>
    ),
  }));
  return (
    <>
      <p>
        {t.planSipasOf(
          sipas.campaign.name,
          f.count(sipas.respondents),
          f.count(sipas.peersRespondents),
        )}
      </p>
      <BarChart rows={rows} axisLabel={t.axisPercent} />
    </>
  );
}

/** The items whose index is significantly below the peers' pooled index. */
export function ItemsBelowPeers(props: { sipas: NonNullable<PlanFacts['sipas']> }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const items = props.sipas.itemsBelowPeers;
  if (items.length === 0) return <p>{t.planNoItemsBelow}</p>;
  return (
    <Table
      label={t.planItemsBelow}
      class="figures"
      data-table="plan-items"
      columns={[
        t.planItem,
        t.planFactor,
        num(t.planUnitIndex),
        num(t.planPeersIndex),
        num(t.planDifference),
        num(t.interval95),
      ]}
    >
      <tbody>
        {items.map((item) => (
          <tr key={item.item} data-item={item.item}>
            <th scope="row">
              <span class="code">{item.item}</span> {item.text}
            </th>
            <td class="code">{item.factor}</td>
            <td class="num">{f.fixed(item.index)}</td>
            <td class="num">{f.fixed(item.peersIndex)}</td>
            <td class="num">{f.signed(item.difference)}</td>
            <td class="num nowrap">{f.interval(item.ci)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The nodes that lost points, in one of the facts' two orders. */
export function WeakList(props: { facts: PlanFacts; codes: string[]; limit?: number }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const codes = props.codes.slice(0, props.limit);
  if (codes.length === 0) return <p>{t.planNoWeak}</p>;
  return (
    <ol class="weak-list">
      {codes.map((code) => {
        const node = props.facts.nodes[code];
        return (
          <li key={code} data-weak={code}>
            <span class="code">{code}</span> {node?.name ?? ''}{' '}
            {node ? (
              <span class="muted">
                {t.planWeakLine(
                  f.points(node.pointsLost),
                  f.maximum(node.applicableMax),
                  rankOf(t, node),
                )}
              </span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** The targets (top K of the total or of a node) and the points still missing to each. */
export function Targets(props: { facts: PlanFacts }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { targets } = props.facts;
  if (targets.length === 0) return <p>{t.planNoTargets}</p>;
  return (
    <Table
      label={t.planTargets}
      class="figures"
      data-table="plan-targets"
      columns={[t.planTargetOf, num(t.planTop), num(t.planTargetPoints), num(t.planGap)]}
    >
      <tbody>
        {targets.map((target) => {
          // The total's target is in points; a node's, in percent of its applicable maximum.
          const total = target.node === 'total';
          const figure = (value: number | null) =>
            total || value === null ? f.points(value) : `${f.fixed(value)}%`;
          return (
            <tr key={target.node} data-target={target.node}>
              <th scope="row">
                {total ? t.total : <span class="code">{target.node}</span>}{' '}
                {total ? '' : target.name}
              </th>
              <td class="num">{t.planTopK(target.top)}</td>
              <td class="num">{figure(target.target)}</td>
              <td class="num">{figure(target.gap)}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
