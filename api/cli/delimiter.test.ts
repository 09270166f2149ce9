// `--delimiter` of the import commands: a file of semicolons (Excel in a Vietnamese locale)
// is found without it, read as told with it, and explained when told commas.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../db/testing.ts';
import { cliFor } from './testing.ts';

const folder = mkdtempSync(join(tmpdir(), 'sipas-delimiter-'));

/** An example file written again with `delimiter`, and its path. */
function example(name: string, delimiter: string): string {
  const rows: string[][] = parse(
    readFileSync(new URL(`../../fixtures/examples/${name}`, import.meta.url), 'utf8'),
    { bom: true },
  );
  const path = join(folder, `${delimiter === '\t' ? 'tab' : 'semicolon'}-${name}`);
  writeFileSync(path, stringify(rows, { delimiter }));
  return path;
}

describe.each(engines)('sipas imports with --delimiter on %s', (engine) => {
  it('find semicolons, take them or tabs as told, explain semicolons told commas; templates import', async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    const sipas = cliFor(engine, database.url);
    try {
      expect(await sipas('units', 'import', example('units.csv', ';'))).toEqual({
        status: 0,
        stdout: 'units: created 4, updated 0\n',
        stderr: '',
      });
      const counters = ['counters', 'import', example('counters.csv', ';'), '--delimiter', ';'];
      expect((await sipas(...counters)).stdout).toBe('counters: created 3, updated 0\n');
      const created = await sipas(
        ...'campaign create BRVT-2025 --instrument sipas-2017 --from 2025-01-01 --to 2025-12-31 --counters all'.split(
          ' ',
        ),
      );
      expect(created.status).toBe(0);
      const transactions = ['transactions', 'import', '--campaign', 'BRVT-2025'];
      expect(
        await sipas(...transactions, example('transactions.csv', ';'), '--delimiter', ','),
      ).toEqual({
        status: 1,
        stdout: '',
        stderr:
          'The file has 1 problem; nothing was stored.\n' +
          'line 1, column 1: the header is a single column holding semicolons: the file seems to ' +
          'be separated by semicolons (;), as Excel saves it in a Vietnamese locale, but was read ' +
          'with commas. Import it again with the delimiter ";" (API: delimiter=;, sipas: ' +
          '--delimiter ";"), or name no delimiter so that it is detected\n',
      });
      const tabs = [...transactions, example('transactions.csv', '\t'), '--delimiter', 'tab'];
      expect((await sipas(...tabs)).stdout).toBe('transactions: 3 counters\n');
      const responses = ['responses', 'import', '--campaign', 'BRVT-2025'];
      expect((await sipas(...responses, example('responses.csv', ';'))).stdout).toBe(
        'stored 60, duplicates 0\n',
      );
      const refused = await sipas(...responses, example('responses.csv', ';'), '--delimiter', '|');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('--delimiter must be one of ,, ;, tab');

      // A template, written by `sipas … template`, imports as it is.
      expect(await sipas('units', 'template')).toEqual({
        status: 0,
        stdout: 'unit,name,parent\nVI-DU-DON-VI,Đơn vị ví dụ,BRVT\n',
        stderr: '',
      });
      const workbook = join(folder, 'template.xlsx');
      const template = ['responses', 'template', '--campaign', 'BRVT-2025', '--out', workbook];
      expect((await sipas(...template)).status).toBe(0);
      expect(await sipas(...responses, workbook, '--dry-run')).toEqual({
        status: 0,
        stdout: 'dry run: would store 1, duplicates 0\n',
        stderr: '',
      });
    } finally {
      await database.close();
    }
  }, 120_000);
});
