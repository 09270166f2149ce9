// `sipas … template`: the template of an import (interchange §1, Templates), as the API serves
// it: the import's columns and one example row that imports as it is.
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { Principal } from '../../services/access.ts';
import { type Cell, SHEET_FORMATS, writeTable } from '../../services/spreadsheet.ts';
import {
  countersTemplate,
  responsesTemplate,
  transactionsTemplate,
  unitsTemplate,
} from '../../services/templates.ts';
import { type Command, requireOption } from '../command.ts';
import { OUT_USAGE, outputFormat, outputOptions, withOutput } from '../output.ts';

type Template = (db: Kysely<Database>, principal: Principal, campaign: string) => Promise<Cell[][]>;

function templateCommand(file: string, template: Template, ofCampaign: boolean): Command {
  return {
    name: `${file} template`,
    existingOnly: true,
    usage: `${ofCampaign ? '--campaign CODE ' : ''}[--format csv|xlsx] ${OUT_USAGE}`,
    options: { ...(ofCampaign ? { campaign: { type: 'string' } } : {}), ...outputOptions },
    async run(context, invocation) {
      const campaign = ofCampaign ? requireOption(invocation, 'campaign') : '';
      const format = outputFormat(invocation, SHEET_FORMATS, 'csv');
      const rows = await template(await context.db(), context.principal, campaign);
      await withOutput(context, invocation, format, (output) =>
        writeTable(format, rows, output, campaign || file),
      );
    },
  };
}

export const responsesTemplateCommand = templateCommand('responses', responsesTemplate, true);
export const transactionsTemplateCommand = templateCommand(
  'transactions',
  transactionsTemplate,
  true,
);
export const unitsTemplateCommand = templateCommand(
  'units',
  (db, p) => unitsTemplate(db, p),
  false,
);
export const countersTemplateCommand = templateCommand(
  'counters',
  (db, p) => countersTemplate(db, p),
  false,
);
