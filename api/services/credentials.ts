// API tokens (for people and scripts) and counter survey tokens (the secret in a QR code).
// Only SHA-256 hashes are stored: a database dump lets nobody in. Tokens carry 128 bits
// (survey, kept short so the QR code stays easy to scan) or 256 bits (API) of randomness, so a fast
// hash is enough; a lookup by hash is a constant-time comparison by construction.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/database.ts';
import { recordAudit } from '../../db/repositories/audit.ts';
import { findCounterByCode, findUnitByCode } from '../../db/repositories/organisation.ts';
import {
  findAccountByTokenHash,
  insertAccountWithToken,
  replaceCounterToken,
  revokeCounterTokens,
} from '../../db/repositories/tokens.ts';
import { invalid, notFound } from '../errors.ts';

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

const newToken = (bytes: number) => randomBytes(bytes).toString('base64url');

/** A new survey token for a counter's QR code. */
export const newSurveyToken = () => newToken(16);

export interface Actor {
  /** `cli`, or `account:ID`. */
  readonly id: string;
}

export interface Account {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  /** The unit whose subtree the account may reach; null for the whole organisation. */
  readonly unitId: number | null;
  readonly unitCode: string | null;
}

/** The account behind an API token, or undefined for an unknown or revoked token. */
export async function accountForApiToken(
  db: Kysely<Database>,
  token: string,
): Promise<Account | undefined> {
  const row = await findAccountByTokenHash(db, hashToken(token));
  if (!row || row.revoked_at !== null) return undefined;
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    unitId: row.unit_id,
    unitCode: row.unit_code,
  };
}

export async function createApiToken(
  db: Kysely<Database>,
  actor: Actor,
  request: { role: Role; unit?: string; name?: string },
): Promise<string> {
  const token = `sk_${newToken(32)}`;
  await db.transaction().execute(async (trx) => {
    let unitId: number | null = null;
    if (request.unit !== undefined) {
      const unit = await findUnitByCode(trx, request.unit);
      if (!unit) throw notFound(`Unknown unit ${request.unit}.`);
      unitId = unit.id;
    }
    if (request.role === 'admin' && unitId !== null) {
      throw invalid('An admin token is not scoped to a unit.', [
        { path: 'unit', message: 'not allowed with role admin' },
      ]);
    }
    const name = request.name ?? `${request.role}${request.unit ? `@${request.unit}` : ''}`;
    const accountId = await insertAccountWithToken(
      trx,
      { name, role: request.role, unitId },
      hashToken(token),
    );
    await recordAudit(trx, {
      actor: actor.id,
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
  actor: Actor,
  counterCode: string,
): Promise<string> {
  const token = newSurveyToken();
  await db.transaction().execute(async (trx) => {
    const counter = await findCounterByCode(trx, counterCode);
    if (!counter) throw notFound(`Unknown counter ${counterCode}.`);
    await replaceCounterToken(trx, counter.id, hashToken(token));
    await recordAudit(trx, {
      actor: actor.id,
      action: 'counter.issue-token',
      subject: counterCode,
    });
  });
  return token;
}

/** Revokes the counter's survey token: its QR code then answers 410. False if it had none. */
export async function revokeCounterToken(
  db: Kysely<Database>,
  actor: Actor,
  counterCode: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const counter = await findCounterByCode(trx, counterCode);
    if (!counter) throw notFound(`Unknown counter ${counterCode}.`);
    const revoked = await revokeCounterTokens(trx, counter.id);
    if (revoked > 0) {
      await recordAudit(trx, {
        actor: actor.id,
        action: 'counter.revoke-token',
        subject: counterCode,
      });
    }
    return revoked > 0;
  });
}
