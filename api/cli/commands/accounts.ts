// `sipas account create`: a staff account from the command line, e.g. the first admin on a
// server without a console at hand. The password comes from stdin (a prompt that does not
// echo on a terminal), never from an argument, which `ps` and the shell's history would show;
// with --no-password, there is none: the account signs in by single sign-on only.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ROLES } from '../../../db/database.ts';
import { createAccount } from '../../services/accounts.ts';
import { choiceOption, type CliContext, type Command, UsageError } from '../command.ts';

/** The first line of stdin; on a terminal, after a prompt, with the typing not shown. */
async function readPassword(context: CliContext): Promise<string> {
  const terminal = 'isTTY' in context.stdin && context.stdin.isTTY === true;
  if (terminal) context.stderr.write('Mật khẩu / Password (not shown): ');
  const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const lines = createInterface({ input: context.stdin, output: silent, terminal });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
    if (terminal) context.stderr.write('\n');
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export const accountCreate: Command = {
  name: 'account create',
  usage:
    `--login LOGIN --name NAME --role ${ROLES.join('|')} [--unit CODE] [--no-password]   ` +
    '(the password from stdin: at least 10 characters; with --no-password, none is read and ' +
    'the account signs in by single sign-on only, until an admin sets one)',
  // The password is typed at this terminal, which a command run inside the server has not;
  // while the server runs, its console's accounts page creates accounts.
  notBesideServer: 'the password is read from this terminal; use the console while it runs',
  options: {
    login: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    unit: { type: 'string' },
    'no-password': { type: 'boolean' },
  },
  async run(context, invocation) {
    const role = choiceOption(invocation, 'role', ROLES);
    const login = text(invocation.values.login);
    const name = text(invocation.values.name) ?? login;
    if (!role) throw new UsageError('--role is required');
    if (login === undefined || name === undefined) throw new UsageError('--login is required');
    const unit = text(invocation.values.unit);
    const password =
      invocation.values['no-password'] === true ? undefined : await readPassword(context);
    const account = await createAccount(await context.db(), context.principal, {
      login,
      name,
      role,
      ...(password === undefined ? {} : { password }),
      ...(unit === undefined ? {} : { unit }),
    });
    const scope = account.unit ? ` of ${account.unit}` : '';
    const signIn = account.hasPassword ? '' : ', single sign-on only';
    context.stdout.write(`account ${account.login} created (${account.role}${scope}${signIn})\n`);
  },
};
