// Every `sipas` subcommand, by name. Add a command by listing it here. A command's module is
// imported only when it runs: its services load the database drivers, the spreadsheet and
// document writers, and the rest, which `sipas --help` must not wait for (issue 19).
import type { Command } from '../command.ts';

export interface ListedCommand {
  /** The words that name it, the loaded command's `name` (index.test.ts holds them equal). */
  name: string;
  load(): Promise<Command>;
}

const listed: [string, () => Promise<Command>][] = [
  ['migrate', async () => (await import('./migrate.ts')).migrate],
  ['instruments add', async () => (await import('./instruments.ts')).instrumentsAdd],
  ['account create', async () => (await import('./accounts.ts')).accountCreate],
  ['token create', async () => (await import('./tokens.ts')).tokenCreate],
  ['token list', async () => (await import('./tokens.ts')).tokenList],
  ['token revoke', async () => (await import('./tokens.ts')).tokenRevoke],
  ['counters issue-token', async () => (await import('./tokens.ts')).counterIssueToken],
  ['framework import', async () => (await import('./frameworks.ts')).frameworkImport],
  ['framework show', async () => (await import('./frameworks.ts')).frameworkShow],
  ['par import', async () => (await import('./par.ts')).parImport],
  ['par derive', async () => (await import('./par.ts')).parDerive],
  ['par scorecard', async () => (await import('./par.ts')).parScorecardCommand],
  ['par publish', async () => (await import('./publications.ts')).parPublish],
  ['par publications', async () => (await import('./publications.ts')).parPublications],
  ['par publication import', async () => (await import('./publications.ts')).parPublicationImport],
  ['assessment open', async () => (await import('./assessments.ts')).assessmentOpen],
  ['assessment import', async () => (await import('./assessments.ts')).assessmentImport],
  ['assessment status', async () => (await import('./assessments.ts')).assessmentStatus],
  ['plan draft', async () => (await import('./plans.ts')).planDraft],
  ['plan show', async () => (await import('./plans.ts')).planShow],
  ['plan tasks import', async () => (await import('./plans.ts')).planTasksImport],
  ['officials instruments', async () => (await import('./officials.ts')).officialsInstruments],
  [
    'officials instruments add',
    async () => (await import('./officials.ts')).officialsInstrumentsAdd,
  ],
  ['officials create', async () => (await import('./officials.ts')).officialsCreate],
  ['officials groups', async () => (await import('./officials.ts')).officialsGroups],
  ['officials links', async () => (await import('./officials.ts')).officialsLinks],
  ['officials reissue', async () => (await import('./officials.ts')).officialsReissue],
  ['officials progress', async () => (await import('./officials.ts')).officialsProgress],
  ['officials results', async () => (await import('./officials-results.ts')).officialsResults],
  ['officials derive', async () => (await import('./officials-results.ts')).officialsDerive],
  ['peers import', async () => (await import('./peers.ts')).peersImport],
  ['peers list', async () => (await import('./peers.ts')).peersList],
  ['peers show', async () => (await import('./peers.ts')).peersShow],
  ['rates766', async () => (await import('./rates766.ts')).rates766],
  ['units import', async () => (await import('./organisation.ts')).unitsImport],
  ['units reorganise', async () => (await import('./organisation.ts')).unitsReorganise],
  ['units template', async () => (await import('./templates.ts')).unitsTemplateCommand],
  ['units show', async () => (await import('./organisation.ts')).unitsShow],
  ['units history', async () => (await import('./organisation.ts')).unitsHistory],
  ['counters import', async () => (await import('./organisation.ts')).countersImport],
  ['counters template', async () => (await import('./templates.ts')).countersTemplateCommand],
  ['campaign create', async () => (await import('./campaigns.ts')).campaignCreate],
  ['campaign edit', async () => (await import('./campaigns.ts')).campaignEdit],
  ['campaign counters add', async () => (await import('./campaigns.ts')).campaignCountersAdd],
  ['campaign counters remove', async () => (await import('./campaigns.ts')).campaignCountersRemove],
  ['transactions import', async () => (await import('./campaigns.ts')).transactionsImport],
  ['transactions set', async () => (await import('./campaigns.ts')).transactionsSet],
  [
    'transactions template',
    async () => (await import('./templates.ts')).transactionsTemplateCommand,
  ],
  ['responses import', async () => (await import('./responses.ts')).responsesImport],
  ['responses template', async () => (await import('./templates.ts')).responsesTemplateCommand],
  ['responses export', async () => (await import('./responses.ts')).responsesExport],
  ['responses void', async () => (await import('./responses.ts')).responsesVoid],
  ['responses replace', async () => (await import('./responses.ts')).responsesReplace],
  ['quarantine list', async () => (await import('./responses.ts')).quarantineList],
  ['quarantine release', async () => (await import('./responses.ts')).quarantineRelease],
  ['scores', async () => (await import('./scores.ts')).scores],
  ['tallies fold', async () => (await import('./tallies.ts')).talliesFold],
  ['compare', async () => (await import('./scores.ts')).compare],
  ['backup', async () => (await import('./backup.ts')).backup],
  ['restore', async () => (await import('./backup.ts')).restore],
];

export const commands: ListedCommand[] = listed.map(([name, load]) => ({ name, load }));

/** The command whose name matches the longest run of leading words. */
export function findCommand(args: string[]): { listed: ListedCommand; rest: string[] } | undefined {
  const words = args.slice(0, Math.max(...commands.map((c) => c.name.split(' ').length)));
  for (let n = words.length; n > 0; n--) {
    const name = words.slice(0, n).join(' ');
    const found = commands.find((c) => c.name === name);
    if (found) return { listed: found, rest: args.slice(n) };
  }
  return undefined;
}

/**
 * What `sipas` without a command, or with one it does not know, writes on stderr; returns the
 * exit status (0 for `--help`, else 2: bad usage).
 */
export function listCommands(args: string[], stderr: NodeJS.WritableStream): number {
  const help = args[0] === '--help';
  if (args.length && !help) stderr.write(`Unknown command: ${args.join(' ')}\n\n`);
  stderr.write(
    `Usage: sipas COMMAND [ARGUMENTS]; sipas COMMAND --help prints one's arguments.\n\n` +
      `Commands:\n${commands.map((c) => `  sipas ${c.name}`).join('\n')}\n\n` +
      `Every command takes --data DIR (the embedded database; default $SIPAS_DATA_DIR or ./data), ` +
      `or uses PostgreSQL when DATABASE_URL is set.\nAn export's format is --format, else --out ` +
      `FILE's extension; XLSX goes to stdout only when stdout is not a terminal.\n`,
  );
  return help ? 0 : 2;
}
