/**
 * @fileoverview Interval-set algebra for addresses (IPv4 as numbers, IPv6 as bigints) and ports.
 * Sets are sorted flat arrays of disjoint half-open intervals [s0, e0, s1, e1, …], so union,
 * intersection and difference are linear merges and need no "+1" on bigints.
 */

export type Iv<T extends number | bigint> = T[];

function normalize<T extends number | bigint>(pairs: [T, T][]): Iv<T> {
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: T[] = [];
  // Indexed, not for-of: in code V8 has not optimised yet, for-of allocates an iterator result per step.
  for (let k = 0; k < pairs.length; k++) {
    const s = pairs[k]![0];
    const e = pairs[k]![1];
    if (!(s < e)) continue;
    const n = out.length;
    if (n > 0 && !(out[n - 1]! < s)) {
      if (out[n - 1]! < e) out[n - 1] = e;
    } else {
      out.push(s, e);
    }
  }
  return out;
}

export function ivFrom<T extends number | bigint>(pairs: [T, T][]): Iv<T> {
  return normalize(pairs.slice());
}

export function ivUnion<T extends number | bigint>(a: Iv<T>, b: Iv<T>): Iv<T> {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const pairs: [T, T][] = [];
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i]!, a[i + 1]!]);
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i]!, b[i + 1]!]);
  return normalize(pairs);
}

/**
 * Sets this long or longer are searched by halves when met with one interval ({@link ivIntersect},
 * {@link ivSubtract}): a zone split carves the subnets of every interface and route out of the set
 * it splits one by one (all addresses, for a peer whose addresses are not given), so that set grows an
 * interval per subnet, and walking it whole per subnet made the split quadratic (172 subnets of the
 * generated 50 MB firewall: 44 ms of a cold analysis).
 */
const SEARCHED = 16;

/** The index of the first interval of `a` that ends after `x` (`a.length` if none). */
function endsAfter<T extends number | bigint>(a: Iv<T>, x: T): number {
  let lo = 0;
  let hi = a.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[2 * mid + 1]! > x) hi = mid;
    else lo = mid + 1;
  }
  return 2 * lo;
}

/** {@link ivIntersect} of a long set and the one interval [s, e). */
function intersectOne<T extends number | bigint>(a: Iv<T>, s: T, e: T): Iv<T> {
  const out: T[] = [];
  for (let i = endsAfter(a, s); i < a.length && a[i]! < e; i += 2) out.push(a[i]! > s ? a[i]! : s, a[i + 1]! < e ? a[i + 1]! : e);
  return out;
}

export function ivIntersect<T extends number | bigint>(a: Iv<T>, b: Iv<T>): Iv<T> {
  if (b.length === 2 && a.length >= SEARCHED) return intersectOne(a, b[0]!, b[1]!);
  if (a.length === 2 && b.length >= SEARCHED) return intersectOne(b, a[0]!, a[1]!);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = a[i]! > b[j]! ? a[i]! : b[j]!;
    const e = a[i + 1]! < b[j + 1]! ? a[i + 1]! : b[j + 1]!;
    if (s < e) out.push(s, e);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

export function ivOverlaps<T extends number | bigint>(a: Iv<T>, b: Iv<T>): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j + 1]! && b[j]! < a[i + 1]!) return true;
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return false;
}

export function ivSubtract<T extends number | bigint>(a: Iv<T>, b: Iv<T>): Iv<T> {
  if (a.length === 0 || b.length === 0) return a;
  if (b.length === 2 && a.length >= SEARCHED) {
    // One interval out of a long set: the intervals before and after it are copied whole.
    const s = b[0]!;
    const e = b[1]!;
    const i = endsAfter(a, s);
    let j = i;
    const mid: T[] = [];
    for (; j < a.length && a[j]! < e; j += 2) {
      if (a[j]! < s) mid.push(a[j]!, s);
      if (e < a[j + 1]!) mid.push(e, a[j + 1]!);
    }
    // Nothing of `a` within [s, e): `a` itself, as for an empty `b` above (sets are not changed in place).
    return i === j ? a : a.slice(0, i).concat(mid, a.slice(j));
  }
  const out: T[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i]!;
    const e = a[i + 1]!;
    while (j < b.length && !(s < b[j + 1]!)) j += 2;
    let k = j;
    while (k < b.length && b[k]! < e) {
      if (s < b[k]!) out.push(s, b[k]!);
      if (s < b[k + 1]!) s = b[k + 1]!;
      k += 2;
    }
    if (s < e) out.push(s, e);
  }
  return out;
}

