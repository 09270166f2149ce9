// `sipas scores` and `sipas compare` as an analyst runs them: the example campaign imported
// and scored by the real command (a child process), then the other forms in-process.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../../analysis/scoring.testing.ts';
import { scoresDocumentSchema } from '../../../analysis/scores-document.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { differences, expectedScores } from '../../services/scores.testing.ts';
import { runCli } from '../run.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const example = (name: string) => join(root, 'fixtures/examples', name);

interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

function collector() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe.each(engines)('sipas scores on %s', (engine) => {
  let database: TestDatabase | undefined;
  let spawn: (...args: string[]) => Promise<Result>;
  let inProcess: (...args: string[]) => Promise<Result>;

  beforeAll(async () => {
    database =
      engine === 'postgres' ? await openTestDatabase(engine, { migrate: false }) : undefined;
    const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'sipas-scores-')) : undefined;
    const env = { ...process.env, DATABASE_URL: database?.url ?? '' };
    const argv = (args: string[]) => (dataDir ? [...args, '--data', dataDir] : args);
    spawn = (...args) =>
      new Promise((resolve) => {
        execFile(
          join(root, 'bin/sipas.js'),
          argv(args),
          { cwd: root, env },
          (error, stdout, stderr) => {
            resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
          },
        );
      });
    // The other forms run in this process, on the same database.
    inProcess = async (...args) => {
      const stdout = collector();
      const stderr = collector();
      const status = await runCli(argv(args), {
        stdout: stdout.stream,
        stderr: stderr.stream,
        env,
      });
      return { status, stdout: stdout.text(), stderr: stderr.text() };
    };
  });
  afterAll(() => database?.close());

  it('imports the example and reproduces R by unit under the stratified design', async () => {
    for (const args of [
      ['units', 'import', example('units.csv')],
      ['counters', 'import', example('counters.csv')],
      ['campaign', 'create', 'BRVT-2025', '--instrument', 'sipas-2017'].concat([
        '--from',
        '2025-01-01',
        '--to',
        '2025-12-31',
      ]),
      ['transactions', 'import', '--campaign', 'BRVT-2025', example('transactions.csv')],
      ['responses', 'import', '--campaign', 'BRVT-2025', example('responses.csv')],
    ]) {
      const result = await spawn(...args);
      expect(result.stderr).not.toMatch(/failed/);
      expect(result.status).toBe(0);
    }
    const scored = await spawn(
      'scores',
      '--campaign',
      'BRVT-2025',
      '--by',
      'unit',
      '--design',
      'stratified',
      '--format',
      'json',
    );
    expect(scored.status).toBe(0);
    const document = scoresDocumentSchema.parse(JSON.parse(scored.stdout));
    expect(document.rules.design).toBe('stratified');
    const units = expectedScores.stratified.filter((g) => 'unit' in g.key);
    expect(units).toHaveLength(4);
    expect(differences(document.groups, units)).toEqual([]);
    // No server ran to fold the 60 responses: the scoring above tallied them read-only.
    const folded = await inProcess('tallies', 'fold');
    expect(folded.status).toBe(0);
    expect(folded.stderr).toBe('Folded 60 responses into the tallies.\n');
    expect((await inProcess('tallies', 'fold')).stderr).toBe(
      'Folded 0 responses into the tallies.\n',
    );
  }, 120_000);

  it('writes CSV and a table, and compares campaigns', async () => {
    const csv = await inProcess(
      'scores',
      '--campaign',
      'BRVT-2025',
      '--by',
      'all',
      '--format',
      'csv',
    );
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'group,level,code,valid,satisfied,index,se,ci_low,ci_high,' +
        'name,respondents,modes,transactions,response_rate,group_flags,flags,rules',
    );
    expect(lines).toHaveLength(1 + 23 + 5 + 1);
    const { items, sipas } = must(expectedScores.srs[0]);
    const tc1 = must(items.TC1);
    const first = must(lines[1]).split(',');
    expect(first.slice(0, 5)).toEqual(['all', 'item', 'TC1', '57', '47']);
    [tc1.index, tc1.se, ...must(tc1.ci)].forEach((value, i) =>
      expect(Math.abs(Number(first[5 + i]) - must(value))).toBeLessThan(1e-9),
    );
    const last = must(lines[lines.length - 1]).split(',');
    expect(last.slice(0, 5)).toEqual(['all', 'sipas', 'SIPAS', '', '']);
    expect(Math.abs(Number(last[5]) - must(sipas.index))).toBeLessThan(1e-9);
    expect(Math.abs(Number(last[8]) - must(sipas.ci)[1])).toBeLessThan(1e-9);
    // What the rows are (spec §7): the same on every row of the group; flags per item.
    const rules =
      'score share of 4, 5; blanks exclude; factor meanOfItems; sipas meanOfFactors; ' +
      'above pooled; design srs; 95% intervals';
    const said = (line: string | undefined) => (parse(line ?? '') as string[][])[0]?.slice(9);
    const described = ['BRVT-2025', '60', 'kiosk 10; paper 12; post 9; qr 29', '752'];
    expect(said(lines[1])).toEqual([...described, '7.9787234042553195', '', '', rules]);
    expect(said(lines.find((line) => line.startsWith('all,item,PA2,')))).toEqual([
      ...described,
      '7.9787234042553195',
      '',
      'small-sample',
      rules,
    ]);
    expect(said(lines[lines.length - 1])).toEqual([
      ...described,
      '7.9787234042553195',
      '',
      '',
      rules,
    ]);

    const table = await inProcess(
      'scores',
      '--campaign',
      'BRVT-2025',
      '--by',
      'all',
      '--format',
      'table',
    );
    expect(table.stdout).toContain(
      'Rules: score share of 4, 5; blanks exclude; factor meanOfItems',
    );
    expect(table.stdout).toContain(
      'all: 60 respondents (kiosk 10, paper 12, post 9, qr 29); 752 transactions, response rate 7.98%',
    );
    expect(table.stdout).toMatch(/\nitem\s+TC1\s+57\s+47\s+82\.46\s+5\.08\s+70\.63\s+90\.18\n/);

    const compared = await inProcess(
      'compare',
      '--campaign',
      'BRVT-2025',
      '--with',
      'BRVT-2025',
      '--by',
      'unit',
      '--format',
      'csv',
    );
    expect(compared.status).toBe(0);
    const rows = compared.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(4 * 29);
    expect(rows.every((row) => row.split(',')[5] === '0')).toBe(true);
  });

  it('exits 2 on bad usage and 1 on an unknown campaign', async () => {
    const usage = await inProcess('scores', '--campaign', 'BRVT-2025');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--by is required');
    const format = await inProcess(
      'scores',
      '--campaign',
      'BRVT-2025',
      '--by',
      'all',
      '--format',
      'xml',
    );
    expect(format.status).toBe(2);
    const unknown = await inProcess('scores', '--campaign', 'NOPE', '--by', 'all');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Unknown campaign NOPE.');
  });
});
