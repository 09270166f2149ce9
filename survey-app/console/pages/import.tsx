// Importing a file of responses (interchange §1; CSV or XLSX): first a dry run that shows the
// validation report, then, only for a clean file, the import itself. An import is all or
// nothing, so a report with problems means nothing was stored.
import { useEffect, useState } from 'preact/hooks';
import type { FieldError } from '../../../api/contract.ts';
import { ApiError, request, XLSX_TYPE as XLSX } from '../api.ts';
import {
  ErrorNote,
  Link,
  num,
  PageTitle,
  Table,
  TemplateDownloads,
} from '../components/common.tsx';
import { FileField } from '../components/fields.tsx';
import { formatFor } from '../format.ts';
import { useI18n } from '../i18n.ts';
import { importReportSchema, type ImportReport } from '../schemas.ts';

type Outcome =
  | { kind: 'checked'; report: ImportReport }
  | { kind: 'stored'; report: ImportReport }
  | { kind: 'refused'; detail: string; problems: FieldError[] }
  | { kind: 'failed'; error: unknown };

/**
 * `line 4, column TC1` as its parts, for the table of problems; a problem of another file of
 * the same upload (`transfers.csv, line 3, column unit`) names the file with its column.
 */
export function locate(path: string): { line: string; column: string } {
  const match = /^(?:(.+), )?line (\d+)(?:, column (.+))?$/.exec(path);
  if (!match) return { line: '', column: path };
  const [, file, line = '', column = ''] = match;
  return { line, column: file === undefined ? column : `${file}: ${column}` };
}

export function ProblemsTable(props: { problems: FieldError[] }) {
  const { t } = useI18n();
  return (
    <Table
      label={t.importProblems}
      caption={t.importProblems}
      columns={[num(t.line), t.column, t.problem]}
    >
      <tbody>
        {props.problems.map((problem, i) => {
          const at = locate(problem.path);
          return (
            <tr key={i}>
              <td class="num">{at.line}</td>
              <td>
                <code>{at.column}</code>
              </td>
              <td>{problem.message}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

/** A file refused whole: the title, that nothing was stored and why, and every problem. */
export function RefusedNote(props: {
  title: string;
  nothingStored: string;
  detail: string;
  problems: FieldError[];
}) {
  return (
    <div class="note note-error">
      <h2 id="report-h" tabIndex={-1}>
        {props.title}
      </h2>
      <p>
        <strong>{props.nothingStored}</strong> {props.detail}
      </p>
      <ProblemsTable problems={props.problems} />
    </div>
  );
}

function Report(props: { outcome: Outcome; busy: boolean; onStore: () => void }) {
  const { t, lang } = useI18n();
  const f = formatFor(lang);
  const { outcome } = props;
  switch (outcome.kind) {
    case 'failed':
      return <ErrorNote error={outcome.error} />;
    case 'refused':
      return (
        <RefusedNote
          title={t.importRefused(outcome.problems.length)}
          nothingStored={t.nothingStored}
          detail={outcome.detail}
          problems={outcome.problems}
        />
      );
    case 'checked':
    case 'stored': {
      const { report } = outcome;
      return (
        <div class={`note ${outcome.kind === 'stored' ? 'note-ok' : ''}`}>
          <h2 id="report-h" tabIndex={-1}>
            {outcome.kind === 'stored'
              ? t.importStored(f.count(report.stored))
              : t.importChecked(f.count(report.stored))}
          </h2>
          {report.duplicates.length > 0 ? (
            <>
              <p>{t.duplicatesSkipped(report.duplicates.length)}</p>
              <ul class="inline-list">
                {report.duplicates.map((id) => (
                  <li key={id}>
                    <code>{id}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {outcome.kind === 'checked' ? (
            <>
              <p>{t.nothingStoredYet}</p>
              <button
                type="button"
                disabled={props.busy || report.stored === 0}
                onClick={props.onStore}
              >
                {t.storeRows(f.count(report.stored))}
              </button>
            </>
          ) : null}
        </div>
      );
    }
  }
}

export function ImportPage(props: { code: string }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [ignoreUnknown, setIgnoreUnknown] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  // The report's heading takes the focus, so that it is read out and the keyboard is there.
  useEffect(() => {
    document.getElementById('report-h')?.focus();
  }, [outcome]);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    const type = file.name.toLowerCase().endsWith('.xlsx') ? XLSX : 'text/csv';
    try {
      const report = await request(
        importReportSchema,
        `/campaigns/${encodeURIComponent(props.code)}/responses/import`,
        {
          query: {
            dryRun: dryRun ? true : undefined,
            ignoreUnknown: ignoreUnknown ? true : undefined,
          },
          file: new Blob([file], { type }),
        },
      );
      setOutcome({ kind: dryRun ? 'checked' : 'stored', report });
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
      <PageTitle sub={props.code}>{t.importTitle}</PageTitle>
      <p>
        <Link to={{ page: 'campaign', code: props.code }}>{t.backToCampaign}</Link>
      </p>
      <p>{t.importHelp}</p>
      <TemplateDownloads
        path={`/campaigns/${encodeURIComponent(props.code)}/responses`}
        name={`${props.code}-responses-template`}
      />
      <form
        class="stack card"
        onSubmit={(event) => {
          event.preventDefault();
          void run(true);
        }}
      >
        <FileField
          id="import-file"
          label={t.responsesFile}
          accept={`.csv,text/csv,.xlsx,${XLSX}`}
          required
          onFile={(chosen) => {
            setFile(chosen);
            setOutcome(null);
          }}
        />
        <div class="check">
          <input
            id="import-ignore"
            type="checkbox"
            checked={ignoreUnknown}
            onChange={(e) => setIgnoreUnknown(e.currentTarget.checked)}
          />
          <label for="import-ignore">{t.ignoreUnknown}</label>
        </div>
        <button type="submit" disabled={busy || !file}>
          {t.checkFile}
        </button>
      </form>
      {outcome ? <Report outcome={outcome} busy={busy} onStore={() => void run(false)} /> : null}
    </>
  );
}
