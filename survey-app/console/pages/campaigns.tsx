// The campaigns within reach, and a new one: instrument, period, counters and their targets.
import { useState } from 'preact/hooks';
import type { NewCampaign } from '../../../api/contract.ts';
import { request } from '../api.ts';
import { can } from '../roles.ts';
import {
  ActionOutcome,
  Link,
  Loaded,
  num,
  PageTitle,
  Table,
  useAction,
  useResource,
} from '../components/common.tsx';
import {
  CodeField,
  CodeOptions,
  NameField,
  SelectField,
  TextField,
} from '../components/fields.tsx';
import { vietnamToday } from '../format.ts';
import { useI18n, type I18n } from '../i18n.ts';
import type { Route } from '../router.ts';
import {
  campaignSchema,
  campaignSummarySchema,
  counterSchema,
  instrumentSummarySchema,
  list,
  type CampaignSummary,
  type Counter,
  type InstrumentSummary,
  type Me,
  type Role,
} from '../schemas.ts';

export type CampaignState = 'upcoming' | 'open' | 'closed';

export function stateOf(campaign: Pick<CampaignSummary, 'startsOn' | 'endsOn'>): CampaignState {
  const today = vietnamToday();
  if (today < campaign.startsOn) return 'upcoming';
  return today > campaign.endsOn ? 'closed' : 'open';
}

/** The pages of a campaign beyond its progress that the role may open. */
export function campaignPages(code: string, role: Role, t: I18n['t']) {
  const pages: { to: Route; label: string }[] = [];
  if (can.enter(role)) {
    pages.push({ to: { page: 'edit', code }, label: t.editCampaign });
    pages.push({ to: { page: 'entry', code }, label: t.paperEntry });
    pages.push({ to: { page: 'import', code }, label: t.importFile });
  }
  if (can.score(role)) pages.push({ to: { page: 'scores', code }, label: t.scores });
  if (can.review(role)) pages.push({ to: { page: 'quarantine', code }, label: t.quarantineTitle });
  return pages;
}