export function ivEqual<T extends number | bigint>(a: Iv<T>, b: Iv<T>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Addresses

export type AddrSet = { v4: Iv<number>; v6: Iv<bigint> };

const V4_END = 2 ** 32;
const V6_END = 1n << 128n;

export const EMPTY: AddrSet = { v4: [], v6: [] };
export const ALL: AddrSet = { v4: [0, V4_END], v6: [0n, V6_END] };

export function addrUnion(a: AddrSet, b: AddrSet): AddrSet {
  return { v4: ivUnion(a.v4, b.v4), v6: ivUnion(a.v6, b.v6) };
}
/** The union of many sets, merged once (a fold of `addrUnion` re-sorts at every step). */
export function addrUnionAll(sets: readonly AddrSet[]): AddrSet {
  if (sets.length === 0) return EMPTY;
  if (sets.length === 1) return sets[0]!;
  const v4: [number, number][] = [];
  const v6: [bigint, bigint][] = [];
  for (const x of sets) {
    for (let i = 0; i < x.v4.length; i += 2) v4.push([x.v4[i]!, x.v4[i + 1]!]);
    for (let i = 0; i < x.v6.length; i += 2) v6.push([x.v6[i]!, x.v6[i + 1]!]);
  }
  return { v4: v4.length ? normalize(v4) : [], v6: v6.length ? normalize(v6) : [] };
}
export function addrIntersect(a: AddrSet, b: AddrSet): AddrSet {
  return { v4: ivIntersect(a.v4, b.v4), v6: ivIntersect(a.v6, b.v6) };
}
export function addrSubtract(a: AddrSet, b: AddrSet): AddrSet {
  return { v4: ivSubtract(a.v4, b.v4), v6: ivSubtract(a.v6, b.v6) };
}
/** Whether a ∩ b is not empty, without building it. */
export function addrOverlaps(a: AddrSet, b: AddrSet): boolean {
  return ivOverlaps(a.v4, b.v4) || ivOverlaps(a.v6, b.v6);
}
/** A string that is the same for two sets exactly when they hold the same addresses (a cache key). */
export function addrKey(a: AddrSet): string {
  return `${a.v4.join(',')}|${a.v6.join(',')}`;
}
export function addrEmpty(a: AddrSet): boolean {
  return a.v4.length === 0 && a.v6.length === 0;
}
/** b ⊆ a */
export function addrCovers(a: AddrSet, b: AddrSet): boolean {
  return addrEmpty(addrSubtract(b, a));
}
export function addrEqual(a: AddrSet, b: AddrSet): boolean {
  return ivEqual(a.v4, b.v4) && ivEqual(a.v6, b.v6);
}
export function addrIsAll(a: AddrSet): boolean {
  return addrEqual(a, ALL);
}

/** `a.b.c.d`, each part 1-3 decimal digits up to 255, as a number; read by hand (no match array per address). */
function parseV4(s: string): number | undefined {
  const n = parseV4In(s, 0, s.length);
  return n < 0 ? undefined : n;
}

/** {@link parseV4} of s[from, to), without slicing it out; -1 when it is not an IPv4 address. */
function parseV4In(s: string, from: number, to: number): number {
  let n = 0;
  let p = from;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (p >= to || s.charCodeAt(p) !== 0x2e) return -1;
      p++;
    }
    let o = 0;
    const start = p;
    for (let c = s.charCodeAt(p); p < to && c >= 0x30 && c <= 0x39 && p - start < 3; c = s.charCodeAt(++p)) o = o * 10 + (c - 0x30);
    if (p === start || o > 255) return -1;
    n = n * 256 + o;
  }
  return p === to ? n : -1;
}

