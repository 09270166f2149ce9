// The province's overview of a self-assessment round (par-cycle.md §2): for each unit expected to
// assess, its state and stage, how many leaves it scored, how many came back, whether it is late,
// and a link to its assessment. A unit's account goes straight to its own assessment.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import { Link, Loaded, num, PageTitle, Table, useResource } from '../components/common.tsx';
import { TextField } from '../components/fields.tsx';
import { formatDay, formatInstant } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { hrefOf, navigate } from '../router.ts';
import { assessmentOverviewSchema, type AssessmentOverview, type Me } from '../schemas.ts';
import { StateBadge } from './assessment.tsx';

function OverviewTable(props: { overview: AssessmentOverview }) {
  const { t, lang } = useI18n();
  const { overview } = props;
  const { units } = overview;
  const count = (pick: (unit: AssessmentOverview['units'][number]) => boolean) =>
    units.filter(pick).length;
  return (
    <>
      <p data-summary>
        {t.overviewSummary({
          peers: overview.peers,
          deadline: formatDay(lang, overview.deadline),
          stages: overview.stages.map((stage) => t.stageName[stage]).join(', '),
          units: units.length,
          submitted: count((u) => u.submittedAt !== null),
          late: count((u) => u.late),
          returned: count((u) => u.state === 'returned'),
        })}
      </p>
      <Table
        label={t.overviewTable}
        data-table="assessments"
        columns={[
          t.unit,
          t.stateLabel,
          t.stageLabel,
          num(t.progressLabel),
          num(t.returnedCount),
          t.submittedAt,
        ]}
      >
        <tbody>
          {units.map((row) => (
            <tr key={row.unit} data-unit={row.unit}>
              <th scope="row">
                <Link
                  to={{
                    page: 'assessment',
                    framework: overview.framework,
                    period: overview.period,
                    unit: row.unit,
                  }}
                >
                  <span class="code">{row.unit}</span> {row.name}
                </Link>
              </th>
              <td>
                <StateBadge state={row.state} />
                {row.late ? <span class="badge badge-warn"> {t.late}</span> : null}
              </td>
              <td>{row.stageName ? t.stageName[row.stageName] : '—'}</td>
              <td class="num nowrap">
                {row.scored}/{row.leaves}
              </td>
              <td class="num">{row.returnedLeaves}</td>
              <td>{formatInstant(lang, row.submittedAt)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

export function AssessmentsPage(props: { me: Me; framework: string; period: string }) {
  const { t } = useI18n();
  const { me, framework, period } = props;
  const [draft, setDraft] = useState({
    framework: framework || 'par-2020-province',
    period: period || String(new Date().getFullYear()),
  });
  const chosen = framework !== '' && period !== '';
  const overview = useResource(
    (signal) =>
      chosen
        ? request(assessmentOverviewSchema, '/assessments', {
            query: { framework, period },
            signal,
          })
        : Promise.resolve(null),
    [framework, period],
  );
  const own = me.role === 'unit' && me.unit !== null ? me.unit : null;
  return (
    <>
      <PageTitle>{own ? t.ownAssessmentTitle : t.assessmentsTitle}</PageTitle>
      <form
        class="controls card"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(
            hrefOf(
              own ? { page: 'assessment', ...draft, unit: own } : { page: 'assessments', ...draft },
            ),
          );
        }}
      >
        <TextField
          id="as-framework"
          label={t.framework}
          required
          value={draft.framework}
          onValue={(value) => setDraft({ ...draft, framework: value })}
        />
        <TextField
          id="as-period"
          label={t.periodLabel}
          required
          class="narrow"
          value={draft.period}
          onValue={(value) => setDraft({ ...draft, period: value })}
        />
        <button type="submit">{own ? t.openOwnAssessment : t.showAssessments}</button>
      </form>
      {chosen ? (
        <section aria-labelledby="assessments-h">
          <h2 id="assessments-h">{t.assessmentsOf(framework, period)}</h2>
          <Loaded resource={overview}>
            {(data) => (data ? <OverviewTable overview={data} /> : null)}
          </Loaded>
        </section>
      ) : null}
    </>
  );
}
