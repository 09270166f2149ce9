// One unit's remediation plan for a framework's period (par-cycle.md §6, docs/plans.md). With no
// plan yet, the form that drafts one; with one, its facts as drafted (total, rank, fields, SIPAS
// factors and the items below the peers), the weak points and targets, the tasks with their
// status, overdue ones marked, progress by node, each task's progress reports and their files,
// the plan's own texts, the documents, and the task table's reimport from XLSX. Every change
// answers with the whole plan, which replaces the one shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import type {
  PlanDraftRequest,
  PlanSectionsPatch,
  PlanTaskBody,
  PlanTaskInput,
  PlanTaskPatch,
  ProgressReportInput,
} from '../../../api/contract.ts';
import { isOverdue, PLAN_LIMITS, TASK_STATUSES, type TaskStatus } from '../../../shared/plan.ts';
import { periodLastDay } from '../../../shared/periods.ts';
import { DOCX_TYPE, request, XLSX_TYPE } from '../api.ts';
import {
  type Action,
  ActionOutcome,
  Downloads,
  Link,
  Loaded,
  num,
  PageTitle,
  Table,
  useAction,
  useResource,
  StoredFiles,
} from '../components/common.tsx';
import {
  CodeOptions,
  FileField,
  SelectField,
  TextAreaField,
  TextField,
} from '../components/fields.tsx';
import { formatDay, formatInstant } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { can } from '../roles.ts';
import {
  campaignSummarySchema,
  list,
  planListSchema,
  planSchema,
  unitSchema,
  type Me,
  type Plan,
  type PlanFile,
  type PlanTask,
} from '../schemas.ts';
import {
  FieldsTable,
  ItemsBelowPeers,
  SipasChart,
  Targets,
  TotalFacts,
  WeakList,
} from './plan-facts.tsx';

interface Target {
  framework: string;
  period: string;
  unit: string;
}

/** Codes typed as "1.2, 3" (commas, semicolons or spaces between them). */
const codesOf = (text: string) => text.split(/[\s,;]+/).filter((code) => code !== '');
/** One entry a line, blank lines left out. */
const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** A task's status, and "Quá hạn" from the day after its deadline until it is done. */
export function TaskStatusBadges(props: {
  task: { status: TaskStatus; deadline: string | null };
  today: string;
}) {
  const { t } = useI18n();
  const { task } = props;
  return (
    <>
      <span class={`badge${task.status === 'done' ? ' badge-ok' : ''}`} data-status={task.status}>
        {t.planStatus[task.status]}
      </span>
      {isOverdue(task, props.today) ? (
        <>
          {' '}
          <span class="badge badge-warn" data-overdue>
            {t.planOverdue}
          </span>
        </>
      ) : null}
    </>
  );
}

/**
 * The form of a task, new or written: its fields as text until it is sent. Its outcome is shown
 * by the caller, outside it, as the form closes or empties itself once the change is made.
 */
