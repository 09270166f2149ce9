// One officials' survey (par-cycle.md §5, docs/officials.md): its groups file, which issues the
// links; the links as a mail-merge list and printable slips; a leaked link reissued; the
// response rate by unit and group (counts only: nobody is named, no link marked used); the
// results by unit with each group's, a small group's withheld; and, for an admin, the points
// stored as the framework's PAR points.
import { useEffect, useState } from 'preact/hooks';
import type {
  FieldError,
  OfficialReissueInput,
  OfficialSurveyPatch,
} from '../../../api/contract.ts';
import { ApiError, openPage, request, XLSX_TYPE } from '../api.ts';
import {
  ActionOutcome,
  DownloadButtons,
  ErrorNote,
  Link,
  Loaded,
  Loading,
  num,
  PageTitle,
  Table,
  useAction,
  useResource,
  type Resource,
} from '../components/common.tsx';
import {
  FileField,
  NameField,
  SelectField,
  TextAreaField,
  TextField,
} from '../components/fields.tsx';
import { formatDay, formatFor } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { can } from '../roles.ts';
import {
  officialDerivedSchema,
  officialGroupsLoadedSchema,
  officialProgressSchema,
  officialResultsSchema,
  officialSurveySchema,
  reissuedSchema,
  type Me,
  type OfficialDerived,
  type OfficialLeaf,
  type OfficialProgress,
  type OfficialResults,
  type OfficialSurvey,
} from '../schemas.ts';
import { RefusedNote } from './import.tsx';

const pathOf = (code: string) => `/official-surveys/${encodeURIComponent(code)}`;

type Upload =
  | { kind: 'stored'; groups: number; issued: number }
  | { kind: 'refused'; detail: string; problems: FieldError[] }
  | { kind: 'failed'; error: unknown };