function CampaignTable(props: { campaigns: CampaignSummary[]; me: Me }) {
  const { t } = useI18n();
  if (props.campaigns.length === 0) return <p>{t.noCampaigns}</p>;
  return (
    <Table
      label={t.campaignsTitle}
      columns={[t.code, t.name, t.instrument, t.period, num(t.counters), t.state, t.actions]}
    >
      <tbody>
        {props.campaigns.map((campaign) => (
          <tr key={campaign.code}>
            <th scope="row">
              <Link to={{ page: 'campaign', code: campaign.code }}>{campaign.code}</Link>
            </th>
            <td>{campaign.name}</td>
            <td>{campaign.instrument}</td>
            <td>{t.periodText(campaign.startsOn, campaign.endsOn)}</td>
            <td class="num">{campaign.counters}</td>
            <td>{t.campaignState[stateOf(campaign)]}</td>
            <td class="actions">
              <Link to={{ page: 'campaign', code: campaign.code }}>{t.progress}</Link>
              {campaignPages(campaign.code, props.me.role, t).map((link) => (
                <Link key={link.to.page} to={link.to}>
                  {link.label}
                </Link>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function CreateCampaign(props: {
  instruments: InstrumentSummary[];
  counters: Counter[];
  onCreated: () => void;
}) {
  const { t, lang } = useI18n();
  const action = useAction();
  const year = vietnamToday().slice(0, 4);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [instrument, setInstrument] = useState(props.instruments[0]?.code ?? '');
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const [design, setDesign] = useState<'srs' | 'stratified'>('srs');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [targets, setTargets] = useState<Record<string, string>>({});

  const toggle = (counter: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(counter);
    else next.delete(counter);
    setChosen(next);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const counters = props.counters.map((c) => c.code).filter((c) => chosen.has(c));
    const targetValues = Object.fromEntries(
      counters.flatMap((c) => (targets[c] ? [[c, Number(targets[c])]] : [])),
    );
    const ok = await action.run(
      () =>
        request(campaignSchema, '/campaigns', {
          json: {
            code: code.trim(),
            name: name.trim() || undefined,
            instrument,
            from,
            to,
            counters,
            targets: targetValues,
            rules: { design },
          } satisfies NewCampaign,
        }),
      t.campaignCreated(code.trim()),
    );
    if (ok) {
      setCode('');
      setName('');
      setChosen(new Set());
      setTargets({});
      props.onCreated();
    }
  };

  return (
    <section aria-labelledby="create-h" class="card">
      <h2 id="create-h">{t.createCampaign}</h2>
      <form class="stack" onSubmit={submit}>
        <div class="field-row">
          <CodeField id="campaign-code" label={t.code} value={code} onValue={setCode} />
          <NameField id="campaign-name" label={t.name} value={name} onValue={setName} />
        </div>
        <div class="field-row">
          <SelectField
            id="campaign-instrument"
            label={t.instrument}
            value={instrument}
            onValue={setInstrument}
          >
            <CodeOptions
              items={props.instruments.map((i) => ({ code: i.code, name: i.name[lang] }))}
            />
          </SelectField>
          <TextField
            id="campaign-from"
            label={t.from}
            type="date"
            required
            value={from}
            onValue={setFrom}
          />
          <TextField
            id="campaign-to"
            label={t.to}
            type="date"
            required
            min={from}
            value={to}
            onValue={setTo}
          />
          <SelectField
            id="campaign-design"
            label={t.design}
            value={design}
            onValue={(value) => setDesign(value === 'stratified' ? 'stratified' : 'srs')}
          >
            <option value="srs">{t.designName.srs}</option>
            <option value="stratified">{t.designName.stratified}</option>
          </SelectField>
        </div>
        <fieldset>
          <legend>{t.countersAndTargets}</legend>
          {props.counters.length === 0 ? <p>{t.noCounters}</p> : null}
          <Table label={t.countersAndTargets} columns={[t.inCampaign, t.unit, t.target]}>
            <tbody>
              {props.counters.map((counter) => (
                <tr key={counter.code}>
                  <td>
                    <input
                      type="checkbox"
                      id={`pick-${counter.code}`}
                      checked={chosen.has(counter.code)}
                      onChange={(e) => toggle(counter.code, e.currentTarget.checked)}
                    />{' '}
                    <label for={`pick-${counter.code}`}>
                      <span class="code">{counter.code}</span> {counter.name}
                    </label>
                  </td>
                  <td>{counter.unit}</td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      step={1}
                      inputMode="numeric"
                      class="narrow"
                      aria-label={t.targetFor(counter.code)}
                      disabled={!chosen.has(counter.code)}
                      value={targets[counter.code] ?? ''}
                      onInput={(e) =>
                        setTargets({ ...targets, [counter.code]: e.currentTarget.value })
                      }
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </fieldset>
        <button type="submit" disabled={action.busy || chosen.size === 0}>
          {t.createCampaign}
        </button>
      </form>
      <ActionOutcome action={action} />
    </section>
  );
}

export function CampaignsPage(props: { me: Me }) {
  const { t } = useI18n();
  const campaigns = useResource(
    (signal) => request(list(campaignSummarySchema), '/campaigns', { signal }),
    [],
  );
  const organise = can.organise(props.me.role);
  const instruments = useResource(
    (signal) =>
      organise
        ? request(list(instrumentSummarySchema), '/instruments', { signal })
        : Promise.resolve([]),
    [organise],
  );
  const counters = useResource(
    (signal) =>
      organise ? request(list(counterSchema), '/counters', { signal }) : Promise.resolve([]),
    [organise],
  );
  return (
    <>
      <PageTitle>{t.campaignsTitle}</PageTitle>
      <Loaded resource={campaigns}>
        {(data) => <CampaignTable campaigns={data} me={props.me} />}
      </Loaded>
      {organise ? (
        <Loaded resource={instruments}>
          {(instrumentList) => (
            <Loaded resource={counters}>
              {(counterList) => (
                <CreateCampaign
                  instruments={instrumentList}
                  counters={counterList}
                  onCreated={campaigns.reload}
                />
              )}
            </Loaded>
          )}
        </Loaded>
      ) : null}
    </>
  );
}
