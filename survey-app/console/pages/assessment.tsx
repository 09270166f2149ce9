// One unit's PAR self-assessment (par-cycle.md §2): the framework's tree with each node's maximum
// and guidance; for the unit, each `assessment` leaf's self-score, explanation, document
// references, not-applicable mark and evidence files, saved leaf by leaf, then the submission;
// for the appraiser of the current stage, the unit's work beside the appraised score, the reason
// and a comment to return the leaf, then the return or the end of the stage.
import { useState } from 'preact/hooks';
import type { FieldError } from '../../../api/contract.ts';
import { ApiError, request, send } from '../api.ts';
import {
  ActionOutcome,
  Link,
  Loaded,
  PageTitle,
  useAction,
  useResource,
  StoredFiles,
} from '../components/common.tsx';
import { TextAreaField, TextField } from '../components/fields.tsx';
import { formatDay, formatFor, formatInstant } from '../format.ts';
import { useI18n } from '../i18n.ts';
import {
  assessmentSchema,
  nodeSourceSchema,
  type Assessment,
  type AssessmentLeaf,
  type DocumentRef,
  type Evidence,
} from '../schemas.ts';

type Node = Assessment['nodes'][number];

interface Target {
  framework: string;
  period: string;
  unit: string;
}

const pathOf = (target: Target) =>
  `/assessments/${[target.framework, target.period, target.unit].map(encodeURIComponent).join('/')}`;

const EMPTY_LEAF: AssessmentLeaf = {
  selfScore: null,
  explanation: null,
  documentRefs: [],
  notApplicable: false,
  notApplicableReason: null,
  notApplicableAccepted: null,
  appraisedScore: null,
  appraisalReason: null,
  returned: false,
  returnComment: null,
  evidence: [],
};

/** Scores go in quarters of a point where the maximum allows it (most decisions' steps). */
const stepFor = (max: number) => (Number.isInteger(max * 4) ? 0.25 : 0.01);

const isAssessed = (node: Node) => node.source === 'assessment' && node.applicable;

const depthOf = (code: string) => code.split('.').length;

/** A document reference's fields, in the order a decision cites them, with their labels. */
const REF_FIELDS = [
  ['number', 'documentNumber'],
  ['date', 'documentDate'],
  ['issuer', 'documentIssuer'],
] as const satisfies readonly (readonly [keyof DocumentRef, string])[];

const blankToNull = (value: string) => (value.trim() === '' ? null : value.trim());

export function StateBadge(props: { state: Assessment['state'] | 'not-started' }) {
  const { t } = useI18n();
  const warn = props.state === 'returned' || props.state === 'not-started';
  const ok = props.state === 'appraised' || props.state === 'published';
  return (
    <span class={`badge${warn ? ' badge-warn' : ok ? ' badge-ok' : ''}`} data-state={props.state}>
      {t.assessmentState[props.state]}
    </span>
  );
}

function EvidenceList(props: { files: Evidence[]; onRemove?: (file: Evidence) => void }) {
  const { t, lang } = useI18n();
  if (props.files.length === 0) return <p class="muted">{t.noEvidence}</p>;
  return (
    <StoredFiles
      files={props.files}
      mark="evidence"
      describe={(file) => ({
        id: file.id,
        name: file.fileName,
        size: file.size,
        href: `/api/v1/evidence/${file.id}`,
        note: formatInstant(lang, file.uploadedAt),
      })}
      onRemove={props.onRemove}
    />
  );
}

function DocumentRefs(props: { refs: DocumentRef[] }) {
  const { t } = useI18n();
  if (props.refs.length === 0) return null;
  return (
    <ul class="document-refs">
      {props.refs.map((ref, i) => (
        // A reference has no identity of its own but its place in the list.
        <li key={i}>{t.documentRef(ref.number, ref.date, ref.issuer)}</li>
      ))}
    </ul>
  );
}

