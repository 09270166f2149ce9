// Staff accounts (issue 14): an admin creates them with a login, a display name, a role and
// the unit subtree they reach, disables and enables them, and resets their passwords; each
// person changes their own. Every change is audited. Disabling an account ends its sessions
// at once, and its API tokens stop working (api/services/credentials.ts).
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { ROLES, type Db, type Role } from '../../db/database.ts';
import * as accounts from '../../db/repositories/accounts.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as sessions from '../../db/repositories/sessions.ts';
import * as units from '../../db/repositories/units.ts';
import { NAME_MAX } from '../../shared/rules.ts';
import { conflict, DomainError, invalid, notFound, parseInput, says, text } from '../errors.ts';
import type { Principal } from './access.ts';
import { hashToken, type Account } from './credentials.ts';
import { assertScopeInForce, inForce, scopeReviews, type ScopeReview } from './scope-review.ts';
import {
  decoyHash,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from './passwords.ts';

export const LOGIN_MAX = 64;

export const loginSchema = z
  .string()
  .trim()
  .regex(
    new RegExp(`^[A-Za-z0-9][A-Za-z0-9._@-]{1,${LOGIN_MAX - 1}}$`),
    says(
      text(
        'từ 2 đến 64 ký tự: chữ không dấu, số, dấu chấm, gạch, @',
        '2 to 64 letters, digits, dots, dashes or @',
      ),
    ),
  );

export const passwordSchema = z
  .string()
  .min(
    PASSWORD_MIN_LENGTH,
    says(
      text(
        `mật khẩu cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự`,
        `at least ${PASSWORD_MIN_LENGTH} characters`,
      ),
    ),
  )
  .max(
    PASSWORD_MAX_LENGTH,
    says(text(`tối đa ${PASSWORD_MAX_LENGTH} ký tự`, `at most ${PASSWORD_MAX_LENGTH}`)),
  );

const displayNameSchema = z
  .string()
  .trim()
  .min(1, says(text('không được để trống', 'required')))
  .max(NAME_MAX);

export const newAccountSchema = z.strictObject({
  login: loginSchema,
  name: displayNameSchema,
  role: z.enum(ROLES),
  unit: z.string().min(1).optional(),
  /** None: the account signs in by single sign-on only, until an admin sets one. */
  password: passwordSchema.optional(),
});
export type NewAccount = z.input<typeof newAccountSchema>;

export const passwordChangeSchema = z.strictObject({
  current: z.string().max(PASSWORD_MAX_LENGTH),
  password: passwordSchema,
});

export const passwordResetSchema = z.strictObject({ password: passwordSchema });

export interface AccountEntry {
  readonly login: string;
  readonly name: string;
  readonly role: Role;
  readonly unit: string | null;
  /** Its unit has ended (a reorganisation): an admin reviews its scope (scope-review.ts). */
  readonly scopeNeedsReview: boolean;
  /** The codes of the ended unit's successors, by lineage; empty otherwise. */
  readonly scopeSuccessors: string[];
  /** Whether it may sign in with a password; without, by single sign-on only. */
  readonly hasPassword: boolean;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  readonly changedAt: Date;
}

type Row = NonNullable<Awaited<ReturnType<typeof accounts.findStaffAccountById>>>;

const entryOf = (row: Row, review: ScopeReview = inForce): AccountEntry => ({
  login: row.login ?? '',
  name: row.name,
  role: row.role,
  unit: row.unit_code,
  ...review,
  hasPassword: row.password_hash !== null,
  disabledAt: row.disabled_at,
  createdAt: row.created_at,
  changedAt: row.changed_at,
});

function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      text('Chỉ quản trị viên quản lý tài khoản.', 'Only an admin manages accounts.'),
    );
  }
}

/** The unit a new account of the role reaches: none for an admin, one for every other role. */
async function scopeOf(db: Db, role: Role, unitCode: string | undefined): Promise<number | null> {
  if (role === 'admin') {
    if (unitCode !== undefined) {
      throw invalid(text('Tài khoản quản trị không gắn với đơn vị.', 'An admin has no unit.'), [
        {
          path: 'unit',
          message: text(
            'quản trị viên thấy toàn bộ tổ chức',
            'an admin reaches the whole organisation',
          ),
        },
      ]);
    }
    return null;
  }
  if (unitCode === undefined) {
    throw invalid(text(`Vai trò ${role} cần một đơn vị.`, `Role ${role} needs a unit.`), [
      {
        path: 'unit',
        message: text(`bắt buộc với vai trò ${role}`, `required for role ${role}`),
      },
    ]);
  }
  const unit = await units.findUnitByCode(db, unitCode);
  if (!unit) {
    throw invalid(text(`Không có đơn vị ${unitCode}.`, `Unknown unit ${unitCode}.`), [
      { path: 'unit', message: text(`không có đơn vị ${unitCode}`, `no unit ${unitCode}`) },
    ]);
  }
  await assertScopeInForce(db, unit);
  return unit.id;
}

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