function TaskForm(props: {
  id: string;
  task: PlanTaskInput;
  title: string;
  submitLabel: string;
  action: Action;
  onSubmit: (task: PlanTaskInput) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const { id, task, action } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  const [content, setContent] = useState(task.content);
  const [lead, setLead] = useState(task.lead);
  const [coordinating, setCoordinating] = useState(task.coordinating.join('\n'));
  const [deadline, setDeadline] = useState(task.deadline ?? '');
  const [output, setOutput] = useState(task.expectedOutput);
  const [nodes, setNodes] = useState(task.nodes.join(', '));
  const [factors, setFactors] = useState(task.factors.join(', '));
  const [status, setStatus] = useState<string>(task.status);
  useEffect(() => {
    // A task opened for editing takes the focus, so that the keyboard is where the form is.
    if (props.onCancel) heading.current?.focus();
  }, []);
  const field = { failure: action.error, maxLength: PLAN_LIMITS.taskText };
  return (
    <form
      class="stack"
      data-task-form={id}
      onSubmit={(event) => {
        event.preventDefault();
        const chosen = TASK_STATUSES.find((s) => s === status) ?? 'not-started';
        props.onSubmit({
          content: content.trim(),
          lead: lead.trim(),
          coordinating: linesOf(coordinating),
          deadline: deadline === '' ? null : deadline,
          expectedOutput: output.trim(),
          nodes: codesOf(nodes),
          factors: codesOf(factors),
          status: chosen,
        });
      }}
    >
      <h3 ref={heading} tabIndex={-1}>
        {props.title}
      </h3>
      <TextAreaField
        id={`${id}-content`}
        label={t.planTaskContent}
        required
        value={content}
        onValue={setContent}
        path="content"
        {...field}
      />
      <div class="field-row">
        <TextField
          id={`${id}-lead`}
          label={t.planTaskLead}
          required
          value={lead}
          onValue={setLead}
          path="lead"
          {...field}
        />
        <TextField
          id={`${id}-deadline`}
          label={t.planTaskDeadline}
          help={t.planDeadlineHelp}
          type="date"
          value={deadline}
          onValue={setDeadline}
          path="deadline"
          failure={action.error}
        />
        <SelectField
          id={`${id}-status`}
          label={t.planTaskStatus}
          value={status}
          onValue={setStatus}
          path="status"
          failure={action.error}
        >
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t.planStatus[s]}
            </option>
          ))}
        </SelectField>
      </div>
      <TextAreaField
        id={`${id}-coordinating`}
        label={t.planTaskCoordinating}
        help={t.planOnePerLine}
        value={coordinating}
        onValue={setCoordinating}
        path="coordinating"
        failure={action.error}
      />
      <TextAreaField
        id={`${id}-output`}
        label={t.planTaskOutput}
        required
        value={output}
        onValue={setOutput}
        path="expectedOutput"
        {...field}
      />
      <div class="field-row">
        <TextField
          id={`${id}-nodes`}
          label={t.planTaskNodes}
          help={t.planCodesHelp}
          value={nodes}
          onValue={setNodes}
          path="nodes"
          failure={action.error}
        />
        <TextField
          id={`${id}-factors`}
          label={t.planTaskFactors}
          help={t.planCodesHelp}
          value={factors}
          onValue={setFactors}
          path="factors"
          failure={action.error}
        />
      </div>
      <div class="button-list">
        <button type="submit" disabled={action.busy}>
          {props.submitLabel}
        </button>
        {props.onCancel ? (
          <button type="button" class="secondary" onClick={props.onCancel}>
            {t.cancel}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** What a plan's writer does to it: each change answers with the whole plan. */
interface Changes {
  base: string;
  /** Sends a change and shows the plan it answers with; false when it was refused. */
  apply: (action: Action, work: () => Promise<Plan>, done: string) => Promise<boolean>;
  /** Shows a plan one step of a change answered with, before the next step. */
  show: (plan: Plan) => void;
}

function TaskTable(props: { plan: Plan; changes: Changes | null }) {
  const { t, lang } = useI18n();
  const { plan, changes } = props;
  const [editing, setEditing] = useState<number | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);
  const edit = useAction();
  const remove = useAction();
  const add = useAction();
  const [adding, setAdding] = useState(0);
  const task = plan.tasks.find((x) => x.id === editing);
  return (
    <section class="card" aria-labelledby="plan-tasks-h">
      <h2 id="plan-tasks-h">{t.planTasks}</h2>
      {plan.tasks.length === 0 ? (
        <p>{t.planNoTasks}</p>
      ) : (
        <Table
          label={t.planTasks}
          data-table="plan-tasks"
          columns={[
            num(t.planTaskNo),
            t.planTaskContent,
            t.planTaskLead,
            t.planTaskCoordinating,
            t.planTaskDeadline,
            t.planTaskOutput,
            t.planTaskAnswers,
            t.planTaskStatus,
            ...(changes ? [t.actions] : []),
          ]}
        >
          <tbody>
            {plan.tasks.map((row) => (
              <tr key={row.id} data-task={row.position}>
                <td class="num">{row.position}</td>
                <td class="text">{row.content}</td>
                <td>{row.lead}</td>
                <td>{row.coordinating.join('; ')}</td>
                <td class="nowrap" data-deadline>
                  {row.deadline === null ? t.planOngoing : formatDay(lang, row.deadline)}
                </td>
                <td class="text">{row.expectedOutput}</td>
                <td class="code">{[...row.nodes, ...row.factors].join(', ')}</td>
                <td>
                  <TaskStatusBadges task={row} today={plan.today} />
                </td>
                {changes ? (
                  <td class="nowrap">
                    {removing === row.id ? (
                      <span role="group" aria-label={t.planRemoveTask(row.position)}>
                        <button
                          type="button"
                          class="secondary danger"
                          disabled={remove.busy}
                          onClick={() =>
                            void changes
                              .apply(
                                remove,
                                () =>
                                  request(planSchema, `${changes.base}/tasks/${row.id}`, {
                                    method: 'DELETE',
                                  }),
                                t.planTaskRemoved(row.position),
                              )
                              .then(() => setRemoving(null))
                          }
                        >
                          {t.planConfirmRemove(row.position)}
                        </button>{' '}
                        <button type="button" class="secondary" onClick={() => setRemoving(null)}>
                          {t.cancel}
                        </button>
                      </span>
                    ) : (
                      <>
                        <button
                          type="button"
                          class="link-button"
                          aria-label={t.planEditTask(row.position)}
                          onClick={() => {
                            edit.clear();
                            setEditing(row.id);
                          }}
                        >
                          {t.edit}
                        </button>{' '}
                        <button
                          type="button"
                          class="link-button"
                          aria-label={t.planRemoveTask(row.position)}
                          onClick={() => setRemoving(row.id)}
                        >
                          {t.planRemove}
                        </button>
                      </>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {/* Outside the forms, which close or empty themselves once their change is made. */}
      <ActionOutcome action={remove} />
      <ActionOutcome action={edit} />
      {changes && task ? (
        <div class="card task-edit">
          <TaskForm
            key={task.id}
            id={`task-${task.id}`}
            task={task}
            title={t.planEditTask(task.position)}
            submitLabel={t.planSaveTask(task.position)}
            action={edit}
            onCancel={() => setEditing(null)}
            onSubmit={(body) =>
              void changes
                .apply(
                  edit,
                  () =>
                    request(planSchema, `${changes.base}/tasks/${task.id}`, {
                      method: 'PATCH',
                      json: body satisfies PlanTaskPatch,
                    }),
                  t.planTaskSaved(task.position),
                )
                .then((ok) => ok && setEditing(null))
            }
          />
        </div>
      ) : null}
      {changes ? (
        <details class="task-add">
          <summary>{t.planAddTask}</summary>
          <TaskForm
            // A new form, empty again, after each task added.
            key={adding}
            id={`task-new-${adding}`}
            task={{
              content: '',
              lead: plan.unit.name,
              coordinating: [],
              deadline: null,
              expectedOutput: '',
              nodes: [],
              factors: [],
              status: 'not-started',
            }}
            title={t.planNewTask}
            submitLabel={t.planAddTask}
            action={add}
            onSubmit={(body) =>
              void changes
                .apply(
                  add,
                  () =>
                    request(planSchema, `${changes.base}/tasks`, {
                      json: body satisfies PlanTaskBody,
                    }),
                  t.planTaskAdded,
                )
                .then((ok) => ok && setAdding(adding + 1))
            }
          />
          <ActionOutcome action={add} />
        </details>
      ) : null}
      {changes ? <TaskImport changes={changes} /> : null}
    </section>
  );
}

/** The task table edited as XLSX and sent back: every row or none. */
function TaskImport(props: { changes: Changes }) {
  const { t } = useI18n();
  const action = useAction();
  const [file, setFile] = useState<File | null>(null);
  const [generation, setGeneration] = useState(0);
  return (
    <form
      class="stack task-import"
      onSubmit={(event) => {
        event.preventDefault();
        if (!file) return;
        void props.changes
          .apply(
            action,
            () =>
              request(planSchema, `${props.changes.base}/tasks`, {
                method: 'PUT',
                file: new File([file], file.name, { type: XLSX_TYPE }),
              }),
            t.planTasksImported(file.name),
          )
          .then((ok) => {
            if (!ok) return;
            setFile(null);
            setGeneration(generation + 1);
          });
      }}
    >
      <h3>{t.planImportTitle}</h3>
      <FileField
        key={generation}
        id="plan-import-file"
        label={t.planImportFile}
        help={t.planImportHelp}
        accept=".xlsx"
        required
        onFile={setFile}
      />
      <div>
        <button type="submit" class="secondary" disabled={action.busy || !file}>
          {t.planImport}
        </button>
      </div>
      <ActionOutcome action={action} />
    </form>
  );
}

function ProgressByNode(props: { plan: Plan }) {
  const { t } = useI18n();
  const { progress } = props.plan;
  return (
    <section class="card" aria-labelledby="plan-progress-h">
      <h2 id="plan-progress-h">{t.planProgress}</h2>
      {progress.length === 0 ? (
        <p>{t.planNoTasks}</p>
      ) : (
        <Table
          label={t.planProgress}
          class="figures"
          data-table="plan-progress"
          columns={[
            t.planTaskAnswers,
            num(t.planTaskCount),
            num(t.planStatus.done),
            num(t.planStatus['in-progress']),
            num(t.planStatus['not-started']),
            num(t.planOverdue),
          ]}
        >
          <tbody>
            {progress.map((row) => (
              <tr key={row.code} data-node={row.code}>
                <th scope="row">
                  <span class="code">{row.code}</span> {row.name}
                </th>
                <td class="num">{row.tasks}</td>
                <td class="num">{row.done}</td>
                <td class="num">{row.inProgress}</td>
                <td class="num">{row.notStarted}</td>
                <td class="num">{row.overdue}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

function PlanFiles(props: { files: PlanFile[]; onRemove?: (file: PlanFile) => void }) {
  if (props.files.length === 0) return null;
  return (
    <StoredFiles
      files={props.files}
      mark="file"
      describe={(file) => ({ ...file, href: `/api/v1/plan-files/${file.id}` })}
      onRemove={props.onRemove}
    />
  );
}

/** A task's progress reports, the files of each, and the form of a new report. */
function TaskReports(props: { plan: Plan; task: PlanTask; changes: Changes | null }) {
  const { t, lang } = useI18n();
  const { plan, task, changes } = props;
  const action = useAction();
  const [on, setOn] = useState(plan.today);
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [generation, setGeneration] = useState(0);
  const id = `report-${task.id}`;
  const upload = (base: string, reportId: number, chosen: File) =>
    request(planSchema, `${base}/reports/${reportId}/files`, {
      file: chosen,
      query: { name: chosen.name },
    });
  return (
    <section class="card" aria-labelledby={`${id}-h`} data-task-reports={task.position}>
      <h3 id={`${id}-h`}>{t.planTaskHeading(task.position, task.content)}</h3>
      {task.reports.length === 0 ? (
        <p class="muted">{t.planNoReports}</p>
      ) : (
        <ul class="report-list">
          {task.reports.map((report) => (
            <li key={report.id} data-report={report.on}>
              <p>
                <strong>{formatDay(lang, report.on)}</strong> {report.text}{' '}
                <span class="muted">
                  {t.planReportBy(report.by, formatInstant(lang, report.at))}
                </span>
              </p>
              <PlanFiles
                files={report.files}
                onRemove={
                  changes
                    ? (gone) =>
                        void changes.apply(
                          action,
                          () => request(planSchema, `/plan-files/${gone.id}`, { method: 'DELETE' }),
                          t.evidenceRemoved(gone.name),
                        )
                    : undefined
                }
              />
              {changes ? (
                <div class="field">
                  <label for={`${id}-${report.id}-file`}>
                    {t.planReportAddFile(formatDay(lang, report.on))}
                  </label>
                  <input
                    type="file"
                    id={`${id}-${report.id}-file`}
                    accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"
                    disabled={action.busy}
                    onChange={(e) => {
                      const chosen = e.currentTarget.files?.[0];
                      e.currentTarget.value = '';
                      if (chosen) {
                        void changes.apply(
                          action,
                          () => upload(changes.base, report.id, chosen),
                          t.evidenceUploaded(chosen.name),
                        );
                      }
                    }}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {changes ? (
        <form
          class="stack"
          onSubmit={(event) => {
            event.preventDefault();
            const before = new Set(task.reports.map((report) => report.id));
            void changes
              .apply(
                action,
                async () => {
                  const reported = await request(
                    planSchema,
                    `${changes.base}/tasks/${task.id}/reports`,
                    { json: { on, text: text.trim() } satisfies ProgressReportInput },
                  );
                  // The report is stored even if its file is then refused: shown at once.
                  changes.show(reported);
                  const added = reported.tasks
                    .find((x) => x.id === task.id)
                    ?.reports.find((report) => !before.has(report.id));
                  return file && added ? upload(changes.base, added.id, file) : reported;
                },
                t.planReported(task.position),
              )
              .then((ok) => {
                if (!ok) return;
                setText('');
                setFile(null);
                setGeneration(generation + 1);
              });
          }}
        >
          <div class="field-row">
            <TextField
              id={`${id}-on`}
              label={t.planReportOn}
              type="date"
              required
              value={on}
              onValue={setOn}
              path="on"
              failure={action.error}
            />
          </div>
          <TextAreaField
            id={`${id}-text`}
            label={t.planReportText}
            required
            maxLength={PLAN_LIMITS.reportText}
            value={text}
            onValue={setText}
            path="text"
            failure={action.error}
          />
          <FileField
            key={generation}
            id={`${id}-file`}
            label={t.planReportFile}
            help={t.evidenceHelp}
            accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"
            onFile={setFile}
          />
          <div>
            <button type="submit" disabled={action.busy}>
              {t.planReport(task.position)}
            </button>
          </div>
        </form>
      ) : null}
      <ActionOutcome action={action} />
    </section>
  );
}

/** The plan's own texts, as the DOCX prints them. */
function SectionsForm(props: { plan: Plan; changes: Changes }) {
  const { t } = useI18n();
  const action = useAction();
  const { sections } = props.plan;
  const [draft, setDraft] = useState({
    ...sections,
    recipients: sections.recipients.join('\n'),
  });
  const set = (key: keyof typeof draft) => (value: string) => setDraft({ ...draft, [key]: value });
  const common = (key: keyof typeof draft) => ({
    id: `plan-${key}`,
    label: t.planSection[key],
    value: draft[key],
    onValue: set(key),
    path: key,
    failure: action.error,
    maxLength: PLAN_LIMITS.sectionText,
  });
  return (
    <section class="card" aria-labelledby="plan-sections-h">
      <h2 id="plan-sections-h">{t.planSections}</h2>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          const body: PlanSectionsPatch = {
            ...draft,
            recipients: linesOf(draft.recipients),
          };
          void props.changes.apply(
            action,
            () => request(planSchema, props.changes.base, { method: 'PATCH', json: body }),
            t.planSectionsSaved,
          );
        }}
      >
        <div class="field-row">
          <TextField {...common('superiorBody')} />
          <TextField {...common('issuingBody')} />
        </div>
        <TextField {...common('summary')} />
        <TextAreaField {...common('purpose')} rows={6} />
        <TextAreaField {...common('organisation')} rows={6} />
        <TextAreaField {...common('recipients')} help={t.planOnePerLine} rows={4} />
        <div class="field-row">
          <TextField {...common('place')} />
          <TextField {...common('signerTitle')} />
          <TextField {...common('signerName')} />
        </div>
        <div>
          <button type="submit" disabled={action.busy}>
            {t.planSaveSections}
          </button>
        </div>
        <ActionOutcome action={action} />
      </form>
    </section>
  );
}

function PlanView(props: { me: Me; plan: Plan }) {
  const { t, lang } = useI18n();
  const [plan, setPlan] = useState(props.plan);
  const { facts } = plan;
  const base = `/plans/${plan.id}`;
  // The API decides: an analyst outside its scope is refused there.
  const mayWrite =
    can.writePlans(props.me.role) && (props.me.role !== 'unit' || props.me.unit === plan.unit.code);
  const changes: Changes | null = mayWrite
    ? {
        base,
        apply: (action, work, done) => action.run(async () => setPlan(await work()), done),
        show: setPlan,
      }
    : null;
  const name = `${plan.unit.code}-${plan.framework.code}-${plan.period}`;
  return (
    <>
      <p class="muted" data-today>
        {t.planUpdated(formatInstant(lang, plan.updatedAt), formatDay(lang, plan.today))}
      </p>
      <section class="card" aria-labelledby="plan-facts-h">
        <h2 id="plan-facts-h">{t.planFacts(facts.peers.name)}</h2>
        <TotalFacts facts={facts} />
        <h3>{t.planFields}</h3>
        <FieldsTable facts={facts} />
        {facts.sipas ? (
          <>
            <h3>{t.planSipas}</h3>
            <SipasChart sipas={facts.sipas} />
            <h3>{t.planItemsBelow}</h3>
            <ItemsBelowPeers sipas={facts.sipas} />
          </>
        ) : null}
      </section>
      <section class="card" aria-labelledby="plan-weak-h">
        <h2 id="plan-weak-h">{t.planWeak}</h2>
        <div class="appraisal-split">
          <div>
            <h3>{t.planWeakByPointsLost}</h3>
            <WeakList facts={facts} codes={facts.weakByPointsLost} />
          </div>
          <div>
            <h3>{t.planWeakByRank}</h3>
            <WeakList facts={facts} codes={facts.weakByRank} />
          </div>
        </div>
      </section>
      <section class="card" aria-labelledby="plan-targets-h">
        <h2 id="plan-targets-h">{t.planTargets}</h2>
        <Targets facts={facts} />
      </section>
      <TaskTable plan={plan} changes={changes} />
      <ProgressByNode plan={plan} />
      <section aria-labelledby="plan-reports-h">
        <h2 id="plan-reports-h">{t.planReports}</h2>
        {plan.tasks.map((task) => (
          <TaskReports key={task.id} plan={plan} task={task} changes={changes} />
        ))}
      </section>
      {changes ? <SectionsForm plan={plan} changes={changes} /> : null}
      <Downloads
        files={[
          {
            label: t.planDocx,
            path: `${base}/plan.docx`,
            query: {},
            file: { name: `${name}-ke-hoach.docx`, type: DOCX_TYPE },
          },
          {
            label: t.planTasksXlsx,
            path: `${base}/tasks.xlsx`,
            query: {},
            file: { name: `${name}-nhiem-vu.xlsx`, type: XLSX_TYPE },
          },
          {
            label: t.planProgressDocx,
            path: `${base}/progress.docx`,
            query: {},
            file: { name: `${name}-bao-cao-tien-do.docx`, type: DOCX_TYPE },
          },
        ]}
      />
    </>
  );
}

/** The draft of a plan: the facts and the tasks the service proposes, stored as the plan. */
function DraftForm(props: Target & { onDrafted: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [peers, setPeers] = useState('');
  const [campaign, setCampaign] = useState('');
  const [top, setTop] = useState('');
  const day = periodLastDay(props.period) ?? undefined;
  const units = useResource(
    (signal) => request(list(unitSchema), '/units', { query: { on: day }, signal }).catch(() => []),
    [day],
  );
  const campaigns = useResource(
    (signal) => request(list(campaignSummarySchema), '/campaigns', { signal }).catch(() => []),
    [],
  );
  return (
    <section class="card" aria-labelledby="plan-draft-h">
      <h2 id="plan-draft-h">{t.planDraft}</h2>
      <p>{t.planDraftIntro}</p>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void action
            .run(
              () =>
                request(planSchema, '/plans', {
                  json: {
                    framework: props.framework,
                    period: props.period,
                    unit: props.unit,
                    peers: peers === '' ? undefined : peers,
                    campaign: campaign === '' ? undefined : campaign,
                    top: top === '' ? undefined : Number(top),
                  } satisfies PlanDraftRequest,
                }),
              t.planDrafted,
            )
            .then((ok) => ok && props.onDrafted());
        }}
      >
        <div class="field-row">
          <SelectField
            id="plan-peers"
            label={t.planPeers}
            help={t.planPeersHelp}
            value={peers}
            onValue={setPeers}
            path="peers"
            failure={action.error}
          >
            <option value="">{t.planPeersDefault}</option>
            <CodeOptions items={units.data ?? []} />
          </SelectField>
          <SelectField
            id="plan-campaign"
            label={t.planCampaign}
            help={t.planCampaignHelp}
            value={campaign}
            onValue={setCampaign}
            path="campaign"
            failure={action.error}
          >
            <option value="">{t.planNoCampaign}</option>
            <CodeOptions items={campaigns.data ?? []} />
          </SelectField>
          <TextField
            id="plan-top"
            label={t.planTopField}
            help={t.planTopHelp}
            type="number"
            min={1}
            step={1}
            class="narrow"
            value={top}
            onValue={setTop}
            path="top"
            failure={action.error}
          />
        </div>
        <div>
          <button type="submit" disabled={action.busy}>
            {t.planDraft}
          </button>
        </div>
        <ActionOutcome action={action} />
      </form>
    </section>
  );
}

export function PlanPage(props: Target & { me: Me }) {
  const { t } = useI18n();
  const { me, framework, period, unit } = props;
  const found = useResource(
    (signal) => request(planListSchema, '/plans', { query: { framework, period, unit }, signal }),
    [framework, period, unit],
  );
  const target = { framework, period, unit };
  return (
    <>
      <PageTitle sub={t.planOf(framework, period)}>{t.planTitle(unit)}</PageTitle>
      <ul class="inline-list plan-links">
        <li>
          <Link to={{ page: 'plan-sheet', ...target, peers: '', campaign: '', top: '' }}>
            {t.planSheetLink}
          </Link>
        </li>
        <li>
          <Link to={{ page: 'plan-roll-up', ...target }}>{t.planRollUpLink(unit)}</Link>
        </li>
        <li>
          <Link to={{ page: 'plans', ...target }}>{t.planChooseOther}</Link>
        </li>
      </ul>
      <Loaded resource={found}>
        {(data) => {
          const id = data.plans[0]?.id;
          if (id !== undefined) return <StoredPlan key={id} me={me} id={id} />;
          const mayDraft = can.writePlans(me.role) && (me.role !== 'unit' || me.unit === unit);
          if (!mayDraft) return <p data-no-plan>{t.planNone}</p>;
          return <DraftForm {...target} onDrafted={found.reload} />;
        }}
      </Loaded>
    </>
  );
}

function StoredPlan(props: { me: Me; id: number }) {
  const plan = useResource(
    (signal) => request(planSchema, `/plans/${props.id}`, { signal }),
    [props.id],
  );
  return <Loaded resource={plan}>{(data) => <PlanView me={props.me} plan={data} />}</Loaded>;
}
