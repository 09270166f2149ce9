// A reorganisation of the units (docs/organisation.md): a date and up to three files, first
// previewed (every unit ended, created or re-parented, every counter moved, the open campaigns
// and peer groups touched), then applied. Files with problems are refused whole, each problem
// on its line and column, and nothing is stored. An admin's.
import { useEffect, useState } from 'preact/hooks';
import type { FieldError } from '../../../api/contract.ts';
import { ApiError, request } from '../api.ts';
import { ErrorNote, PageTitle, Table } from '../components/common.tsx';
import { FileField, TextField } from '../components/fields.tsx';
import { formatFor } from '../format.ts';
import { useI18n } from '../i18n.ts';
import {
  appliedReorganisationSchema,
  reorganisationPreviewSchema,
  type ReorganisationPreview,
} from '../schemas.ts';
import { RefusedNote } from './import.tsx';

type Outcome =
  | { kind: 'previewed'; preview: ReorganisationPreview }
  | { kind: 'applied'; preview: ReorganisationPreview; id: number }
  | { kind: 'refused'; detail: string; problems: FieldError[] }
  | { kind: 'failed'; error: unknown };

interface Files {
  reorganisation: File | null;
  counterMoves: File | null;
  transfers: File | null;
}

const named = (unit: { code: string; name: string }) => `${unit.code} ${unit.name}`;

