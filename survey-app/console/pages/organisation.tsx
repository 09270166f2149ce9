// The organisation within the account's reach: the unit tree with its counters; adding,
// renaming and moving units and counters; issuing and revoking a counter's QR token; and the
// unit's printable QR sheet.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CounterChange, NewCounter, NewUnit, UnitChange } from '../../../api/contract.ts';
import { NAME_MAX } from '../../../shared/rules.ts';
import { request, send } from '../api.ts';
import {
  ActionOutcome,
  ErrorNote,
  Link,
  Loaded,
  PageTitle,
  Table,
  useAction,
  useResource,
  type Action,
} from '../components/common.tsx';
import { CodeField, CodeOptions, NameField, SelectField } from '../components/fields.tsx';
import { useI18n } from '../i18n.ts';
import {
  counterSchema,
  issuedTokenSchema,
  list,
  unitSchema,
  type Counter,
  type IssuedToken,
  type Me,
  type Unit,
} from '../schemas.ts';
import { openQrSheet, QrImage } from './qr.tsx';

interface Tree {
  roots: Unit[];
  children: Map<string, Unit[]>;
  byCode: Map<string, Unit>;
}

function treeOf(units: Unit[]): Tree {
  const byCode = new Map(units.map((unit) => [unit.code, unit]));
  const children = new Map<string, Unit[]>();
  const roots: Unit[] = [];
  for (const unit of [...units].sort((a, b) => a.code.localeCompare(b.code))) {
    // A scoped account sees its own unit as a root, its parent being out of reach.
    if (unit.parent === null || !byCode.has(unit.parent)) roots.push(unit);
    else children.set(unit.parent, [...(children.get(unit.parent) ?? []), unit]);
  }
  return { roots, children, byCode };
}

/** The unit and every unit under it: a unit cannot move under one of these. */
function subtreeOf(tree: Tree, code: string): Set<string> {
  const found = new Set<string>([code]);
  const visit = (c: string) => {
    for (const child of tree.children.get(c) ?? []) {
      found.add(child.code);
      visit(child.code);
    }
  };
  visit(code);
  return found;
}

function UnitTree(props: {
  tree: Tree;
  counters: Counter[];
  selected: string | null;
  onSelect: (code: string) => void;
}) {
  const { t } = useI18n();
  const counts = new Map<string, number>();
  for (const counter of props.counters)
    counts.set(counter.unit, (counts.get(counter.unit) ?? 0) + 1);
  const branch = (units: Unit[]) => (
    <ul>
      {units.map((unit) => (
        <li key={unit.code}>
          <button
            type="button"
            class="tree-node"
            aria-current={props.selected === unit.code ? 'true' : undefined}
            onClick={() => props.onSelect(unit.code)}
          >
            <span class="code">{unit.code}</span> {unit.name}{' '}
            <span class="muted">({t.counterCount(counts.get(unit.code) ?? 0)})</span>
          </button>
          {props.tree.children.has(unit.code)
            ? branch(props.tree.children.get(unit.code) ?? [])
            : null}
        </li>
      ))}
    </ul>
  );
  return <div class="tree">{branch(props.tree.roots)}</div>;
}

function UnitForm(props: { unit: Unit; tree: Tree; me: Me; action: Action; onDone: () => void }) {
  const { t } = useI18n();
  const { unit, tree } = props;
  const [name, setName] = useState(unit.name);
  const [parent, setParent] = useState(unit.parent ?? '');
  useEffect(() => {
    setName(unit.name);
    setParent(unit.parent ?? '');
  }, [unit]);
  const excluded = subtreeOf(tree, unit.code);
  const parents = [...tree.byCode.values()].filter((u) => !excluded.has(u.code));
  const isScopeRoot = props.me.unit === unit.code;
  const save = async (event: Event) => {
    event.preventDefault();
    const ok = await props.action.run(
      () =>
        send(`/units/${encodeURIComponent(unit.code)}`, {
          method: 'PATCH',
          json: { name: name.trim(), parent: parent === '' ? null : parent } satisfies UnitChange,
        }),
      t.unitSaved(unit.code),
    );
    if (ok) props.onDone();
  };
  return (
    <form class="stack" onSubmit={save} aria-labelledby="unit-form-h">
      <h3 id="unit-form-h">{t.renameMoveUnit}</h3>
      <NameField id="unit-name" label={t.name} required value={name} onValue={setName} />
      <SelectField
        id="unit-parent"
        label={t.parentUnit}
        help={isScopeRoot ? t.scopeRootFixed : undefined}
        disabled={isScopeRoot}
        value={parent}
        onValue={setParent}
      >
        {props.me.role === 'admin' ? <option value="">{t.noParent}</option> : null}
        {unit.parent !== null && !tree.byCode.has(unit.parent) ? (
          <option value={unit.parent}>{unit.parent}</option>
        ) : null}
        <CodeOptions items={parents} />
      </SelectField>
      <button type="submit" disabled={props.action.busy}>
        {t.save}
      </button>
    </form>
  );
}

