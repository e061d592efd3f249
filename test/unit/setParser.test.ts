/**
 * @fileoverview Unit tests of the `set` tokenizer and tree builder (parse/set.ts) through parse()
 * and the CNode view. Spans are computed from the text with spanOf/spanIn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSet, tokenize } from '../../server/src/core/parse/set';
import { detectFormat, parse, type ParsedDoc } from '../../server/src/core/parse/index';
import type { CNode, SNode } from '../../server/src/core/parse/tree';
import { buildModel } from '../../server/src/core/model/build';
import type { ConfigModel } from '../../server/src/core/model/types';
import type { Located } from '../../server/src/core/text';
import { CORPUS, FIXTURES, corpusFiles, read, spanIn, spanOf } from '../helpers';
import { mulberry32 } from '../fuzz/mutators';

const DEV = 'devices/entry[localhost.localdomain]';
const VSYS1 = `${DEV}/vsys/entry[vsys1]`;

function setDoc(text: string): ParsedDoc {
  const d = parse(text);
  assert.equal(d.format, 'set');
  return d;
}

function node(d: ParsedDoc, p: string): CNode {
  const n = d.config!.at(p);
  assert.ok(n, `node ${p}`);
  return n;
}

function values(n: CNode | undefined): string[] {
  return (n?.members() ?? []).map((v) => v.value);
}

function model(text: string): ConfigModel {
  const m = buildModel(setDoc(text));
  assert.ok(m);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

test('set tokens: double- and single-quoted names keep the quotes in their span', () => {
  const cases = [
    'set rulebase security rules "Allow Panorama" from trust',
    "set rulebase security rules 'Allow Panorama' from trust",
  ];
  for (const line of cases) {
    const q = line.includes('"') ? '"Allow Panorama"' : "'Allow Panorama'";
    assert.deepEqual(tokenize(line), [
      { value: 'set', span: spanOf(line, 'set') },
      { value: 'rulebase', span: spanOf(line, 'rulebase') },
      { value: 'security', span: spanOf(line, 'security') },
      { value: 'rules', span: spanOf(line, 'rules') },
      { value: 'Allow Panorama', span: spanOf(line, q) },
      { value: 'from', span: spanOf(line, 'from') },
      { value: 'trust', span: spanOf(line, 'trust') },
    ]);
    const d = setDoc(line);
    assert.deepEqual(d.errors, []);
    const r = node(d, `${VSYS1}/rulebase/security/rules/entry[Allow Panorama]`);
    assert.deepEqual(r.nameSpan, spanOf(line, q));
    assert.deepEqual(r.child('from')!.members(), [{ value: 'trust', span: spanOf(line, 'trust') }]);
  }
});

test('set tokens: bracket lists with and without a space before the closing bracket', () => {
  const table: [string, string[]][] = [
    ['set address-group G static [ a1 a2 ]', ['a1', 'a2']],
    ['set address-group G static [ a1 a2]', ['a1', 'a2']],
    ['set address-group G static [a1 a2]', ['a1', 'a2']],
    ['set address-group G static [ a1 "addr two" ]', ['a1', 'addr two']],
    ['set address-group G static a1', ['a1']],
  ];
  for (const [line, want] of table) {
    const d = setDoc(line);
    assert.deepEqual(d.errors, [], line);
    const st = node(d, `${VSYS1}/address-group/entry[G]/static`);
    const expect: Located<string>[] = want.map((v) => ({ value: v, span: spanOf(line, v.includes(' ') ? `"${v}"` : v, 0, line.indexOf('static')) }));
    assert.deepEqual(st.members(), expect, line);
  }
  const line = 'set address-group G static [ a1 a2]';
  const toks = tokenize(line);
  assert.deepEqual(toks.slice(-4), [
    { value: '[', span: spanOf(line, '[') },
    { value: 'a1', span: spanOf(line, 'a1') },
    { value: 'a2', span: spanOf(line, 'a2') },
    { value: ']', span: spanOf(line, ']') },
  ]);
});

test('set: # comment lines and blank lines are skipped, session commands are ignored', () => {
  const text = `# set address ignored ip-netmask 1.1.1.1
configure

   # indented comment
set address kept ip-netmask 10.0.0.1
commit
exit
`;
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(d.config!.at(`${VSYS1}/address`)!.entries().map((e) => e.name), ['kept']);
  assert.deepEqual(d.set!.counts, { set: 1, delete: 0, move: 0 });
  assert.deepEqual(d.config!.at(`${VSYS1}/address/entry[kept]`)!.span, spanOf(text, 'set address kept ip-netmask 10.0.0.1'));
});

// ---------------------------------------------------------------------------------------------
// delete / move
// ---------------------------------------------------------------------------------------------

test('set: delete removes an entry, a member value, or a subtree', () => {
  const text = `set rulebase security rules A source [ 10.0.0.1 10.0.0.2 ]
set rulebase security rules A action allow
set rulebase security rules B action allow
set rulebase security rules C action deny
set address gone ip-netmask 10.9.9.9
delete rulebase security rules B
delete rulebase security rules A source 10.0.0.1
delete address gone
delete rulebase security rules C action
delete rulebase security rules NOPE
`;
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  const rules = node(d, `${VSYS1}/rulebase/security/rules`);
  assert.deepEqual(rules.entries().map((e) => e.name), ['A', 'C']);
  assert.deepEqual(rules.entry('A')!.child('source')!.members(), [{ value: '10.0.0.2', span: spanOf(text, '10.0.0.2') }]);
  assert.equal(rules.entry('C')!.child('action'), undefined);
  assert.deepEqual(d.config!.at(`${VSYS1}/address`)!.entries(), []);
  assert.deepEqual(d.set!.counts, { set: 5, delete: 5, move: 0 });
});

test('set: move … before|after|top|bottom reorders rules', () => {
  const base = ['A', 'B', 'C', 'D'].map((n) => `set rulebase security rules ${n} action allow`).join('\n') + '\n';
  const table: [string, string[]][] = [
    ['move rulebase security rules D before B', ['A', 'D', 'B', 'C']],
    ['move rulebase security rules A after C', ['B', 'C', 'A', 'D']],
    ['move rulebase security rules C top', ['C', 'A', 'B', 'D']],
    ['move rulebase security rules A bottom', ['B', 'C', 'D', 'A']],
  ];
  for (const [mv, order] of table) {
    const d = setDoc(base + mv + '\n');
    assert.deepEqual(d.errors, [], mv);
    assert.deepEqual(node(d, `${VSYS1}/rulebase/security/rules`).entries().map((e) => e.name), order, mv);
    assert.deepEqual(model(base + mv + '\n').vsys[0]!.rulebase.rules.map((r) => [r.name, r.index]), order.map((n, i) => [n, i]), mv);
  }
  // Panorama rulebases and quoted names move the same way.
  const pano = `set device-group DG pre-rulebase security rules "first rule" action allow
set device-group DG pre-rulebase security rules "second rule" action deny
move device-group DG pre-rulebase security rules "second rule" before "first rule"
`;
  assert.deepEqual(model(pano).deviceGroups[0]!.pre.rules.map((r) => r.name), ['second rule', 'first rule']);
});

test('set: move errors have exact messages and spans', () => {
  const base = 'set rulebase security rules A action allow\nset rulebase security rules B action allow\n';
  const table: [string, (t: string) => { message: string; span: { start: number; end: number } }][] = [
    ['move rulebase security rules X top', (t) => ({ message: 'move: the entry to move does not exist (yet)', span: spanOf(t, 'move rulebase security rules X top') })],
    ['move rulebase security rules B after Y', (t) => ({ message: "move: 'Y' is not in the list", span: spanIn(t, 'after Y', 'Y') })],
    ['move rulebase security rules B before B', (t) => ({ message: "move: 'B' is the entry being moved", span: spanIn(t, 'before B', 'B') })],
    ['move rulebase security rules B', (t) => ({ message: "'move' needs 'before NAME', 'after NAME', 'top' or 'bottom'", span: spanOf(t, 'move') })],
    // A place word that does not end the line is not the place: nothing is moved.
    ['move rulebase security rules B top A', (t) => ({ message: "'move' needs 'before NAME', 'after NAME', 'top' or 'bottom'", span: spanOf(t, 'move') })],
    ['move rulebase security rules B before A now', (t) => ({ message: "'move' needs 'before NAME', 'after NAME', 'top' or 'bottom'", span: spanOf(t, 'move') })],
    ['delete', (t) => ({ message: "'delete' needs a path", span: spanOf(t, 'delete') })],
  ];
  for (const [line, err] of table) {
    const text = base + line + '\n';
    const d = setDoc(text);
    assert.deepEqual(d.errors, [err(text)], line);
    assert.deepEqual(node(d, `${VSYS1}/rulebase/security/rules`).entries().map((e) => e.name), ['A', 'B'], line);
  }
});

// ---------------------------------------------------------------------------------------------
// Typed lines with several attribute pairs; keywords in other contexts
// ---------------------------------------------------------------------------------------------

test('set: several attribute pairs on one typed line', () => {
  const text =
    'set rulebase security rules R from trust to untrust source 10.0.0.1 destination any application ssl service application-default action allow\n';
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  const r = node(d, `${VSYS1}/rulebase/security/rules/entry[R]`);
  assert.deepEqual(
    r.children().map((c) => [c.tag, c.members()]),
    [
      ['from', [{ value: 'trust', span: spanOf(text, 'trust') }]],
      ['to', [{ value: 'untrust', span: spanOf(text, 'untrust') }]],
      ['source', [{ value: '10.0.0.1', span: spanOf(text, '10.0.0.1') }]],
      ['destination', [{ value: 'any', span: spanOf(text, 'any') }]],
      ['application', [{ value: 'ssl', span: spanOf(text, 'ssl') }]],
      ['service', [{ value: 'application-default', span: spanOf(text, 'application-default') }]],
      ['action', [{ value: 'allow', span: spanOf(text, 'allow') }]],
    ],
  );
  assert.deepEqual(r.children().map((c) => c.keySpan), ['from', 'to', 'source', 'destination', 'application', 'service', 'action'].map((k) => spanOf(text, ` ${k} `)).map((s) => ({ start: s.start + 1, end: s.end - 1 })));
  // Pairs mixed with bracket lists and quoted values.
  const t2 = 'set rulebase security rules R2 source [ a b ] destination "c d" description "x y" action deny\n';
  const r2 = node(setDoc(t2), `${VSYS1}/rulebase/security/rules/entry[R2]`);
  assert.deepEqual(values(r2.child('source')), ['a', 'b']);
  assert.deepEqual(values(r2.child('destination')), ['c d']);
  assert.deepEqual(r2.textOf('description'), { value: 'x y', span: spanOf(t2, '"x y"') });
  assert.equal(r2.textOf('action')!.value, 'deny');
});

test('set: typed static routes and management settings chain their attributes, as one attribute a line reads them', () => {
  const typed = `set network virtual-router default routing-table ip static-route inet destination 0.0.0.0/0 nexthop ip-address 203.0.113.1 interface ethernet1/1 metric 10
set network virtual-router default routing-table ipv6 static-route inet6 nexthop ipv6-address 2001:db8::1 destination ::/0
set network virtual-router default routing-table ip static-route blackhole destination 198.51.100.0/24 nexthop discard
set deviceconfig system ip-address 192.0.2.10 netmask 255.255.255.0 default-gateway 192.0.2.1 hostname fw1
set deviceconfig system panorama-server 192.0.2.20 panorama-server-2 192.0.2.21 dns-setting servers primary 192.0.2.53
`;
  const shown = `set network virtual-router default routing-table ip static-route inet destination 0.0.0.0/0
set network virtual-router default routing-table ip static-route inet nexthop ip-address 203.0.113.1
set network virtual-router default routing-table ip static-route inet interface ethernet1/1
set network virtual-router default routing-table ip static-route inet metric 10
set network virtual-router default routing-table ipv6 static-route inet6 nexthop ipv6-address 2001:db8::1
set network virtual-router default routing-table ipv6 static-route inet6 destination ::/0
set network virtual-router default routing-table ip static-route blackhole destination 198.51.100.0/24
set network virtual-router default routing-table ip static-route blackhole nexthop discard
set deviceconfig system ip-address 192.0.2.10
set deviceconfig system netmask 255.255.255.0
set deviceconfig system default-gateway 192.0.2.1
set deviceconfig system hostname fw1
set deviceconfig system panorama-server 192.0.2.20
set deviceconfig system panorama-server-2 192.0.2.21
set deviceconfig system dns-setting servers primary 192.0.2.53
`;
  const d = setDoc(typed);
  assert.deepEqual(d.errors, []);
  const shape = (n: CNode): unknown => [n.tag, n.name ?? null, n.members().map((v) => v.value), n.children().map(shape)];
  assert.deepEqual(shape(d.config!), shape(setDoc(shown).config!));
  const inet = node(d, `${DEV}/network/virtual-router/entry[default]/routing-table/ip/static-route/entry[inet]`);
  assert.deepEqual(inet.children().map((c) => c.tag), ['destination', 'nexthop', 'interface', 'metric']);
  assert.deepEqual(inet.child('nexthop')!.textOf('ip-address'), { value: '203.0.113.1', span: spanOf(typed, '203.0.113.1') });
  assert.deepEqual(inet.child('nexthop')!.child('ip-address')!.keySpan, spanOf(typed, 'ip-address'));
  const m = model(typed);
  assert.deepEqual(
    m.network.routes.map((r) => [r.name, r.destination, r.iface ?? null, r.nexthop ?? null]),
    [
      ['inet', '0.0.0.0/0', 'ethernet1/1', '203.0.113.1'],
      ['blackhole', '198.51.100.0/24', null, null],
      ['inet6', '::/0', null, '2001:db8::1'],
    ],
  );
  assert.deepEqual(
    [m.mgmt.ipAddress, m.mgmt.netmask, m.mgmt.hostname],
    [
      { value: '192.0.2.10', span: spanOf(typed, '192.0.2.10') },
      { value: '255.255.255.0', span: spanOf(typed, '255.255.255.0') },
      { value: 'fw1', span: spanOf(typed, 'fw1') },
    ],
  );
  assert.deepEqual(m.mgmt.panoramaServers.map((v) => v.value), ['192.0.2.20', '192.0.2.21']);
  assert.deepEqual(m.mgmt.dnsServers.map((v) => v.value), ['192.0.2.53']);
});

test('set: `deviceconfig setting application notify-user yes` is a setting, not a rule application', () => {
  const text = `set deviceconfig setting application notify-user yes
set deviceconfig setting application bypass-exceed-queue no
set rulebase security rules R application ssh
`;
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  const app = node(d, `${DEV}/deviceconfig/setting/application`);
  assert.deepEqual(app.entries(), []);
  assert.deepEqual(app.textOf('notify-user'), { value: 'yes', span: spanOf(text, 'yes') });
  assert.deepEqual(app.textOf('bypass-exceed-queue'), { value: 'no', span: spanIn(text, 'bypass-exceed-queue no', 'no') });
  const m = model(text);
  assert.deepEqual(m.vsys[0]!.rulebase.rules.map((r) => [r.name, r.application.items.map((a) => a.value)]), [['R', ['ssh']]]);
  assert.equal(m.vsys[0]!.scope.applications.size, 0);
});

test('set: `deviceconfig system service disable-*` is the management service block, not a service object', () => {
  const text = `set deviceconfig system service disable-telnet yes
set deviceconfig system service disable-http yes
set service tcp-28 protocol tcp port 28
`;
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  const svc = node(d, `${DEV}/deviceconfig/system/service`);
  assert.deepEqual(svc.entries(), []);
  assert.deepEqual(svc.children().map((c) => [c.tag, c.text()!.value]), [['disable-telnet', 'yes'], ['disable-http', 'yes']]);
  const m = model(text);
  assert.deepEqual([...m.mgmt.serviceDisables.keys()], ['telnet', 'http']);
  assert.deepEqual([...m.vsys[0]!.scope.services.keys()], ['tcp-28']);
});

test('set: network profiles are named lists; the same keywords inside a zone or an interface are values', () => {
  const text = `set network profiles interface-management-profile allow-ping ping yes
set network profiles zone-protection-profile zp1 discard-ip-spoof yes
set network interface ethernet ethernet1/1 layer3 interface-management-profile allow-ping
set zone trust network zone-protection-profile zp1
set zone trust network layer3 ethernet1/1
`;
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  assert.equal(node(d, `${DEV}/network/profiles/interface-management-profile/entry[allow-ping]`).textOf('ping')!.value, 'yes');
  assert.equal(node(d, `${DEV}/network/profiles/zone-protection-profile/entry[zp1]`).textOf('discard-ip-spoof')!.value, 'yes');
  assert.deepEqual(node(d, `${DEV}/network/interface/ethernet/entry[ethernet1/1]/layer3`).textOf('interface-management-profile'), {
    value: 'allow-ping',
    span: spanOf(text, 'allow-ping', 1),
  });
  assert.deepEqual(node(d, `${VSYS1}/zone/entry[trust]/network`).textOf('zone-protection-profile'), { value: 'zp1', span: spanOf(text, 'zp1', 1) });
  assert.deepEqual(model(text).network.zones.map((z) => [z.name, z.interfaces]), [['trust', ['ethernet1/1']]]);
});

// ---------------------------------------------------------------------------------------------
// Prefixes
// ---------------------------------------------------------------------------------------------

test('set prefixes: single-vsys, vsys NAME, Panorama shared/device-group/template, policy panorama, filesystem form', () => {
  const table: [string, string, string][] = [
    ['set rulebase security rules R action allow', `${VSYS1}/rulebase/security/rules/entry[R]/action`, ''],
    ['set address A ip-netmask 10.0.0.1', `${VSYS1}/address/entry[A]/ip-netmask`, ''],
    ['set vsys vsys2 rulebase security rules R action allow', `${DEV}/vsys/entry[vsys2]/rulebase/security/rules/entry[R]/action`, 'vsys vsys2'],
    ['set deviceconfig system hostname fw1', `${DEV}/deviceconfig/system/hostname`, 'none'],
    ['set network interface ethernet ethernet1/1 layer3 ip 10.0.0.1/24', `${DEV}/network/interface/ethernet/entry[ethernet1/1]/layer3/ip/entry[10.0.0.1/24]`, 'none'],
    ['set shared address A ip-netmask 10.0.0.1', 'shared/address/entry[A]/ip-netmask', 'none'],
    ['set shared pre-rulebase security rules R action allow', 'shared/pre-rulebase/security/rules/entry[R]/action', 'none'],
    ['set device-group DG pre-rulebase security rules R action allow', `${DEV}/device-group/entry[DG]/pre-rulebase/security/rules/entry[R]/action`, 'none'],
    ['set device-group DG address A ip-netmask 10.0.0.1', `${DEV}/device-group/entry[DG]/address/entry[A]/ip-netmask`, 'none'],
    ['set template T config deviceconfig system hostname fw1', `${DEV}/template/entry[T]/config/${DEV}/deviceconfig/system/hostname`, 'none'],
    ['set template T config devices localhost.localdomain deviceconfig system hostname fw1', `${DEV}/template/entry[T]/config/${DEV}/deviceconfig/system/hostname`, 'none'],
    ['set template T config vsys vsys1 zone Z network layer3 ethernet1/1', `${DEV}/template/entry[T]/config/${VSYS1}/zone/entry[Z]/network/layer3`, 'none'],
    ['set template T config devices localhost.localdomain vsys vsys1 zone Z network layer3 ethernet1/1', `${DEV}/template/entry[T]/config/${VSYS1}/zone/entry[Z]/network/layer3`, 'none'],
    ['set template T config network interface ethernet ethernet1/1 layer3 ip 10.0.0.1/24', `${DEV}/template/entry[T]/config/${DEV}/network/interface/ethernet/entry[ethernet1/1]/layer3/ip/entry[10.0.0.1/24]`, 'none'],
    ['set template T config shared log-settings syslog S server s1 server 10.0.0.5', `${DEV}/template/entry[T]/config/shared/log-settings/syslog/entry[S]/server/entry[s1]/server`, 'none'],
    ['set template-stack TS config deviceconfig system hostname fw1', `${DEV}/template-stack/entry[TS]/config/${DEV}/deviceconfig/system/hostname`, 'none'],
    ['set policy panorama pre-rulebase security rules R action allow', 'policy/panorama/pre-rulebase/security/rules/entry[R]/action', 'none'],
    ['set mgt-config users admin permissions role-based superuser yes', 'mgt-config/users/entry[admin]/permissions/role-based/superuser', 'none'],
    ['set panorama log-settings syslog S server s1 server 10.0.0.5', 'panorama/log-settings/syslog/entry[S]/server/entry[s1]/server', 'none'],
    ['set readonly devices localhost.localdomain device-group DG parent-dg P', `readonly/${DEV}/device-group/entry[DG]/parent-dg`, 'none'],
    ['set config devices localhost.localdomain deviceconfig system hostname fw1', `${DEV}/deviceconfig/system/hostname`, 'none'],
    ['set config shared log-settings syslog S server s1 server 10.0.0.5', 'shared/log-settings/syslog/entry[S]/server/entry[s1]/server', 'none'],
  ];
  for (const [line, p, prefix] of table) {
    const d = setDoc(line + '\n');
    assert.deepEqual(d.errors, [], line);
    const n = d.config!.at(p);
    assert.ok(n, `${line} -> ${p}`);
    const last = line.split(' ').pop()!;
    // The last token is the node's value, or (for a list entry) its name.
    const got = n.tag === 'entry' ? { value: n.name, span: n.nameSpan } : n.text();
    assert.deepEqual(got, { value: last, span: spanOf(line, last, 0, line.length - last.length) }, line);
    assert.deepEqual([...d.set!.vsysPrefix], prefix === 'none' ? [] : [prefix], line);
  }
});

test('set prefixes: implied containers get empty spans at the first token of the path', () => {
  const line = 'set rulebase security rules R action allow';
  const d = setDoc(line);
  const at = spanOf(line, 'rulebase').start;
  for (const p of ['devices', DEV, `${DEV}/vsys`, VSYS1]) {
    const n = node(d, p);
    assert.deepEqual(n.keySpan, { start: at, end: at }, p);
  }
  assert.deepEqual(node(d, `${VSYS1}/rulebase`).keySpan, spanOf(line, 'rulebase'));
});

test('set: a node spans the first to the last line that mention it', () => {
  const text = `set rulebase security rules A from trust
set rulebase security rules B from trust
set rulebase security rules A action allow
set address x ip-netmask 10.0.0.1
`;
  const d = setDoc(text);
  const a = node(d, `${VSYS1}/rulebase/security/rules/entry[A]`);
  assert.deepEqual(a.span, { start: 0, end: spanOf(text, 'set rulebase security rules A action allow').end });
  const b = node(d, `${VSYS1}/rulebase/security/rules/entry[B]`);
  assert.deepEqual(b.span, spanOf(text, 'set rulebase security rules B from trust'));
});

// ---------------------------------------------------------------------------------------------
// Quoting
// ---------------------------------------------------------------------------------------------

test('set quoting: multi-line quoted descriptions', () => {
  const text = 'set address a1 description "first line\nsecond line\nthird line"\nset address a2 ip-netmask 10.0.0.2\n';
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(node(d, `${VSYS1}/address/entry[a1]`).textOf('description'), {
    value: 'first line\nsecond line\nthird line',
    span: spanOf(text, '"first line\nsecond line\nthird line"'),
  });
  assert.equal(node(d, `${VSYS1}/address/entry[a2]`).textOf('ip-netmask')!.value, '10.0.0.2');
  // CRLF inside the value is kept as written; the next line still parses.
  const crlf = text.replace(/\n/g, '\r\n');
  const d2 = setDoc(crlf);
  assert.deepEqual(d2.errors, []);
  assert.equal(node(d2, `${VSYS1}/address/entry[a1]`).textOf('description')!.value, 'first line\r\nsecond line\r\nthird line');
  assert.deepEqual(node(d2, `${VSYS1}/address/entry[a2]`).textOf('ip-netmask'), { value: '10.0.0.2', span: spanOf(crlf, '10.0.0.2') });
});

test('set quoting: the odd quoting of batfish quoted-values.set, value by value', () => {
  const text = read(path.join(CORPUS, 'batfish-snippets', 'quoted-values.set'));
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  const addrs = node(d, `${VSYS1}/address`);
  const desc = (n: string): Located<string> | undefined => addrs.entry(n)!.textOf('description');
  assert.deepEqual(addrs.entries().map((e) => e.name), ['addr0', 'addr1', 'addr2', 'addr3', 'addr4', 'addr5', 'addr6', 'addr7']);
  const table: [string, string | undefined, string | undefined][] = [
    ['addr0', "quoted description with a '", `"quoted description with a '"`],
    ['addr1', 'quoted description with a "', `"quoted description with a ""`],
    ['addr2', `quoted description with a " and '`, `"quoted description with a " and '"`],
    ['addr3', `multiline description with " inside'\nand other stuff`, `"multiline description with " inside'\nand other stuff"`],
    ['addr4', 'shortdescription', 'shortdescription'],
    ['addr5', 'quoted description', '"quoted description"'],
    ['addr6', undefined, undefined],
    ['addr7', '', '""'],
  ];
  for (const [name, value, raw] of table) {
    const got = desc(name);
    if (value === undefined) {
      assert.equal(got, undefined, name);
      assert.ok(addrs.entry(name)!.child('description'), `${name} has an empty description node`);
    } else {
      assert.deepEqual(got, { value, span: spanOf(text, raw!, 0, text.indexOf(`set address "${name}"`) >= 0 ? text.indexOf(`set address "${name}"`) : text.indexOf(`set address ${name}`)) }, name);
    }
  }
  // The model reads the same values.
  const m = buildModel(d)!;
  assert.deepEqual(
    [...m.vsys[0]!.scope.addresses.values()].map((a) => [a.name, a.description?.value]),
    table.map(([n, v]) => [n, v]),
  );
});

test('set quoting: unterminated quotes are reported and the next line still parses', () => {
  const table: [string, string][] = [
    ['set address a1 description "never closed\nset address a2 ip-netmask 10.0.0.2\n', '"never closed'],
    ["set address a1 description 'never closed\nset address a2 ip-netmask 10.0.0.2\n", "'never closed"],
    ['set address a1 description "at end of text', '"at end of text'],
  ];
  for (const [text, raw] of table) {
    const d = setDoc(text);
    const kind = raw.startsWith('"') ? 'double' : 'single';
    assert.deepEqual(d.errors, [{ message: `Unterminated ${kind}-quoted string`, span: spanOf(text, raw) }], text);
    assert.deepEqual(node(d, `${VSYS1}/address/entry[a1]`).textOf('description'), { value: raw.slice(1), span: spanOf(text, raw) });
    if (text.includes('a2')) assert.equal(node(d, `${VSYS1}/address/entry[a2]`).textOf('ip-netmask')!.value, '10.0.0.2');
  }
});

test('set brackets: unbalanced and nested brackets are reported with exact spans', () => {
  const table: [string, string, (t: string) => { start: number; end: number }, string[]][] = [
    ['set rulebase security rules R source [ a b\n', "'[' is not closed by ']'", (t) => spanOf(t, '['), ['a', 'b']],
    ['set rulebase security rules R source a b ]\n', "']' without a matching '['", (t) => spanOf(t, ']'), ['a']],
    ['set rulebase security rules R source [ a [ b ] ]\n', "Nested '[' is not allowed in a member list", (t) => spanOf(t, '[', 1), ['a', 'b']],
  ];
  for (const [text, message, span, src] of table) {
    const d = setDoc(text);
    assert.deepEqual(d.errors, [{ message, span: span(text) }], text);
    const r = node(d, `${VSYS1}/rulebase/security/rules/entry[R]`);
    assert.deepEqual(values(r.child('source')), src, text);
    // A stray ']' never becomes a value.
    const all: string[] = [];
    const walk = (n: CNode): void => {
      all.push(...n.members().map((v) => v.value));
      n.children().forEach(walk);
    };
    walk(d.config!);
    assert.ok(!all.includes(']'), text);
  }
});

test('set: unknown commands are reported with the span of the command word', () => {
  const text = 'set address a ip-netmask 10.0.0.1\nsett address b ip-netmask 10.0.0.2\n  show config running\nfrobnicate now\n';
  const d = setDoc(text);
  assert.deepEqual(d.errors, [
    { message: "Unknown command 'sett': set-format lines start with 'set', 'delete' or 'move'", span: spanOf(text, 'sett') },
    { message: "Unknown command 'frobnicate': set-format lines start with 'set', 'delete' or 'move'", span: spanOf(text, 'frobnicate') },
  ]);
  assert.deepEqual(node(d, `${VSYS1}/address`).entries().map((e) => e.name), ['a']);
  // A file that starts with an unknown command is not taken for set format at all.
  assert.equal(detectFormat('sett address a ip-netmask 1.1.1.1\n'), 'unknown');
});

test('set: a line without a value keeps the node (interactive `password`)', () => {
  const text = 'set mgt-config users adminuser password\nset mgt-config users adminuser permissions role-based superuser yes\n';
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  const u = node(d, 'mgt-config/users/entry[adminuser]');
  assert.deepEqual(u.children().map((c) => c.tag), ['password', 'permissions']);
  assert.equal(u.textOf('password'), undefined);
});

test('set: syntax issues are capped', () => {
  const text = 'set address a ip-netmask 10.0.0.1\n' + Array.from({ length: 230 }, (_, i) => `oops${i}\n`).join('');
  const d = parseSet(text);
  assert.equal(d.errors.length, 201);
  assert.deepEqual(d.errors[199], { message: "Unknown command 'oops199': set-format lines start with 'set', 'delete' or 'move'", span: spanOf(text, 'oops199') });
  assert.deepEqual(d.errors[200], { message: '30 more syntax errors not shown', span: spanOf(text, 'oops199') });
});

test('set: many siblings (indexed lookup) still merge lines of the same entry', () => {
  const names = Array.from({ length: 20 }, (_, i) => `addr-${i}`);
  const text = names.map((n, i) => `set address ${n} ip-netmask 10.0.0.${i}`).join('\n') + '\nset address addr-3 description third\ndelete address addr-5\n';
  const d = setDoc(text);
  const list = node(d, `${VSYS1}/address`);
  assert.deepEqual(list.entries().map((e) => e.name), names.filter((n) => n !== 'addr-5'));
  assert.deepEqual(list.entry('addr-3')!.children().map((c) => [c.tag, c.text()!.value]), [['ip-netmask', '10.0.0.3'], ['description', 'third']]);
  // Re-adding a deleted entry appends it.
  const d2 = setDoc(text + 'set address addr-5 ip-netmask 10.0.0.55\n');
  assert.deepEqual(node(d2, `${VSYS1}/address`).entries().map((e) => e.name).slice(-1), ['addr-5']);
  assert.equal(node(d2, `${VSYS1}/address/entry[addr-5]`).textOf('ip-netmask')!.value, '10.0.0.55');
});

// --- Reusing the previous line's path (parseSet's memo) changes nothing --------------------------

/** Everything the tree holds, spans and extents included, in order. */
function dumpTree(n: SNode): unknown {
  return [n.tag, n.name ?? null, n.nameSpan ? [n.nameSpan.start, n.nameSpan.end] : null, [n.keySpan.start, n.keySpan.end], n.first, n.last, n.values.map((v) => [v.value, v.span.start, v.span.end]), n.kids.map(dumpTree)];
}

