// A unit code's history (issue 15, docs/organisation.md): every unit the code has named, with
// its validity, its parents and counters over time, and the lineage into and out of it.
import { request } from '../api.ts';
import { Loaded, PageTitle, Table, num, useResource } from '../components/common.tsx';
import { useI18n } from '../i18n.ts';
import { unitHistorySchema, type UnitHistory } from '../schemas.ts';

type Named = UnitHistory['units'][number];

function Dated(props: { label: string; rows: Named['parents'] }) {
  const { t } = useI18n();
  if (props.rows.length === 0) return <p>{t.noneSoFar}</p>;
  return (
    <Table label={props.label} columns={[t.code, t.name, t.validity]}>
      <tbody>
        {props.rows.map((row) => (
          <tr key={`${row.code}-${row.validFrom ?? ''}`}>
            <th scope="row" class="code">
              {row.code}
            </th>
            <td>{row.name}</td>
            <td>{t.since(row.validFrom, row.validTo)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function Lineage(props: { label: string; rows: Named['predecessors'] }) {
  const { t } = useI18n();
  if (props.rows.length === 0) return <p>{t.noneSoFar}</p>;
  return (
    <Table label={props.label} columns={[t.code, t.name, num(t.share), t.onDay]}>
      <tbody>
        {props.rows.map((row) => (
          <tr key={`${row.code}-${row.on}`}>
            <th scope="row" class="code">
              {row.code}
            </th>
            <td>{row.name}</td>
            <td class="num">{row.share}</td>
            <td>{row.on}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function UnitHistoryPage(props: { code: string }) {
  const { t } = useI18n();
  const history = useResource(
    (signal) =>
      request(unitHistorySchema, `/units/${encodeURIComponent(props.code)}/history`, { signal }),
    [props.code],
  );
  return (
    <>
      <PageTitle>{t.unitHistoryTitle(props.code)}</PageTitle>
      <p>{t.unitHistoryIntro}</p>
      <Loaded resource={history}>
        {(data) => (
          <>
            {data.units.map((unit, i) => (
              <section
                key={`${unit.validFrom ?? ''}-${i}`}
                aria-labelledby={`named-${i}`}
                data-unit-validity={t.since(unit.validFrom, unit.validTo)}
              >
                <h2 id={`named-${i}`}>
                  <span class="code">{data.code}</span> {unit.name}
                </h2>
                <p>
                  {t.unitType}: {unit.type}. {t.validity}: {t.since(unit.validFrom, unit.validTo)}.
                </p>
                <h3>{t.parentsOverTime}</h3>
                <Dated label={t.parentsOverTime} rows={unit.parents} />
                <h3>{t.countersOverTime}</h3>
                <Dated label={t.countersOverTime} rows={unit.counters} />
                <h3>{t.predecessors}</h3>
                <Lineage label={t.predecessors} rows={unit.predecessors} />
                <h3>{t.successors}</h3>
                <Lineage label={t.successors} rows={unit.successors} />
              </section>
            ))}
          </>
        )}
      </Loaded>
    </>
  );
}
