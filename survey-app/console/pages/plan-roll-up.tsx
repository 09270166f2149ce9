// A unit above's view of its children's remediation plans for a framework's period (par-cycle.md
// §6): each child's plan with its tasks by status and those overdue, and the children with no
// plan yet, each a link to its plan page.
import { request } from '../api.ts';
import { Link, Loaded, num, PageTitle, Table, useResource } from '../components/common.tsx';
import { formatDay, formatInstant } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { planRollUpSchema, type PlanRollUp } from '../schemas.ts';

function RollUpView(props: { rollUp: PlanRollUp }) {
  const { t, lang } = useI18n();
  const { rollUp } = props;
  const planOf = (unit: string) =>
    ({
      page: 'plan',
      framework: rollUp.framework.code,
      period: rollUp.period,
      unit,
    }) as const;
  return (
    <>
      <p data-summary>
        {t.rollUpSummary(
          rollUp.framework.name,
          rollUp.period,
          rollUp.plans.length,
          rollUp.withoutPlan.length,
          formatDay(lang, rollUp.today),
        )}
      </p>
      <section aria-labelledby="roll-up-plans-h">
        <h2 id="roll-up-plans-h">{t.rollUpPlans}</h2>
        {rollUp.plans.length === 0 ? (
          <p>{t.rollUpNoPlans}</p>
        ) : (
          <Table
            label={t.rollUpPlans}
            class="figures"
            data-table="roll-up"
            columns={[
              t.unit,
              num(t.planTaskCount),
              num(t.planStatus.done),
              num(t.planStatus['in-progress']),
              num(t.planStatus['not-started']),
              num(t.planOverdue),
              t.rollUpUpdated,
            ]}
          >
            <tbody>
              {rollUp.plans.map((plan) => (
                <tr key={plan.id} data-unit={plan.unit.code}>
                  <th scope="row">
                    <Link to={planOf(plan.unit.code)}>
                      <span class="code">{plan.unit.code}</span> {plan.unit.name}
                    </Link>
                  </th>
                  <td class="num" data-count="tasks">
                    {plan.tasks}
                  </td>
                  <td class="num" data-count="done">
                    {plan.done}
                  </td>
                  <td class="num" data-count="in-progress">
                    {plan.inProgress}
                  </td>
                  <td class="num" data-count="not-started">
                    {plan.notStarted}
                  </td>
                  <td class="num" data-count="overdue">
                    {plan.overdue > 0 ? (
                      <span class="badge badge-warn">{plan.overdue}</span>
                    ) : (
                      plan.overdue
                    )}
                  </td>
                  <td>{formatInstant(lang, plan.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
      <section aria-labelledby="roll-up-without-h">
        <h2 id="roll-up-without-h">{t.rollUpWithout}</h2>
        {rollUp.withoutPlan.length === 0 ? (
          <p>{t.rollUpAllHavePlans}</p>
        ) : (
          <ul data-without-plan>
            {rollUp.withoutPlan.map((unit) => (
              <li key={unit.code} data-unit={unit.code}>
                <Link to={planOf(unit.code)}>
                  <span class="code">{unit.code}</span> {unit.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

export function PlanRollUpPage(props: { framework: string; period: string; unit: string }) {
  const { t } = useI18n();
  const { framework, period, unit } = props;
  const rollUp = useResource(
    (signal) =>
      request(planRollUpSchema, '/plans/roll-up', { query: { framework, period, unit }, signal }),
    [framework, period, unit],
  );
  return (
    <>
      <PageTitle sub={rollUp.data?.unit.name}>{t.rollUpTitle(unit)}</PageTitle>
      <p>
        <Link to={{ page: 'plans', framework, period, unit }}>{t.planChooseOther}</Link>
      </p>
      <Loaded resource={rollUp}>{(data) => <RollUpView rollUp={data} />}</Loaded>
    </>
  );
}
