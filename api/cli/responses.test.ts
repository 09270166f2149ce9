import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { engines, openTestDatabase } from '../../db/testing.ts';
import { campaignByCode } from '../services/campaigns/index.ts';
import { openExampleCampaign } from '../services/examples.testing.ts';
import { cliFor, type CliResult } from './testing.ts';

const example = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/examples/${name}`, import.meta.url));
const words = (text: string) => text.split(' ');
const bin = fileURLToPath(new URL('../../bin/sipas.js', import.meta.url));

/** The real command, in a process of its own. */
async function spawnSipas(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [status] = await once(child, 'close');
  return { status: typeof status === 'number' ? status : -1, stdout, stderr };
}

async function responseCount(connection: Connection): Promise<number> {
  const rows = await connection.db.selectFrom('response').select('id').execute();
  return rows.length;
}

const BAD_FILE = [
  'response_id,counter,submitted_at,mode,service_area,TC1,TC2,PAQ,PA2,HL',
  'n-1,BRVT.STP.Q1,2025-05-26T15:30:00+07:00,kiosk,TP,5,4,1,4,5',
  'n-2,BRVT.NOPE.Q1,2025-05-26T15:30:00+07:00,kiosk,TP,5,4,1,4,5',
  'n-3,BRVT.STP.Q1,2025-05-26T15:30:00+07:00,kiosk,TP,7,4,1,4,5',
  'n-4,BRVT.STP.Q1,2024-12-31T23:59:00+07:00,kiosk,TP,5,4,1,4,5',
  'n-5,BRVT.STP.Q1,2025-05-26T15:30:00+07:00,kiosk,"Tư',
  'pháp",5,4,0,4,5',
  'n-1,BRVT.STP.Q1,2025-05-27,qr,TP,5,4,1,4,5',
  'n-7,BRVT.STP.Q1,2025-05-26T15:30:00+07:00,qr,"TP"x,5,4,1,4,5',
].join('\n');

const BAD_FILE_REPORT = [
  'The file has 6 problems; nothing was stored.',
  'line 3, column counter: counter BRVT.NOPE.Q1 is not in campaign BRVT-2025',
  'line 4, column TC1: 7 is not a value of sat5 (1, 2, 3, 4, 5)',
  "line 5, column submitted_at: 2024-12-31T23:59:00+07:00 is outside the campaign's period, 2025-01-01 to 2025-12-31 (Vietnam time)",
  'line 6, column PA2: asked only when PAQ is 1: leave it blank',
  'line 8, column response_id: n-1 is also on line 2',
  'line 9, column service_area: text follows the closing quote of a value (write a quote inside a quoted value as "")',
  '',
].join('\n');

describe.each(engines)('sipas data commands on %s', (engine) => {
  it('load the example campaign; a second import is duplicates only and exits 0', async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    const sipas = cliFor(engine, database.url);
    try {
      expect(await sipas('units', 'import', example('units.csv'))).toEqual({
        status: 0,
        stdout: 'units: created 4, updated 0\n',
        stderr: '',
      });
      expect((await sipas('counters', 'import', example('counters.csv'))).stdout).toBe(
        'counters: created 3, updated 0\n',
      );
      const refused = await sipas(
        ...words(
          'campaign create BRVT-2025 --instrument sipas-2017 --from 2025-01-01 --to 2025-12-31 --factor overallItem',
        ),
      );
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^rules\.factor: overallItem needs an overall question/m);
      const created = await sipas(
        ...words(
          'campaign create BRVT-2025 --instrument sipas-2017 --from 2025-01-01 --to 2025-12-31 --counters all --satisfied 5,4',
        ),
      );
      expect(created).toMatchObject({ status: 0, stderr: '' });
      const transactions = words('transactions import --campaign BRVT-2025');
      expect((await sipas(...transactions, example('transactions.csv'))).status).toBe(0);
      const connection = sipas.open();
      try {
        const campaign = await campaignByCode(connection.db, 'BRVT-2025');
        expect(campaign.rules.satisfied).toEqual([4, 5]);
      } finally {
        await connection.close();
      }

      const responses = [
        ...words('responses import --campaign BRVT-2025'),
        example('responses.csv'),
      ];
      expect(await sipas(...responses)).toEqual({
        status: 0,
        stdout: 'stored 60, duplicates 0\n',
        stderr: '',
      });
      const again = await sipas(...responses);
      expect(again.status).toBe(0);
      expect(again.stdout).toBe('stored 0, duplicates 60\n');
      const duplicateLines = again.stderr.trim().split('\n');
      expect(duplicateLines).toHaveLength(60);
      expect(duplicateLines[0]).toBe(
        'duplicate, already stored (skipped): 309d6b79-965e-da32-dae4-45508201e2bd',
      );

      const badFile = join(mkdtempSync(join(tmpdir(), 'sipas-bad-')), 'bad.csv');
      writeFileSync(badFile, BAD_FILE);
      expect(
        await sipas('responses', 'import', '--campaign', 'BRVT-2025', badFile, '--dry-run'),
      ).toEqual({
        status: 1,
        stdout: '',
        stderr: BAD_FILE_REPORT,
      });

      const exported = await sipas('responses', 'export', '--campaign', 'BRVT-2025');
      expect(exported.status).toBe(0);
      const rows: string[][] = parse(exported.stdout);
      expect(rows).toHaveLength(61);
      expect(rows[1]?.slice(0, 5)).toEqual([
        '309d6b79-965e-da32-dae4-45508201e2bd',
        'BRVT.STP.Q1',
        '2025-05-26T15:30:00+07:00',
        'kiosk',
        'TP',
      ]);
      expect(
        (await sipas(...words('responses export --campaign BRVT-2025 --format pdf'))).status,
      ).toBe(2);
      expect((await sipas('units', 'import', '/nonexistent/units.csv')).stderr).toMatch(
        /^Cannot read \/nonexistent\/units.csv \(ENOENT\)/,
      );
    } finally {
      await database.close();
    }
  }, 120_000);

  it('spawned: a bad file exits 1, stores nothing and names each bad row', async () => {
    let open: () => Connection;
    let args: string[] = [];
    let env: NodeJS.ProcessEnv;
    let close = async () => {};
    if (engine === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'sipas-spawn-'));
      open = () => connect({ engine: 'pglite', dataDir });
      const connection = open();
      await migrateToLatest(connection.db);
      await openExampleCampaign(connection.db);
      await connection.close();
      args = ['--data', dataDir];
      env = { ...process.env, DATABASE_URL: '' };
    } else {
      const database = await openTestDatabase(engine);
      await openExampleCampaign(database.db);
      open = () => connect({ engine: 'postgres', databaseUrl: database.url ?? '' });
      env = { ...process.env, DATABASE_URL: database.url };
      close = () => database.close();
    }
    try {
      const badFile = join(mkdtempSync(join(tmpdir(), 'sipas-bad-')), 'bad.csv');
      writeFileSync(badFile, BAD_FILE);
      const result = await spawnSipas(
        ['responses', 'import', '--campaign', 'BRVT-2025', badFile, ...args],
        env,
      );
      expect(result).toEqual({ status: 1, stdout: '', stderr: BAD_FILE_REPORT });
      const connection = open();
      try {
        expect(await responseCount(connection)).toBe(60);
      } finally {
        await connection.close();
      }
    } finally {
      await close();
    }
  }, 120_000);
});
