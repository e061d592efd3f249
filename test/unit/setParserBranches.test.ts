/**
 * @fileoverview The `set` tokenizer and tree builder read branch by branch: a quote closed before
 * `]`, a quote inside a word, the lines a multi-line quoted value may continue over (not a comment,
 * not a line with an even number of quotes), a member given twice, the plain values inside a server
 * entry, log forwarding profiles, a `delete` whose last word names both an element and a member. A
 * mutation pass over `parse/set.ts` found these paths read by no test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../server/src/core/parse/set';
import { parse, type ParsedDoc } from '../../server/src/core/parse/index';
import type { CNode } from '../../server/src/core/parse/tree';
import { buildModel } from '../../server/src/core/model/build';
import { spanOf } from '../helpers';

const VSYS1 = 'devices/entry[localhost.localdomain]/vsys/entry[vsys1]';

function setDoc(text: string): ParsedDoc {
  const d = parse(text);
  assert.equal(d.format, 'set');
  return d;
}

function at(d: ParsedDoc, p: string): CNode {
  const n = d.config!.at(p);
  assert.ok(n, `node ${p}`);
  return n;
}

test('set tokens: a quoted value closed just before the closing bracket', () => {
  const line = 'set rulebase security rules R source [ a1 "addr two"]';
  assert.deepEqual(tokenize(line).slice(-4), [
    { value: '[', span: spanOf(line, '[') },
    { value: 'a1', span: spanOf(line, 'a1') },
    { value: 'addr two', span: spanOf(line, '"addr two"') },
    { value: ']', span: spanOf(line, ']') },
  ]);
  const d = setDoc(line + '\n');
  assert.deepEqual(d.errors, []);
  assert.deepEqual(at(d, `${VSYS1}/rulebase/security/rules/entry[R]/source`).members().map((m) => m.value), ['a1', 'addr two']);
});

test('set tokens: a value holding quotes ends at its last quote only where a token could end', () => {
  // The one quote after the value's closing quote is inside a word: the value ends at its first closing quote.
  const inWord = 'set address A description "one " two"three';
  assert.deepEqual(tokenize(inWord).slice(-2), [
    { value: 'one ', span: spanOf(inWord, '"one "') },
    { value: 'two"three', span: spanOf(inWord, 'two"three') },
  ]);
  // At the end of a word it closes the value (real `show` output quotes like this).
  const atEnd = 'set address A description "one " two"';
  assert.deepEqual(tokenize(atEnd).slice(-1), [{ value: 'one " two', span: spanOf(atEnd, '"one " two"') }]);
});

test('set: a quoted value is not continued over a comment line or a line with an even number of quotes', () => {
  // (The last: a line of two quotes, then one of one: the value would end at the third.)
  for (const next of ['# note"', '#note"', 'x"y"\nw"']) {
    const text = `set address A description "v"\n${next}\nset address B ip-netmask 10.0.0.2\n`;
    const d = setDoc(text);
    const a = at(d, `${VSYS1}/address/entry[A]`);
    assert.deepEqual(a.textOf('description'), { value: 'v', span: spanOf(text, '"v"') }, next);
    assert.deepEqual(at(d, `${VSYS1}/address`).entries().map((e) => e.name), ['A', 'B'], next);
  }
  // A line with an odd number of quotes that starts no command does continue it (a multi-line description).
  const text = 'set address A description "v"\nmore"\nset address B ip-netmask 10.0.0.2\n';
  const d = setDoc(text);
  assert.deepEqual(at(d, `${VSYS1}/address/entry[A]`).textOf('description'), { value: 'v"\nmore', span: spanOf(text, '"v"\nmore"') });
});

test('set: a member given twice is kept once, on one line or on two', () => {
  const text = 'set rulebase security rules R source [ a1 a2 a1 ]\nset rulebase security rules R source a2\nset rulebase security rules R destination d1\n';
  const d = setDoc(text);
  const r = at(d, `${VSYS1}/rulebase/security/rules/entry[R]`);
  assert.deepEqual(r.child('source')!.members(), [
    { value: 'a1', span: spanOf(text, 'a1') },
    { value: 'a2', span: spanOf(text, 'a2') },
  ]);
  assert.deepEqual(r.child('destination')!.members().map((m) => m.value), ['d1']);
});

test('set: inside a server entry of a server profile, `address` is a value, not an address list', () => {
  const text = 'set shared server-profile ldap L server S address 192.0.2.9\nset shared server-profile ldap L server S port 389\n';
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  const s = at(d, 'shared/server-profile/ldap/entry[L]/server/entry[S]');
  assert.deepEqual(s.textOf('address'), { value: '192.0.2.9', span: spanOf(text, '192.0.2.9') });
  assert.deepEqual(s.child('address')!.entries(), []);
  assert.deepEqual(s.textOf('port')!.value, '389');
});

test('set: `log-settings profiles NAME` names a log forwarding profile', () => {
  const text = 'set shared log-settings profiles "LF Panorama" match-list M log-type traffic\nset log-settings profiles local match-list M log-type threat\n';
  const d = setDoc(text);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(at(d, 'shared/log-settings/profiles').entries().map((e) => [e.name, e.nameSpan]), [['LF Panorama', spanOf(text, '"LF Panorama"')]]);
  assert.deepEqual(at(d, `${VSYS1}/log-settings/profiles/entry[local]/match-list/entry[M]`).textOf('log-type')!.value, 'threat');
  const m = buildModel(d)!;
  assert.deepEqual([...m.shared.logForwarding.keys()], ['LF Panorama']);
  assert.deepEqual([...m.vsys[0]!.scope.logForwarding.keys()], ['local']);
});

test('set: `delete` of a path that names both an element and a member deletes the element', () => {
  // Not a shape PAN-OS writes; the path is read as the element's, as for any other `delete`.
  const text = 'set shared x y a\nset shared x y a b\ndelete shared x y a\n';
  const y = at(setDoc(text), 'shared/x/y');
  assert.deepEqual(y.members().map((m) => m.value), ['a']);
  assert.equal(y.child('a'), undefined);
});

test('set: a typed route line cut short after `nexthop ip-address` reads as the same line written alone', () => {
  const prefix = 'set network virtual-router default routing-table ip static-route r';
  const typed = `${prefix} destination 10.0.0.0/8 nexthop ip-address\n`;
  const alone = `${prefix} destination 10.0.0.0/8\n${prefix} nexthop ip-address\n`;
  const shape = (n: CNode): unknown => [n.tag, n.name ?? null, n.members().map((v) => v.value), n.children().map(shape)];
  const r = 'devices/entry[localhost.localdomain]/network/virtual-router/entry[default]/routing-table/ip/static-route/entry[r]';
  assert.deepEqual(shape(at(setDoc(typed), r)), shape(at(setDoc(alone), r)));
  assert.deepEqual(shape(at(setDoc(typed), r)), ['entry', 'r', [], [['destination', null, ['10.0.0.0/8'], []], ['nexthop', null, ['ip-address'], []]]]);
});