function dumpSet(text: string, reusePaths: boolean): unknown {
  const d = parseSet(text, undefined, undefined, { reusePaths });
  return { tree: dumpTree(d.root), errors: d.errors.map((e) => [e.message, e.span.start, e.span.end]), counts: d.counts, vsys: [...d.vsysPrefix] };
}

test('reading a line from the previous line\'s path gives the tree a walk from the root gives (corpus, scenarios, generated, damaged)', async () => {
  const texts: [string, string][] = [];
  for (const f of corpusFiles()) {
    const t = fs.readFileSync(f, 'utf8');
    if (detectFormat(t) === 'set') texts.push([path.relative(CORPUS, f), t]);
  }
  const scen = path.join(FIXTURES, 'scenarios');
  for (const d of fs.readdirSync(scen)) {
    const f = path.join(scen, d, 'config.set');
    if (fs.existsSync(f)) texts.push([`scenarios/${d}`, fs.readFileSync(f, 'utf8')]);
  }
  const { generate } = await import('../../bench/generate.js');
  for (const kind of ['panorama', 'firewall'] as const) texts.push([`generated ${kind}`, generate({ kind, format: 'set', targetBytes: 400 * 1024, seed: 5 })]);
  // A rule deleted, then set again with the same path: the remembered entry is no longer in the tree.
  texts.push([
    'delete between sets',
    [
      'set rulebase security rules R1 from trust',
      'delete rulebase security rules R1',
      'set rulebase security rules R1 to untrust',
      'set rulebase security rules R1 action allow',
      'move rulebase security rules R1 top',
      'set rulebase security rules R0 from any',
      'move rulebase security rules R1 before R0',
      'set rulebase security rules R1 source any',
    ].join('\n'),
  ]);
  // Lines that repeat a path holding quoted names, with double quotes after it or on a following line
  // (a quoted token's end depends on them): the remembered prefix must not be taken as tokens then.
  const q = 'set device-group "DG 1" pre-rulebase security rules "Allow A"';
  texts.push([
    'quoted prefixes',
    [
      `${q} from trust`,
      `${q} to untrust`,
      `${q} description "say "hi" now"`,
      `${q} source any`,
      `${q} destination x"`,
      `${q} application "ssl`,
      'web" tail',
      `${q} service any`,
      `${q} action allow`,
      'y"',
      `${q} tag [ a b ]`,
      `${q}  negate-source yes`,
      `${q}	disabled no`,
      'set device-group "DG 1" pre-rulebase security rules "Allow A"from any',
      `${q}`,
      `${q} category any`,
      // The entry name directly followed by ']' (no blank before the path's end), a bracket in the path.
      'set rulebase security rules R1] from trust',
      'set rulebase security rules R1]x to untrust',
      'set [ rulebase security rules R2 from trust',
      'set [ rulebase security rules R2 to untrust',
      // Read alone, the path's "DG 2" would take in ` pre"` (an odd number of double quotes after it);
      // on the first line the quote after the path makes the count even: that path is not reused.
      'set device-group "DG 2" pre" security rules R3 from x"',
      'set device-group "DG 2" pre" security rules R3 to any',
    ].join('\n'),
  ]);
  assert.ok(texts.length >= 20, `${texts.length} set texts`);
  // Damaged copies: lines cut, swapped, deleted and moved, tokens changed, so that a remembered path
  // meets lines that share only part of it, and `delete`/`move` lines in between.
  const rng = mulberry32(11);
  const base = texts.slice();
  for (let k = 0; k < 300; k++) {
    const [label, t] = base[Math.floor(rng() * base.length)]!;
    const lines = t.split('\n');
    for (let e = 0; e < 1 + Math.floor(rng() * 6); e++) {
      const at = Math.floor(rng() * lines.length);
      const line = lines[at] ?? '';
      const words = line.split(' ');
      const r = rng();
      if (r < 0.2) lines.splice(at, 1);
      else if (r < 0.35) lines.splice(at, 0, lines[Math.floor(rng() * lines.length)] ?? '');
      else if (r < 0.5) lines[at] = line.replace(/^set /, 'delete ');
      else if (r < 0.6) lines.splice(at + 1, 0, line.replace(/^set /, 'move ').replace(/ [^ ]*$/, ' top'));
      else if (r < 0.75) lines[at] = words.slice(0, 1 + Math.floor(rng() * words.length)).join(' ');
      else if (r < 0.9) {
        const subst = ['"x y"', '[', ']', 'rules', 'entry', 'config', 'vsys1', "'q'", 'any', '"', 'a"b', '"p q'];
        words[Math.floor(rng() * words.length)] = subst[Math.floor(rng() * subst.length)]!;
        lines[at] = words.join(' ');
      } else if (r < 0.95) lines[at] = line + ' ' + (lines[Math.floor(rng() * lines.length)] ?? '');
      // A line that would continue a quoted value (an odd number of double quotes, no command).
      else lines.splice(at + 1, 0, ['x"', 'a "b c', "' z"][Math.floor(rng() * 3)]!);
    }
    texts.push([`${label} (damaged #${k})`, lines.join('\n')]);
  }
  for (const [label, t] of texts) {
    assert.deepEqual(dumpSet(t, true), dumpSet(t, false), label);
  }
});
