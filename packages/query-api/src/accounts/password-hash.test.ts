import { describe, expect, it } from 'vitest';
import { createDummyHash, DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password-hash.js';
import { TEST_SCRYPT } from './account-test-app.js';

describe('password hashes (scrypt)', () => {
  it('verifies the password it hashed and nothing else; salts differ', async () => {
    const a = await hashPassword('correct horse battery', TEST_SCRYPT);
    const b = await hashPassword('correct horse battery', TEST_SCRYPT);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('the same characters in another Unicode normal form match (NFC before hashing)', async () => {
    const hash = await hashPassword('caf\u00e9 au lait!', TEST_SCRYPT);
    expect(await verifyPassword('cafe\u0301 au lait!', hash)).toBe(true);
  });

  it('a malformed stored value never matches, never throws', async () => {
    for (const stored of ['', 'scrypt$', 'plain', 'scrypt$1024$8$1$AAAA', 'bcrypt$10$x$y$z$w']) expect(await verifyPassword('x', stored)).toBe(false);
  });

  it('the dummy hash for unknown emails has the real parameters (so it costs the same) and matches no password', async () => {
    const dummy = await createDummyHash(DEFAULT_SCRYPT)();
    expect(dummy.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect(await verifyPassword('', dummy)).toBe(false);
  });
});
