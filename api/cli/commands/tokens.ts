import { ROLES } from '../../../db/database.ts';
import {
  createApiToken,
  issueCounterToken,
  listApiTokenEntries,
  revokeApiTokenByPrefix,
  tokenPrefixOf,
  type ApiTokenEntry,
} from '../../services/credentials.ts';
import { formatVietnamTime } from '../../services/vietnam-time.ts';
import { choiceOption, type Command, UsageError } from '../command.ts';
import { renderTable } from '../table.ts';

export const tokenCreate: Command = {
  name: 'token create',
  usage: `--role ${ROLES.join('|')} [--unit CODE] [--name NAME]`,
  options: { role: { type: 'string' }, unit: { type: 'string' }, name: { type: 'string' } },
  async run(context, invocation) {
    const role = choiceOption(invocation, 'role', ROLES);
    if (!role) throw new UsageError('--role is required');
    const { unit, name } = invocation.values;
    const token = await createApiToken(await context.db(), context.principal, {
      role,
      ...(typeof unit === 'string' ? { unit } : {}),
      ...(typeof name === 'string' ? { name } : {}),
    });
    context.stdout.write(`${token}\n`);
    // stdout is the token alone, for scripts; its name in `sipas token list` goes to stderr.
    context.stderr.write(`token ${tokenPrefixOf(token)} created (sipas token list shows it)\n`);
  },
};

const time = (instant: Date | null) => (instant ? formatVietnamTime(instant) : '–');

export const tokenList: Command = {
  name: 'token list',
  usage: '[--format table|json]   (prefix, name, role, unit, created, revoked; never the token)',
  options: { format: { type: 'string' } },
  existingOnly: true,
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['table', 'json'] as const) ?? 'table';
    const tokens = await listApiTokenEntries(await context.db());
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
      return;
    }
    const row = (t: ApiTokenEntry) => [
      t.prefix,
      t.name,
      t.role,
      t.unit === null
        ? '(all)'
        : t.scopeNeedsReview
          ? `${t.unit} (ended: review; successors ${t.scopeSuccessors.join(' ') || '-'})`
          : t.unit,
      time(t.createdAt),
      time(t.revokedAt),
    ];
    context.stdout.write(
      renderTable(['prefix', 'name', 'role', 'unit', 'created', 'revoked'], tokens.map(row), 6),
    );
  },
};

export const tokenRevoke: Command = {
  name: 'token revoke',
  usage: 'PREFIX   (6 or more hex digits from `sipas token list`)',
  positionals: { min: 1, max: 1 },
  existingOnly: true,
  async run(context, { positionals: [prefix] }) {
    if (prefix === undefined) throw new UsageError('PREFIX is required');
    const { token, revoked } = await revokeApiTokenByPrefix(
      await context.db(),
      context.principal,
      prefix,
    );
    context.stdout.write(
      revoked
        ? `revoked ${token.prefix} (${token.name})\n`
        : `${token.prefix} (${token.name}) was already revoked at ${time(token.revokedAt)}\n`,
    );
  },
};

export const counterIssueToken: Command = {
  name: 'counters issue-token',
  usage: 'COUNTER',
  positionals: { min: 1, max: 1 },
  async run(context, { positionals: [counter] }) {
    if (counter === undefined) throw new UsageError('COUNTER is required');
    const token = await issueCounterToken(await context.db(), context.principal, counter);
    context.stdout.write(`${token}\n`);
  },
};
