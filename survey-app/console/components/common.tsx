// Small pieces every page uses: links that stay in the console, loading and error notes,
// the page heading that takes the focus after navigation, and scrollable tables.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, download, type RequestOptions, XLSX_TYPE } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { hrefOf, isPlainClick, navigate, type Route } from '../router.ts';

export function Link(props: {
  to: Route;
  children: ComponentChildren;
  class?: string;
  current?: boolean;
  /** The link's name when its text alone is too short to say where it goes. */
  'aria-label'?: string;
}) {
  const href = hrefOf(props.to);
  return (
    <a
      href={href}
      class={props.class}
      aria-label={props['aria-label']}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (!isPlainClick(event)) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {props.children}
    </a>
  );
}

/**
 * The page's heading: it takes the focus when the page opens, so that a screen reader announces
 * the new page and the keyboard starts from its top; the document title follows it.
 */
export function PageTitle(props: { children: string; sub?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${props.children} · ${t.appName}`;
    ref.current?.focus();
  }, [props.children, t.appName]);
  return (
    <header class="page-head">
      <h1 ref={ref} tabIndex={-1}>
        {props.children}
      </h1>
      {props.sub ? <p class="page-sub">{props.sub}</p> : null}
    </header>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status">
      {t.loading}
    </p>
  );
}

/** An API refusal as the reader's words plus the server's detail and each bad field. */
export function ErrorNote(props: { error: unknown; title?: string }) {
  const { t } = useI18n();
  const { error } = props;
  const status = error instanceof ApiError ? error.status : 0;
  const explanation =
    status === 403
      ? t.errorForbidden
      : status === 404
        ? t.errorNotFound
        : status === 0
          ? t.errorNetwork
          : '';
  const detail = error instanceof Error ? error.message : String(error);
  return (
    <div class="note note-error" role="alert">
      <p>
        <strong>{props.title ?? t.errorTitle}</strong> {explanation}
      </p>
      <p class="detail">
        {status ? `${status}: ` : ''}
        {detail}
      </p>
      {error instanceof ApiError && error.errors.length > 0 ? (
        <ul>
          {error.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The server's messages for one field of a refused request (problem+json `errors` whose path is
 * `path`, or lies under it), shown beside that field.
 */
export function fieldError(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = error.errors
    .filter((e) => e.path === path || e.path.startsWith(`${path}.`))
    .map((e) => e.message);
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/** A column's heading; a figure's is aligned to the right, over the figures. */
export interface Column {
  label: ComponentChildren;
  num?: boolean;
}

export const num = (label: ComponentChildren): Column => ({ label, num: true });

/**
 * A table with its caption and its column headings (each a `th scope="col"`, in the order
 * given). A wide table scrolls sideways on a narrow screen: its wrapper takes the focus so that
 * the keyboard can scroll it (a named group, not a landmark: the section around it is one).
 */
export function Table(props: {
  label: string;
  caption?: ComponentChildren;
  columns: (Column | string)[];
  class?: string;
  'data-table'?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="table-region" role="group" aria-label={props.label} tabIndex={0}>
      <table class={props.class} data-table={props['data-table']}>
        {props.caption ? <caption>{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.columns.map((column, i) => {
              const { label, num: figure } =
                typeof column === 'string' ? { label: column } : column;
              return (
                // The columns are fixed for the table, so their place is their identity.
                <th key={i} scope="col" class={figure ? 'num' : undefined}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        {props.children}
      </table>
    </div>
  );
}

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data for a page, again whenever `deps` (what the loader reads) change or `reload` is
 * called. A reload keeps the data on screen while it runs, and when it fails (a refresh that
 * missed); new deps start afresh, so that nothing shown belongs to other deps.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => setState({ data: undefined, error: undefined, loading: true }), deps);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState((previous) => ({ ...previous, error, loading: false }));
        }
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/** Shows a resource: a loading note, its error, its data, or both (a failed reload). */
export function Loaded<T>(props: {
  resource: Resource<T>;
  children: (data: T) => ComponentChildren;
}) {
  const { data, error, loading } = props.resource;
  const problem = error === undefined ? null : <ErrorNote error={error} />;
  if (data !== undefined) {
    return (
      <>
        {problem}
        {props.children(data)}
      </>
    );
  }
  return problem ?? (loading ? <Loading /> : null);
}

export interface Action {
  busy: boolean;
  error: unknown;
  /** Runs the request; on success says `done` in the page's status line. */
  run: (work: () => Promise<unknown>, done?: string) => Promise<boolean>;
  message: string;
  clear: () => void;
}

/** One write at a time from a form or a button, with its outcome for the reader. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState('');
  const run = useCallback(async (work: () => Promise<unknown>, done = '') => {
    setBusy(true);
    setError(undefined);
    setMessage('');
    try {
      await work();
      setMessage(done);
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => {
    setError(undefined);
    setMessage('');
  }, []);
  return { busy, error, run, message, clear };
}

/** The outcome of an action: a polite status line (always present, so it is announced). */
export function ActionOutcome(props: { action: Action }) {
  return (
    <>
      <p class="status" role="status">
        {props.action.message}
      </p>
      {props.action.error !== undefined ? <ErrorNote error={props.action.error} /> : null}
    </>
  );
}

export interface DownloadFile {
  label: string;
  path: string;
  query: RequestOptions['query'];
  file: { name: string; type: string };
}

/** Buttons that each save what the API answers as a file, and the outcome of the last. */
export function DownloadButtons(props: { files: DownloadFile[] }) {
  const { t } = useI18n();
  const action = useAction();
  return (
    <>
      <ul class="button-list">
        {props.files.map((file) => (
          <li key={file.file.name}>
            <button
              type="button"
              class="secondary"
              disabled={action.busy}
              onClick={() =>
                void action.run(
                  () => download(file.path, { query: file.query }, file.file),
                  t.downloaded(file.file.name),
                )
              }
            >
              {file.label}
            </button>
          </li>
        ))}
      </ul>
      <ActionOutcome action={action} />
    </>
  );
}

/** A card of download buttons (exports). */
export function Downloads(props: { files: DownloadFile[] }) {
  const { t } = useI18n();
  return (
    <section class="card" aria-labelledby="exports-h">
      <h2 id="exports-h">{t.exportsTitle}</h2>
      <DownloadButtons files={props.files} />
    </section>
  );
}

/**
 * The template of an import (`path`/import/template) as CSV and as XLSX: the columns the import
 * takes and one example row that imports as it is.
 */
export function TemplateDownloads(props: { path: string; name: string }) {
  const { t } = useI18n();
  const path = `${props.path}/import/template`;
  return (
    <div class="stack">
      <p>{t.templatesHelp}</p>
      <DownloadButtons
        files={[
          {
            label: t.templateCsv,
            path,
            query: { format: 'csv' },
            file: { name: `${props.name}.csv`, type: 'text/csv' },
          },
          {
            label: t.templateXlsx,
            path,
            query: { format: 'xlsx' },
            file: { name: `${props.name}.xlsx`, type: XLSX_TYPE },
          },
        ]}
      />
    </div>
  );
}

/** A stored file as a list shows it: where to fetch it, and what to say beside its size. */
export interface StoredFile {
  id: number;
  name: string;
  size: number;
  href: string;
  /** After the size, e.g. when it was uploaded. */
  note?: string;
}

/**
 * Stored files (an assessment's evidence, a progress report's files), each a download with its
 * size, and a remove button when `onRemove` is given. `mark` names the data attribute that
 * carries a file's name (`data-evidence`, `data-file`), which the browser tests find it by.
 */
export function StoredFiles<F>(props: {
  files: readonly F[];
  describe: (file: F) => StoredFile;
  mark: 'evidence' | 'file';
  onRemove?: ((file: F) => void) | undefined;
}) {
  const { t } = useI18n();
  return (
    <ul class="evidence-list">
      {props.files.map((file) => {
        const shown = props.describe(file);
        return (
          <li key={shown.id} {...{ [`data-${props.mark}`]: shown.name }}>
            <a href={shown.href} download={shown.name}>
              {shown.name}
            </a>{' '}
            <span class="muted">
              {t.fileSize(shown.size)}
              {shown.note === undefined ? null : ` · ${shown.note}`}
            </span>
            {props.onRemove ? (
              <>
                {' '}
                <button
                  type="button"
                  class="link-button"
                  onClick={() => props.onRemove?.(file)}
                  aria-label={t.removeEvidenceOf(shown.name)}
                >
                  {t.removeEvidence}
                </button>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