const duplicateLogin = (login: string) =>
  conflict(text(`Tên đăng nhập ${login} đã có.`, `The login ${login} is taken.`));

async function insertAccount(db: Db, actor: string, request: z.output<typeof newAccountSchema>) {
  if (await accounts.findStaffAccountByLogin(db, request.login)) {
    throw duplicateLogin(request.login);
  }
  const unitId = await scopeOf(db, request.role, request.unit);
  const id = await accounts.insertStaffAccount(db, {
    login: request.login,
    name: request.name,
    role: request.role,
    unitId,
    passwordHash: request.password === undefined ? null : await hashPassword(request.password),
  });
  await audit.recordAudit(db, {
    actor,
    action: 'account.create',
    subject: `account:${id}`,
    detail: {
      login: request.login,
      role: request.role,
      unit: request.unit ?? null,
      password: request.password !== undefined,
    },
  });
  const row = await accounts.findStaffAccountById(db, id);
  if (!row) throw notFound(text(`Không có tài khoản ${id}.`, `Unknown account ${id}.`));
  return entryOf(row);
}

/** Creates a staff account; 409 for a login taken (whatever its case), 422 for bad fields. */
export async function createAccount(
  db: Db,
  principal: Principal,
  input: unknown,
): Promise<AccountEntry> {
  assertAdmin(principal);
  const request = parseInput(
    newAccountSchema,
    input,
    text('Tài khoản không hợp lệ.', 'Invalid account.'),
  );
  try {
    return await db.transaction().execute((trx) => insertAccount(trx, principal.actor.id, request));
  } catch (error) {
    // Two admins creating the same login at once: the unique index refuses the second.
    if (isUniqueViolation(error)) throw duplicateLogin(request.login);
    throw error;
  }
}

export async function listAccounts(db: Db, principal: Principal): Promise<AccountEntry[]> {
  assertAdmin(principal);
  const rows = await accounts.listStaffAccounts(db);
  const review = await scopeReviews(
    db,
    rows.map((row) => row.unit_id),
  );
  return rows.map((row) => entryOf(row, review(row.unit_id)));
}

async function requireAccount(db: Db, login: string): Promise<Row> {
  const row = await accounts.findStaffAccountByLogin(db, login);
  if (!row) throw notFound(text(`Không có tài khoản ${login}.`, `Unknown account ${login}.`));
  return row;
}

/**
 * Disables (ending its sessions; its API tokens stop working) or enables an account. An admin
 * cannot disable their own account, so that the last one cannot lock everyone out.
 */
export async function setAccountDisabled(
  db: Db,
  principal: Principal,
  login: string,
  disabled: boolean,
): Promise<AccountEntry> {
  assertAdmin(principal);
  return db.transaction().execute(async (trx) => {
    const row = await requireAccount(trx, login);
    if (disabled && row.id === principal.accountId) {
      throw conflict(
        text('Không thể tự khóa tài khoản của mình.', 'You cannot disable your own account.'),
      );
    }
    if ((row.disabled_at !== null) !== disabled) {
      await accounts.setDisabled(trx, row.id, disabled);
      if (disabled) await sessions.deleteAccountSessions(trx, row.id);
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: disabled ? 'account.disable' : 'account.enable',
        subject: `account:${row.id}`,
        detail: { login: row.login },
      });
    }
    return entryOf(await requireAccount(trx, login));
  });
}

/**
 * An admin sets another account's password (a first one, for an account that signed in by
 * single sign-on only); that account's sessions end.
 */
export async function resetPassword(
  db: Db,
  principal: Principal,
  login: string,
  input: unknown,
): Promise<void> {
  assertAdmin(principal);
  const { password } = parseInput(
    passwordResetSchema,
    input,
    text('Mật khẩu không hợp lệ.', 'Invalid password.'),
  );
  await db.transaction().execute(async (trx) => {
    const row = await requireAccount(trx, login);
    await accounts.setPasswordHash(trx, row.id, await hashPassword(password));
    await sessions.deleteAccountSessions(trx, row.id);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'account.reset-password',
      subject: `account:${row.id}`,
      detail: { login: row.login },
    });
  });
}

