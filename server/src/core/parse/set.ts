/**
 * @fileoverview Tokenizer and tree builder for the PAN-OS `set` command form.
 *
 * Lines are applied in order (`set` adds, `delete` removes, `move` reorders) onto a tree that has
 * the same shape as the XML form: list keywords (`rules`, `address`, `device-group`, …) take an
 * entry name, the three prefixes (single-vsys firewall, `vsys NAME`, Panorama `shared` /
 * `device-group` / `template … config`, `policy panorama`) are mapped to their XML locations,
 * typed lines with several attribute pairs (`… action allow from trust to untrust`) are split.
 * Every token keeps its span. Nothing here throws on bad input.
 */
import { detached, type Located, type Span } from '../text';
import { SNode } from './tree';
import { MAX_SYNTAX_ISSUES, type SyntaxIssue } from './xml';

/** A token of a set line. `value` is unquoted; `span` includes the quotes (made when asked: most tokens never are). */
export class Token {
  constructor(
    readonly value: string,
    readonly start: number,
    readonly end: number,
    readonly quoted: boolean,
    readonly open = false,
    readonly close = false,
  ) {}
  /** A new object each time: whatever keeps a span (values, node keys, errors) owns its own. */
  get span(): Span {
    return { start: this.start, end: this.end };
  }
  static synthetic(value: string, at: Span): Token {
    return new Token(value, at.start, at.end, false);
  }
}

/** One logical line (a quoted value may continue over several physical lines). */
export type SetLine = {
  verb: string;
  tokens: Token[];
  /** Offsets of the logical line (without its line break). */
  start: number;
  end: number;
};

export type SetDoc = {
  root: SNode;
  errors: SyntaxIssue[];
  /** Number of `set`, `delete` and `move` lines applied (tokens are not kept: memory on big files). */
  counts: { set: number; delete: number; move: number };
  /** How vsys-level paths were written: `''` (single-vsys `set rulebase …`) or `vsys NAME`. */
  vsysPrefix: Set<string>;
};

/** Keywords whose next token names a list entry (XML `<entry name=…>`). */
const ENTRY_LISTS = new Set([
  'address', 'address-group', 'service', 'service-group', 'application', 'application-group',
  'application-filter', 'tag', 'zone', 'rules', 'device-group', 'template', 'template-stack', 'vsys',
  'devices', 'log-collector', 'log-collector-group', 'syslog', 'email', 'snmptrap', 'http', 'server',
  'ldap', 'radius', 'tacplus', 'kerberos', 'profile-group', 'users', 'ethernet', 'aggregate-ethernet',
  'units', 'ip', 'static-route', 'virtual-router', 'external-list', 'permitted-ip', 'match-list',
  'certificate', 'schedule', 'region', 'dynamic-user-group',
  'variable', 'log-settings-profiles', 'profiles-list', 'authentication-profile',
  'ike-gateway', 'ipsec-tunnel', 'saml-idp', 'scep', 'ssl-tls-service-profile', 'custom-url-category',
  'decryption-profile', 'data-objects', 'dos-protection', 'logical-router', 'config-bundle-export-schedule',
]);

/** Security profile kinds: lists under `profiles`, member lists under `profile-setting profiles`. */
const PROFILE_KINDS = new Set([
  'virus', 'spyware', 'vulnerability', 'url-filtering', 'file-blocking', 'wildfire-analysis',
  'data-filtering', 'dns-security', 'decryption', 'custom-url-category', 'hip-objects', 'hip-profiles',
  'gtp', 'sctp-protection', 'dos-protection', 'vulnerability-protection',
]);

/** Simple fields of a security (or other) rule entry; a typed line may chain several. */
const RULE_FIELDS = new Set([
  'from', 'to', 'source', 'destination', 'source-user', 'category', 'application', 'service',
  'source-hip', 'destination-hip', 'hip-profiles', 'tag', 'action', 'disabled', 'description',
  'log-setting', 'log-start', 'log-end', 'negate-source', 'negate-destination', 'rule-type',
  'schedule', 'group-tag', 'uuid', 'icmp-unreachable', 'source-imsi', 'source-nw-slice',
]);
const ADDRESS_FIELDS = new Set(['ip-netmask', 'ip-range', 'fqdn', 'ip-wildcard', 'description', 'tag']);
const PORT_FIELDS = new Set(['port', 'source-port']);
/** Fields of a static route (`… static-route NAME destination 0.0.0.0/0 nexthop ip-address 192.0.2.1 interface ethernet1/1`). */
const ROUTE_FIELDS = new Set(['destination', 'interface', 'metric', 'admin-dist', 'nexthop']);
/** Settings of `deviceconfig system` (`… system ip-address 192.0.2.10 netmask 255.255.255.0 default-gateway 192.0.2.1`). */
const SYSTEM_FIELDS = new Set([
  'hostname', 'domain', 'ip-address', 'netmask', 'default-gateway', 'ipv6-address', 'ipv6-default-gateway',
  'panorama-server', 'panorama-server-2', 'update-server', 'timezone', 'login-banner', 'speed-duplex', 'mtu',
]);
/** Chained fields that hold one keyed value (`nexthop ip-address 192.0.2.1`): the keys each may hold. */
const KEYED_FIELDS = new Map([['nexthop', new Set(['ip-address', 'ipv6-address', 'next-vr', 'next-lr', 'fqdn'])]]);