/** What the unit gave for a leaf, read only (the appraiser's side, and every other reader's). */
function UnitWork(props: { node: Node; leaf: AssessmentLeaf }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { leaf, node } = props;
  return (
    <dl class="leaf-facts">
      <dt>{t.selfScore}</dt>
      <dd data-self-score>
        {leaf.notApplicable
          ? t.notApplicableMarked
          : leaf.selfScore === null
            ? t.notScored
            : t.pointsOfMax(f.fixed(leaf.selfScore), f.fixed(node.max))}
      </dd>
      {leaf.notApplicable ? (
        <>
          <dt>{t.notApplicableReason}</dt>
          <dd>{leaf.notApplicableReason ?? '—'}</dd>
        </>
      ) : null}
      <dt>{t.explanation}</dt>
      <dd>{leaf.explanation ?? '—'}</dd>
      <dt>{t.documentRefs}</dt>
      <dd>{leaf.documentRefs.length === 0 ? '—' : <DocumentRefs refs={leaf.documentRefs} />}</dd>
      <dt>{t.evidence}</dt>
      <dd>
        <EvidenceList files={leaf.evidence} />
      </dd>
      {leaf.appraisedScore !== null ? (
        <>
          <dt>{t.appraisedScore}</dt>
          <dd data-appraised-score>
            {t.pointsOfMax(f.fixed(leaf.appraisedScore), f.fixed(node.max))}
            {leaf.appraisalReason ? ` (${leaf.appraisalReason})` : ''}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The unit's form for one leaf: saved on its own, evidence sent as soon as it is chosen. */
function LeafEditor(props: {
  base: string;
  node: Node;
  leaf: AssessmentLeaf;
  /** What a refused submission said of this leaf's fields, by field. */
  problems: FieldError[];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { node, leaf, base } = props;
  const id = `leaf-${node.code}`;
  const [score, setScore] = useState(leaf.selfScore === null ? '' : String(leaf.selfScore));
  const [explanation, setExplanation] = useState(leaf.explanation ?? '');
  const [refs, setRefs] = useState<DocumentRef[]>(leaf.documentRefs);
  const [notApplicable, setNotApplicable] = useState(leaf.notApplicable);
  const [reason, setReason] = useState(leaf.notApplicableReason ?? '');
  const save = useAction();
  const problem = (field: string) =>
    props.problems
      .filter((e) => e.path === `leaves.${node.code}.${field}`)
      .map((e) => e.message)
      .join('; ') || undefined;
  const files = useAction();
  const leafPath = `${base}/leaves/${encodeURIComponent(node.code)}`;
  const setRef = (i: number, key: keyof DocumentRef) => (value: string) =>
    setRefs(refs.map((ref, j) => (i === j ? { ...ref, [key]: value } : ref)));
  const upload = (file: File) =>
    void files
      .run(
        () => send(`${leafPath}/evidence`, { file, query: { name: file.name } }),
        t.evidenceUploaded(file.name),
      )
      .then((ok) => ok && props.onSaved());
  const remove = (file: Evidence) =>
    void files
      .run(
        () => send(`/evidence/${file.id}`, { method: 'DELETE' }),
        t.evidenceRemoved(file.fileName),
      )
      .then((ok) => ok && props.onSaved());
  return (
    <div class="stack">
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void save
            .run(
              () =>
                send(leafPath, {
                  method: 'PUT',
                  json: {
                    selfScore: notApplicable || score === '' ? null : Number(score),
                    explanation: blankToNull(explanation),
                    documentRefs: refs.filter((ref) => ref.number.trim() !== ''),
                    notApplicable,
                    notApplicableReason: notApplicable ? blankToNull(reason) : null,
                  },
                }),
              t.leafSaved(node.code),
            )
            .then((ok) => ok && props.onSaved());
        }}
      >
        <div class="field-row">
          <TextField
            id={`${id}-score`}
            label={t.selfScoreOf(node.max)}
            type="number"
            class="narrow"
            min={0}
            max={String(node.max)}
            step={stepFor(node.max)}
            disabled={notApplicable}
            value={score}
            onValue={setScore}
            path="selfScore"
            failure={save.error}
            error={problem('selfScore')}
          />
        </div>
        <TextAreaField
          id={`${id}-explanation`}
          label={t.explanation}
          help={t.explanationHelp}
          value={explanation}
          onValue={setExplanation}
          path="explanation"
          failure={save.error}
          error={problem('explanation')}
        />
        <fieldset>
          <legend>{t.documentRefs}</legend>
          {refs.map((ref, i) => (
            // A reference being typed has no identity but its place in the list.
            <div class="field-row" key={i}>
              {REF_FIELDS.map(([key, label]) => (
                <TextField
                  key={key}
                  id={`${id}-ref-${i}-${key}`}
                  label={t[label]}
                  {...(key === 'date' ? ({ type: 'date' } as const) : {})}
                  value={ref[key]}
                  onValue={setRef(i, key)}
                  path={`documentRefs.${i}.${key}`}
                  failure={save.error}
                />
              ))}
              <button
                type="button"
                class="secondary"
                onClick={() => setRefs(refs.filter((_, j) => j !== i))}
              >
                {t.removeDocumentRef}
              </button>
            </div>
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => setRefs([...refs, { number: '', date: '', issuer: '' }])}
          >
            {t.addDocumentRef}
          </button>
        </fieldset>
        <div class="check">
          <input
            type="checkbox"
            id={`${id}-na`}
            checked={notApplicable}
            onChange={(e) => setNotApplicable(e.currentTarget.checked)}
          />
          <label for={`${id}-na`}>{t.markNotApplicable}</label>
        </div>
        {notApplicable ? (
          <TextAreaField
            id={`${id}-na-reason`}
            label={t.notApplicableReason}
            required
            value={reason}
            onValue={setReason}
            path="notApplicableReason"
            failure={save.error}
          />
        ) : null}
        <div>
          <button type="submit" disabled={save.busy}>
            {t.saveLeaf(node.code)}
          </button>
        </div>
        <ActionOutcome action={save} />
      </form>
      <fieldset>
        <legend>{t.evidence}</legend>
        <EvidenceList files={leaf.evidence} onRemove={remove} />
        <div class="field">
          <label for={`${id}-file`}>{t.addEvidence}</label>
          <input
            type="file"
            id={`${id}-file`}
            accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"
            aria-describedby={`${id}-file-help`}
            disabled={files.busy}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) upload(file);
            }}
          />
          <p id={`${id}-file-help`} class="help">
            {t.evidenceHelp}
          </p>
        </div>
        <ActionOutcome action={files} />
      </fieldset>
    </div>
  );
}

/** The appraiser's form for one leaf, beside the unit's work; the return comment is the page's. */
function LeafAppraisal(props: {
  base: string;
  node: Node;
  leaf: AssessmentLeaf;
  returnComment: string;
  onReturnComment: (comment: string) => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { node, leaf, base } = props;
  const id = `leaf-${node.code}`;
  const [score, setScore] = useState(
    leaf.appraisedScore === null ? '' : String(leaf.appraisedScore),
  );
  const [reason, setReason] = useState(leaf.appraisalReason ?? '');
  const [accepted, setAccepted] = useState(leaf.notApplicableAccepted ?? true);
  const save = useAction();
  const acceptsNotApplicable = leaf.notApplicable && accepted;
  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void save
          .run(
            () =>
              send(`${base}/leaves/${encodeURIComponent(node.code)}/appraisal`, {
                method: 'PUT',
                json: {
                  score: acceptsNotApplicable || score === '' ? null : Number(score),
                  reason: blankToNull(reason),
                  ...(leaf.notApplicable ? { notApplicableAccepted: accepted } : {}),
                },
              }),
            t.appraisalSaved(node.code),
          )
          .then((ok) => ok && props.onSaved());
      }}
    >
      {leaf.notApplicable ? (
        <div class="check">
          <input
            type="checkbox"
            id={`${id}-na-accepted`}
            checked={accepted}
            onChange={(e) => setAccepted(e.currentTarget.checked)}
          />
          <label for={`${id}-na-accepted`}>{t.acceptNotApplicable}</label>
        </div>
      ) : null}
      {acceptsNotApplicable ? null : (
        <TextField
          id={`${id}-appraised`}
          label={t.appraisedScoreOf(node.max)}
          type="number"
          class="narrow"
          min={0}
          max={String(node.max)}
          step={stepFor(node.max)}
          required
          value={score}
          onValue={setScore}
          path="score"
          failure={save.error}
        />
      )}
      <TextAreaField
        id={`${id}-reason`}
        label={t.appraisalReason}
        help={t.appraisalReasonHelp}
        value={reason}
        onValue={setReason}
        path="reason"
        failure={save.error}
      />
      <div>
        <button type="submit" disabled={save.busy}>
          {t.saveAppraisal(node.code)}
        </button>
      </div>
      <ActionOutcome action={save} />
      <TextAreaField
        id={`${id}-return`}
        label={t.returnComment}
        help={t.returnCommentHelp}
        value={props.returnComment}
        onValue={props.onReturnComment}
      />
    </form>
  );
}

