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
import type { Located, Span } from '../text';
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

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** Tokenizes the logical line starting at `start`; returns tokens and the end offset. */
function tokenizeLine(text: string, start: number, issues: SyntaxIssue[]): { tokens: Token[]; end: number; next: number } {
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
      // Closing quote: followed by whitespace, end of line, ']' or end of text.
      let e = -1;
      let k = p + 1;
      for (;;) {
        const j = text.indexOf(q === 34 ? '"' : "'", k);
        if (j < 0) break;
        const nc = j + 1 < len ? text.charCodeAt(j + 1) : 10;
        if (isWs(nc) || isBreak(nc) || nc === 93) {
          e = j;
          break;
        }
        k = j + 1;
      }
      if (e >= 0 && q === 34) {
        // An odd number of double quotes after it on the logical line means the value itself
        // holds quotes (real `show` output does this): extend to the last closing quote.
        const lineEnd = logicalEnd(text, e + 1);
        let count = 0;
        let lastQ = -1;
        for (let j = text.indexOf('"', e + 1); j >= 0 && j < lineEnd; j = text.indexOf('"', j + 1)) {
          count++;
          lastQ = j;
        }
        // …unless a later token starts with a quote: that token carries its own quoting.
        const laterQuoted = /\s"/.test(text.slice(e + 1, lineEnd));
        if (count % 2 === 1 && !laterQuoted) {
          const nc = lastQ + 1 < len ? text.charCodeAt(lastQ + 1) : 10;
          if (isWs(nc) || isBreak(nc) || lastQ + 1 >= len) {
            e = lastQ;
          }
        }
      }
      if (e < 0) {
        // A quoted value may continue on following lines (multi-line descriptions).
        const j = findMultilineClose(text, p + 1, q);
        if (j < 0) {
          const le = nextBreak(text, p);
          issues.push({ message: `Unterminated ${q === 34 ? 'double' : 'single'}-quoted string`, span: { start: ts, end: le } });
          tokens.push(new Token(text.slice(p + 1, le), ts, le, true));
          p = le;
          break;
        }
        e = j;
      }
      tokens.push(new Token(text.slice(ts + 1, e), ts, e + 1, true));
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
      tokens.push(new Token(text.slice(s, e), s, e, false));
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

function nextBreak(text: string, from: number): number {
  const len = text.length;
  let p = from;
  while (p < len && !isBreak(text.charCodeAt(p))) p++;
  return p;
}

/**
 * End of the logical line containing `from`: a following physical line continues it when it does
 * not start a command and holds an odd number of double quotes (a multi-line quoted value).
 */
function logicalEnd(text: string, from: number): number {
  const len = text.length;
  let end = nextBreak(text, from);
  for (let lines = 0; lines < 1000 && end < len; lines++) {
    let p = end;
    if (text.charCodeAt(p) === 13) p++;
    if (p < len && text.charCodeAt(p) === 10) p++;
    const le = nextBreak(text, p);
    const m = /^\s*([A-Za-z#]*)/.exec(text.slice(p, Math.min(le, p + 20)));
    if (p >= le || (m && (VERBS.has(m[1]!) || m[1]!.startsWith('#')))) break;
    let count = 0;
    for (let j = text.indexOf('"', p); j >= 0 && j < le; j = text.indexOf('"', j + 1)) count++;
    if (count % 2 === 0) break;
    end = le;
  }
  return end;
}

/** For a quote left open at line end: the closing quote on a later continuation line, or -1. */
function findMultilineClose(text: string, from: number, q: number): number {
  const len = text.length;
  let p = nextBreak(text, from);
  for (let lines = 0; lines < 1000 && p < len; lines++) {
    if (text.charCodeAt(p) === 13) p++;
    if (p < len && text.charCodeAt(p) === 10) p++;
    const ls = p;
    const le = nextBreak(text, ls);
    // A line that starts a new command ends the search.
    const m = /^\s*([A-Za-z#]+)/.exec(text.slice(ls, Math.min(le, ls + 20)));
    if (m && (VERBS.has(m[1]!) || m[1]!.startsWith('#'))) {
      return -1;
    }
    for (let j = text.indexOf(q === 34 ? '"' : "'", ls); j >= 0 && j < le; j = text.indexOf(q === 34 ? '"' : "'", j + 1)) {
      const nc = j + 1 < len ? text.charCodeAt(j + 1) : 10;
      if (isWs(nc) || isBreak(nc) || nc === 93 || j + 1 >= len) {
        return j;
      }
    }
    p = le;
  }
  return -1;
}

/** Builds the tree; the set parser's public entry point. */
export function parseSet(text: string): SetDoc {
  const errors: SyntaxIssue[] = [];
  const root = new SNode('config', undefined, undefined, { start: 0, end: 0 }, undefined, 0, 0);
  const counts = { set: 0, delete: 0, move: 0 };
  const vsysPrefix = new Set<string>();
  const len = text.length;
  let p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let dropped = 0;
  const report = (message: string, s: Span): void => {
    if (errors.length < MAX_SYNTAX_ISSUES) {
      errors.push({ message, span: s });
    } else {
      dropped++;
    }
  };
  const tokIssues: SyntaxIssue[] = [];
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
    const { tokens, end, next } = tokenizeLine(text, ls, tokIssues);
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
        applySet(root, line, vsysPrefix);
      } else if (verb === 'delete') {
        applyDelete(root, line, report);
      } else {
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

/** Gets or creates the child `tag` (or entry `name` of list `tag` when `entryTok` is given). */
function getChild(parent: SNode, tag: string, keyAt: Span | Token, line: SetLine, entryTok?: Token): SNode {
  const key = entryTok ? '\0' + entryTok.value : tag;
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
  const n = entryTok
    ? new SNode('entry', entryTok.value, entryTok.span, entryTok.span, parent, line.start, line.end)
    : new SNode(tag, undefined, undefined, keyAt instanceof Token ? keyAt.span : keyAt, parent, line.start, line.end);
  if (parent.kids.length === 0) parent.kids = [n];
  else parent.kids.push(n);
  if (parent.index) {
    parent.index.set(key, n);
  } else if (parent.kids.length > 8) {
    parent.index = new Map();
    for (const k of parent.kids) {
      parent.index.set(k.tag === 'entry' && k.name !== undefined ? '\0' + k.name : k.tag, k);
    }
  }
  return n;
}

function addValue(node: SNode, tok: Token): void {
  for (const v of node.values) {
    if (v.value === tok.value) {
      return;
    }
  }
  const v = { value: tok.value, span: tok.span };
  if (node.values.length === 0) node.values = [v];
  else node.values.push(v);
}

/** The list tag of an entry node (`rules` for a rule). */
function listTag(n: SNode): string | undefined {
  return n.tag === 'entry' ? n.parent?.tag : undefined;
}

/** Is `tag` a list keyword when it appears under `parent`? */
function isList(parent: SNode, tag: string): boolean {
  // Inside a server entry of a server profile, `address`/`server` are plain values.
  for (let a: SNode | undefined = parent; a; a = a.parent) {
    if (a.tag === 'entry') {
      const lt = listTag(a);
      if (lt === tag || lt === 'server') return false;
      break;
    }
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
  if (n.parent?.tag === 'protocol' && (n.tag === 'tcp' || n.tag === 'udp' || n.tag === 'sctp')) return PORT_FIELDS;
  return undefined;
}

/** Resolves the path prefix of a set/delete/move line; returns the container node and next index. */
function resolvePrefix(root: SNode, line: SetLine, from: number, create: boolean, vsysPrefix?: Set<string>): { node: SNode; i: number } | undefined {
  const t = line.tokens;
  let i = from;
  let first = t[i]!;
  const get = (parent: SNode, tag: string, span: Span, entry?: Token): SNode | undefined =>
    create ? getChild(parent, tag, span, line, entry) : findChild(parent, tag, entry?.value);
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

function findChild(parent: SNode, tag: string, name?: string): SNode | undefined {
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

function applySet(root: SNode, line: SetLine, vsysPrefix: Set<string>): void {
  const r = resolvePrefix(root, line, 1, true, vsysPrefix);
  if (!r) return;
  walk(r.node, line, r.i, true);
}

/**
 * Walks tokens from index i under `node`. `atEntry` is true when `node` is a container whose
 * next token is a child key (an entry or the root); false when `node` was just named by a key,
 * so that a single remaining token is its value.
 */
function walk(node: SNode, line: SetLine, i: number, atEntry: boolean): void {
  const t = line.tokens;
  let n = node;
  let entryState = atEntry;
  while (i < t.length) {
    const pf = pairFields(n);
    if (pf && pf.has(t[i]!.value) && !t[i]!.quoted) {
      // Chained attribute pairs: key value [key value …].
      while (i < t.length && pf.has(t[i]!.value)) {
        const key = t[i]!;
        const f = getChild(n, key.value, key, line);
        const { vals, next } = readValues(t, i + 1);
        for (const v of vals) addValue(f, v);
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
        for (const v of vals) addValue(n, v);
        i = next;
        continue;
      }
      if (remaining === 1 && !(tok.close && !tok.quoted)) {
        addValue(n, tok);
        return;
      }
    }
    if (tok.open || tok.close) {
      i++;
      continue;
    }
    const child = getChild(n, tok.value, tok, line);
    // Template configs omit `devices localhost.localdomain` in some outputs.
    if (tok.value === 'config' && (listTag(n) === 'template' || listTag(n) === 'template-stack')) {
      const nx = t[i + 1]?.value;
      if (nx === 'deviceconfig' || nx === 'network' || nx === 'vsys') {
        const syn = { start: t[i + 1]!.span.start, end: t[i + 1]!.span.start };
        const devices = getChild(child, 'devices', syn, line);
        n = getChild(devices, 'devices', syn, line, Token.synthetic('localhost.localdomain', syn));
        i++;
        entryState = true;
        continue;
      }
    }
    if (isList(n, tok.value) && i + 1 < t.length) {
      const nt = t[i + 1]!;
      if (nt.open && !nt.quoted) {
        const { vals, next } = readValues(t, i + 1);
        for (const v of vals) getChild(child, tok.value, v, line, v);
        i = next;
        n = child;
        entryState = false;
        continue;
      }
      n = getChild(child, tok.value, nt, line, nt);
      i += 2;
      entryState = true;
      continue;
    }
    n = child;
    i++;
    entryState = false;
  }
}

function applyDelete(root: SNode, line: SetLine, report: (m: string, s: Span) => void): void {
  const r = resolvePrefix(root, line, 1, false);
  if (!r) return;
  const t = line.tokens;
  let n: SNode | undefined = r.node;
  let i = r.i;
  while (n && i < t.length) {
    const tok = t[i]!;
    if (tok.open || tok.close) {
      i++;
      continue;
    }
    // Deleting a member value: `delete … source 10.0.0.1`.
    if (i === t.length - 1 && n.values.some((v) => v.value === tok.value) && !findChild(n, tok.value)) {
      n.values = n.values.filter((v) => v.value !== tok.value);
      return;
    }
    const child: SNode | undefined = findChild(n, tok.value);
    if (child && isList(n, tok.value) && i + 1 < t.length) {
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
      parent.index.delete(n.tag === 'entry' && n.name !== undefined ? '\0' + n.name : n.tag);
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
  while (n && i < pt.length) {
    const child: SNode | undefined = findChild(n, pt[i]!.value);
    if (child && isList(n, pt[i]!.value) && i + 1 < pt.length) {
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
  const kids = listNode.kids.filter((k) => k !== n);
  const where = t[w]!.value;
  if (where === 'top') kids.unshift(n);
  else if (where === 'bottom') kids.push(n);
  else {
    const ref = t[w + 1]!.value;
    const at = kids.findIndex((k) => k.tag === 'entry' && k.name === ref);
    if (at < 0) {
      report(`move: '${ref}' is not in the list`, t[w + 1]!.span);
      return;
    }
    kids.splice(where === 'before' ? at : at + 1, 0, n);
  }
  listNode.kids = kids;
}

/** Exposed for tests and the grammar: the tokens of one line. */
export function tokenize(text: string): Located<string>[] {
  const issues: SyntaxIssue[] = [];
  return tokenizeLine(text, 0, issues).tokens.map((t) => ({ value: t.value, span: t.span }));
}