/** First tokens that are vsys-level on a single-vsys firewall (`set rulebase …`). */
const VSYS_LEVEL = new Set([
  'rulebase', 'address', 'address-group', 'service', 'service-group', 'application', 'application-group',
  'application-filter', 'tag', 'zone', 'profiles', 'profile-group', 'external-list', 'log-settings',
  'import', 'region', 'schedule', 'user-id-collector', 'dynamic-user-group', 'application-tag',
  'authentication-object', 'reports', 'report-group', 'pdf-summary-report', 'email-scheduler',
  'global-protect', 'captive-portal', 'server-profile', 'ocsp-responder', 'ssl-tls-service-profile',
  'certificate-profile', 'certificate', 'response-page', 'setting', 'threats', 'data-objects',
]);

/** First tokens under `/config/devices/entry[localhost.localdomain]`. */
const DEVICE_LEVEL = new Set([
  'deviceconfig', 'network', 'device-group', 'template', 'template-stack', 'log-collector',
  'log-collector-group', 'plugins', 'platform', 'wildfire', 'vsys', 'collector-group', 'devices',
]);

/** First tokens directly under `/config`. */
const CONFIG_LEVEL = new Set(['shared', 'mgt-config', 'panorama', 'readonly', 'policy']);

const VERBS = new Set(['set', 'delete', 'move', 'edit', 'top', 'up', 'exit', 'quit', 'configure', 'commit', 'rename', 'show', 'run', 'save', 'load', 'copy', 'clone', 'override']);

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

export function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** A remembered closing-quote search: from `from`, the closing quote is `at`, or there is none before `bound`. */
type CloseMemo = { from: number; at: number; bound: number };

/**
 * Tokenizer of one text. The searches that look past the current token (the closing quote, the end
 * of the logical line and the double quotes on it) remember what they found, so that a line of many
 * quoted tokens or a file of many open quotes is scanned once, not once per quote.
 */
class SetScanner {
  private readonly double: CloseMemo = { from: 0, at: -1, bound: -1 };
  private readonly single: CloseMemo = { from: 0, at: -1, bound: -1 };
  private readonly lines: LogicalLines;

  /** `copies`: the values are copies, not slices of `text` (lines read again after an edit; see `detached`). */
  constructor(
    readonly text: string,
    private readonly copies = false,
  ) {
    this.lines = new LogicalLines(text);
  }

  private cut(s: number, e: number): string {
    return this.copies ? detached(this.text.slice(s, e)) : this.text.slice(s, e);
  }

  /** Tokenizes the logical line starting at `start`; returns tokens and the end offset. */
  tokenizeLine(start: number, issues: SyntaxIssue[]): { tokens: Token[]; end: number; next: number } {
    const text = this.text;
    const tokens: Token[] = [];
    const len = text.length;
    let p = start;
    for (;;) {
      while (p < len && isWs(text.charCodeAt(p))) p++;
      if (p >= len || isBreak(text.charCodeAt(p))) {
        break;
      }
      const c = text.charCodeAt(p);
      if (c === 34 || c === 39) {
        const q = c;
        const ts = p;
        // A quoted value may continue on following lines (multi-line descriptions), not past a command.
        let e = this.closingQuote(p + 1, q);
        if (e < 0) {
          const le = nextBreak(text, p);
          issues.push({ message: `Unterminated ${q === 34 ? 'double' : 'single'}-quoted string`, span: { start: ts, end: le } });
          tokens.push(new Token(this.cut(p + 1, le), ts, le, true));
          p = le;
          break;
        }
        if (q === 34) {
          // An odd number of double quotes after it on the logical line means the value itself
          // holds quotes (real `show` output does this): extend to the last closing quote…
          // …unless a later token starts with a quote: that token carries its own quoting.
          const after = this.lines.quotesAfter(e + 1);
          if (after.count % 2 === 1 && !after.laterQuoted) {
            const lastQ = after.last;
            const nc = lastQ + 1 < len ? text.charCodeAt(lastQ + 1) : 10;
            if (isWs(nc) || isBreak(nc) || lastQ + 1 >= len) {
              e = lastQ;
            }
          }
        }
        tokens.push(new Token(this.cut(ts + 1, e), ts, e + 1, true));
        p = e + 1;
        continue;
      }
      const ts = p;
      while (p < len) {
        const d = text.charCodeAt(p);
        if (isWs(d) || isBreak(d)) break;
        p++;
      }
      let s = ts;
      let e = p;
      if (text.charCodeAt(s) === 91) {
        tokens.push(new Token('[', s, s + 1, false, true));
        s++;
      }
      let close = false;
      if (e > s && text.charCodeAt(e - 1) === 93) {
        e--;
        close = true;
      }
      if (e > s) {
        tokens.push(new Token(this.cut(s, e), s, e, false));
      }
      if (close) {
        tokens.push(new Token(']', e, e + 1, false, false, true));
      }
    }
    const end = p;
    let next = p;
    if (next < len && text.charCodeAt(next) === 13) next++;
    if (next < len && text.charCodeAt(next) === 10) next++;
    return { tokens, end, next };
  }

