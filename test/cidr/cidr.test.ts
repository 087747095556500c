import { Cidr, IpVersion } from '../../lib/cidr';
import { blockWithHostBitsCleared, broadcastOf, networkOf } from '../../lib/cidr/cidr';

describe('Cidr', () => {
  test.each([
    ['10.0.0.0/16', IpVersion.IPV4, '10.0.0.0/16'],
    ['10.0.0.77/32', IpVersion.IPV4, '10.0.0.77/32'],
    ['0.0.0.0/0', IpVersion.IPV4, '0.0.0.0/0'],
    ['2600:1f18:0:0::/56', IpVersion.IPV6, '2600:1f18::/56'],
    ['2600:1F18::/56', IpVersion.IPV6, '2600:1f18::/56'],
    ['::/0', IpVersion.IPV6, '::/0'],
    ['2001:db8:0:1:0:0:0:0/64', IpVersion.IPV6, '2001:db8:0:1::/64'],
    ['2001:0:0:1:0:0:0:0/128', IpVersion.IPV6, '2001:0:0:1::/128'],
  ])('parses %s as IPv%s, written %s', (text, version, canonical) => {
    const cidr = Cidr.parse(text);
    expect(cidr.version).toBe(version);
    expect(cidr.toString()).toBe(canonical);
  });

  test.each([
    ['10.0.0.0', /expected <address>\/<prefix length>/],
    ['10.0.0.0/33', /prefix length must be a number from 0 to 32/],
    ['10.0.0/16', /not a valid IPv4 address/],
    ['10.0.0.256/32', /not a valid IPv4 address/],
    ['010.0.0.0/8', /not a valid IPv4 address/],
    ['10.0.0.1/16', /host bits set \(did you mean 10\.0\.0\.0\/16\?\)/],
    ['2600:1f18::1::/56', /not a valid IPv6 address/],
    ['2600:1f18::/129', /from 0 to 128/],
    ['10.0.0.0/16/2', /expected <address>\/<prefix length>/],
    ['10.0.0.0/-1', /prefix length/],
  ])('rejects %s', (text, message) => {
    expect(() => Cidr.parse(text)).toThrow(message);
    expect(Cidr.isValid(text)).toBe(false);
  });

  test('contains: a block contains itself and its sub-blocks, not its super-blocks', () => {
    const vpc = Cidr.parse('10.0.0.0/16');
    expect(vpc.contains(vpc)).toBe(true);
    expect(vpc.contains(Cidr.parse('10.0.0.77/32'))).toBe(true);
    expect(vpc.contains(Cidr.parse('10.0.255.0/24'))).toBe(true);
    expect(vpc.contains(Cidr.parse('10.1.0.0/24'))).toBe(false);
    expect(vpc.contains(Cidr.parse('10.0.0.0/8'))).toBe(false);
    expect(vpc.contains(Cidr.parse('2600:1f18::/56'))).toBe(false);
  });

  test('overlaps: shared addresses in either direction, never across versions', () => {
    const a = Cidr.parse('10.0.0.0/16');
    expect(a.overlaps(Cidr.parse('10.0.128.0/17'))).toBe(true);
    expect(Cidr.parse('10.0.128.0/17').overlaps(a)).toBe(true);
    expect(a.overlaps(Cidr.parse('10.1.0.0/16'))).toBe(false);
    expect(Cidr.parse('10.0.0.0/8').overlaps(Cidr.parse('10.255.255.255/32'))).toBe(true);
    expect(Cidr.parse('::/0').overlaps(Cidr.parse('0.0.0.0/0'))).toBe(false);
    expect(Cidr.parse('2600:1f18::/56').overlaps(Cidr.parse('2600:1f18:0:ff::/64'))).toBe(true);
    expect(Cidr.parse('2600:1f18::/56').overlaps(Cidr.parse('2600:1f18:0:100::/56'))).toBe(false);
  });

  test('isSameBlock compares version, network and prefix', () => {
    expect(Cidr.parse('10.0.0.0/16').isSameBlock(Cidr.parse('10.0.0.0/16'))).toBe(true);
    expect(Cidr.parse('10.0.0.0/16').isSameBlock(Cidr.parse('10.0.0.0/17'))).toBe(false);
    expect(Cidr.parse('2600:1f18::/56').isSameBlock(Cidr.parse('2600:1f18:0:0::/56'))).toBe(true);
    expect(Cidr.parse('0.0.0.0/0').isSameBlock(Cidr.parse('::/0'))).toBe(false);
  });

  test.each([
    ['10.0.0.0/16', '10.0.0.0', 16],
    ['10.0.0.77/32', '10.0.0.77', 32],
    ['2600:1F18:0:0::/56', '2600:1f18::', 56],
    ['::/0', '::', 0],
  ])('%s has the network address %s and prefix length %i', (text, address, prefix) => {
    const cidr = Cidr.parse(text);
    expect(cidr.networkAddress).toBe(address);
    expect(cidr.prefixLength).toBe(prefix);
  });

  test('the internal integer forms give the first and last address of the block', () => {
    expect(networkOf(Cidr.parse('10.0.0.0/16'))).toBe(0x0a000000n);
    expect(broadcastOf(Cidr.parse('10.0.0.0/16'))).toBe(0x0a00ffffn);
    expect(broadcastOf(Cidr.parse('10.0.0.77/32'))).toBe(networkOf(Cidr.parse('10.0.0.77/32')));
    expect(broadcastOf(Cidr.parse('::/0'))).toBe((1n << 128n) - 1n);
  });
});

describe('blockWithHostBitsCleared (internal)', () => {
  test.each<[string, string | undefined]>([
    ['10.2.0.1/16', '10.2.0.0/16'],
    ['192.168.1.77/24', '192.168.1.0/24'],
    ['2600:1f18::1/56', '2600:1f18::/56'],
    ['10.2.0.0/16', undefined], // already a network address
    ['10.2.0.1/33', undefined], // not an address and prefix at all
    ['garbage', undefined],
  ])('%s -> %s', (text, expected) => {
    expect(blockWithHostBitsCleared(text)).toBe(expected);
  });
});