/**
 * The common `a.b.c.d` and `a.b.c.d/len` forms read in place (most address objects), packed in one
 * number as the network's first address * 64 + the prefix length (no object made); -1 for anything else.
 */
function v4CidrPacked(s: string): number {
  const slash = s.indexOf('/');
  const end = slash >= 0 ? slash : s.length;
  const v4 = parseV4In(s, 0, end);
  if (v4 < 0) return -1;
  let len = 32;
  if (slash >= 0) {
    const digits = s.length - slash - 1;
    if (digits < 1 || digits > 3) return -1;
    len = 0;
    for (let p = slash + 1; p < s.length; p++) {
      const c = s.charCodeAt(p);
      if (c < 0x30 || c > 0x39) return -1;
      len = len * 10 + (c - 0x30);
    }
    if (len > 32) return -1;
  }
  const size = 2 ** (32 - len);
  return Math.floor(v4 / size) * size * 64 + len;
}

/** {@link v4CidrPacked} as a set; undefined for anything else. */
function parseV4Cidr(s: string): AddrSet | undefined {
  const p = v4CidrPacked(s);
  if (p < 0) return undefined;
  const len = p % 64;
  const start = (p - len) / 64;
  return { v4: [start, start + 2 ** (32 - len)], v6: [] };
}

/**
 * Whether the address `text` (an `ip-netmask` value) overlaps `hosts`, when it is in the common
 * `a.b.c.d` or `a.b.c.d/len` form: `addrOverlaps(parseAddress(text), hosts)` without making the set
 * (asked of most address objects when a large Panorama's device groups are chosen); undefined for
 * any other form.
 */
export function v4CidrOverlaps(text: string, hosts: AddrSet): boolean | undefined {
  const p = v4CidrPacked(text);
  if (p < 0) return undefined;
  const len = p % 64;
  const s = (p - len) / 64;
  const e = s + 2 ** (32 - len);
  const h = hosts.v4;
  for (let j = 0; j < h.length && h[j]! < e; j += 2) if (s < h[j + 1]!) return true;
  return false;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.indexOf(':') < 0) return undefined;
  let head = s;
  let tailV4: number | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return undefined;
  const left = dbl[0] ? dbl[0].split(':') : [];
  const right = dbl.length === 2 && dbl[1] ? dbl[1].split(':') : [];
  const groups = dbl.length === 2 ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  if (groups.length !== 8) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | BigInt(tailV4);
  return n;
}

/**
 * Parses an address as PAN-OS writes it: `10.0.0.1`, `10.0.0.0/24`, `10.0.0.1-10.0.0.9`, IPv6 forms.
 * Returns undefined for anything else (FQDNs, wildcard masks, placeholders).
 */
export function parseAddress(text: string): AddrSet | undefined {
  const fast = parseV4Cidr(text);
  if (fast) return fast;
  const s = text.trim();
  if (s === '') return undefined;
  const dash = s.indexOf('-');
  if (dash > 0 && s.indexOf('/') < 0) {
    const a = s.slice(0, dash).trim();
    const b = s.slice(dash + 1).trim();
    const a4 = parseV4(a);
    const b4 = parseV4(b);
    if (a4 !== undefined && b4 !== undefined) return a4 <= b4 ? { v4: [a4, b4 + 1], v6: [] } : undefined;
    const a6 = parseV6(a);
    const b6 = parseV6(b);
    if (a6 !== undefined && b6 !== undefined) return a6 <= b6 ? { v4: [], v6: [a6, b6 + 1n] } : undefined;
    return undefined;
  }
  if (s !== text) {
    const v4 = parseV4Cidr(s);
    if (v4) return v4;
  }
  const slash = s.indexOf('/');
  const ip = slash >= 0 ? s.slice(0, slash) : s;
  const lenText = slash >= 0 ? s.slice(slash + 1) : undefined;
  if (lenText !== undefined && !/^\d{1,3}$/.test(lenText)) return undefined;
  const v6 = parseV6(ip);
  if (v6 !== undefined) {
    const len = lenText === undefined ? 128 : Number(lenText);
    if (len > 128) return undefined;
    const size = 1n << BigInt(128 - len);
    const start = (v6 / size) * size;
    return { v4: [], v6: [start, start + size] };
  }
  return undefined;
}