  /**
   * The quote (`q`) closing a value opened just before `from`: the first one followed by whitespace,
   * a line break, ']' or the end of the text, on this line or on a following line that starts no
   * command; -1 when a command line (or the end of the text) comes first: a quote left open must not
   * swallow the commands after it.
   */
  private closingQuote(from: number, q: number): number {
    const m = q === 34 ? this.double : this.single;
    // No closing quote in [m.from, m.at) (or before m.bound), and the lines up to there start no command.
    if (m.from <= from && (m.at >= 0 ? from <= m.at : from < m.bound)) {
      return m.at;
    }
    const text = this.text;
    const len = text.length;
    const qs = q === 34 ? '"' : "'";
    m.from = from;
    m.at = -1;
    // Line breaks are looked for only up to the next candidate quote: the scan stops where the value does.
    let pos = from;
    for (let j = text.indexOf(qs, from); ; j = text.indexOf(qs, j + 1)) {
      const stop = j < 0 ? len : j;
      for (; pos < stop; pos++) {
        const d = text.charCodeAt(pos);
        if (!isBreak(d)) continue;
        const ls = d === 13 && text.charCodeAt(pos + 1) === 10 ? pos + 2 : pos + 1;
        if (startsCommand(text, ls)) {
          m.bound = ls;
          return -1;
        }
        pos = ls - 1;
      }
      if (j < 0) {
        m.bound = len;
        return -1;
      }
      const nc = j + 1 < len ? text.charCodeAt(j + 1) : 10;
      if (isWs(nc) || isBreak(nc) || nc === 93) {
        m.at = j;
        return j;
      }
    }
  }
}

/** Commands that end a quoted value left open on an earlier line. */
const COMMANDS = ['set', 'delete', 'move'];

/** Does the physical line starting at `ls` begin a command (`set`, `delete` or `move`, maybe indented)? */
export function startsCommand(text: string, ls: number): boolean {
  const len = text.length;
  let p = ls;
  while (p < len && isWs(text.charCodeAt(p))) p++;
  for (const v of COMMANDS) {
    if (text.startsWith(v, p)) {
      const c = p + v.length < len ? text.charCodeAt(p + v.length) : 10;
      if (isWs(c) || isBreak(c)) return true;
    }
  }
  return false;
}

function nextBreak(text: string, from: number): number {
  const len = text.length;
  let p = from;
  while (p < len && !isBreak(text.charCodeAt(p))) p++;
  return p;
}

/** Is `c` matched by the regular expression `\s`? */
function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return c >= 0xa0 && /\s/.test(String.fromCharCode(c));
}

/** Most continuation lines a logical line takes. */
const MAX_CONTINUATION = 1000;

/**
 * Logical lines and their double quotes. A logical line continues over the following physical lines
 * that are not empty, start no command and hold an odd number of double quotes (a multi-line quoted
 * value), at most {@link MAX_CONTINUATION} of them. One run of such lines is scanned once, and its
 * quotes recorded, whatever the number of quoted tokens on it: each used to rescan to its end.
 * (The arrays are reused from run to run, with their own lengths: most runs are one line.)
 */
class LogicalLines {
  /** Where the run's scan began (a query offset, on the run's first physical line). */
  private from = -1;
  /** End of the first physical line, then of each continuation line. */
  private readonly ends: number[] = [];
  private nEnds = 0;
  /** The line after the last end is known not to continue the run (or the text ends there). */
  private done = true;
  /** Offsets of the double quotes in [from, last end). */
  private readonly quotes: number[] = [];
  /** For each quote, the index of the last quote at or before it that follows whitespace, or -1. */
  private readonly wsQuote: number[] = [];
  private nQuotes = 0;

  constructor(private readonly text: string) {}

  /**
   * The double quotes in [from, end of the logical line containing `from`): how many, the last one,
   * and whether one of them follows whitespace (starts a token of its own). Queries must not go back
   * before the current run (the tokenizer only moves forward); one that does starts a new run.
   */
  quotesAfter(from: number): { count: number; last: number; laterQuoted: boolean } {
    const ends = this.ends;
    if (this.from < 0 || from < this.from) {
      this.reset(from);
    } else {
      while (from > ends[this.nEnds - 1]! && !this.done) this.extend();
      if (from > ends[this.nEnds - 1]!) this.reset(from);
    }
    const line = lowerBound(ends, this.nEnds, from);
    while (this.nEnds - 1 < line + MAX_CONTINUATION && !this.done) this.extend();
    const end = ends[Math.min(line + MAX_CONTINUATION, this.nEnds - 1)]!;
    const lo = lowerBound(this.quotes, this.nQuotes, from);
    const hi = lowerBound(this.quotes, this.nQuotes, end);
    return {
      count: hi - lo,
      last: hi > lo ? this.quotes[hi - 1]! : -1,
      // A quote at `from` follows the closing quote, not whitespace: the index test is enough.
      laterQuoted: hi > lo && this.wsQuote[hi - 1]! >= lo,
    };
  }

  private reset(from: number): void {
    this.from = from;
    this.nEnds = 0;
    this.nQuotes = 0;
    const end = nextBreak(this.text, from);
    this.addQuotes(from, end);
    this.ends[this.nEnds++] = end;
    this.done = false;
  }

