// API tokens (for people and scripts) and counter survey tokens (the secret in a QR code),
// whole sheets of them for a unit's counters included.
// Only SHA-256 hashes are stored: a database dump lets nobody in. Tokens carry 128 bits
// (survey, kept short so the QR code stays easy to scan) or 256 bits (API) of randomness, so a fast
// hash is enough; a lookup by hash is a constant-time comparison by construction.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Database, Role } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as tokens from '../../db/repositories/tokens.ts';
import type { Db } from '../../db/repositories/kysely.ts';
import * as units from '../../db/repositories/units.ts';
import { fieldErrorsFromZod, invalid, notFound, says, text, unknown } from '../errors.ts';
import { assertCounterInScope, assertUnitInScope, type Principal } from './access.ts';
import { assertScopeInForce, inForce, scopeReviews, type ScopeReview } from './scope-review.ts';

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

const newToken = (bytes: number) => randomBytes(bytes).toString('base64url');

/** A new survey token for a counter's QR code. */
export const newSurveyToken = () => newToken(16);

/**
 * The short code printed under a QR code, for a citizen whose camera fails: 7 letters and digits
 * that cannot be mistaken for one another (no 0/O, 1/I/L), 31⁷ ≈ 2.8 × 10¹⁰ codes. It is derived
 * from the token, so whoever holds the token can print it; it is stored as a second token of the
 * counter (its hash), issued and revoked with the QR token, and `/c/{code}` leads to the survey.
 */
export const SHORT_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const SHORT_CODE_LENGTH = 7;

export function shortCodeOf(token: string): string {
  const digest = createHash('sha256').update(`short-code:${token}`).digest();
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i++) {
    // Two bytes a letter: the modulo's bias is under 1 in 2,000.
    code += SHORT_CODE_ALPHABET[digest.readUInt16BE(2 * i) % SHORT_CODE_ALPHABET.length];
  }
  return code;
}

/** A code as a citizen types it (any case, spaces or dashes), or undefined if it cannot be one. */
export function normalShortCode(typed: string): string | undefined {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  const pattern = new RegExp(`^[${SHORT_CODE_ALPHABET}]{${SHORT_CODE_LENGTH}}$`);
  return pattern.test(code) ? code : undefined;
}

/**
 * What a typed short code leads to: the survey address's token (the code itself, which is a
 * token of the counter), or why not.
 */
export async function surveyTokenForShortCode(
  db: Kysely<Database>,
  typed: string,
): Promise<{ found: 'survey'; token: string } | { found: 'nothing' | 'replaced' }> {
  const code = normalShortCode(typed);
  if (code === undefined) return { found: 'nothing' };
  const counter = await counters.findSurveyCounter(db, hashToken(code));
  if (!counter || counter.kind !== 'code') return { found: 'nothing' };
  return counter.revoked_at === null ? { found: 'survey', token: code } : { found: 'replaced' };
}

/**
 * Replaces the counter's survey token and short code: a new token whose short code was never
 * issued before (a collision is rare, but a code must name one counter only).
 */
async function replaceSurveyToken(trx: Db, counterId: number): Promise<string> {
  for (;;) {
    const token = newSurveyToken();
    const codeHash = hashToken(shortCodeOf(token));
    if (await tokens.findCounterTokenByHash(trx, codeHash)) continue;
    await tokens.replaceCounterToken(trx, counterId, hashToken(token), codeHash);
    return token;
  }
}

export interface Actor {
  /** `cli`, or `account:ID`. */
  readonly id: string;
}

export interface Account {
  readonly id: number;
  readonly name: string;
  /** A staff account's sign-in name; null for an API token's own account. */
  readonly login: string | null;
  readonly role: Role;
  /** The unit whose subtree the account may reach; null for the whole organisation. */
  readonly unitId: number | null;
  readonly unitCode: string | null;
}

/** A token's last use is written at most this often, not on every request. */
const RECORD_USE_EVERY_MS = 60_000;

/**
 * The account behind an API token, or undefined for an unknown or revoked token or a disabled
 * account. Notes the token's use, at most once a minute.
 */
export async function accountForApiToken(
  db: Kysely<Database>,
  token: string,
): Promise<Account | undefined> {
  const row = await tokens.findAccountByTokenHash(db, hashToken(token));
  if (!row || row.revoked_at !== null || row.disabled_at !== null) return undefined;
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() >= RECORD_USE_EVERY_MS) {
    await tokens.recordTokenUse(db, row.token_id);
  }
  return {
    id: row.id,
    name: row.name,
    login: row.login,
    role: row.role,
    unitId: row.unit_id,
    unitCode: row.unit_code,
  };
}

