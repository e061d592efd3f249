/**
 * @fileoverview Suppressions written in a rule (`panos-guard-disable[ CODE]` in its description, or a
 * `panos-guard-disable[:CODE]` tag): which findings they remove, and that an incremental edit adding
 * or removing one gives the from-scratch result.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import { reanalyze } from '../../server/src/core/incremental';

const EXAMPLE = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'examples', 'firewall-in-front-of-panorama.xml'), 'utf8');

const found = (a: Analysis): string[][] => a.findings.map((f) => [f.code, f.rule ?? '']);

/** The text of rule entry `name` (its first one), from `<entry` to `</entry>`. */
function entryOf(text: string, name: string): { start: number; end: number } {
  const start = text.indexOf(`<entry name="${name}">`);
  assert.ok(start >= 0, name);
  const end = text.indexOf('</entry>', start) + '</entry>'.length;
  return { start, end };
}

/** `text` with `insert` put just before the closing tag of rule `name`. */
function intoRule(text: string, name: string, insert: string): { text: string; at: number } {
  const at = entryOf(text, name).end - '</entry>'.length;
  return { text: text.slice(0, at) + insert + text.slice(at), at };
}

const BASE = [
  ['PANO011', 'Devices to Panorama'],
  ['PANO015', 'Panorama to services'],
  ['PANO001', 'Deny other from Panorama'],
];

test('suppressions: a description token removes its code, a tag removes all or one code, other rules keep theirs', () => {
  assert.deepEqual(found(analyze(EXAMPLE, { fixes: false })), BASE);
  const byCode = intoRule(EXAMPLE, 'Devices to Panorama', '<description>managed firewalls panos-guard-disable PANO011</description>').text;
  assert.deepEqual(found(analyze(byCode, { fixes: false })), [BASE[1], BASE[2]]);
  const otherCode = intoRule(EXAMPLE, 'Devices to Panorama', '<description>panos-guard-disable PANO015</description>').text;
  assert.deepEqual(found(analyze(otherCode, { fixes: false })), BASE);
  const allByTag = intoRule(EXAMPLE, 'Panorama to services', '<tag><member>panos-guard-disable</member></tag>').text;
  assert.deepEqual(found(analyze(allByTag, { fixes: false })), [BASE[0], BASE[2]]);
  const oneByTag = intoRule(EXAMPLE, 'Deny other from Panorama', '<tag><member>panos-guard-disable:PANO001</member></tag>').text;
  assert.deepEqual(found(analyze(oneByTag, { fixes: false })), [BASE[0], BASE[1]]);
});

test('suppressions: an incremental edit that adds then removes one gives the from-scratch findings each time', () => {
  const opts = { fixes: false };
  const a0 = analyze(EXAMPLE, opts);
  const ins = '<description>panos-guard-disable PANO011</description>';
  const { text: t1, at } = intoRule(EXAMPLE, 'Devices to Panorama', ins);
  const r1 = reanalyze(a0, t1, { start: at, oldEnd: at, newEnd: at + ins.length }, opts);
  assert.equal(r1.incremental, true, r1.why);
  assert.deepEqual(found(r1.analysis), [BASE[1], BASE[2]]);
  assert.deepEqual(found(r1.analysis), found(analyze(t1, opts)));
  const r2 = reanalyze(r1.analysis, EXAMPLE, { start: at, oldEnd: at + ins.length, newEnd: at }, opts);
  assert.equal(r2.incremental, true, r2.why);
  assert.deepEqual(found(r2.analysis), BASE);
});