  /** Adds the next physical line to the run if it continues it; else marks the run done. */
  private extend(): void {
    const text = this.text;
    const len = text.length;
    let p = this.ends[this.nEnds - 1]!;
    if (p >= len) {
      this.done = true;
      return;
    }
    if (text.charCodeAt(p) === 13) p++;
    if (p < len && text.charCodeAt(p) === 10) p++;
    // Its first 20 characters tell whether the line is empty or starts a command (or a comment).
    const lim = Math.min(len, p + 20);
    let q = p;
    while (q < lim && !isBreak(text.charCodeAt(q))) q++;
    if (q === p || startsVerb(text, p, q)) {
      this.done = true;
      return;
    }
    const le = nextBreak(text, q);
    let count = 0;
    for (let j = text.indexOf('"', p); j >= 0 && j < le; j = text.indexOf('"', j + 1)) count++;
    if (count % 2 === 0) {
      this.done = true;
      return;
    }
    this.addQuotes(p, le);
    this.ends[this.nEnds++] = le;
  }

  private addQuotes(from: number, to: number): void {
    const text = this.text;
    for (let j = text.indexOf('"', from); j >= 0 && j < to; j = text.indexOf('"', j + 1)) {
      const k = this.nQuotes++;
      this.quotes[k] = j;
      // (The character before may be the line break before a continuation line: that counts too.)
      this.wsQuote[k] = j > 0 && isJsSpace(text.charCodeAt(j - 1)) ? k : k > 0 ? this.wsQuote[k - 1]! : -1;
    }
  }
}

/**
 * Does text[p, q) (no line break in it) start with a verb or a '#', after whitespace? As the regular
 * expression `^\s*([A-Za-z#]*)` read: the letters and '#' after the whitespace form the word.
 */
function startsVerb(text: string, p: number, q: number): boolean {
  let s = p;
  while (s < q && isJsSpace(text.charCodeAt(s))) s++;
  let e = s;
  for (; e < q; e++) {
    const c = text.charCodeAt(e);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 35)) break;
  }
  return e > s && (text.charCodeAt(s) === 35 || VERBS.has(text.slice(s, e)));
}

/** Index of the first of the first `n` elements of sorted `a` that is >= `x` (n if none). */
function lowerBound(a: readonly number[], n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Builds the tree; the set parser's public entry point. With `from`/`to` (a line start and a line
 * end), only the lines in that range are read (offsets stay those of the whole text): used to
 * re-read one edited line or one rule's lines.
 */
export function parseSet(text: string, from?: number, to?: number, opts: { reusePaths?: boolean } = {}): SetDoc {
  const errors: SyntaxIssue[] = [];
  const memo: PathMemo | undefined = opts.reusePaths === false ? undefined : { last: undefined };
  const root = new SNode('config', undefined, undefined, { start: 0, end: 0 }, undefined, 0, 0);
  const counts = { set: 0, delete: 0, move: 0 };
  const vsysPrefix = new Set<string>();
  const len = to ?? text.length;
  let p = from ?? (text.charCodeAt(0) === 0xfeff ? 1 : 0);
  let dropped = 0;
  const report = (message: string, s: Span): void => {
    if (errors.length < MAX_SYNTAX_ISSUES) {
      errors.push({ message, span: s });
    } else {
      dropped++;
    }
  };
  const tokIssues: SyntaxIssue[] = [];
  // Some lines of a text (read again after an edit): their values are copied out of it.
  const scanner = new SetScanner(text, (from !== undefined && from > 0) || (to !== undefined && to < text.length));
  const sets: ValueSets = new Map();
  while (p < len) {
    // Skip leading whitespace and blank lines.
    let ls = p;
    while (ls < len && isWs(text.charCodeAt(ls))) ls++;
    const c = text.charCodeAt(ls);
    if (ls >= len) break;
    if (isBreak(c)) {
      p = ls + 1;
      continue;
    }
    if (c === 35) {
      // Comment line.
      p = nextBreak(text, ls);
      continue;
    }
    tokIssues.length = 0;
    const { tokens, end, next } = scanner.tokenizeLine(ls, tokIssues);
    for (const i of tokIssues) report(i.message, i.span);
    p = next > p ? next : p + 1;
    if (tokens.length === 0) continue;
    // Trailing comment after the command is not PAN-OS syntax; treat '#' tokens as errors.
    const verb = tokens[0]!.value;
    const line: SetLine = { verb, tokens, start: ls, end };
    if (verb === 'set' || verb === 'delete' || verb === 'move') {
      if (tokens.length < 2) {
        if (verb !== 'set') report(`'${verb}' needs a path`, tokens[0]!.span);
        continue;
      }
      const bad = checkBrackets(tokens);
      if (bad) {
        report(bad.message, bad.span);
      }
      counts[verb]++;
      if (verb === 'set') {
        applySet(root, line, vsysPrefix, sets, memo);
      } else if (verb === 'delete') {
        // Deletes and moves remove and reorder nodes: a remembered path may no longer be in the tree.
        if (memo) memo.last = undefined;
        applyDelete(root, line, report, sets);
      } else {
        if (memo) memo.last = undefined;
        applyMove(root, line, report);
      }
    } else if (VERBS.has(verb)) {
      // Session commands in pasted scripts (configure, commit, exit …): nothing to model.
    } else {
      report(`Unknown command '${verb}': set-format lines start with 'set', 'delete' or 'move'`, tokens[0]!.span);
    }
  }
  if (dropped > 0) {
    errors.push({ message: `${dropped} more syntax errors not shown`, span: errors[errors.length - 1]!.span });
  }
  return { root, errors, counts, vsysPrefix };
}