/**
 * A new unit or counter: the two share the form, its code and name, and its emptying once the
 * API has created it; `create` sends them where they belong.
 */
function NewCodeNameForm(props: {
  id: string;
  heading: string;
  labels: { code: string; name: string; submit: string };
  create: (fields: { code: string; name: string }) => Promise<unknown>;
  created: (code: string) => string;
  action: Action;
  onDone: () => void;
}) {
  const { id, labels } = props;
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const create = async (event: Event) => {
    event.preventDefault();
    const fields = { code: code.trim(), name: name.trim() };
    const ok = await props.action.run(() => props.create(fields), props.created(fields.code));
    if (ok) {
      setCode('');
      setName('');
      props.onDone();
    }
  };
  return (
    <form class="stack" onSubmit={create} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{props.heading}</h3>
      <div class="field-row">
        <CodeField id={`${id}-code`} label={labels.code} value={code} onValue={setCode} />
        <NameField id={`${id}-name`} label={labels.name} required value={name} onValue={setName} />
      </div>
      <button type="submit" disabled={props.action.busy}>
        {labels.submit}
      </button>
    </form>
  );
}

function NewUnitForm(props: { parent: string | null; action: Action; onDone: () => void }) {
  const { t } = useI18n();
  const { parent } = props;
  return (
    <NewCodeNameForm
      id={`new-unit-${parent ?? 'root'}`}
      heading={parent ? t.addSubUnit(parent) : t.addRootUnit}
      labels={{ code: t.code, name: t.name, submit: t.addUnit }}
      create={(fields) => send('/units', { json: { ...fields, parent } satisfies NewUnit })}
      created={t.unitCreated}
      action={props.action}
      onDone={props.onDone}
    />
  );
}

function NewCounterForm(props: { unit: string; action: Action; onDone: () => void }) {
  const { t } = useI18n();
  const { unit } = props;
  return (
    <NewCodeNameForm
      id="new-counter"
      heading={t.addCounterTo(unit)}
      labels={{ code: t.counterCode, name: t.counterName, submit: t.addCounter }}
      create={(fields) => send('/counters', { json: { ...fields, unit } satisfies NewCounter })}
      created={t.counterCreated}
      action={props.action}
      onDone={props.onDone}
    />
  );
}

type CounterMode =
  { kind: 'idle' } | { kind: 'edit' } | { kind: 'confirm-issue' } | { kind: 'confirm-revoke' };

