// Publication of PAR results (docs/par.md, "Publication"): `sipas par publish`,
// `sipas par publications` and `sipas par publication import`.
import {
  importPublication,
  listPublications,
  publish,
  type PublicationMark,
} from '../../services/publications.ts';
import { choiceOption, type Command, type Invocation, requireOption } from '../command.ts';
import { renderTable } from '../table.ts';

const keyOptions = {
  framework: { type: 'string' },
  period: { type: 'string' },
  peers: { type: 'string' },
} as const;

const keyOf = (invocation: Invocation) => ({
  framework: requireOption(invocation, 'framework'),
  period: requireOption(invocation, 'period'),
  peers: requireOption(invocation, 'peers'),
});

const reasonOf = (invocation: Invocation) => {
  const reason = invocation.values.reason;
  return typeof reason === 'string' ? reason : undefined;
};

/** One line that says which publication a document is: for a table's heading, or stderr. */
export function publishedLine(mark: PublicationMark): string {
  const from = mark.origin === null ? '' : `, imported from ${mark.origin}`;
  const why = mark.reason === null ? '' : `, reason: ${mark.reason}`;
  return `published version ${mark.version} at ${mark.at}${from}${why}; --live for the figures of now`;
}

export const parPublish: Command = {
  name: 'par publish',
  usage: '--framework CODE --period PERIOD --peers GROUP|UNIT [--reason TEXT]',
  options: { ...keyOptions, reason: { type: 'string' } },
  async run(context, invocation) {
    const published = await publish(await context.db(), context.principal, {
      ...keyOf(invocation),
      reason: reasonOf(invocation),
    });
    context.stdout.write(
      `published ${published.framework} ${published.period} ${published.peers}: version ` +
        `${published.version}, ${published.document.rows.length} units\n`,
    );
    if (published.assessments.length > 0) {
      context.stdout.write(`assessments published: ${published.assessments.join(', ')}\n`);
    }
  },
};

export const parPublications: Command = {
  name: 'par publications',
  existingOnly: true,
  usage: '--framework CODE --period PERIOD --peers GROUP|UNIT [--format table|json]',
  options: { ...keyOptions, format: { type: 'string' } },
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['table', 'json'] as const) ?? 'table';
    const list = await listPublications(await context.db(), context.principal, keyOf(invocation));
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    context.stdout.write(
      `${list.framework} ${list.period}, peers ${list.peers}\n` +
        renderTable(
          ['version', 'at', 'by', 'source', 'reason'],
          list.versions.map((v) => [
            String(v.version),
            v.at,
            v.by,
            v.origin === null ? v.source : `${v.source}: ${v.origin}`,
            v.reason ?? '–',
          ]),
        ),
    );
  },
};

export const parPublicationImport: Command = {
  name: 'par publication import',
  usage:
    '--framework CODE --period PERIOD --peers NAME --source TEXT [--reason TEXT] FILE.CSV|-' +
    '   (columns unit, points, rank; optional band, node)',
  options: { ...keyOptions, source: { type: 'string' }, reason: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const request = {
      ...keyOf(invocation),
      origin: requireOption(invocation, 'source'),
      reason: reasonOf(invocation),
    };
    const db = await context.db();
    const imported = await context.files.read(invocation.positionals[0] ?? '', (input) =>
      importPublication(db, context.principal, request, input),
    );
    context.stdout.write(
      `imported ${request.framework} ${request.period} ${request.peers}: version ` +
        `${imported.version}, ${imported.rows} units\n`,
    );
  },
};