function checkBrackets(tokens: Token[]): SyntaxIssue | undefined {
  let open: Token | undefined;
  for (const t of tokens) {
    if (t.open && !t.quoted) {
      if (open) return { message: "Nested '[' is not allowed in a member list", span: t.span };
      open = t;
    } else if (t.close && !t.quoted) {
      if (!open) return { message: "']' without a matching '['", span: t.span };
      open = undefined;
    }
  }
  if (open) return { message: "'[' is not closed by ']'", span: open.span };
  return undefined;
}

/** The key of a kid in its parent's index: an entry by its name, anything else by its tag. */
function kidKey(tag: string, name: string | undefined): string {
  return tag === 'entry' && name !== undefined ? '\0' + name : tag;
}

/** {@link getChild}, recording the node on `path` (the nodes a remembered path widens line by line). */
function getOnPath(path: SNode[] | undefined, parent: SNode, tag: string, keyAt: Span | Token, line: SetLine, entryTok?: Token): SNode {
  const n = getChild(parent, tag, keyAt, line, entryTok);
  path?.push(n);
  return n;
}

/** Gets or creates the child `tag` (or entry `name` of list `tag` when `entryTok` is given). */
function getChild(parent: SNode, tag: string, keyAt: Span | Token, line: SetLine, entryTok?: Token): SNode {
  const key = entryTok ? kidKey('entry', entryTok.value) : tag;
  let found: SNode | undefined;
  if (parent.index) {
    found = parent.index.get(key);
  } else {
    for (const k of parent.kids) {
      if (entryTok ? k.tag === 'entry' && k.name === entryTok.value : k.tag === tag && k.name === undefined) {
        found = k;
        break;
      }
    }
  }
  if (found) {
    found.last = Math.max(found.last, line.end);
    return found;
  }
  // An entry's name is its key: one span object for both (`shiftTree` moves a shared one once).
  const es = entryTok?.span;
  const n = entryTok
    ? new SNode('entry', entryTok.value, es, es!, parent, line.start, line.end)
    : new SNode(tag, undefined, undefined, keyAt instanceof Token ? keyAt.span : keyAt, parent, line.start, line.end);
  if (parent.kids.length === 0) parent.kids = [n];
  else parent.kids.push(n);
  if (parent.index) {
    parent.index.set(key, n);
  } else if (parent.kids.length > 8) {
    parent.index = new Map();
    for (const k of parent.kids) {
      parent.index.set(kidKey(k.tag, k.name), k);
    }
  }
  return n;
}

/**
 * The values of the nodes whose member lists are long, as sets for the duplicate check: a scan of
 * the list for every member made a list O(members^2). Kept for one parse only (memory on big files).
 */
type ValueSets = Map<SNode, Set<string>>;

/** Member lists up to this length are scanned for duplicates (most are short); longer ones get a set. */
const SCAN_VALUES = 16;

function addValue(node: SNode, tok: Token, sets: ValueSets): void {
  if (node.values.length <= SCAN_VALUES) {
    for (const v of node.values) {
      if (v.value === tok.value) {
        return;
      }
    }
  } else {
    let seen = sets.get(node);
    if (!seen) {
      seen = new Set(node.values.map((v) => v.value));
      sets.set(node, seen);
    }
    if (seen.has(tok.value)) return;
    seen.add(tok.value);
  }
  const v = { value: tok.value, span: tok.span };
  if (node.values.length === 0) node.values = [v];
  else node.values.push(v);
}

/** The list tag of an entry node (`rules` for a rule). */
function listTag(n: SNode): string | undefined {
  return n.tag === 'entry' ? n.parent?.tag : undefined;
}

/** The nearest `entry` node at or above `n`. */
function entryOf(n: SNode | undefined): SNode | undefined {
  let a = n;
  while (a && a.tag !== 'entry') a = a.parent;
  return a;
}

/**
 * Is `tag` a list keyword when it appears under `parent`? `entry` is {@link entryOf}(parent): the
 * callers keep it as they go down a path, as walking up from every token made a long path O(tokens^2).
 */
function isList(parent: SNode, tag: string, entry: SNode | undefined): boolean {
  // Inside a server entry of a server profile, `address`/`server` are plain values.
  if (entry) {
    const lt = listTag(entry);
    if (lt === tag || lt === 'server') return false;
  }
  if (parent.tag === 'profiles') {
    // `network profiles interface-management-profile NAME …`: named lists of network profiles.
    if (parent.parent?.tag === 'network') return ENTRY_LISTS.has(tag) || tag.endsWith('-profile');
    return parent.parent?.tag !== 'profile-setting' && PROFILE_KINDS.has(tag);
  }
  if (parent.tag === 'profile-setting') return false;
  // `deviceconfig setting application notify-user yes`: settings containers, not object lists.
  if (parent.tag === 'setting' && parent.parent?.tag === 'deviceconfig') return false;
  // `deviceconfig system service disable-telnet yes`: management services, not service objects.
  if (tag === 'service' && parent.tag === 'system') return false;
  // Tags are objects only in object containers; elsewhere (`units ethernet1/2.10 tag 10`) a value.
  if (tag === 'tag' && !(parent.tag === 'shared' || parent.tag === 'panorama' || (parent.tag === 'entry' && (listTag(parent) === 'vsys' || listTag(parent) === 'device-group')))) return false;
  // `routing-table ip static-route …`: here `ip` is a container, not the interface address list.
  if (parent.tag === 'routing-table' && (tag === 'ip' || tag === 'ipv6')) return false;
  // Log forwarding profiles: `log-settings profiles NAME` (but `profiles` elsewhere is a container).
  if (tag === 'profiles' && parent.tag === 'log-settings') return true;
  return ENTRY_LISTS.has(tag);
}