/** The host part of an interface address (`10.0.0.1/24` → 10.0.0.1) and its subnet. */
export function parseInterfaceAddress(text: string): { host: AddrSet; subnet: AddrSet } | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const subnet = parseAddress(s);
  const host = parseAddress(slash >= 0 ? s.slice(0, slash) : s);
  if (!subnet || !host) return undefined;
  return { host, subnet };
}

function v4ToString(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

function v6ToString(n: bigint): string {
  const g: string[] = [];
  for (let i = 7; i >= 0; i--) g.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}

/**
 * Readable form: CIDRs where an interval is one, ranges otherwise; `any` for everything. At most
 * `max` parts are written out, the rest counted (a large set is not formatted to be thrown away).
 */
export function addrToString(a: AddrSet, max = 4): string {
  if (addrIsAll(a)) return 'any';
  const parts: string[] = [];
  let count = 0;
  const push = (f: () => string): void => {
    if (count++ < max) parts.push(f());
  };
  for (let i = 0; i < a.v4.length; i += 2) {
    const s = a.v4[i]!;
    const e = a.v4[i + 1]!;
    // Split into CIDR blocks if that takes few (at most 3) blocks.
    const blocks: number[] = [];
    let p = s;
    while (p < e && blocks.length < 6) {
      let size = 1;
      while (p % (size * 2) === 0 && p + size * 2 <= e) size *= 2;
      blocks.push(p, size);
      p += size;
    }
    if (p < e) {
      push(() => `${v4ToString(s)}-${v4ToString(e - 1)}`);
      continue;
    }
    for (let k = 0; k < blocks.length; k += 2) {
      const at = blocks[k]!;
      const size = blocks[k + 1]!;
      push(() => (size === 1 ? v4ToString(at) : `${v4ToString(at)}/${32 - Math.log2(size)}`));
    }
  }
  for (let i = 0; i < a.v6.length; i += 2) {
    const s = a.v6[i]!;
    const e = a.v6[i + 1]!;
    push(() => {
      const size = e - s;
      let len = 128;
      let sz = 1n;
      while (sz < size) {
        sz <<= 1n;
        len--;
      }
      return sz === size && s % sz === 0n ? (len === 128 ? v6ToString(s) : `${v6ToString(s)}/${len}`) : `${v6ToString(s)}-${v6ToString(e - 1n)}`;
    });
  }
  if (count > max) return `${parts.join(', ')}, … (${count - max} more)`;
  return parts.join(', ');
}

/** Private, loopback, link-local, CGNAT, multicast and reserved space (not the Internet). */
const NON_PUBLIC = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3'];

/** Public Internet address space (for cloud-service peers whose addresses are not known). */
export function publicSpace(): AddrSet {
  let s: AddrSet = { v4: [0, V4_END], v6: [] };
  for (const p of NON_PUBLIC) s = addrSubtract(s, parseAddress(p)!);
  return addrUnion(s, parseAddress('2000::/3')!);
}

// ---------------------------------------------------------------------------------------------
// Ports

export type PortSet = Iv<number>;
export const ALL_PORTS: PortSet = [0, 65536];

/** Parses `22`, `25,587`, `23000-23999` (spaces tolerated). Undefined if malformed. */
export function parsePorts(text: string): PortSet | undefined {
  const pairs: [number, number][] = [];
  for (const raw of text.split(',')) {
    const p = raw.trim();
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(p);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (a > 65535 || b > 65535 || b < a) return undefined;
    pairs.push([a, b + 1]);
  }
  return ivFrom(pairs);
}

export function portsToString(p: PortSet): string {
  if (ivEqual(p, ALL_PORTS)) return 'any';
  const out: string[] = [];
  for (let i = 0; i < p.length; i += 2) {
    const s = p[i]!;
    const e = p[i + 1]! - 1;
    out.push(s === e ? `${s}` : `${s}-${e}`);
  }
  return out.join(',');
}

export function portCount(p: PortSet): number {
  let n = 0;
  for (let i = 0; i < p.length; i += 2) n += p[i + 1]! - p[i]!;
  return n;
}
