// `sipas` edits of a campaign after it opened (period, counters, targets, transactions) and
// corrections of mis-keyed forms (void, replace), on the example campaign: what each prints,
// what it stores, and the refusals that keep stored responses inside the campaign.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import { engines, openTestDatabase } from '../../db/testing.ts';
import { openExampleCampaign } from '../services/examples.testing.ts';
import { cliFor } from './testing.ts';

/** A paper form of fixtures/examples/responses.csv at BRVT.STP.Q1, and one at BRVT.SKHDT.Q1. */
const FORM = 'f3952c0b-226b-5501-0fdb-a219946c61bc';
const OTHER_FORM = '90124c47-9755-08c4-d61c-c2ca27a0170a';

describe.each(engines)('sipas campaign edits and form corrections on %s', (engine) => {
  it('moves the period, sets targets and transactions, adds and removes counters', async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    const sipas = cliFor(engine, database.url);
    const folder = mkdtempSync(join(tmpdir(), 'sipas-edits-'));
    try {
      const setup = sipas.open();
      await migrateToLatest(setup.db);
      await openExampleCampaign(setup.db);
      await setup.close();

      // The example's responses run from 2025-03-05 to 2025-10-25.
      expect(await sipas('campaign', 'edit', 'BRVT-2025', '--from', '2025-04-01')).toEqual({
        status: 1,
        stdout: '',
        stderr:
          'The period 2025-04-01 to 2025-12-31 would leave out ' +
          'stored responses, the first on 2025-03-05.\n' +
          'from: a response was stored on 2025-03-05\n',
      });
      expect(
        await sipas(
          ...['campaign', 'edit', 'BRVT-2025', '--to', '2026-01-31'],
          ...['--target', 'BRVT.STP.Q1=30', '--target', 'BRVT.SKHDT.Q1=40'],
        ),
      ).toEqual({
        status: 0,
        stdout: [
          'campaign BRVT-2025: 2025-01-01 to 2026-01-31, 3 counters',
          '  BRVT.CHAUDUC.Q1: target -, transactions 181',
          '  BRVT.SKHDT.Q1: target 40, transactions 319',
          '  BRVT.STP.Q1: target 30, transactions 252',
          '',
        ].join('\n'),
        stderr: '',
      });
      const cleared = await sipas('campaign', 'edit', 'BRVT-2025', '--target', 'BRVT.SKHDT.Q1=');
      expect(cleared.stdout).toContain('  BRVT.SKHDT.Q1: target -, transactions 319\n');
      expect(await sipas('campaign', 'edit', 'BRVT-2025', '--target', 'BRVT.STP.Q1=many')).toEqual(
        expect.objectContaining({ status: 2 }),
      );

      const counters = join(folder, 'counters.csv');
      writeFileSync(counters, 'counter,unit,name\nBRVT.STP.Q2,BRVT.STP,Quầy 2\n');
      expect((await sipas('counters', 'import', counters)).status).toBe(0);
      const added = await sipas(
        ...['campaign', 'counters', 'add', 'BRVT-2025', 'BRVT.STP.Q2'],
        ...['--target', 'BRVT.STP.Q2=10'],
      );
      expect(added.status).toBe(0);
      expect(added.stdout).toMatch(/^campaign BRVT-2025: 2025-01-01 to 2026-01-31, 4 counters\n/);
      expect(added.stdout).toContain('  BRVT.STP.Q2: target 10, transactions -\n');
      const set = await sipas(
        ...['transactions', 'set', '--campaign', 'BRVT-2025'],
        ...['BRVT.STP.Q2=120', 'BRVT.CHAUDUC.Q1=200'],
      );
      expect(set.stdout).toContain('  BRVT.STP.Q2: target 10, transactions 120\n');
      expect(set.stdout).toContain('  BRVT.CHAUDUC.Q1: target -, transactions 200\n');

      // 20 of the example's responses are at BRVT.STP.Q1.
      expect(await sipas('campaign', 'counters', 'remove', 'BRVT-2025', 'BRVT.STP.Q1')).toEqual({
        status: 1,
        stdout: '',
        stderr: 'Counter BRVT.STP.Q1 has 20 responses in campaign BRVT-2025; it stays.\n',
      });
      const removed = await sipas('campaign', 'counters', 'remove', 'BRVT-2025', 'BRVT.STP.Q2');
      expect(removed.stdout).toMatch(/, 3 counters\n/);
      expect(removed.stdout).not.toContain('BRVT.STP.Q2');

      const check = sipas.open();
      try {
        const audited = await check.db
          .selectFrom('audit_log')
          .select('action')
          .where('subject', '=', 'BRVT-2025')
          .where('actor', '=', 'cli')
          .orderBy('id')
          .execute();
        expect(audited.map((a) => a.action)).toEqual([
          'campaign.update',
          'campaign.update',
          'campaign.counters.add',
          'transactions.set',
          'campaign.counters.remove',
        ]);
      } finally {
        await check.close();
      }
    } finally {
      await database.close();
    }
  }, 300_000);

  it('voids a form and replaces another by its number, with a reason', async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    const sipas = cliFor(engine, database.url);
    const folder = mkdtempSync(join(tmpdir(), 'sipas-corrections-'));
    try {
      const setup = sipas.open();
      await migrateToLatest(setup.db);
      await openExampleCampaign(setup.db);
      await setup.close();

      const voided = await sipas(
        ...['responses', 'void', '--campaign', 'BRVT-2025', FORM],
        ...['--reason', 'Nhập nhầm phiếu của quầy khác'],
      );
      expect(voided.status).toBe(0);
      expect(voided.stdout).toMatch(new RegExp(`^form ${FORM}: response \\d+ voided\\n$`));
      const again = await sipas(
        ...['responses', 'void', '--campaign', 'BRVT-2025', FORM, '--reason', 'twice'],
      );
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/cannot be voided or replaced \(\d+ paper voided\)/);
      expect(
        (
          await sipas(
            'responses',
            'void',
            '--campaign',
            'BRVT-2025',
            'no-such-form',
            '--reason',
            'x',
          )
        ).stderr,
      ).toBe('No form numbered no-such-form in campaign BRVT-2025.\n');

      const answers = join(folder, 'answers.json');
      writeFileSync(answers, JSON.stringify({ TC1: 2, TC2: 2, PAQ: 0, HL: 1 }));
      const replaced = await sipas(
        ...['responses', 'replace', '--campaign', 'BRVT-2025', OTHER_FORM, answers],
        ...['--reason', 'Nhập nhầm TC1'],
      );
      expect(replaced.status).toBe(0);
      expect(replaced.stdout).toMatch(
        new RegExp(`^form ${OTHER_FORM}: response \\d+ replaced by \\d+\\n$`),
      );
      const refused = join(folder, 'refused.json');
      writeFileSync(refused, JSON.stringify({ TC1: 9 }));
      const bad = await sipas(
        ...['responses', 'replace', '--campaign', 'BRVT-2025', OTHER_FORM, refused],
        ...['--reason', 'again'],
      );
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('TC1: 9 is not a value of sat5 (1, 2, 3, 4, 5)');
      writeFileSync(refused, '[1, 2]');
      expect(
        (
          await sipas(
            ...['responses', 'replace', '--campaign', 'BRVT-2025', OTHER_FORM, refused],
            ...['--reason', 'again'],
          )
        ).status,
      ).toBe(2);

      const check = sipas.open();
      try {
        const rows = await check.db
          .selectFrom('response')
          .select(['source_id', 'status', 'void_reason', 'answers'])
          .where('source_id', 'in', [FORM, OTHER_FORM])
          .orderBy('id')
          .execute();
        expect(rows.map((r) => [r.source_id, r.status, r.void_reason])).toEqual([
          [FORM, 'voided', 'Nhập nhầm phiếu của quầy khác'],
          [OTHER_FORM, 'replaced', 'Nhập nhầm TC1'],
          [OTHER_FORM, 'valid', null],
        ]);
        const valid = await check.db
          .selectFrom('response')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '=', 'valid')
          .executeTakeFirstOrThrow();
        expect(Number(valid.n)).toBe(59);
      } finally {
        await check.close();
      }
    } finally {
      await database.close();
    }
  }, 300_000);
});