/**
 * An API token is named by the first hex digits of its SHA-256 digest, the only form stored:
 * `printf %s "$TOKEN" | sha256sum` gives it from the token. Twelve digits tell thousands of
 * tokens apart; a revocation takes six or more, and refuses a prefix that names several.
 */
const TOKEN_PREFIX_DIGITS = 12;

const tokenPrefixSchema = z
  .string()
  .regex(
    /^[0-9a-fA-F]{6,64}$/,
    says(
      text(
        'từ 6 đến 64 chữ số thập lục phân của mã băm SHA-256 của mã API',
        "from 6 to 64 hexadecimal digits of the token's SHA-256 digest",
      ),
    ),
  )
  .transform((prefix) => prefix.toLowerCase());

export const tokenPrefixOf = (token: string) =>
  hashToken(token).toString('hex').slice(0, TOKEN_PREFIX_DIGITS);

export interface ApiTokenEntry {
  readonly prefix: string;
  /** The account's name (`--name`, or the role and unit by default). */
  readonly name: string;
  readonly role: Role;
  /** The unit whose subtree it reaches; null for the whole organisation. */
  readonly unit: string | null;
  /** Its unit has ended (a reorganisation): an admin reviews its scope (scope-review.ts). */
  readonly scopeNeedsReview: boolean;
  /** The codes of the ended unit's successors, by lineage; empty otherwise. */
  readonly scopeSuccessors: string[];
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  /** To the minute: a token's use is noted at most once a minute. */
  readonly lastUsedAt: Date | null;
  /**
   * Who created it: a staff account's login, or the name of the API token's account that
   * did; null: the command line.
   */
  readonly owner: string | null;
}

const entryOf = (
  row: Awaited<ReturnType<typeof tokens.listApiTokens>>[number],
  review: ScopeReview,
): ApiTokenEntry => ({
  prefix: Buffer.from(row.token_hash).toString('hex').slice(0, TOKEN_PREFIX_DIGITS),
  name: row.name,
  role: row.role,
  unit: row.unit_code,
  ...review,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
  owner: row.owner_login ?? row.owner_name,
});

/**
 * Every API token, revoked ones included, oldest first: never the token, only its prefix;
 * with a prefix, only the tokens whose digest begins with it.
 */
export async function listApiTokenEntries(
  db: Kysely<Database>,
  prefix?: string,
): Promise<ApiTokenEntry[]> {
  const rows = await tokens.listApiTokens(db, prefix);
  const review = await scopeReviews(
    db,
    rows.map((row) => row.unit_id),
  );
  return rows.map((row) => entryOf(row, review(row.unit_id)));
}

/**
 * Revokes the one API token whose digest begins with the prefix: its next request gets 401.
 * Revoking a revoked token changes nothing and records nothing.
 */
export async function revokeApiTokenByPrefix(
  db: Kysely<Database>,
  principal: Principal,
  prefix: string,
): Promise<{ token: ApiTokenEntry; revoked: boolean }> {
  const parsed = tokenPrefixSchema.safeParse(prefix);
  if (!parsed.success) {
    throw invalid(
      text(`${prefix} không phải tiền tố của mã API.`, `${prefix} is not a token prefix.`),
      fieldErrorsFromZod(parsed.error, ['prefix']),
    );
  }
  return db.transaction().execute(async (trx) => {
    const rows = await tokens.listApiTokens(trx, parsed.data);
    const [row, ...others] = rows;
    if (!row) {
      throw notFound(
        text(
          `Không có mã API nào có tiền tố bắt đầu bằng ${parsed.data}.`,
          `No API token's prefix begins with ${parsed.data}.`,
        ),
      );
    }
    if (others.length > 0) {
      const matches = rows.map((r) => entryOf(r, inForce).prefix).join(', ');
      throw invalid(
        text(
          `Tiền tố ${parsed.data} khớp với ${rows.length} mã API.`,
          `The prefix ${parsed.data} matches ${rows.length} API tokens.`,
        ),
        [
          {
            path: 'prefix',
            message: text(
              `khớp với ${matches}: hãy nhập thêm ký tự`,
              `matches ${matches}: give more digits`,
            ),
          },
        ],
      );
    }
    const revoked = await tokens.revokeApiToken(trx, row.id);
    if (revoked) {
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: 'token.revoke',
        subject: `account:${row.account_id}`,
        detail: { prefix: entryOf(row, inForce).prefix },
      });
    }
    const [after = row] = await tokens.listApiTokens(trx, parsed.data);
    const review = await scopeReviews(trx, [after.unit_id]);
    return { token: entryOf(after, review(after.unit_id)), revoked };
  });
}

