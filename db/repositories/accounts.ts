// Staff accounts: those with a login, who sign in with a password (or an identity provider).
import { sql } from 'kysely';
import type { Role } from '../database.ts';
import type { Db } from './kysely.ts';

const staffAccounts = (db: Db) =>
  db
    .selectFrom('account as a')
    .leftJoin('unit as u', 'u.id', 'a.unit_id')
    .select([
      'a.id',
      'a.login',
      'a.name',
      'a.role',
      'a.unit_id',
      'u.code as unit_code',
      'a.password_hash',
      'a.disabled_at',
      'a.created_at',
      'a.changed_at',
    ])
    .where('a.login', 'is not', null);

export async function listStaffAccounts(db: Db) {
  return staffAccounts(db)
    .orderBy(sql`lower(a.login)`)
    .execute();
}

/** The staff account whose login is this one, whatever the case of either. */
export async function findStaffAccountByLogin(db: Db, login: string) {
  return staffAccounts(db)
    .where(sql<string>`lower(a.login)`, '=', login.toLowerCase())
    .executeTakeFirst();
}

export async function findStaffAccountById(db: Db, id: number) {
  return staffAccounts(db).where('a.id', '=', id).executeTakeFirst();
}

export async function insertStaffAccount(
  db: Db,
  account: {
    login: string;
    name: string;
    role: Role;
    unitId: number | null;
    /** Null: no password sign-in (single sign-on only). */
    passwordHash: string | null;
  },
): Promise<number> {
  const { id } = await db
    .insertInto('account')
    .values({
      login: account.login,
      name: account.name,
      role: account.role,
      unit_id: account.unitId,
      password_hash: account.passwordHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function setDisabled(db: Db, id: number, disabled: boolean): Promise<void> {
  await db
    .updateTable('account')
    .set({ disabled_at: disabled ? new Date() : null, changed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function setPasswordHash(db: Db, id: number, passwordHash: string): Promise<void> {
  await db
    .updateTable('account')
    .set({ password_hash: passwordHash, changed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Whether any admin account that can sign in (a staff account, not disabled) exists. */
export async function hasActiveAdmin(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('account')
    .select('id')
    .where('role', '=', 'admin')
    .where('login', 'is not', null)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