function CounterRow(props: {
  counter: Counter;
  tree: Tree;
  action: Action;
  onDone: () => void;
  onIssued: (issued: IssuedToken) => void;
  onRevoked: (counter: string) => void;
}) {
  const { t } = useI18n();
  const { counter } = props;
  const [mode, setMode] = useState<CounterMode>({ kind: 'idle' });
  const [name, setName] = useState(counter.name);
  const [unit, setUnit] = useState(counter.unit);
  const path = `/counters/${encodeURIComponent(counter.code)}`;
  const finish = (ok: boolean) => {
    if (!ok) return;
    setMode({ kind: 'idle' });
    props.onDone();
  };
  const issue = async () => {
    let issued: IssuedToken | undefined;
    const ok = await props.action.run(async () => {
      issued = await request(issuedTokenSchema, `${path}/token`, { method: 'POST' });
    }, t.tokenIssued(counter.code));
    if (ok && issued) props.onIssued(issued);
    finish(ok);
  };
  const revoke = async () => {
    const ok = await props.action.run(
      () => send(`${path}/token`, { method: 'DELETE' }),
      t.tokenRevoked(counter.code),
    );
    if (ok) props.onRevoked(counter.code);
    finish(ok);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    finish(
      await props.action.run(
        () =>
          send(path, {
            method: 'PATCH',
            json: { name: name.trim(), unit } satisfies CounterChange,
          }),
        t.counterSaved(counter.code),
      ),
    );
  };
  const label = `${counter.code} ${counter.name}`;
  const choices: { next: CounterMode; text: string; label: string; danger?: boolean }[] = [
    { next: { kind: 'edit' }, text: t.edit, label: t.editLabel(label) },
    { next: { kind: 'confirm-issue' }, text: t.issueToken, label: t.issueLabel(label) },
  ];
  if (counter.hasToken) {
    choices.push({
      next: { kind: 'confirm-revoke' },
      text: t.revokeToken,
      label: t.revokeLabel(label),
      danger: true,
    });
  }
  return (
    <tr>
      <th scope="row">
        <span class="code">{counter.code}</span>
      </th>
      <td>
        {mode.kind === 'edit' ? (
          <form class="inline-form" onSubmit={save}>
            <label for={`name-${counter.code}`}>{t.counterName}</label>
            <input
              id={`name-${counter.code}`}
              required
              maxLength={NAME_MAX}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <label for={`unit-${counter.code}`}>{t.unit}</label>
            <select
              id={`unit-${counter.code}`}
              value={unit}
              onChange={(e) => setUnit(e.currentTarget.value)}
            >
              <CodeOptions items={[...props.tree.byCode.values()]} />
            </select>
            <button type="submit" disabled={props.action.busy}>
              {t.save}
            </button>
            <button type="button" class="secondary" onClick={() => setMode({ kind: 'idle' })}>
              {t.cancel}
            </button>
          </form>
        ) : (
          counter.name
        )}
      </td>
      <td>
        {counter.hasToken ? (
          <span class="badge badge-ok">{t.qrActive}</span>
        ) : (
          <span class="badge">{t.qrNone}</span>
        )}
      </td>
      <td class="actions">
        {mode.kind === 'idle'
          ? choices.map((choice) => (
              <button
                key={choice.next.kind}
                type="button"
                class={choice.danger ? 'secondary danger' : 'secondary'}
                aria-label={choice.label}
                onClick={() => setMode(choice.next)}
              >
                {choice.text}
              </button>
            ))
          : null}
        {mode.kind === 'confirm-issue' || mode.kind === 'confirm-revoke' ? (
          <div class="confirm" role="group" aria-label={label}>
            <p>
              {mode.kind === 'confirm-issue'
                ? t.confirmIssue(counter.code)
                : t.confirmRevoke(counter.code)}
            </p>
            <button
              type="button"
              class={mode.kind === 'confirm-revoke' ? 'danger' : ''}
              disabled={props.action.busy}
              onClick={mode.kind === 'confirm-issue' ? issue : revoke}
            >
              {mode.kind === 'confirm-issue' ? t.confirmIssueButton : t.confirmRevokeButton}
            </button>
            <button type="button" class="secondary" onClick={() => setMode({ kind: 'idle' })}>
              {t.cancel}
            </button>
          </div>
        ) : null}
      </td>
    </tr>
  );
}

function QrSheet(props: { unit: Unit; counters: number; onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const print = async () => {
    const ok = await action.run(() => openQrSheet(props.unit.code), t.qrSheetOpened);
    if (ok) {
      setConfirming(false);
      props.onDone();
    }
  };
  return (
    <section class="card" aria-labelledby="qr-sheet-h">
      <h3 id="qr-sheet-h">{t.qrSheetTitle}</h3>
      <p>{t.qrSheetHelp}</p>
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="qr-sheet-h">
          <p>{t.confirmQrSheet(props.unit.code, props.counters)}</p>
          <button type="button" disabled={action.busy} onClick={print}>
            {t.printQrSheet}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            {t.cancel}
          </button>
        </div>
      ) : (
        <button type="button" disabled={props.counters === 0} onClick={() => setConfirming(true)}>
          {t.qrSheetButton}
        </button>
      )}
      <ActionOutcome action={action} />
    </section>
  );
}