/** The groups file: all or nothing; a refusal lists every bad line. */
function GroupsUpload(props: { code: string; onDone: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Upload | null>(null);
  // The report's heading takes the focus, so that it is read out and the keyboard is there.
  useEffect(() => {
    document.getElementById('report-h')?.focus();
  }, [outcome]);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    const type = file.name.toLowerCase().endsWith('.xlsx') ? XLSX_TYPE : 'text/csv';
    try {
      const loaded = await request(officialGroupsLoadedSchema, `${pathOf(props.code)}/groups`, {
        file: new Blob([file], { type }),
      });
      setOutcome({ kind: 'stored', ...loaded });
      props.onDone();
    } catch (error) {
      setOutcome(
        error instanceof ApiError && error.status === 422 && error.errors.length > 0
          ? { kind: 'refused', detail: error.message, problems: error.errors }
          : { kind: 'failed', error },
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="groups-h">
      <h2 id="groups-h">{t.groupsTitle}</h2>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <FileField
          id="groups-file"
          label={t.groupsFile}
          help={t.groupsHelp}
          accept={`.csv,text/csv,.xlsx,${XLSX_TYPE}`}
          required
          onFile={(chosen) => {
            setFile(chosen);
            setOutcome(null);
          }}
        />
        <button type="submit" disabled={busy || !file}>
          {t.groupsLoad}
        </button>
      </form>
      <p class="status" role="status">
        {outcome?.kind === 'stored' ? t.groupsLoaded(outcome.groups, outcome.issued) : ''}
      </p>
      {outcome?.kind === 'refused' ? (
        <RefusedNote
          title={t.groupsRefused(outcome.problems.length)}
          nothingStored={t.groupsNothingStored}
          detail={outcome.detail}
          problems={outcome.problems}
        />
      ) : null}
      {outcome?.kind === 'failed' ? <ErrorNote error={outcome.error} /> : null}
    </section>
  );
}

/** The links: the mail-merge list (CSV, XLSX) and the printable slips, of one unit or all. */
function Links(props: { code: string; progress: Resource<OfficialProgress | null> }) {
  const { t } = useI18n();
  const action = useAction();
  const [unit, setUnit] = useState('');
  const path = `${pathOf(props.code)}/invitations`;
  const query = (format: string) => ({ format, unit: unit || undefined });
  const name = `${props.code}-links${unit ? `-${unit}` : ''}`;
  return (
    <section class="card" aria-labelledby="links-h">
      <h2 id="links-h">{t.linksTitle}</h2>
      <p>{t.linksHelp}</p>
      <SelectField id="links-unit" label={t.linksUnit} value={unit} onValue={setUnit}>
        <option value="">{t.linksAllUnits}</option>
        {(props.progress.data?.units ?? []).map((u) => (
          <option key={u.unit} value={u.unit}>
            {u.unit} — {u.name}
          </option>
        ))}
      </SelectField>
      <DownloadButtons
        files={[
          {
            label: t.linksCsv,
            path,
            query: query('csv'),
            file: { name: `${name}.csv`, type: 'text/csv' },
          },
          {
            label: t.linksXlsx,
            path,
            query: query('xlsx'),
            file: { name: `${name}.xlsx`, type: XLSX_TYPE },
          },
        ]}
      />
      <p>
        <button
          type="button"
          class="secondary"
          disabled={action.busy}
          onClick={() =>
            void action.run(() => openPage(path, { query: query('slips') }), t.linksSlipsOpened)
          }
        >
          {t.linksSlips}
        </button>
      </p>
      <ActionOutcome action={action} />
    </section>
  );
}

/** Revokes a link by its number and issues its replacement, shown once here. */
function Reissue(props: { code: string; onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [number, setNumber] = useState('');
  const [reason, setReason] = useState('');
  const [issued, setIssued] = useState<{ old: number; number: number; link: string } | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const old = Number(number);
    setIssued(null);
    const ok = await action.run(async () => {
      const reply = await request(
        reissuedSchema,
        `${pathOf(props.code)}/invitations/${encodeURIComponent(number.trim())}/reissue`,
        { json: { reason: reason.trim() } satisfies OfficialReissueInput },
      );
      setIssued({ old, ...reply });
    });
    if (ok) {
      setNumber('');
      setReason('');
      props.onDone();
    }
  };
  return (
    <section class="card" aria-labelledby="reissue-h">
      <h2 id="reissue-h">{t.reissueTitle}</h2>
      <p>{t.reissueHelp}</p>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <TextField
          id="reissue-number"
          label={t.reissueNumber}
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          class="narrow"
          required
          value={number}
          onValue={setNumber}
        />
        <TextAreaField
          id="reissue-reason"
          label={t.reissueReason}
          required
          path="reason"
          failure={action.error}
          value={reason}
          onValue={setReason}
        />
        <button type="submit" disabled={action.busy}>
          {t.reissueButton}
        </button>
      </form>
      <div role="status" class="status">
        {issued ? (
          <p data-reissued={issued.number}>
            {t.reissued(issued.old, issued.number)} <code>{issued.link}</code>
          </p>
        ) : null}
      </div>
      {action.error !== undefined ? <ErrorNote error={action.error} /> : null}
    </section>
  );
}

/** Invited, answered and the rate of the survey, each unit and each of its groups. */
function RateTable(props: { progress: OfficialProgress }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { progress } = props;
  if (progress.units.length === 0) return <p>{t.noGroups}</p>;
  const figures = (r: { invited: number; answered: number; rate: number | null }) => (
    <>
      <td class="num">{f.count(r.invited)}</td>
      <td class="num">{f.count(r.answered)}</td>
      <td class="num" data-figure="rate">
        {f.share(r.rate)}
      </td>
    </>
  );
  return (
    <Table
      label={t.rateTable}
      caption={t.rateTable}
      data-table="official-rate"
      columns={[t.unitOrGroup, num(t.invited), num(t.answered), num(t.rate), num(t.revoked)]}
    >
      {progress.units.map((unit) => (
        <tbody key={unit.unit}>
          <tr class="total" data-unit={unit.unit}>
            <th scope="row">
              <span class="code">{unit.unit}</span> {unit.name}
            </th>
            {figures(unit)}
            <td class="num">{f.count(unit.groups.reduce((sum, g) => sum + g.revoked, 0))}</td>
          </tr>
          {unit.groups.map((group) => (
            <tr key={group.group} data-unit={unit.unit} data-group={group.group}>
              <th scope="row" class="leaf">
                {t.groupLabel(group.group)}
              </th>
              {figures(group)}
              <td class="num">{f.count(group.revoked)}</td>
            </tr>
          ))}
        </tbody>
      ))}
      <tfoot>
        <tr class="total" data-unit="">
          <th scope="row">{t.total}</th>
          {figures(progress)}
          <td class="num">
            {f.count(
              progress.units.reduce(
                (sum, u) => sum + u.groups.reduce((s, g) => s + g.revoked, 0),
                0,
              ),
            )}
          </td>
        </tr>
      </tfoot>
    </Table>
  );
}

function LeafCells(props: { leaf: OfficialLeaf }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { leaf } = props;
  return (
    <>
      <td class="num">{f.count(leaf.respondents)}</td>
      <td class="num">{f.fixed(leaf.meanShare)}</td>
      <td class="num nowrap" data-figure="points">
        {t.pointsOfMax(f.points(leaf.points), f.maximum(leaf.max))}
      </td>
      <td class="num">{f.fixed(leaf.se)}</td>
      <td class="num nowrap">{f.interval(leaf.interval)}</td>
    </>
  );
}

/** Each unit's points of each leaf, then its groups', a withheld group marked as such. */
function ResultsTables(props: { results: OfficialResults }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { results } = props;
  if (results.units.length === 0) return <p>{t.resultsNone}</p>;
  return (
    <>
      {results.units.map((unit) => (
        <Table
          key={unit.unit}
          label={t.resultsOf(unit.unit, unit.name)}
          caption={
            <>
              <span class="code">{unit.unit}</span> {unit.name}:{' '}
              {t.resultsCounts(f.count(unit.answered), f.count(unit.invited), f.share(unit.rate))}
            </>
          }
          data-table="official-results"
          columns={[
            t.leafOrGroup,
            num(t.officialRespondents),
            num(t.meanShare),
            num(t.pointsColumn),
            num(t.se),
            num(t.ci95),
          ]}
        >
          <tbody>
            {unit.leaves.map((leaf) => (
              <tr key={leaf.leaf} class="total" data-unit={unit.unit} data-leaf={leaf.leaf}>
                <th scope="row">
                  <span class="code">{leaf.leaf}</span> {leaf.name}
                </th>
                <LeafCells leaf={leaf} />
              </tr>
            ))}
            {unit.groups.map((group) =>
              group.leaves === null || group.suppressed !== null ? (
                <tr key={group.group} data-unit={unit.unit} data-group={group.group}>
                  <th scope="row" class="leaf">
                    {t.groupLabel(group.group)}
                  </th>
                  <td class="num">{f.count(group.answered)}</td>
                  <td colSpan={4} data-suppressed={group.suppressed ?? ''}>
                    {group.suppressed === 'complementary'
                      ? t.suppressedComplementary
                      : t.suppressedSmall(results.minGroup)}
                  </td>
                </tr>
              ) : (
                group.leaves.map((leaf) => (
                  <tr
                    key={`${group.group} ${leaf.leaf}`}
                    data-unit={unit.unit}
                    data-group={group.group}
                    data-leaf={leaf.leaf}
                  >
                    <th scope="row" class="leaf">
                      {t.groupLabel(group.group)} · <span class="code">{leaf.leaf}</span>
                    </th>
                    <LeafCells leaf={leaf} />
                  </tr>
                ))
              ),
            )}
          </tbody>
        </Table>
      ))}
    </>
  );
}

/** An admin stores the units' points as the framework's PAR points of the period. */
function Derive(props: { survey: OfficialSurvey }) {
  const { t } = useI18n();
  const action = useAction();
  const { survey } = props;
  const [derived, setDerived] = useState<OfficialDerived | null>(null);
  const derive = () =>
    action.run(async () => {
      setDerived(null);
      setDerived(
        await request(officialDerivedSchema, `${pathOf(survey.code)}/derive`, { method: 'POST' }),
      );
    });
  return (
    <section class="card" aria-labelledby="derive-h">
      <h2 id="derive-h">{t.deriveTitle}</h2>
      <p>{t.deriveHelp(survey.framework, survey.period)}</p>
      <button type="button" disabled={action.busy} onClick={() => void derive()}>
        {t.deriveButton}
      </button>
      <p class="status" role="status">
        {derived ? t.derived(derived.stored, derived.units) : ''}
      </p>
      {derived ? (
        <p>
          <Link to={{ page: 'scorecard' }}>{t.deriveScorecard}</Link>
        </p>
      ) : null}
      {action.error !== undefined ? <ErrorNote error={action.error} /> : null}
    </section>
  );
}

/** The survey's name and last day: extended, or closed early (its first day stays). */
function Change(props: { survey: OfficialSurvey; onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const { survey } = props;
  const [name, setName] = useState(survey.name);
  const [closesOn, setClosesOn] = useState(survey.closesOn);
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run(
      () =>
        request(officialSurveySchema, pathOf(survey.code), {
          method: 'PATCH',
          json: { name: name.trim(), closesOn } satisfies OfficialSurveyPatch,
        }),
      t.officialsChanged,
    );
    if (ok) props.onDone();
  };
  return (
    <section class="card" aria-labelledby="change-h">
      <h2 id="change-h">{t.officialsChange}</h2>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <div class="field-row">
          <NameField
            id="change-name"
            label={t.name}
            required
            path="name"
            failure={action.error}
            value={name}
            onValue={setName}
          />
          <TextField
            id="change-closes"
            label={t.officialsClosesOn}
            help={t.officialsChangeHelp}
            type="date"
            required
            min={survey.opensOn}
            path="closesOn"
            failure={action.error}
            value={closesOn}
            onValue={setClosesOn}
          />
        </div>
        <button type="submit" class="secondary" disabled={action.busy}>
          {t.officialsChange}
        </button>
      </form>
      <ActionOutcome action={action} />
    </section>
  );
}

function OfficialView(props: { survey: OfficialSurvey; me: Me; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { survey, me } = props;
  // The response rate is for those who run the survey; readers of the results have its counts.
  const run = can.runOfficials(me.role);
  const progress = useResource(
    (signal) =>
      run
        ? request(officialProgressSchema, `${pathOf(survey.code)}/progress`, { signal })
        : Promise.resolve(null),
    [survey.code, run],
  );
  // A scoped reader is refused the results of a survey without a group in its scope: before the
  // groups are loaded there is nothing to ask for. Whether there are groups, progress says (for
  // those who may read it; others ask for the results, and see any refusal).
  const groups =
    progress.data === undefined
      ? progress.error === undefined
        ? null
        : true
      : progress.data === null || progress.data.units.length > 0;
  const results = useResource(
    (signal) =>
      groups === true
        ? request(officialResultsSchema, `${pathOf(survey.code)}/results`, { signal })
        : Promise.resolve(null),
    [survey.code, groups],
  );
  const reload = () => {
    progress.reload();
    results.reload();
  };
  return (
    <>
      <PageTitle
        sub={t.officialsSub(
          survey.code,
          survey.framework,
          survey.period,
          formatDay(lang, survey.opensOn),
          formatDay(lang, survey.closesOn),
        )}
      >
        {survey.name}
      </PageTitle>
      <p>
        <Link to={{ page: 'officials' }}>{t.officialsBack}</Link>
      </p>
      {run ? <GroupsUpload code={survey.code} onDone={reload} /> : null}
      {run ? <Links code={survey.code} progress={progress} /> : null}
      {run ? <Reissue code={survey.code} onDone={reload} /> : null}
      {run ? (
        <section aria-labelledby="rate-h">
          <h2 id="rate-h">{t.rateTitle}</h2>
          <p class="muted">{t.rateHelp}</p>
          <p>
            <button type="button" class="secondary" onClick={reload}>
              {t.refreshNow}
            </button>
          </p>
          <Loaded resource={progress}>
            {(data) => (data === null ? null : <RateTable progress={data} />)}
          </Loaded>
        </section>
      ) : null}
      <section aria-labelledby="results-h">
        <h2 id="results-h">{t.resultsTitle}</h2>
        <p class="muted">{t.resultsHelp(survey.minGroup)}</p>
        {groups === false ? (
          <p>{t.resultsNone}</p>
        ) : (
          <Loaded resource={results}>
            {(data) => (data === null ? <Loading /> : <ResultsTables results={data} />)}
          </Loaded>
        )}
      </section>
      {run ? <Change survey={survey} onDone={props.onChanged} /> : null}
      {can.deriveOfficials(me.role) ? <Derive survey={survey} /> : null}
    </>
  );
}

export function OfficialPage(props: { code: string; me: Me }) {
  const survey = useResource(
    (signal) => request(officialSurveySchema, pathOf(props.code), { signal }),
    [props.code],
  );
  return (
    <Loaded resource={survey}>
      {(data) => <OfficialView survey={data} me={props.me} onChanged={survey.reload} />}
    </Loaded>
  );
}