function Changes(props: { preview: ReorganisationPreview }) {
  const { t } = useI18n();
  const { preview } = props;
  return (
    <>
      <h3>{t.changesTitle}</h3>
      <Table
        label={t.changesTitle}
        columns={[t.changeCol, t.fromCol, t.toCol]}
        data-table="changes"
      >
        <tbody>
          {preview.changes.map((change, i) => {
            const [from, to] =
              change.kind === 'end'
                ? [named(change.unit), '—']
                : change.kind === 'transfer'
                  ? [
                      `${named(change.unit)}: ${change.from ? named(change.from) : t.rootUnit}`,
                      change.to ? named(change.to) : t.rootUnit,
                    ]
                  : [
                      change.predecessors.map(named).join(', '),
                      change.successors
                        .map((unit) => `${named(unit)}${unit.created ? ` ${t.newMark}` : ''}`)
                        .join(', ') +
                        change.edges
                          .filter((edge) => edge.share !== 1)
                          .map((edge) => `; ${edge.predecessor} → ${edge.successor} ${edge.share}`)
                          .join(''),
                    ];
            return (
              <tr key={i} data-kind={change.kind}>
                <th scope="row">{t.changeKind[change.kind]}</th>
                <td>{from}</td>
                <td>{to}</td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {preview.created.length > 0 ? (
        <>
          <h3>{t.createdTitle}</h3>
          <Table
            label={t.createdTitle}
            columns={[t.unitsCol, t.unitType, t.parentCol, t.predecessorsCol]}
            data-table="created"
          >
            <tbody>
              {preview.created.map((unit) => (
                <tr key={unit.code}>
                  <th scope="row">{named(unit)}</th>
                  <td>{unit.type}</td>
                  <td>{unit.parent ? named(unit.parent) : t.rootUnit}</td>
                  <td>{unit.predecessors.map((p) => p.code).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
      {preview.counterMoves.length > 0 ? (
        <>
          <h3>{t.counterMovesTitle}</h3>
          <Table
            label={t.counterMovesTitle}
            columns={[t.counterCol, t.fromCol, t.toCol]}
            data-table="counter-moves"
          >
            <tbody>
              {preview.counterMoves.map((move) => (
                <tr key={move.counter}>
                  <th scope="row">
                    {move.counter}
                    {move.openCampaign ? ` (${t.openCampaignMark})` : ''}
                  </th>
                  <td>{named(move.from)}</td>
                  <td>{named(move.to)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
      {preview.campaigns.length > 0 ? (
        <>
          <h3>{t.campaignsTouched}</h3>
          <Table
            label={t.campaignsTouched}
            columns={[t.navCampaigns, t.counterCol]}
            data-table="campaigns"
          >
            <tbody>
              {preview.campaigns.map((campaign) => (
                <tr key={campaign.code}>
                  <th scope="row">{named(campaign)}</th>
                  <td>{campaign.counters.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
      {preview.peerGroups.length > 0 ? (
        <>
          <h3>{t.peerGroupsTouched}</h3>
          <Table
            label={t.peerGroupsTouched}
            columns={[t.peerGroupsTouched, t.periodCol, t.unitsCol]}
            data-table="peer-groups"
          >
            <tbody>
              {preview.peerGroups.map((group) => (
                <tr key={`${group.name}/${group.period}`}>
                  <th scope="row">{group.name}</th>
                  <td>{group.period}</td>
                  <td>{group.units.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
    </>
  );
}

function Report(props: { outcome: Outcome; busy: boolean; onApply: () => void }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { outcome } = props;
  switch (outcome.kind) {
    case 'failed':
      return <ErrorNote error={outcome.error} />;
    case 'refused':
      return (
        <RefusedNote
          title={t.reorganisationRefused(outcome.problems.length)}
          nothingStored={t.reorganisationNothingStored}
          detail={outcome.detail}
          problems={outcome.problems}
        />
      );
    case 'previewed':
    case 'applied': {
      const { preview } = outcome;
      const before = f.count(preview.units.before);
      const after = f.count(preview.units.after);
      return (
        <div class={`note ${outcome.kind === 'applied' ? 'note-ok' : ''}`}>
          <h2 id="report-h" tabIndex={-1}>
            {outcome.kind === 'applied'
              ? t.reorganisationApplied(outcome.id, preview.on, before, after)
              : t.reorganisationPreviewed(preview.on, before, after)}
          </h2>
          <Changes preview={preview} />
          {outcome.kind === 'previewed' ? (
            <button type="button" disabled={props.busy} onClick={props.onApply}>
              {t.applyReorganisation}
            </button>
          ) : null}
        </div>
      );
    }
  }
}

export function ReorganisationPage() {
  const { t } = useI18n();
  const [on, setOn] = useState('');
  const [files, setFiles] = useState<Files>({
    reorganisation: null,
    counterMoves: null,
    transfers: null,
  });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.getElementById('report-h')?.focus();
  }, [outcome]);

  const choose = (name: keyof Files) => (file: File | null) => {
    setFiles((chosen) => ({ ...chosen, [name]: file }));
    setOutcome(null);
  };

  const run = async (apply: boolean) => {
    if (!files.reorganisation) return;
    setBusy(true);
    const form = new FormData();
    form.set('on', on);
    for (const [name, file] of Object.entries(files)) {
      if (file) form.set(name, new Blob([file], { type: 'text/csv' }), file.name);
    }
    try {
      if (apply) {
        const { id, ...preview } = await request(appliedReorganisationSchema, '/reorganisations', {
          form,
        });
        setOutcome({ kind: 'applied', preview, id });
      } else {
        const preview = await request(reorganisationPreviewSchema, '/reorganisations/preview', {
          form,
        });
        setOutcome({ kind: 'previewed', preview });
      }
    } catch (error) {
      setOutcome(
        error instanceof ApiError && error.status === 422
          ? { kind: 'refused', detail: error.message, problems: error.errors }
          : { kind: 'failed', error },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t.reorganisationTitle}</PageTitle>
      <p>{t.reorganisationIntro}</p>
      <form
        class="stack card"
        onSubmit={(event) => {
          event.preventDefault();
          void run(false);
        }}
      >
        <TextField
          id="reorganisation-on"
          type="date"
          label={t.reorganisationOn}
          required
          value={on}
          onValue={(value) => {
            setOn(value);
            setOutcome(null);
          }}
        />
        <FileField
          id="reorganisation-file"
          label={t.reorganisationFile}
          accept=".csv,text/csv"
          required
          onFile={choose('reorganisation')}
        />
        <FileField
          id="counter-moves-file"
          label={t.counterMovesFile}
          accept=".csv,text/csv"
          onFile={choose('counterMoves')}
        />
        <FileField
          id="transfers-file"
          label={t.transfersFile}
          accept=".csv,text/csv"
          onFile={choose('transfers')}
        />
        <button type="submit" disabled={busy || !files.reorganisation || on === ''}>
          {t.previewReorganisation}
        </button>
      </form>
      {outcome ? <Report outcome={outcome} busy={busy} onApply={() => void run(true)} /> : null}
    </>
  );
}
