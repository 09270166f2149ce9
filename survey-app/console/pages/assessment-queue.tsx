// The appraiser's queue (par-cycle.md §2): the assessments waiting for the stage the account
// appraises, in the order the API lists them, each a link to its review.
import { request } from '../api.ts';
import { Link, Loaded, PageTitle, Table, useResource } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { assessmentQueueSchema } from '../schemas.ts';
import { StateBadge } from './assessment.tsx';

export function AssessmentQueuePage() {
  const { t, lang } = useI18n();
  const queue = useResource(
    (signal) => request(assessmentQueueSchema, '/assessments/queue', { signal }),
    [],
  );
  return (
    <>
      <PageTitle>{t.queueTitle}</PageTitle>
      <Loaded resource={queue}>
        {({ assessments: rows }) =>
          rows.length === 0 ? (
            <p>{t.queueEmpty}</p>
          ) : (
            <Table
              label={t.queueTitle}
              data-table="queue"
              columns={[t.unit, t.framework, t.periodLabel, t.stateLabel, t.submittedAt]}
            >
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.framework}/${row.period}/${row.unit}`} data-unit={row.unit}>
                    <th scope="row">
                      <Link
                        to={{
                          page: 'assessment',
                          framework: row.framework,
                          period: row.period,
                          unit: row.unit,
                        }}
                      >
                        <span class="code">{row.unit}</span> {row.unitName}
                      </Link>
                    </th>
                    <td>{row.framework}</td>
                    <td>{row.period}</td>
                    <td>
                      <StateBadge state={row.state} />
                      {` ${t.stageName[row.stageName]}`}
                    </td>
                    <td>{formatInstant(lang, row.submittedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        }
      </Loaded>
    </>
  );
}