/** Simple chained fields allowed at this node, if it is such a context. */
function pairFields(n: SNode): Set<string> | undefined {
  const lt = listTag(n);
  if (lt === 'rules') return RULE_FIELDS;
  if (lt === 'address') return ADDRESS_FIELDS;
  if (lt === 'static-route') return ROUTE_FIELDS;
  if (n.parent?.tag === 'protocol' && (n.tag === 'tcp' || n.tag === 'udp' || n.tag === 'sctp')) return PORT_FIELDS;
  if (n.tag === 'system' && n.parent?.tag === 'deviceconfig') return SYSTEM_FIELDS;
  return undefined;
}

/**
 * Does a chained field of `pf` start at token `i`: its key, unquoted? A keyed field needs a key it may
 * hold and a value after that; otherwise (`nexthop discard`, `nexthop` last) the plain walk reads it.
 */
function isPair(pf: Set<string>, t: Token[], i: number): boolean {
  const key = t[i]!;
  if (key.quoted || !pf.has(key.value)) return false;
  const keys = KEYED_FIELDS.get(key.value);
  if (!keys) return true;
  const sub = t[i + 1];
  return sub !== undefined && !sub.quoted && keys.has(sub.value) && i + 2 < t.length;
}

/** Resolves the path prefix of a set/delete/move line; returns the container node and next index. */
function resolvePrefix(root: SNode, line: SetLine, from: number, create: boolean, vsysPrefix?: Set<string>, path?: SNode[]): { node: SNode; i: number } | undefined {
  const t = line.tokens;
  let i = from;
  let first = t[i]!;
  const get = (parent: SNode, tag: string, span: Span, entry?: Token): SNode | undefined =>
    create ? getOnPath(path, parent, tag, span, line, entry) : findChild(parent, tag, entry?.value);
  // Filesystem form: `set config devices …` / `set config shared …`.
  if (first.value === 'config' && t.length > i + 1 && !first.quoted) {
    i++;
    first = t[i]!;
  }
  const syn: Span = { start: first.span.start, end: first.span.start };
  const localhost = Token.synthetic('localhost.localdomain', syn);
  const device = (): SNode | undefined => {
    const devices = get(root, 'devices', syn);
    return devices && get(devices, 'devices', syn, localhost);
  };
  const v = first.value;
  if (v === 'devices' && t[i + 1]) {
    const devices = get(root, 'devices', first.span);
    const d = devices && get(devices, 'devices', t[i + 1]!.span, t[i + 1]);
    return d && { node: d, i: i + 2 };
  }
  if (CONFIG_LEVEL.has(v)) {
    return { node: root, i };
  }
  if (DEVICE_LEVEL.has(v)) {
    if (v === 'vsys' && vsysPrefix && t[i + 1]) vsysPrefix.add(`vsys ${t[i + 1]!.value}`);
    const d = device();
    return d && { node: d, i };
  }
  if (VSYS_LEVEL.has(v)) {
    vsysPrefix?.add('');
    const d = device();
    const vs = d && get(d, 'vsys', syn);
    const v1 = vs && get(vs, 'vsys', syn, Token.synthetic('vsys1', syn));
    return v1 && { node: v1, i };
  }
  return { node: root, i };
}

/** Puts `fresh` (read on its own, same tag and name) in the place of `old` under `old`'s parent. */
export function replaceChild(old: SNode, fresh: SNode): void {
  const parent = old.parent!;
  parent.kids[parent.kids.indexOf(old)] = fresh;
  if (parent.index) parent.index.set(kidKey(fresh.tag, fresh.name), fresh);
  (fresh as { parent: SNode | undefined }).parent = parent;
}

/**
 * Puts `fresh` (read on its own, a kid `parent` does not have) among `parent`'s kids at `at`, as
 * {@link getChild} would have made it there: indexed once the parent has more than 8 kids.
 */
export function insertChild(parent: SNode, fresh: SNode, at: number): void {
  if (parent.kids.length === 0) parent.kids = [fresh];
  else parent.kids.splice(at, 0, fresh);
  if (parent.index) {
    parent.index.set(kidKey(fresh.tag, fresh.name), fresh);
  } else if (parent.kids.length > 8) {
    parent.index = new Map();
    for (const k of parent.kids) parent.index.set(kidKey(k.tag, k.name), k);
  }
  (fresh as { parent: SNode | undefined }).parent = parent;
}

/** Takes `old` out of its parent's kids (and index), as if its lines had never been read. */
export function removeChild(old: SNode): void {
  const parent = old.parent!;
  parent.kids = parent.kids.filter((k) => k !== old);
  if (parent.index) parent.index.delete(kidKey(old.tag, old.name));
}

