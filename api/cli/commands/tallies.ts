import type { Command } from '../command.ts';
import { foldAllTallies } from '../../services/tallies.ts';

/**
 * Folds what no fold has counted, as the server does in the background: after an import with
 * no server running, so that each scoring need not tally the new responses again (a scoring
 * writes nothing; it tallies read-only what the last fold did not see, docs/scoring.md).
 */
export const talliesFold: Command = {
  name: 'tallies fold',
  usage: '',
  existingOnly: true,
  async run(context) {
    const folded = await foldAllTallies(await context.db());
    context.stderr.write(`Folded ${String(folded)} responses into the tallies.\n`);
  },
};
