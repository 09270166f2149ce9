import { describe, expect, it } from 'vitest';
import { clientAddressResolver, parseAddressBlock } from './client-address.ts';

describe('the client address behind proxies', () => {
  it('is the socket peer, whatever X-Forwarded-For claims, when no proxy is trusted', () => {
    const resolve = clientAddressResolver([]);
    expect(resolve('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(resolve('::ffff:203.0.113.7', undefined)).toBe('203.0.113.7');
    expect(resolve(undefined, '198.51.100.1')).toBeUndefined();
  });

  it('looks through trusted proxies from the right, never believing what the client wrote', () => {
    const resolve = clientAddressResolver(['10.0.0.0/8', '::1', '2001:db8::/32']);
    // The proxy appended the address it was reached from; the client's own claim sits left.
    expect(resolve('10.0.0.5', '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(resolve('::ffff:10.0.0.5', '203.0.113.7')).toBe('203.0.113.7');
    // Two trusted proxies in a row, the nearest over IPv6.
    expect(resolve('::1', '203.0.113.7 , 10.1.2.3')).toBe('203.0.113.7');
    expect(resolve('2001:db8::9', '2001:db8:ffff::1, ::ffff:203.0.113.9')).toBe('203.0.113.9');
    // A peer outside the list is the client, its header only its claim.
    expect(resolve('203.0.113.7', '10.0.0.9')).toBe('203.0.113.7');
    // Only trusted hops: the farthest; no header: the proxy itself.
    expect(resolve('10.0.0.5', '10.0.0.6, 10.0.0.7')).toBe('10.0.0.6');
    expect(resolve('10.0.0.5', undefined)).toBe('10.0.0.5');
    expect(resolve('10.0.0.5', ' , ')).toBe('10.0.0.5');
    // What a trusted proxy relays as it is, even if it is no address.
    expect(resolve('10.0.0.5', 'unknown')).toBe('unknown');
  });

  it('reads addresses and CIDR blocks, and nothing else', () => {
    expect(parseAddressBlock('10.0.0.0/8')).toEqual({
      address: '10.0.0.0',
      prefix: 8,
      family: 'ipv4',
    });
    expect(parseAddressBlock(' ::1 ')).toEqual({ address: '::1', prefix: 128, family: 'ipv6' });
    for (const bad of [
      '10.0.0.0/33',
      '::/129',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      'proxy',
      '10.0.0.0/x',
      '',
    ]) {
      expect(parseAddressBlock(bad), bad).toBeUndefined();
    }
  });
});
