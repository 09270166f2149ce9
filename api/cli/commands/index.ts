// Every `sipas` subcommand. Add a command by listing it here.
import type { Command } from '../command.ts';
import { accountCreate } from './accounts.ts';
import { assessmentImport, assessmentOpen, assessmentStatus } from './assessments.ts';
import { backup, restore } from './backup.ts';
import {
  campaignCountersAdd,
  campaignCountersRemove,
  campaignCreate,
  campaignEdit,
  transactionsImport,
  transactionsSet,
} from './campaigns.ts';
import { instrumentsAdd } from './instruments.ts';
import { migrate } from './migrate.ts';
import {
  countersImport,
  unitsHistory,
  unitsImport,
  unitsReorganise,
  unitsShow,
} from './organisation.ts';
import { frameworkImport, frameworkShow } from './frameworks.ts';
import {
  officialsCreate,
  officialsGroups,
  officialsInstruments,
  officialsInstrumentsAdd,
  officialsLinks,
  officialsProgress,
  officialsReissue,
} from './officials.ts';
import { officialsDerive, officialsResults } from './officials-results.ts';
import { parDerive, parImport, parScorecardCommand } from './par.ts';
import { parPublicationImport, parPublications, parPublish } from './publications.ts';
import { peersImport, peersList, peersShow } from './peers.ts';
import { planDraft, planShow, planTasksImport } from './plans.ts';
import { rates766 } from './rates766.ts';
import {
  quarantineList,
  quarantineRelease,
  responsesExport,
  responsesImport,
  responsesReplace,
  responsesVoid,
} from './responses.ts';
import { compare, scores } from './scores.ts';
import {
  countersTemplateCommand,
  responsesTemplateCommand,
  transactionsTemplateCommand,
  unitsTemplateCommand,
} from './templates.ts';
import { counterIssueToken, tokenCreate, tokenList, tokenRevoke } from './tokens.ts';

export const commands: Command[] = [
  migrate,
  instrumentsAdd,
  accountCreate,
  tokenCreate,
  tokenList,
  tokenRevoke,
  counterIssueToken,
  frameworkImport,
  frameworkShow,
  parImport,
  parDerive,
  parScorecardCommand,
  parPublish,
  parPublications,
  parPublicationImport,
  assessmentOpen,
  assessmentImport,
  assessmentStatus,
  planDraft,
  planShow,
  planTasksImport,
  officialsInstruments,
  officialsInstrumentsAdd,
  officialsCreate,
  officialsGroups,
  officialsLinks,
  officialsReissue,
  officialsProgress,
  officialsResults,
  officialsDerive,
  peersImport,
  peersList,
  peersShow,
  rates766,
  unitsImport,
  unitsReorganise,
  unitsTemplateCommand,
  unitsShow,
  unitsHistory,
  countersImport,
  countersTemplateCommand,
  campaignCreate,
  campaignEdit,
  campaignCountersAdd,
  campaignCountersRemove,
  transactionsImport,
  transactionsSet,
  transactionsTemplateCommand,
  responsesImport,
  responsesTemplateCommand,
  responsesExport,
  responsesVoid,
  responsesReplace,
  quarantineList,
  quarantineRelease,
  scores,
  compare,
  backup,
  restore,
];
