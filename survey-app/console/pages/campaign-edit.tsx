// A campaign's edits after it opened (spec §3, issue 14): its name and period, its counters
// (added; removed while they have no response), their targets and transaction counts. Each
// form sends one request; the server decides and audits, and its refusals (in the console's
// language) appear beside the fields they name.
import { useEffect, useState } from 'preact/hooks';
import type { CampaignChange, Transactions } from '../../../api/contract.ts';
import { request, send, XLSX_TYPE } from '../api.ts';
import {
  ActionOutcome,
  fieldError,
  Link,
  Loaded,
  num,
  PageTitle,
  Table,
  TemplateDownloads,
  useAction,
  useResource,
} from '../components/common.tsx';
import {
  CodeOptions,
  FileField,
  NameField,
  SelectField,
  TextField,
} from '../components/fields.tsx';
import { useI18n } from '../i18n.ts';
import { campaignSchema, counterSchema, list, type Campaign, type Counter } from '../schemas.ts';

type Saved = (campaign: Campaign) => void;

const pathOf = (code: string) => `/campaigns/${encodeURIComponent(code)}`;

/** A number field's text as the API takes it: blank is null, else the number typed. */
const countOf = (text: string): number | null => (text.trim() === '' ? null : Number(text));
const textOf = (value: number | null) => (value === null ? '' : String(value));

function PeriodForm(props: { campaign: Campaign; onSaved: Saved }) {
  const { t } = useI18n();
  const { campaign } = props;
  const action = useAction();
  const [name, setName] = useState(campaign.name);
  const [from, setFrom] = useState(campaign.startsOn);
  const [to, setTo] = useState(campaign.endsOn);
  useEffect(() => {
    setName(campaign.name);
    setFrom(campaign.startsOn);
    setTo(campaign.endsOn);
  }, [campaign]);
  const save = async (event: Event) => {
    event.preventDefault();
    const change: CampaignChange = {
      ...(name !== campaign.name ? { name } : {}),
      ...(from !== campaign.startsOn ? { from } : {}),
      ...(to !== campaign.endsOn ? { to } : {}),
    };
    await action.run(async () => {
      props.onSaved(
        await request(campaignSchema, pathOf(campaign.code), { method: 'PATCH', json: change }),
      );
    }, t.campaignSaved);
  };
  return (
    <section class="card" aria-labelledby="period-h">
      <h2 id="period-h">{t.periodTitle}</h2>
      <p class="muted">{t.periodHelp}</p>
      <form class="stack" onSubmit={save}>
        <div class="field-row">
          <NameField
            id="edit-name"
            label={t.name}
            required
            value={name}
            onValue={setName}
            error={fieldError(action.error, 'name')}
          />
          <TextField
            id="edit-from"
            label={t.from}
            type="date"
            required
            value={from}
            onValue={setFrom}
            error={fieldError(action.error, 'from')}
          />
          <TextField
            id="edit-to"
            label={t.to}
            type="date"
            required
            value={to}
            onValue={setTo}
            error={fieldError(action.error, 'to')}
          />
        </div>
        <button type="submit" disabled={action.busy}>
          {t.saveCampaign}
        </button>
      </form>
      <ActionOutcome action={action} />
    </section>
  );
}

