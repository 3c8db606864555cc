import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashedEmail, hashedPhone, normaliseEmail, normalisePhone } from './contact-hashing.js';

describe('normaliseEmail', () => {
  it('trims and lowercases', () => {
    expect(normaliseEmail('  Alice@Example.COM ')).toBe('alice@example.com');
  });
  it('keeps dots and +suffixes outside Gmail', () => {
    expect(normaliseEmail('first.last+news@example.com')).toBe('first.last+news@example.com');
  });
  it('drops dots and +suffix in gmail.com and googlemail.com local parts', () => {
    expect(normaliseEmail(' John.Doe+shop@GoogleMail.com ')).toBe('johndoe@googlemail.com');
    expect(normaliseEmail('b.o.b@gmail.com')).toBe('bob@gmail.com');
    expect(normaliseEmail('B.O.B+X.Y@GMAIL.COM')).toBe('bob@gmail.com');
  });
  it('rejects what is not an address', () => {
    for (const bad of ['', 'nobody', '@example.com', 'a@', 'a b@example.com', '+x@gmail.com']) expect(normaliseEmail(bad)).toBeNull();
  });
});

describe('normalisePhone', () => {
  it('E.164 from + or 00, separators removed', () => {
    expect(normalisePhone('+49 (170) 123-4567')).toBe('+491701234567');
    expect(normalisePhone(' 0049 30 1234567')).toBe('+49301234567');
    expect(normalisePhone('+1.650.555.0100')).toBe('+16505550100');
  });
  it('skips national numbers, letters, too short or too long', () => {
    for (const bad of ['030 1234567', '+49 abc', '+123', '+1234567890123456', '+0 170 1234567']) expect(normalisePhone(bad)).toBeNull();
  });
});

describe('hashing', () => {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  it('hashes the normalised value, so spelling variants of one address give one hash', () => {
    expect(hashedEmail(' J.O.H.N+x@Gmail.com', '')).toBe(sha('john@gmail.com'));
    expect(hashedEmail('john@gmail.com', '')).toBe(hashedEmail('JOHN@GMAIL.COM ', ''));
    expect(hashedPhone('0044 20 7946 0958')).toBe(sha('+442079460958'));
  });
  it('falls back to a pre-hashed email (lowercased hex), ignores anything else', () => {
    const h = sha('x@example.com');
    expect(hashedEmail('', h.toUpperCase())).toBe(h);
    expect(hashedEmail('', 'not-a-hash')).toBeNull();
    expect(hashedPhone('')).toBeNull();
  });
});