/**
 * A new API token acting for a new account of the role and unit; the token is returned once
 * and only its digest is stored. Its owner is the staff account that asked, if one did.
 */
export async function createApiToken(
  db: Kysely<Database>,
  principal: Principal,
  request: { role: Role; unit?: string | undefined; name?: string | undefined },
): Promise<string> {
  const token = `sk_${newToken(32)}`;
  await db.transaction().execute(async (trx) => {
    let unitId: number | null = null;
    if (request.unit !== undefined) {
      const unit = await units.findUnitByCode(trx, request.unit);
      if (!unit) throw unknown('unit', request.unit);
      await assertScopeInForce(trx, unit);
      unitId = unit.id;
    }
    if (request.role === 'admin' && unitId !== null) {
      throw invalid(
        text(
          'Mã của vai trò admin không giới hạn theo đơn vị.',
          'An admin token is not scoped to a unit.',
        ),
        [
          {
            path: 'unit',
            message: text('không dùng với vai trò admin', 'not allowed with role admin'),
          },
        ],
      );
    }
    const name = request.name ?? `${request.role}${request.unit ? `@${request.unit}` : ''}`;
    const accountId = await tokens.insertAccountWithToken(
      trx,
      { name, role: request.role, unitId },
      hashToken(token),
      principal.accountId,
    );
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'token.create',
      subject: `account:${accountId}`,
      detail: { role: request.role, unit: request.unit ?? null },
    });
  });
  return token;
}

/** Issues a new survey token for the counter, revoking its previous one. */
export async function issueCounterToken(
  db: Kysely<Database>,
  principal: Principal,
  counterCode: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await assertCounterInScope(trx, principal, counterCode);
    const counter = await counters.findCounterByCode(trx, counterCode);
    if (!counter) throw unknown('counter', counterCode);
    const token = await replaceSurveyToken(trx, counter.id);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'counter.issue-token',
      subject: counterCode,
    });
    return token;
  });
}

/** Revokes the counter's survey token: its QR code then answers 410. False if it had none. */
export async function revokeCounterToken(
  db: Kysely<Database>,
  principal: Principal,
  counterCode: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await assertCounterInScope(trx, principal, counterCode);
    const counter = await counters.findCounterByCode(trx, counterCode);
    if (!counter) throw unknown('counter', counterCode);
    const revoked = await tokens.revokeCounterTokens(trx, counter.id);
    if (revoked > 0) {
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: 'counter.revoke-token',
        subject: counterCode,
      });
    }
    return revoked > 0;
  });
}

/** Whether `token` is the counter's current survey token (so its QR code may be drawn). */
export async function isCurrentCounterToken(
  db: Kysely<Database>,
  principal: Principal,
  counterCode: string,
  token: string,
): Promise<boolean> {
  await assertCounterInScope(db, principal, counterCode);
  const counter = await counters.findSurveyCounter(db, hashToken(token));
  // A short code is no QR token: its QR code is not drawn.
  return (
    counter !== undefined &&
    counter.code === counterCode &&
    counter.revoked_at === null &&
    counter.kind === 'qr'
  );
}

export interface IssuedToken {
  counter: { code: string; name: string };
  token: string;
}

/**
 * Issues a fresh survey token for every counter of the unit (not of the units under it), in
 * one transaction, revoking their previous ones: what a printed sheet of QR codes needs.
 */
export async function issueUnitTokens(
  db: Kysely<Database>,
  principal: Principal,
  unitCode: string,
): Promise<{ unit: { code: string; name: string }; tokens: IssuedToken[] }> {
  return db.transaction().execute(async (trx) => {
    await assertUnitInScope(trx, principal, unitCode);
    const unit = await units.findUnitByCode(trx, unitCode);
    if (!unit) throw unknown('unit', unitCode);
    const unitCounters = (await counters.listCountersWithUnits(trx)).filter(
      (row) => row.unit_id === unit.id,
    );
    const issued: IssuedToken[] = [];
    for (const counter of unitCounters) {
      const token = await replaceSurveyToken(trx, counter.id);
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: 'counter.issue-token',
        subject: counter.code,
        detail: { sheet: unitCode },
      });
      issued.push({ counter: { code: counter.code, name: counter.name }, token });
    }
    return { unit: { code: unit.code, name: unit.name }, tokens: issued };
  });
}
