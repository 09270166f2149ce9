import { createApiToken, issueCounterToken } from '../../services/credentials.ts';
import { choiceOption, type Command, UsageError } from '../command.ts';

export const tokenCreate: Command = {
  name: 'token create',
  usage: '--role admin|surveyor|analyst [--unit CODE] [--name NAME]',
  options: { role: { type: 'string' }, unit: { type: 'string' }, name: { type: 'string' } },
  async run(context, invocation) {
    const role = choiceOption(invocation, 'role', ['admin', 'surveyor', 'analyst'] as const);
    if (!role) throw new UsageError('--role is required');
    const { unit, name } = invocation.values;
    const token = await createApiToken(await context.db(), context.actor, {
      role,
      ...(typeof unit === 'string' ? { unit } : {}),
      ...(typeof name === 'string' ? { name } : {}),
    });
    context.stdout.write(`${token}\n`);
  },
};

export const counterIssueToken: Command = {
  name: 'counters issue-token',
  usage: 'COUNTER',
  positionals: { min: 1, max: 1 },
  async run(context, { positionals: [counter] }) {
    if (counter === undefined) throw new UsageError('COUNTER is required');
    const token = await issueCounterToken(await context.db(), context.actor, counter);
    context.stdout.write(`${token}\n`);
  },
};
