// Peer groups (docs/organisation.md): the groups of every period, the units of one, and the
// import of peers.csv, whose bad rows the API names as `line N, column C`.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import {
  ActionOutcome,
  Loaded,
  num,
  PageTitle,
  Table,
  useAction,
  useResource,
} from '../components/common.tsx';
import { FileField } from '../components/fields.tsx';
import { useI18n } from '../i18n.ts';
import {
  list,
  peerGroupSchema,
  peerGroupSummarySchema,
  peersImportedSchema,
  type Me,
  type PeerGroupSummary,
} from '../schemas.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function ImportForm(props: { onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    const type = file.name.toLowerCase().endsWith('.xlsx') ? XLSX : 'text/csv';
    let message = '';
    const ok = await action.run(async () => {
      const imported = await request(peersImportedSchema, '/peer-groups/import', {
        file: new Blob([file], { type }),
      });
      message = t.peersImported(imported.groups);
    });
    setDone(ok ? message : '');
    if (ok) props.onDone();
  };
  return (
    <section class="card" aria-labelledby="peers-import-h">
      <h2 id="peers-import-h">{t.peersImportTitle}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <FileField
          id="peers-file"
          label={t.peersFile}
          help={t.peersImportHelp}
          accept=".csv,.xlsx,text/csv"
          required
          onFile={setFile}
        />
        <button type="submit" disabled={action.busy || !file}>
          {t.peersImport}
        </button>
      </form>
      <p class="status" role="status" data-peers-imported>
        {done}
      </p>
      {action.error !== undefined ? <ActionOutcome action={action} /> : null}
    </section>
  );
}

function Members(props: { group: PeerGroupSummary }) {
  const { t } = useI18n();
  const { name, period } = props.group;
  const members = useResource(
    (signal) =>
      request(
        peerGroupSchema,
        `/peer-groups/${encodeURIComponent(name)}/${encodeURIComponent(period)}`,
        { signal },
      ),
    [name, period],
  );
  return (
    <section class="card" aria-labelledby="peers-members-h">
      <Loaded resource={members}>
        {(group) => (
          <>
            <h2 id="peers-members-h">{t.peersMembers(group.name, group.period, group.day)}</h2>
            <Table label={t.peersList} data-table="peer-members" columns={[t.unit, t.name]}>
              <tbody>
                {group.units.map((unit) => (
                  <tr key={unit.code} data-unit={unit.code}>
                    <td class="code">{unit.code}</td>
                    <td>{unit.name}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {group.outside > 0 ? <p class="muted">{t.peersOutside(group.outside)}</p> : null}
          </>
        )}
      </Loaded>
    </section>
  );
}

export function PeersPage(props: { me: Me }) {
  const { t } = useI18n();
  const groups = useResource(
    (signal) => request(list(peerGroupSummarySchema), '/peer-groups', { signal }),
    [],
  );
  const [shown, setShown] = useState<PeerGroupSummary | null>(null);
  return (
    <>
      <PageTitle sub={props.me.unit ?? undefined}>{t.peersTitle}</PageTitle>
      <p>{t.peersIntro}</p>
      <ImportForm onDone={groups.reload} />
      <section class="card" aria-labelledby="peers-list-h">
        <h2 id="peers-list-h">{t.peersList}</h2>
        <Loaded resource={groups}>
          {(rows) =>
            rows.length === 0 ? (
              <p>{t.peersNone}</p>
            ) : (
              <Table
                label={t.peersList}
                data-table="peer-groups"
                columns={[t.peersGroup, t.peersPeriod, num(t.peersUnitCount), t.accountActions]}
              >
                <tbody>
                  {rows.map((group) => (
                    <tr key={`${group.name} ${group.period}`} data-group={group.name}>
                      <td>{group.name}</td>
                      <td>{group.period}</td>
                      <td class="num">{group.units}</td>
                      <td>
                        <button type="button" class="secondary" onClick={() => setShown(group)}>
                          {t.peersShow}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )
          }
        </Loaded>
      </section>
      {shown ? <Members group={shown} /> : null}
    </>
  );
}
