import { depth, innerCodes, treeMax, type FrameworkTree } from '../../../analysis/par-tree.ts';
import { frameworkTree, importFrameworkTree } from '../../services/frameworks.ts';
import { choiceOption, type Command } from '../command.ts';
import { fixed, renderTable } from '../table.ts';

export const frameworkImport: Command = {
  name: 'framework import',
  usage:
    'CODE FRAMEWORK.CSV|- [--name NAME] [--bands A:90,B:80,C:70]   ' +
    '(columns node, name, max, and optionally source, applies_to, guidance: one node a row)',
  options: { name: { type: 'string' }, bands: { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run(context, invocation) {
    const [code = '', file = ''] = invocation.positionals;
    const name = invocation.values.name as string | undefined;
    const bands = invocation.values.bands as string | undefined;
    const db = await context.db();
    const { framework, replaced } = await context.files.read(file, (input) =>
      importFrameworkTree(db, context.principal, { code, name, bands }, input),
    );
    const leaves = framework.nodes.length - innerCodes(framework.nodes).size;
    context.stdout.write(
      `${replaced ? 'replaced' : 'stored'} ${framework.code}: ${framework.nodes.length} nodes, ` +
        `${leaves} leaves, ${fixed(treeMax(framework), 3)} points\n`,
    );
  },
};

export const frameworkShow: Command = {
  name: 'framework show',
  existingOnly: true,
  usage: 'CODE [--format json|table]',
  options: { format: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const format = choiceOption(invocation, 'format', ['json', 'table'] as const) ?? 'table';
    const tree = await frameworkTree(await context.db(), invocation.positionals[0] ?? '');
    context.stdout.write(
      format === 'json' ? `${JSON.stringify(tree, null, 2)}\n` : frameworkTable(tree),
    );
  },
};

function frameworkTable(tree: FrameworkTree): string {
  const bands = tree.bands.map((b) => `${b.band} ≥ ${b.min}%`).join(', ');
  const heading = `${tree.code}: ${tree.name}, ${fixed(treeMax(tree), 3)} points; bands ${bands}`;
  return `${heading}\n${renderTable(
    ['node', 'name', 'max', 'source', 'applies to', 'guidance'],
    tree.nodes.map((node) => [
      `${'  '.repeat(depth(node.code) - 1)}${node.code}`,
      node.name,
      fixed(node.max, 3),
      node.source ?? '',
      node.appliesTo?.join(';') ?? '',
      node.guidance ?? '',
    ]),
    // Text columns, the maxima with them: all aligned left.
    6,
  )}`;
}
