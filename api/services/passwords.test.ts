import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('staff passwords', () => {
  it('hash with scrypt, a salt of their own and the parameters, and verify', async () => {
    const hash = await hashPassword('mật khẩu dài đủ');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hashPassword('mật khẩu dài đủ')).not.toBe(hash);
    expect(await verifyPassword('mật khẩu dài đủ', hash)).toBe(true);
    expect(await verifyPassword('mật khẩu dài đủ ', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    // The same text in either Unicode normalisation (ậ typed precomposed or not) is one password.
    expect(await verifyPassword('mật khẩu dài đủ'.normalize('NFD'), hash)).toBe(true);
  });

  it('reads the parameters from the stored hash, and refuses one it cannot read', async () => {
    const stored = await hashPassword('another password');
    const [, , , , salt] = stored.split('$');
    const { scryptSync } = await import('node:crypto');
    const cheap = `scrypt$1024$8$1$${salt}$${scryptSync('another password', Buffer.from(salt ?? '', 'base64url'), 32, { N: 1024, r: 8, p: 1 }).toString('base64url')}`;
    expect(await verifyPassword('another password', cheap)).toBe(true);
    expect(await verifyPassword('another password', 'plain text')).toBe(false);
    expect(await verifyPassword('another password', '')).toBe(false);
  });
});