/** The kid `tag` of `parent`, or its list entry `name` (by the parent's index when it has one). */
export function findChild(parent: SNode, tag: string, name?: string): SNode | undefined {
  // A node with many kids has an index (kept by getChild and applyDelete): moves and deletes look
  // up entries of long lists.
  if (parent.index) {
    return parent.index.get(name !== undefined ? kidKey('entry', name) : tag);
  }
  if (name !== undefined) {
    return parent.kids.find((k) => k.tag === 'entry' && k.name === name);
  }
  return parent.kids.find((k) => k.tag === tag && k.name === undefined);
}

/** Reads a value or a bracket list starting at i; returns the tokens and the next index. */
function readValues(t: Token[], i: number): { vals: Token[]; next: number } {
  const tok = t[i];
  if (!tok) return { vals: [], next: i };
  if (tok.open && !tok.quoted) {
    const vals: Token[] = [];
    let j = i + 1;
    while (j < t.length && !(t[j]!.close && !t[j]!.quoted)) {
      // A nested '[' (reported by checkBrackets) is not a value.
      if (!(t[j]!.open && !t[j]!.quoted)) vals.push(t[j]!);
      j++;
    }
    return { vals, next: j + 1 };
  }
  return { vals: [tok], next: i + 1 };
}

/**
 * Where the last `set` line's walk entered its deepest list entry (`… rules NAME`): consecutive lines
 * of an export share that path, and the next line that starts with the same tokens goes on from
 * there instead of walking down from the root again.
 */
type PathMemo = {
  last:
    | {
        tokens: Token[];
        /** Index of the first token after the entry's name. */
        i: number;
        node: SNode;
        /** The nodes the walk got (found or made) on its way to `node`: their extent grows by each line. */
        path: SNode[];
      }
    | undefined;
};

/** Do the first `n` tokens of `a` and `b` read alike (values and quoting)? */
function samePrefix(a: Token[], b: Token[], n: number): boolean {
  for (let k = n - 1; k >= 0; k--) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.value !== y.value || x.quoted !== y.quoted || x.open !== y.open || x.close !== y.close) return false;
  }
  return true;
}

function applySet(root: SNode, line: SetLine, vsysPrefix: Set<string>, sets: ValueSets, memo: PathMemo | undefined): void {
  const m = memo?.last;
  // The walk up to an entry depends only on the tokens before it (and on there being more after):
  // the same tokens lead to the same nodes, which only need their extent to cover this line too.
  if (m && line.tokens.length > m.i && samePrefix(m.tokens, line.tokens, m.i)) {
    for (const n of m.path) if (n.last < line.end) n.last = line.end;
    walk(m.node, line, m.i, true, sets, memo, m.path.slice());
    return;
  }
  if (memo) memo.last = undefined;
  const path: SNode[] | undefined = memo ? [] : undefined;
  const r = resolvePrefix(root, line, 1, true, vsysPrefix, path);
  if (!r) return;
  walk(r.node, line, r.i, true, sets, memo, path);
}

/**
 * Walks tokens from index i under `node`. `atEntry` is true when `node` is a container whose
 * next token is a child key (an entry or the root); false when `node` was just named by a key,
 * so that a single remaining token is its value.
 */
function walk(node: SNode, line: SetLine, i: number, atEntry: boolean, sets: ValueSets, memo?: PathMemo, path?: SNode[]): void {
  const t = line.tokens;
  let n = node;
  let entryState = atEntry;
  // The nearest entry at or above `n`: each step goes down to a child, or to an entry of a list child.
  let entry = entryOf(n);
  while (i < t.length) {
    if (n.tag === 'entry') entry = n;
    const pf = pairFields(n);
    if (pf && isPair(pf, t, i)) {
      // Chained attribute pairs: key value [key value …]; a keyed one (`nexthop ip-address …`) is key subkey value.
      while (i < t.length && isPair(pf, t, i)) {
        const key = t[i]!;
        let f = getOnPath(path, n, key.value, key, line);
        if (KEYED_FIELDS.has(key.value)) {
          const sub = t[++i]!;
          f = getOnPath(path, f, sub.value, sub, line);
        }
        const { vals, next } = readValues(t, i + 1);
        for (const v of vals) addValue(f, v, sets);
        i = next;
      }
      continue;
    }
    const tok = t[i]!;
    const remaining = t.length - i;
    if (!entryState) {
      // `n` was named by a key: one token (or a bracket list) left is its value.
      if (tok.open && !tok.quoted) {
        const { vals, next } = readValues(t, i);
        for (const v of vals) addValue(n, v, sets);
        i = next;
        continue;
      }
      if (remaining === 1 && !(tok.close && !tok.quoted)) {
        addValue(n, tok, sets);
        return;
      }
    }
    if (tok.open || tok.close) {
      i++;
      continue;
    }
    const child = getOnPath(path, n, tok.value, tok, line);
    // Template configs omit `devices localhost.localdomain` in some outputs.
    if (tok.value === 'config' && (listTag(n) === 'template' || listTag(n) === 'template-stack')) {
      const nx = t[i + 1]?.value;
      if (nx === 'deviceconfig' || nx === 'network' || nx === 'vsys') {
        const syn = { start: t[i + 1]!.span.start, end: t[i + 1]!.span.start };
        const devices = getOnPath(path, child, 'devices', syn, line);
        n = getOnPath(path, devices, 'devices', syn, line, Token.synthetic('localhost.localdomain', syn));
        i++;
        entryState = true;
        continue;
      }
    }
    if (isList(n, tok.value, entry) && i + 1 < t.length) {
      const nt = t[i + 1]!;
      if (nt.open && !nt.quoted) {
        const { vals, next } = readValues(t, i + 1);
        for (const v of vals) getOnPath(path, child, tok.value, v, line, v);
        i = next;
        n = child;
        entryState = false;
        continue;
      }
      n = getOnPath(path, child, tok.value, nt, line, nt);
      i += 2;
      entryState = true;
      // Remembered for the next line (see applySet): only here, where no token past `i` was looked at.
      if (memo && path && i < t.length) memo.last = { tokens: t, i, node: n, path: path.slice() };
      continue;
    }
    n = child;
    i++;
    entryState = false;
  }
}

