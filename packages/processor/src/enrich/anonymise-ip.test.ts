import { describe, expect, it } from 'vitest';
import { anonymiseIp } from './anonymise-ip.js';

describe('anonymiseIp', () => {
  it('zeroes the last IPv4 octet and the last 80 bits of IPv6 by default', () => {
    expect(anonymiseIp('83.0.12.34')).toBe('83.0.12.0');
    expect(anonymiseIp('2001:db8:85a3:1234:5678:8a2e:370:7334')).toBe('2001:db8:85a3::');
    expect(anonymiseIp('2a02:6b8::feed:1')).toBe('2a02:6b8::');
    expect(anonymiseIp('::ffff:95.108.213.4')).toBe('95.108.213.0');
    expect(anonymiseIp('::1')).toBe('::');
  });

  it('takes other prefix lengths, or drops the address', () => {
    expect(anonymiseIp('83.0.12.34', { mode: 'truncate', ipv4PrefixBits: 16 })).toBe('83.0.0.0');
    expect(anonymiseIp('2001:db8:85a3:1234::1', { mode: 'truncate', ipv6PrefixBits: 56 })).toBe('2001:db8:85a3:1200::');
    expect(anonymiseIp('83.0.12.34', { mode: 'drop' })).toBe('');
  });

  it('stores nothing for something that is not an address', () => {
    expect(anonymiseIp('')).toBe('');
    expect(anonymiseIp('unknown')).toBe('');
    expect(anonymiseIp('1.2.3.4.5')).toBe('');
  });
});
