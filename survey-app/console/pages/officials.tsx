// The officials' surveys within reach (par-cycle.md §5, docs/officials.md), and a new one: its
// instrument, the PAR framework and period its points go to, and the days it takes answers.
import { useState } from 'preact/hooks';
import type { OfficialSurveyInput } from '../../../api/contract.ts';
import { request } from '../api.ts';
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
import { formatDay, vietnamToday } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { can } from '../roles.ts';
import {
  instrumentSummarySchema,
  list,
  officialSurveySchema,
  type InstrumentSummary,
  type Me,
  type OfficialSurvey,
} from '../schemas.ts';
import { MIN_GROUP_DEFAULT } from '../../../shared/official.ts';
import { stateOf } from './campaigns.tsx';

function SurveyTable(props: { surveys: OfficialSurvey[] }) {
  const { t, lang } = useI18n();
  if (props.surveys.length === 0) return <p>{t.officialsNone}</p>;
  return (
    <Table
      label={t.officialsList}
      data-table="official-surveys"
      columns={[
        t.code,
        t.name,
        t.instrument,
        t.framework,
        t.periodLabel,
        t.officialsDates,
        num(t.officialsMinGroup),
        t.state,
      ]}
    >
      <tbody>
        {props.surveys.map((survey) => (
          <tr key={survey.code} data-survey={survey.code}>
            <th scope="row">
              <Link to={{ page: 'official', code: survey.code }}>{survey.code}</Link>
            </th>
            <td>{survey.name}</td>
            <td>{survey.instrument}</td>
            <td>{survey.framework}</td>
            <td>{survey.period}</td>
            <td class="nowrap">
              {t.periodText(formatDay(lang, survey.opensOn), formatDay(lang, survey.closesOn))}
            </td>
            <td class="num">{survey.minGroup}</td>
            <td>
              {t.campaignState[stateOf({ startsOn: survey.opensOn, endsOn: survey.closesOn })]}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function CreateSurvey(props: { instruments: InstrumentSummary[]; onCreated: () => void }) {
  const { t, lang } = useI18n();
  const action = useAction();
  const today = vietnamToday();
  const [draft, setDraft] = useState({
    code: '',
    name: '',
    instrument: props.instruments[0]?.code ?? '',
    framework: 'par-2020-province',
    period: String(Number(today.slice(0, 4)) - 1),
    opensOn: today,
    closesOn: today,
    minGroup: String(MIN_GROUP_DEFAULT),
  });
  const set = (key: keyof typeof draft) => (value: string) => setDraft({ ...draft, [key]: value });
  const submit = async (event: Event) => {
    event.preventDefault();
    const code = draft.code.trim();
    const ok = await action.run(
      () =>
        request(officialSurveySchema, '/official-surveys', {
          json: {
            code,
            name: draft.name.trim(),
            instrument: draft.instrument,
            framework: draft.framework.trim(),
            period: draft.period.trim(),
            opensOn: draft.opensOn,
            closesOn: draft.closesOn,
            minGroup: Number(draft.minGroup),
          } satisfies OfficialSurveyInput,
        }),
      t.officialsCreated(code),
    );
    if (ok) {
      setDraft({ ...draft, code: '', name: '' });
      props.onCreated();
    }
  };
  const failure = action.error;
  return (
    <section aria-labelledby="official-create-h" class="card">
      <h2 id="official-create-h">{t.officialsCreate}</h2>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <div class="field-row">
          <CodeField
            id="official-code"
            label={t.code}
            path="code"
            failure={failure}
            value={draft.code}
            onValue={set('code')}
          />
          <NameField
            id="official-name"
            label={t.name}
            required
            path="name"
            failure={failure}
            value={draft.name}
            onValue={set('name')}
          />
        </div>
        <div class="field-row">
          <SelectField
            id="official-instrument"
            label={t.instrument}
            path="instrument"
            failure={failure}
            value={draft.instrument}
            onValue={set('instrument')}
          >
            <CodeOptions
              items={props.instruments.map((i) => ({ code: i.code, name: i.name[lang] }))}
            />
          </SelectField>
          <TextField
            id="official-framework"
            label={t.framework}
            help={t.officialsFrameworkHelp}
            required
            path="framework"
            failure={failure}
            value={draft.framework}
            onValue={set('framework')}
          />
          <TextField
            id="official-period"
            label={t.periodLabel}
            required
            class="narrow"
            path="period"
            failure={failure}
            value={draft.period}
            onValue={set('period')}
          />
        </div>
        <div class="field-row">
          <TextField
            id="official-opens"
            label={t.officialsOpensOn}
            type="date"
            required
            path="opensOn"
            failure={failure}
            value={draft.opensOn}
            onValue={set('opensOn')}
          />
          <TextField
            id="official-closes"
            label={t.officialsClosesOn}
            type="date"
            required
            min={draft.opensOn}
            path="closesOn"
            failure={failure}
            value={draft.closesOn}
            onValue={set('closesOn')}
          />
          <TextField
            id="official-min-group"
            label={t.officialsMinGroup}
            help={t.officialsMinGroupHelp}
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            class="narrow"
            required
            path="minGroup"
            failure={failure}
            value={draft.minGroup}
            onValue={set('minGroup')}
          />
        </div>
        <button type="submit" disabled={action.busy}>
          {t.officialsCreate}
        </button>
      </form>
      <ActionOutcome action={action} />
    </section>
  );
}

export function OfficialsPage(props: { me: Me }) {
  const { t } = useI18n();
  const surveys = useResource(
    (signal) => request(list(officialSurveySchema), '/official-surveys', { signal }),
    [],
  );
  const run = can.runOfficials(props.me.role);
  const instruments = useResource(
    (signal) =>
      run
        ? request(list(instrumentSummarySchema), '/official-instruments', { signal })
        : Promise.resolve([]),
    [run],
  );
  return (
    <>
      <PageTitle>{t.officialsTitle}</PageTitle>
      <p>{t.officialsIntro}</p>
      <section aria-labelledby="officials-list-h">
        <h2 id="officials-list-h">{t.officialsList}</h2>
        <Loaded resource={surveys}>{(data) => <SurveyTable surveys={data} />}</Loaded>
      </section>
      {run ? (
        <Loaded resource={instruments}>
          {(data) => <CreateSurvey instruments={data} onCreated={surveys.reload} />}
        </Loaded>
      ) : null}
    </>
  );
}
