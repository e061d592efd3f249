/**
 * @fileoverview The interval-set algebra of the policy evaluation: address parsing and overlap tests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL, addrIntersect, addrEmpty, addrOverlaps, addrToString, ivFrom, ivIntersect, ivOverlaps, ivSubtract, parseAddress, v4CidrOverlaps, type AddrSet } from '../../server/src/core/policy/sets';

test('parseAddress reads IPv4 hosts, prefixes and ranges exactly', () => {
  const cases: [string, AddrSet | undefined][] = [
    ['10.0.0.1', { v4: [167772161, 167772162], v6: [] }],
    ['10.0.0.1/32', { v4: [167772161, 167772162], v6: [] }],
    ['10.1.2.3/8', { v4: [167772160, 184549376], v6: [] }],
    ['0.0.0.0/0', { v4: [0, 4294967296], v6: [] }],
    ['255.255.255.255', { v4: [4294967295, 4294967296], v6: [] }],
    ['010.000.000.001', { v4: [167772161, 167772162], v6: [] }],
    [' 192.168.1.1 ', { v4: [3232235777, 3232235778], v6: [] }],
    ['192.168.1.10-192.168.1.20', { v4: [3232235786, 3232235797], v6: [] }],
    ['192.168.1.20-192.168.1.10', undefined],
    ['256.0.0.1', undefined],
    ['1.2.3', undefined],
    ['1.2.3.4.5', undefined],
    ['1..2.3', undefined],
    ['1234.1.1.1', undefined],
    ['1.2.3.4/33', undefined],
    ['1.2.3.4/', undefined],
    ['10.0.0.0/024', { v4: [167772160, 167772416], v6: [] }],
    ['1.2.3.4/3a', undefined],
    ['1.2.3.4/0032', undefined],
    ['1.2.3.4/ 8', undefined],
    ['1.2.3.4x', undefined],
    ['+1.2.3.4', undefined],
    ['１.2.3.4', undefined],
    ['', undefined],
    ['web-server', undefined],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseAddress(text), want, text);
});

test('IPv4 reading agrees with the dotted-quad grammar on random strings', () => {
  const grammar = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
  const junk = ' a+:x';
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 16) % n;
  };
  let valid = 0;
  for (let k = 0; k < 20000; k++) {
    // Dot-separated runs of 0-4 digits (3-5 of them), now and then a stray character.
    const parts: string[] = [];
    for (let i = 3 + rnd(3); i > 0; i--) {
      let d = '';
      for (let j = rnd(5); j > 0; j--) d += String(rnd(10) < 3 ? 2 + rnd(4) : rnd(10));
      parts.push(d);
    }
    let s = parts.join('.');
    if (rnd(6) === 0) {
      const at = rnd(s.length + 1);
      s = s.slice(0, at) + junk[rnd(junk.length)] + s.slice(at);
    }
    if (s.trim() !== s) continue;
    const m = grammar.exec(s);
    const octets = m?.slice(1).map(Number);
    const want = octets && octets.every((o) => o <= 255) ? octets.reduce((n, o) => n * 256 + o, 0) : undefined;
    assert.deepEqual(parseAddress(s), want === undefined ? undefined : { v4: [want, want + 1], v6: [] }, s);
    if (want !== undefined) valid++;
  }
  assert.ok(valid > 50, `only ${valid} valid addresses generated`);
});

test('ivOverlaps and addrOverlaps agree with a non-empty intersection', () => {
  let seed = 11;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 16) % n;
  };
  const randomSet = (): number[] => {
    const pairs: [number, number][] = [];
    for (let i = rnd(4); i > 0; i--) {
      const s = rnd(40);
      pairs.push([s, s + 1 + rnd(6)]);
    }
    return ivFrom(pairs);
  };
  let overlapping = 0;
  for (let k = 0; k < 5000; k++) {
    const a = randomSet();
    const b = randomSet();
    const want = ivIntersect(a, b).length > 0;
    assert.equal(ivOverlaps(a, b), want, `${a} / ${b}`);
    const x = { v4: a, v6: [] };
    const y = { v4: [], v6: b.map(BigInt) };
    assert.equal(addrOverlaps(x, { v4: b, v6: [] }), want);
    assert.equal(addrOverlaps(x, y), false);
    assert.equal(addrOverlaps({ v4: [], v6: a.map(BigInt) }, y), !addrEmpty(addrIntersect({ v4: [], v6: a.map(BigInt) }, y)));
    if (want) overlapping++;
  }
  assert.ok(overlapping > 500 && overlapping < 4500, `${overlapping} overlapping pairs`);
  // Touching intervals (half-open) do not overlap.
  assert.equal(ivOverlaps([0, 5], [5, 9]), false);
  assert.equal(ivOverlaps([0, 6], [5, 9]), true);
});

test('v4CidrOverlaps answers as the set parseAddress reads does, for the forms it reads, and leaves every other form', () => {
  let seed = 23;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 16) % n;
  };
  // Addresses near a few bases, so that prefixes and host sets meet, miss and touch.
  const bases = [0x0a000000, 0x0a0000f0, 0xc0a80100, 0xfffffff0, 0];
  const near = (): number => (bases[rnd(bases.length)]! + rnd(64) - (rnd(2) ? 32 : 0) + 2 ** 32) % 2 ** 32;
  const quad = (n: number): string => [24, 16, 8, 0].map((b) => (n / 2 ** b) & 255).join('.');
  const forms = (): string => {
    const a = quad(near());
    switch (rnd(9)) {
      case 0: return a;
      case 1: return `${a}-${quad(near())}`;
      case 2: return ` ${a}/${rnd(33)}`;
      case 3: return `${a}/${rnd(40)}`;
      case 4: return `${a}/`;
      case 5: return `${a}/0${rnd(10)}`;
      case 6: return `2001:db8::${rnd(99)}/${rnd(129)}`;
      case 7: return a.slice(0, rnd(a.length));
      default: return `${a}/${24 + rnd(9)}`;
    }
  };
  const hostSet = (): AddrSet => {
    const pairs: [number, number][] = [];
    for (let i = rnd(4); i > 0; i--) {
      const s = near();
      pairs.push([s, Math.min(2 ** 32, s + 1 + rnd(rnd(2) ? 2 : 300))]);
    }
    return { v4: ivFrom(pairs), v6: rnd(3) === 0 ? [0x20010db8n << 96n, (0x20010db8n << 96n) + 100n] : [] };
  };
  const seen = { read: 0, met: 0, left: 0 };
  for (let k = 0; k < 20000; k++) {
    const text = forms();
    const hosts = hostSet();
    const got = v4CidrOverlaps(text, hosts);
    const set = parseAddress(text);
    // Read exactly when the text is an address or a prefix written with nothing around it.
    const plain = /^\d+\.\d+\.\d+\.\d+(\/\d{1,3})?$/.test(text) && set !== undefined && set.v6.length === 0;
    if (!plain) {
      assert.equal(got, undefined, text);
      seen.left++;
      continue;
    }
    assert.equal(got, addrOverlaps(set, hosts), `${text} against ${hosts.v4}`);
    seen.read++;
    if (got) seen.met++;
  }
  assert.ok(seen.read > 8000 && seen.met > 1000 && seen.met < seen.read - 1000 && seen.left > 4000, JSON.stringify(seen));
  // Touching is not meeting (half-open), at both ends.
  assert.equal(v4CidrOverlaps('10.0.0.0/24', { v4: [0x0a000100, 0x0a000200], v6: [] }), false);
  assert.equal(v4CidrOverlaps('10.0.0.0/24', { v4: [0x09ffff00, 0x0a000000], v6: [] }), false);
  assert.equal(v4CidrOverlaps('10.0.0.255', { v4: [0x09ffff00, 0x0a000000, 0x0a0000ff, 0x0a000100], v6: [] }), true);
  assert.equal(v4CidrOverlaps('0.0.0.0/0', { v4: [], v6: [1n, 2n] }), false);
  assert.equal(v4CidrOverlaps('255.255.255.255/32', { v4: [4294967295, 4294967296], v6: [] }), true);
});

test('intersecting and subtracting one interval and a set of many (searched by halves) give what the points say, numbers and bigints', () => {
  let seed = 5;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 16) % n;
  };
  const U = 300;
  // A set's intervals from the points it holds (runs of true), as the algebra writes them.
  const fromPoints = (p: boolean[]): number[] => {
    const out: number[] = [];
    for (let x = 0; x < U; x++) if (p[x] && !p[x - 1]) out.push(x, ((): number => { let y = x; while (p[y]) y++; return y; })());
    return out;
  };
  const points = (a: number[]): boolean[] => {
    const p = new Array<boolean>(U + 1).fill(false);
    for (let i = 0; i < a.length; i += 2) for (let x = a[i]!; x < a[i + 1]!; x++) p[x] = true;
    return p;
  };
  let long = 0;
  for (let k = 0; k < 3000; k++) {
    const pairs: [number, number][] = [];
    for (let i = 4 + rnd(40); i > 0; i--) {
      const s = rnd(U - 10);
      pairs.push([s, s + 1 + rnd(8)]);
    }
    const a = ivFrom(pairs);
    if (a.length >= 16) long++;
    const s = rnd(U);
    const one = [s, Math.min(U, s + 1 + rnd(k % 2 ? 5 : 120))];
    const pa = points(a);
    const pb = points(one);
    const inter = fromPoints(pa.map((x, i) => x && pb[i]!));
    const minus = fromPoints(pa.map((x, i) => x && !pb[i]));
    assert.deepEqual(ivIntersect(a, one), inter, `${a} ∩ ${one}`);
    assert.deepEqual(ivIntersect(one, a), inter, `${one} ∩ ${a}`);
    assert.deepEqual(ivSubtract(a, one), minus, `${a} − ${one}`);
    const big = (x: number[]): bigint[] => x.map(BigInt);
    assert.deepEqual(ivIntersect(big(a), big(one)), big(inter));
    assert.deepEqual(ivSubtract(big(a), big(one)), big(minus));
  }
  assert.ok(long > 2000, `${long} sets of 8 intervals or more`);
});

test('addrToString writes CIDR blocks, ranges and IPv6, and counts what it leaves out', () => {
  const a = (s: string): AddrSet => parseAddress(s)!;
  const union = (...xs: AddrSet[]): AddrSet => ({ v4: xs.flatMap((x) => x.v4), v6: xs.flatMap((x) => x.v6) });
  // 10.0.0.0–10.0.0.23 is two blocks (/28 and /29); .100–.200 is more than three, so a range.
  const set = union(a('10.0.0.0-10.0.0.23'), a('10.0.0.100-10.0.0.200'), a('10.0.1.5'), a('2001:db8::/64'), a('2001:db8:1::1-2001:db8:1::3'));
  assert.equal(addrToString(set, 10), '10.0.0.0/28, 10.0.0.16/29, 10.0.0.100-10.0.0.200, 10.0.1.5, 2001:db8::/64, 2001:db8:1::1-2001:db8:1::3');
  assert.equal(addrToString(set, 6), '10.0.0.0/28, 10.0.0.16/29, 10.0.0.100-10.0.0.200, 10.0.1.5, 2001:db8::/64, 2001:db8:1::1-2001:db8:1::3');
  assert.equal(addrToString(set, 5), '10.0.0.0/28, 10.0.0.16/29, 10.0.0.100-10.0.0.200, 10.0.1.5, 2001:db8::/64, … (1 more)');
  assert.equal(addrToString(set, 2), '10.0.0.0/28, 10.0.0.16/29, … (4 more)');
  assert.equal(addrToString(set, 1), '10.0.0.0/28, … (5 more)');
  assert.equal(addrToString(ALL, 1), 'any');
  assert.equal(addrToString({ v4: [], v6: [] }), '');
});