function NodeHeading(props: { node: Node }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { node } = props;
  const depth = depthOf(node.code);
  const content = (
    <>
      <span class="code">{node.code}</span> {node.name}{' '}
      <span class="muted">{t.maxOf(f.fixed(node.max))}</span>
    </>
  );
  // Fields are h2 under the page's h1, criteria h3, anything deeper h4.
  if (depth === 1) return <h2 id={`node-${node.code}`}>{content}</h2>;
  if (depth === 2) return <h3 id={`node-${node.code}`}>{content}</h3>;
  return <h4 id={`node-${node.code}`}>{content}</h4>;
}

function LeafCard(props: {
  base: string;
  assessment: Assessment;
  node: Node;
  problems: FieldError[];
  returnComment: string;
  onReturnComment: (comment: string) => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { node, assessment } = props;
  const leaf = assessment.leaves[node.code] ?? EMPTY_LEAF;
  const assessed = isAssessed(node);
  const known = nodeSourceSchema.safeParse(node.source);
  const source = known.success ? known.data : null;
  return (
    <section
      class={`card leaf${leaf.returned ? ' leaf-returned' : ''}`}
      aria-labelledby={`node-${node.code}`}
      data-leaf={node.code}
    >
      <NodeHeading node={node} />
      {node.guidance ? (
        <p class="guidance">
          <span class="rule-label">{t.guidance}</span> {node.guidance}
        </p>
      ) : null}
      {!node.applicable ? (
        <p class="muted">{t.leafNotForType}</p>
      ) : source && source !== 'assessment' ? (
        <p class="muted">{t.leafFromSource(t.sourceName(source))}</p>
      ) : null}
      {assessed && leaf.returned ? (
        <div class="note note-error" data-returned>
          <p>
            <strong>{t.leafReturned}</strong> {leaf.returnComment ?? ''}
          </p>
        </div>
      ) : null}
      {!assessed ? null : assessment.may.edit ? (
        <LeafEditor
          base={props.base}
          node={node}
          leaf={leaf}
          problems={props.problems}
          onSaved={props.onSaved}
        />
      ) : assessment.may.appraise ? (
        <div class="appraisal-split">
          <div>
            <p class="side-head">
              <strong>{t.unitSide}</strong>
            </p>
            <UnitWork node={node} leaf={leaf} />
          </div>
          <div>
            <p class="side-head">
              <strong>{t.appraiserSide}</strong>
            </p>
            <LeafAppraisal
              base={props.base}
              node={node}
              leaf={leaf}
              returnComment={props.returnComment}
              onReturnComment={props.onReturnComment}
              onSaved={props.onSaved}
            />
          </div>
        </div>
      ) : (
        <UnitWork node={node} leaf={leaf} />
      )}
    </section>
  );
}

/** The state, the deadline, the progress and the actions on the whole assessment. */
function AssessmentHead(props: {
  base: string;
  assessment: Assessment;
  returns: { node: string; comment: string }[];
  onDone: () => void;
  /** A refused move: its field errors go beside the leaves' fields they name. */
  onRefused: (errors: FieldError[]) => void;
}) {
  const { t, lang } = useI18n();
  const { assessment } = props;
  const action = useAction();
  const [wholeComment, setWholeComment] = useState('');
  const assessed = assessment.nodes.filter(isAssessed);
  const appraised = assessed.filter(
    (node) => assessment.leaves[node.code]?.appraisedScore != null,
  ).length;
  const post = (what: string, done: string, json?: unknown) =>
    void action
      .run(
        () =>
          send(`${props.base}/${what}`, { method: 'POST', json: json ?? {} }).catch(
            (error: unknown) => {
              props.onRefused(error instanceof ApiError ? error.errors : []);
              throw error;
            },
          ),
        done,
      )
      .then((ok) => ok && props.onDone());
  return (
    <section class="card" aria-labelledby="assessment-state-h">
      <h2 id="assessment-state-h">{t.assessmentStatus}</h2>
      <dl class="facts">
        <div>
          <dt>{t.stateLabel}</dt>
          <dd>
            <StateBadge state={assessment.state} />
          </dd>
        </div>
        {assessment.stageName ? (
          <div>
            <dt>{t.stageLabel}</dt>
            <dd>{t.stageName[assessment.stageName]}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t.deadline}</dt>
          <dd>
            {formatDay(lang, assessment.deadline)}
            {assessment.late ? <span class="badge badge-warn"> {t.late}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t.progressLabel}</dt>
          <dd data-progress>
            {t.scoredOf(assessment.progress.scored, assessment.progress.leaves)}
            <progress
              value={assessment.progress.scored}
              max={Math.max(assessment.progress.leaves, 1)}
              aria-hidden="true"
            />
          </dd>
        </div>
        {assessment.may.appraise ? (
          <div>
            <dt>{t.appraisedProgress}</dt>
            <dd data-appraised>{t.appraisedOf(appraised, assessed.length)}</dd>
          </div>
        ) : null}
      </dl>
      <div class="button-list">
        {assessment.may.submit ? (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              post('submit', assessment.state === 'returned' ? t.resubmitted : t.submitted)
            }
          >
            {assessment.state === 'returned' ? t.resubmit : t.submit}
          </button>
        ) : null}
        {assessment.may.reopen ? (
          <button
            type="button"
            class="secondary"
            disabled={action.busy}
            onClick={() => post('reopen', t.reopened)}
          >
            {t.reopen}
          </button>
        ) : null}
      </div>
      {assessment.may.appraise ? (
        <div class="stack">
          <p class="help">{t.returnHelp}</p>
          <div class="button-list">
            <button
              type="button"
              class="secondary"
              disabled={action.busy || props.returns.length === 0}
              onClick={() =>
                post('return', t.returnedLeaves(props.returns.length), { leaves: props.returns })
              }
            >
              {t.returnLeaves(props.returns.length)}
            </button>
            <button
              type="button"
              disabled={action.busy || appraised < assessed.length}
              onClick={() => post('appraise', t.stageFinished)}
            >
              {t.finishStage}
            </button>
          </div>
          <TextAreaField
            id="return-whole"
            label={t.returnWholeComment}
            value={wholeComment}
            onValue={setWholeComment}
          />
          <div>
            <button
              type="button"
              class="secondary danger"
              disabled={action.busy || wholeComment.trim() === ''}
              onClick={() => post('return', t.returnedWhole, { comment: wholeComment.trim() })}
            >
              {t.returnWhole}
            </button>
          </div>
        </div>
      ) : null}
      <ActionOutcome action={action} />
    </section>
  );
}

function AssessmentView(props: { base: string; assessment: Assessment; reload: () => void }) {
  const { assessment } = props;
  const [returns, setReturns] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<FieldError[]>([]);
  const leafCodes = new Set(
    assessment.nodes
      .filter((node) => !assessment.nodes.some((n) => n.code.startsWith(`${node.code}.`)))
      .map((node) => node.code),
  );
  const pending = Object.entries(returns)
    .filter(([, comment]) => comment.trim() !== '')
    .map(([node, comment]) => ({ node, comment: comment.trim() }));
  return (
    <>
      <AssessmentHead
        base={props.base}
        assessment={assessment}
        returns={pending}
        onDone={() => {
          setReturns({});
          setProblems([]);
          props.reload();
        }}
        onRefused={setProblems}
      />
      {assessment.nodes.map((node) =>
        leafCodes.has(node.code) ? (
          <LeafCard
            key={node.code}
            base={props.base}
            assessment={assessment}
            node={node}
            problems={problems}
            returnComment={returns[node.code] ?? ''}
            onReturnComment={(comment) => setReturns({ ...returns, [node.code]: comment })}
            onSaved={() => {
              // A leaf saved again answers for itself: its old refusals go until the next move.
              setProblems((all) => all.filter((e) => !e.path.startsWith(`leaves.${node.code}.`)));
              props.reload();
            }}
          />
        ) : (
          <div key={node.code} class="node-head">
            <NodeHeading node={node} />
            {node.guidance ? <p class="guidance">{node.guidance}</p> : null}
          </div>
        ),
      )}
    </>
  );
}

export function AssessmentPage(props: Target) {
  const { t } = useI18n();
  const base = pathOf(props);
  const assessment = useResource((signal) => request(assessmentSchema, base, { signal }), [base]);
  return (
    <>
      <PageTitle sub={assessment.data?.unitName}>
        {t.assessmentTitle(props.unit, props.framework, props.period)}
      </PageTitle>
      <p>
        <Link to={{ page: 'assessments', framework: props.framework, period: props.period }}>
          {t.backToOverview}
        </Link>
      </p>
      <Loaded resource={assessment}>
        {(data) => <AssessmentView base={base} assessment={data} reload={assessment.reload} />}
      </Loaded>
    </>
  );
}
