// Peer groups (docs/organisation.md): `sipas peers import|list|show`.
import { importPeers, listPeerGroups, showPeerGroup } from '../../services/peers.ts';
import {
  choiceOption,
  type Command,
  DELIMITER_USAGE,
  delimiterOption,
  delimiterOptions,
  requireOption,
} from '../command.ts';
import { renderTable } from '../table.ts';

export const peersImport: Command = {
  name: 'peers import',
  usage: `PEERS.CSV|- ${DELIMITER_USAGE}   (columns group, period, unit)`,
  options: delimiterOptions,
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const delimiter = delimiterOption(invocation);
    const { groups } = await context.files.read(invocation.positionals[0] ?? '', async (input) =>
      importPeers(await context.db(), context.principal, input, delimiter),
    );
    for (const group of groups) {
      context.stdout.write(
        `${group.name} ${group.period}: ${group.units} units${group.replaced ? ', replaced' : ''}\n`,
      );
    }
  },
};

export const peersList: Command = {
  name: 'peers list',
  existingOnly: true,
  usage: '[--period P] [--format table|json]',
  options: { period: { type: 'string' }, format: { type: 'string' } },
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['table', 'json'] as const) ?? 'table';
    const period = invocation.values.period as string | undefined;
    const groups = await listPeerGroups(await context.db(), { period });
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(groups, null, 2)}\n`);
      return;
    }
    context.stdout.write(
      renderTable(
        ['group', 'period', 'units'],
        groups.map((g) => [g.name, g.period, String(g.units)]),
      ),
    );
  },
};

export const peersShow: Command = {
  name: 'peers show',
  existingOnly: true,
  usage: 'GROUP --period P [--format table|json]',
  options: { period: { type: 'string' }, format: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['table', 'json'] as const) ?? 'table';
    const group = await showPeerGroup(await context.db(), context.principal, {
      name: invocation.positionals[0] ?? '',
      period: requireOption(invocation, 'period'),
    });
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(group, null, 2)}\n`);
      return;
    }
    context.stdout.write(
      `${group.name} ${group.period} (the map of ${group.day}), ${group.units.length} units\n` +
        renderTable(
          ['unit', 'name'],
          group.units.map((u) => [u.code, u.name]),
        ),
    );
  },
};
