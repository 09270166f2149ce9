// Test support for self-assessment: a province → district → communes map (and a department
// directly under the province), a three-level framework with `assessment` leaves (one for
// communes only), a round for the district's communes, and a principal of each role.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/database.ts';
import * as units from '../../db/repositories/units.ts';
import { operator, type Principal } from './access.ts';
import { openRound } from './assessments.ts';
import { importFrameworkTree } from './frameworks.ts';
import { importUnits } from './units.ts';

export const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

export const FRAMEWORK = 't-assess';
export const PERIOD = '2025';

/**
 * 50 points: field 1 (30) = 1.1 (10) + 1.2 (20) = 1.2.1 (15) + 1.2.2 (5, communes only); field
 * 2 (20) = 2.1, imported (no assessment).
 */
export const frameworkCsv = () =>
  file(
    'node,name,max,source,applies_to,guidance',
    '1,Chỉ đạo,,,,',
    '1.1,Kế hoạch,10,assessment,,Quyết định ban hành kế hoạch',
    '1.2,Kiểm tra,,,,',
    '1.2.1,Tự kiểm tra,15,assessment,,',
    '1.2.2,Kiểm tra thôn,5,assessment,commune,',
    '2,Hài lòng,,,,',
    '2.1,Khảo sát,20,import,,',
  );

export type Principals = Record<
  'x1' | 'x2' | 'department' | 'district' | 'province' | 'ownAppraiser' | 'admin',
  Principal
>;

/** The map, the framework, a round of T.H's communes (stages parent, top), and principals. */
export async function openAssessmentFixture(
  db: Kysely<Database>,
  deadline: string,
): Promise<Principals> {
  const cli = operator('test');
  await importUnits(
    db,
    cli,
    file(
      'unit,name,parent,type',
      'T,Tỉnh T,,province',
      'T.H,Huyện H,T,district',
      'T.H.X1,Xã X1,T.H,commune',
      'T.H.X2,Xã X2,T.H,commune',
      'T.S,Sở S,T,department',
    ),
  );
  await importFrameworkTree(db, cli, { code: FRAMEWORK }, frameworkCsv());
  await openRound(db, cli, {
    framework: FRAMEWORK,
    period: PERIOD,
    peers: 'T.H',
    deadline,
    stages: ['parent', 'top'],
  });
  let next = 1000;
  const account = async (role: Role, code: string | null): Promise<Principal> => {
    const unit = code === null ? undefined : await units.findUnitByCode(db, code);
    const id = next++;
    return {
      actor: { id: `account:${id}` },
      accountId: id,
      name: `${role}@${code ?? ''}`,
      login: null,
      role,
      unitId: unit?.id ?? null,
      unitCode: code,
    };
  };
  return {
    x1: await account('unit', 'T.H.X1'),
    x2: await account('unit', 'T.H.X2'),
    department: await account('unit', 'T.S'),
    district: await account('appraiser', 'T.H'),
    province: await account('appraiser', 'T'),
    ownAppraiser: await account('appraiser', 'T.H.X1'),
    admin: await account('admin', null),
  };
}