function applyDelete(root: SNode, line: SetLine, report: (m: string, s: Span) => void, sets: ValueSets): void {
  const r = resolvePrefix(root, line, 1, false);
  if (!r) return;
  const t = line.tokens;
  let n: SNode | undefined = r.node;
  let i = r.i;
  let entry = entryOf(n);
  while (n && i < t.length) {
    if (n.tag === 'entry') entry = n;
    const tok = t[i]!;
    if (tok.open || tok.close) {
      i++;
      continue;
    }
    // Deleting a member value: `delete … source 10.0.0.1`.
    if (i === t.length - 1 && n.values.some((v) => v.value === tok.value) && !findChild(n, tok.value)) {
      n.values = n.values.filter((v) => v.value !== tok.value);
      sets.delete(n);
      return;
    }
    const child: SNode | undefined = findChild(n, tok.value);
    if (child && isList(n, tok.value, entry) && i + 1 < t.length) {
      n = findChild(child, tok.value, t[i + 1]!.value);
      i += 2;
      continue;
    }
    n = child;
    i++;
  }
  if (!n || n === r.node) {
    void report;
    return;
  }
  const parent = n.parent;
  if (parent) {
    parent.kids = parent.kids.filter((k) => k !== n);
    if (parent.index) {
      parent.index.delete(kidKey(n.tag, n.name));
    }
  }
}

function applyMove(root: SNode, line: SetLine, report: (m: string, s: Span) => void): void {
  const t = line.tokens;
  // move <path to entry> before|after <name> | top | bottom
  let w = -1;
  for (let k = t.length - 1; k >= 2; k--) {
    const v = t[k]!.value;
    if ((v === 'top' || v === 'bottom') && k === t.length - 1) {
      w = k;
      break;
    }
    if ((v === 'before' || v === 'after') && k === t.length - 2) {
      w = k;
      break;
    }
  }
  if (w < 0) {
    report("'move' needs 'before NAME', 'after NAME', 'top' or 'bottom'", line.tokens[0]!.span);
    return;
  }
  const pathLine: SetLine = { ...line, tokens: t.slice(0, w) };
  const r = resolvePrefix(root, pathLine, 1, false);
  if (!r) return;
  let n: SNode | undefined = r.node;
  let i = r.i;
  const pt = pathLine.tokens;
  let listNode: SNode | undefined;
  let entry = entryOf(n);
  while (n && i < pt.length) {
    if (n.tag === 'entry') entry = n;
    const child: SNode | undefined = findChild(n, pt[i]!.value);
    if (child && isList(n, pt[i]!.value, entry) && i + 1 < pt.length) {
      listNode = child;
      n = findChild(child, pt[i]!.value, pt[i + 1]!.value);
      i += 2;
      continue;
    }
    n = child;
    i++;
  }
  if (!n || !listNode || n.parent !== listNode) {
    report('move: the entry to move does not exist (yet)', { start: line.start, end: line.end });
    return;
  }
  // In place (a copy and a search of the list per move made a script of moves O(moves x rules)).
  // The entry moved is most often the one just added: look for it from the end.
  const kids = listNode.kids;
  const from = kids.lastIndexOf(n);
  const where = t[w]!.value;
  let to: number;
  if (where === 'top') to = 0;
  else if (where === 'bottom') to = kids.length - 1;
  else {
    const ref = t[w + 1]!.value;
    const refNode = findChild(listNode, 'entry', ref);
    if (refNode === n) {
      report(`move: '${ref}' is the entry being moved`, t[w + 1]!.span);
      return;
    }
    const at = refNode ? kids.indexOf(refNode) : -1;
    if (at < 0) {
      report(`move: '${ref}' is not in the list`, t[w + 1]!.span);
      return;
    }
    // Where the reference is once the moved entry is taken out; then before or after it.
    const refAt = at > from ? at - 1 : at;
    to = where === 'before' ? refAt : refAt + 1;
  }
  moveItem(kids, from, to);
}

/** Moves a[from] to index `to` (an index of the result). */
function moveItem<T>(a: T[], from: number, to: number): void {
  if (from === to) return;
  const item = a[from]!;
  // The array methods move the items in between natively: several times faster than a loop here.
  if (from === a.length - 1) a.pop();
  else a.splice(from, 1);
  if (to === 0) a.unshift(item);
  else if (to === a.length) a.push(item);
  else a.splice(to, 0, item);
}

/** Exposed for tests and the grammar: the tokens of one line. */
export function tokenize(text: string): Located<string>[] {
  const issues: SyntaxIssue[] = [];
  return new SetScanner(text).tokenizeLine(0, issues).tokens.map((t) => ({ value: t.value, span: t.span }));
}