export function OrganisationPage(props: { me: Me }) {
  const { t } = useI18n();
  const units = useResource((signal) => request(list(unitSchema), '/units', { signal }), []);
  const counters = useResource(
    (signal) => request(list(counterSchema), '/counters', { signal }),
    [],
  );
  const [selected, setSelected] = useState<string | null>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const action = useAction();
  const tree = useMemo(() => treeOf(units.data ?? []), [units.data]);
  useEffect(() => {
    if (selected === null && tree.roots[0]) setSelected(tree.roots[0].code);
  }, [tree, selected]);
  const reload = () => {
    units.reload();
    counters.reload();
  };
  const unit = selected === null ? undefined : tree.byCode.get(selected);
  const unitCounters = (counters.data ?? []).filter((c) => c.unit === selected);

  return (
    <>
      <PageTitle sub={props.me.unit ? t.scopeNote(props.me.unit) : undefined}>
        {t.organisationTitle}
      </PageTitle>
      <ActionOutcome action={action} />
      <Loaded resource={units}>
        {() => (
          <div class="split">
            <section aria-labelledby="tree-h" class="split-side">
              <h2 id="tree-h">{t.unitTree}</h2>
              {tree.roots.length === 0 ? <p>{t.noUnits}</p> : null}
              <UnitTree
                tree={tree}
                counters={counters.data ?? []}
                selected={selected}
                onSelect={(code) => {
                  setSelected(code);
                  setIssued(null);
                  action.clear();
                }}
              />
              {props.me.role === 'admin' ? (
                <NewUnitForm parent={null} action={action} onDone={reload} />
              ) : null}
            </section>
            {unit ? (
              <section aria-labelledby="unit-h" class="split-main">
                <h2 id="unit-h">
                  <span class="code">{unit.code}</span> {unit.name}
                </h2>
                <p>
                  <Link to={{ page: 'unit-history', code: unit.code }}>{t.unitHistoryLink}</Link>
                </p>
                <h3 id="counters-h">{t.countersOf(unit.code)}</h3>
                {counters.error !== undefined ? <ErrorNote error={counters.error} /> : null}
                {unitCounters.length === 0 ? (
                  <p>{t.noCounters}</p>
                ) : (
                  <Table
                    label={t.countersOf(unit.code)}
                    columns={[t.code, t.name, t.qrCode, t.actions]}
                  >
                    <tbody>
                      {unitCounters.map((counter) => (
                        <CounterRow
                          key={counter.code}
                          counter={counter}
                          tree={tree}
                          action={action}
                          onDone={reload}
                          onIssued={setIssued}
                          // A QR code on screen for a revoked token would only mislead.
                          onRevoked={(code) => setIssued((i) => (i?.counter === code ? null : i))}
                        />
                      ))}
                    </tbody>
                  </Table>
                )}
                {issued ? (
                  <IssuedTokenCard issued={issued} onClose={() => setIssued(null)} />
                ) : null}
                <QrSheet unit={unit} counters={unitCounters.length} onDone={counters.reload} />
                <div class="cards">
                  <div class="card">
                    <NewCounterForm unit={unit.code} action={action} onDone={counters.reload} />
                  </div>
                  <div class="card">
                    <UnitForm
                      unit={unit}
                      tree={tree}
                      me={props.me}
                      action={action}
                      onDone={units.reload}
                    />
                  </div>
                  <div class="card">
                    <NewUnitForm parent={unit.code} action={action} onDone={units.reload} />
                  </div>
                </div>
              </section>
            ) : null}
          </div>
        )}
      </Loaded>
    </>
  );
}

function IssuedTokenCard(props: { issued: IssuedToken; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <section class="card issued" aria-labelledby="issued-h">
      <h3 id="issued-h">{t.issuedTitle(props.issued.counter)}</h3>
      <p>{t.issuedHelp}</p>
      <p>
        <a href={props.issued.url} target="_blank" rel="noopener noreferrer">
          {props.issued.url}
        </a>
      </p>
      <QrImage counter={props.issued.counter} token={props.issued.token} />
      <p>
        {t.shortCodeHelp(`${new URL(props.issued.url).origin}/c`)}{' '}
        <strong class="short-code">{props.issued.code}</strong>
      </p>
      <p>{t.kioskHelp}</p>
      <p>
        <a href={`${props.issued.url}/kiosk`} target="_blank" rel="noopener noreferrer">
          {`${props.issued.url}/kiosk`}
        </a>
      </p>
      <button type="button" class="secondary" onClick={props.onClose}>
        {t.close}
      </button>
    </section>
  );
}