function CountersForm(props: { campaign: Campaign; onSaved: Saved }) {
  const { t } = useI18n();
  const { campaign } = props;
  const action = useAction();
  const initial = () =>
    Object.fromEntries(campaign.counters.map((c) => [c.code, textOf(c.target)]));
  const [targets, setTargets] = useState<Record<string, string>>(initial);
  useEffect(() => setTargets(initial()), [campaign]);
  const save = async (event: Event) => {
    event.preventDefault();
    // Only the targets that changed: a scoped account sends none outside its reach.
    const changed = Object.fromEntries(
      campaign.counters.flatMap((c) => {
        const target = countOf(targets[c.code] ?? '');
        return target === c.target ? [] : [[c.code, target]];
      }),
    );
    await action.run(async () => {
      props.onSaved(
        await request(campaignSchema, pathOf(campaign.code), {
          method: 'PATCH',
          json: { targets: changed } satisfies CampaignChange,
        }),
      );
    }, t.targetsSaved);
  };
  const remove = async (counter: string) => {
    await action.run(async () => {
      props.onSaved(
        await request(
          campaignSchema,
          `${pathOf(campaign.code)}/counters/${encodeURIComponent(counter)}`,
          { method: 'DELETE' },
        ),
      );
    }, t.counterRemoved(counter));
  };
  return (
    <section class="card" aria-labelledby="counters-h">
      <h2 id="counters-h">{t.countersAndTargets}</h2>
      <p class="muted">{t.targetsHelp}</p>
      <form class="stack" onSubmit={save}>
        <Table
          label={t.countersAndTargets}
          columns={[t.counter, t.unit, num(t.target), num(t.transactions), t.actions]}
        >
          <tbody>
            {campaign.counters.map((c) => (
              <tr key={c.code} data-counter={c.code}>
                <th scope="row">
                  <span class="code">{c.code}</span> {c.name}
                </th>
                <td>{c.unit}</td>
                <td>
                  <TextField
                    id={`target-${c.code}`}
                    label={<span class="visually-hidden">{t.targetFor(c.code)}</span>}
                    type="number"
                    min={0}
                    step={1}
                    inputMode="numeric"
                    value={targets[c.code] ?? ''}
                    onValue={(value) => setTargets({ ...targets, [c.code]: value })}
                    error={fieldError(action.error, `targets.${c.code}`)}
                  />
                </td>
                <td class="num">{textOf(c.transactions)}</td>
                <td class="actions">
                  <button
                    type="button"
                    class="danger"
                    disabled={action.busy || campaign.counters.length === 1}
                    onClick={() => void remove(c.code)}
                  >
                    {t.removeCounter(c.code)}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
        <button type="submit" disabled={action.busy}>
          {t.saveTargets}
        </button>
      </form>
      <ActionOutcome action={action} />
    </section>
  );
}

function AddCounterForm(props: { campaign: Campaign; counters: Counter[]; onSaved: Saved }) {
  const { t } = useI18n();
  const action = useAction();
  const present = new Set(props.campaign.counters.map((c) => c.code));
  const free = props.counters.filter((c) => !present.has(c.code));
  const [counter, setCounter] = useState('');
  const [target, setTarget] = useState('');
  const chosen = free.some((c) => c.code === counter) ? counter : (free[0]?.code ?? '');
  const add = async (event: Event) => {
    event.preventDefault();
    const planned = countOf(target);
    const added = await action.run(async () => {
      props.onSaved(
        await request(campaignSchema, `${pathOf(props.campaign.code)}/counters`, {
          json: {
            counters: [chosen],
            ...(planned === null ? {} : { targets: { [chosen]: planned } }),
          },
        }),
      );
    }, t.counterAdded(chosen));
    if (added) setTarget('');
  };
  return (
    <section class="card" aria-labelledby="add-counter-h">
      <h2 id="add-counter-h">{t.addCounterTitle}</h2>
      {free.length === 0 ? (
        <p>{t.noCounterToAdd}</p>
      ) : (
        <form class="field-row" onSubmit={add}>
          <SelectField
            id="add-counter"
            label={t.counterToAdd}
            value={chosen}
            onValue={setCounter}
            error={fieldError(action.error, 'counters')}
          >
            <CodeOptions items={free} />
          </SelectField>
          <TextField
            id="add-target"
            label={t.target}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={target}
            onValue={setTarget}
            error={fieldError(action.error, `targets.${chosen}`)}
          />
          <button type="submit" disabled={action.busy}>
            {t.addCounter}
          </button>
        </form>
      )}
      <ActionOutcome action={action} />
    </section>
  );
}

function TransactionsForm(props: { campaign: Campaign; onSaved: Saved }) {
  const { t } = useI18n();
  const { campaign } = props;
  const action = useAction();
  const initial = () =>
    Object.fromEntries(campaign.counters.map((c) => [c.code, textOf(c.transactions)]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  useEffect(() => setValues(initial()), [campaign]);
  const [file, setFile] = useState<File | null>(null);
  const path = `${pathOf(campaign.code)}/transactions`;
  const save = async (event: Event) => {
    event.preventDefault();
    const counts = Object.fromEntries(
      Object.entries(values).flatMap(([counter, text]) =>
        text.trim() === '' ? [] : [[counter, Number(text)]],
      ),
    );
    await action.run(async () => {
      props.onSaved(
        await request(campaignSchema, path, {
          method: 'PUT',
          json: counts satisfies Transactions,
        }),
      );
    }, t.transactionsSaved);
  };
  const upload = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    const type = file.name.toLowerCase().endsWith('.xlsx') ? XLSX_TYPE : 'text/csv';
    const table = new Blob([file], { type });
    await action.run(async () => {
      await send(`${path}/import`, { file: table });
      props.onSaved(await request(campaignSchema, pathOf(campaign.code)));
    }, t.transactionsSaved);
  };
  return (
    <section class="card" aria-labelledby="transactions-h">
      <h2 id="transactions-h">{t.transactionsTitle}</h2>
      <p>{t.transactionsHelp}</p>
      <form class="stack" onSubmit={save}>
        <div class="field-grid">
          {campaign.counters.map((c) => (
            <TextField
              key={c.code}
              id={`tx-${c.code}`}
              label={c.code}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={values[c.code] ?? ''}
              onValue={(value) => setValues({ ...values, [c.code]: value })}
              error={
                fieldError(action.error, c.code) ??
                fieldError(action.error, `transactions.${c.code}`)
              }
            />
          ))}
        </div>
        <button type="submit" disabled={action.busy}>
          {t.saveTransactions}
        </button>
      </form>
      <form class="stack" onSubmit={upload}>
        <FileField
          id="tx-file"
          label={t.transactionsFile}
          help={t.transactionsFileHelp}
          accept={`.csv,text/csv,.xlsx,${XLSX_TYPE}`}
          onFile={setFile}
        />
        <button type="submit" class="secondary" disabled={action.busy || !file}>
          {t.importTransactions}
        </button>
      </form>
      <TemplateDownloads path={path} name={`${campaign.code}-transactions-template`} />
      <ActionOutcome action={action} />
    </section>
  );
}

function Editor(props: { initial: Campaign; counters: Counter[] }) {
  // Every edit answers with the campaign as it is now: each form starts again from it.
  const [campaign, setCampaign] = useState(props.initial);
  return (
    <>
      <PeriodForm campaign={campaign} onSaved={setCampaign} />
      <CountersForm campaign={campaign} onSaved={setCampaign} />
      <AddCounterForm campaign={campaign} counters={props.counters} onSaved={setCampaign} />
      <TransactionsForm campaign={campaign} onSaved={setCampaign} />
    </>
  );
}

export function EditCampaignPage(props: { code: string }) {
  const { t } = useI18n();
  const data = useResource(
    async (signal) => ({
      campaign: await request(campaignSchema, pathOf(props.code), { signal }),
      counters: await request(list(counterSchema), '/counters', { signal }),
    }),
    [props.code],
  );
  return (
    <>
      <PageTitle>{t.editTitle(props.code)}</PageTitle>
      <p>
        <Link to={{ page: 'campaign', code: props.code }}>{t.backToCampaign}</Link>
      </p>
      <Loaded resource={data}>
        {(d) => <Editor initial={d.campaign} counters={d.counters} />}
      </Loaded>
    </>
  );
}