/** A person changes their own password, giving the current one. */
export async function changeOwnPassword(
  db: Db,
  principal: Principal,
  input: unknown,
): Promise<void> {
  const request = parseInput(
    passwordChangeSchema,
    input,
    text('Mật khẩu không hợp lệ.', 'Invalid password.'),
  );
  const row =
    principal.accountId === null
      ? undefined
      : await accounts.findStaffAccountById(db, principal.accountId);
  if (!row?.password_hash) {
    throw invalid(
      text('Tài khoản này không đăng nhập bằng mật khẩu.', 'This account has no password.'),
    );
  }
  if (!(await verifyPassword(request.current, row.password_hash))) {
    throw invalid(text('Mật khẩu hiện tại không đúng.', 'The current password is wrong.'), [
      { path: 'current', message: text('không đúng', 'wrong') },
    ]);
  }
  await db.transaction().execute(async (trx) => {
    await accounts.setPasswordHash(trx, row.id, await hashPassword(request.password));
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'account.change-password',
      subject: `account:${row.id}`,
    });
  });
}

/**
 * The account whose login and password these are, or undefined: for a malformed or unknown
 * login, a wrong password, an account without one (single sign-on only) and a disabled account
 * alike, taking about as long in each case. A refusal is audited as `session.sign-in-refused`
 * with the login as given and the reason, never the password.
 */
export async function checkPassword(
  db: Db,
  login: string,
  password: string,
): Promise<Account | undefined> {
  const parsed = loginSchema.safeParse(login);
  const row = parsed.success ? await accounts.findStaffAccountByLogin(db, parsed.data) : undefined;
  const right = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
  if (row?.password_hash && right && row.disabled_at === null) return accountOf(row);
  await audit.recordAudit(db, {
    actor: 'anonymous',
    action: 'session.sign-in-refused',
    subject: row ? `account:${row.id}` : `login:${login}`,
    detail: {
      login,
      method: 'password',
      reason: !row
        ? 'unknown-login'
        : !row.password_hash
          ? 'no-password'
          : !right
            ? 'wrong-password'
            : 'disabled',
    },
  });
  return undefined;
}

const accountOf = (row: Row): Account => ({
  id: row.id,
  name: row.name,
  login: row.login,
  role: row.role,
  unitId: row.unit_id,
  unitCode: row.unit_code,
});

// The first admin: while no admin can sign in, the server prints a one-time link at start-up.
/** How long a first-admin link works. */
export const SETUP_LINK_MS = 60 * 60 * 1000;

/**
 * A new one-time first-admin token (only its digest is stored), valid for an hour; undefined
 * when an admin who can sign in exists already.
 */
export async function issueSetupToken(db: Db): Promise<string | undefined> {
  if (await accounts.hasActiveAdmin(db)) return undefined;
  const token = randomBytes(24).toString('base64url');
  await sessions.insertSetupToken(db, hashToken(token), new Date(Date.now() + SETUP_LINK_MS));
  return token;
}

/** The first admin signs in at once, with a password: it is required here. */
export const setupSchema = newAccountSchema.omit({ role: true, unit: true }).extend({
  token: z.string().min(1).max(200),
  password: passwordSchema,
});

/**
 * Creates the first admin with a setup token: once, within the hour, and only while no admin
 * can sign in. Returns the new account, for a session.
 */
export async function completeSetup(db: Db, input: unknown): Promise<Account> {
  const request = parseInput(
    setupSchema,
    input,
    text('Tài khoản không hợp lệ.', 'Invalid account.'),
  );
  return db.transaction().execute(async (trx) => {
    const usable =
      !(await accounts.hasActiveAdmin(trx)) &&
      (await sessions.useSetupToken(trx, hashToken(request.token)));
    if (!usable) {
      throw new DomainError(
        'forbidden',
        text(
          'Liên kết khởi tạo không hợp lệ, đã dùng hoặc đã hết hạn; hãy khởi động lại máy chủ ' +
            'để có liên kết mới.',
          'The setup link is unknown, used or expired; restart the server for a new one.',
        ),
      );
    }
    const entry = await insertAccount(trx, 'setup', { ...request, role: 'admin' });
    const row = await accounts.findStaffAccountByLogin(trx, entry.login);
    if (!row)
      throw notFound(text(`Không có tài khoản ${entry.login}.`, `Unknown account ${entry.login}.`));
    return accountOf(row);
  });
}
