/**
 * Which allow rules reach a management host (PANO002's question, and the rules PANO023 compares) is
 * answered with shortcuts: zones first, then member names, and sides resolved only when they may
 * meet a host. These tests answer the same questions the long way, every rule compiled and every
 * side resolved, and expect the same rules, directions and shadowing findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { reachingRules } from '../../server/src/core/checks/util';
import { covers } from '../../server/src/core/checks/pano023-shadowed-rule';
import { ruleRef, type EvalContext } from '../../server/src/core/policy/evaluate';
import { Resolver, type AddrMatch, type CompiledRule } from '../../server/src/core/policy/resolve';
import { ALL, addrEmpty, addrIntersect, addrOverlaps, addrSubtract, type AddrSet } from '../../server/src/core/policy/sets';
import type { PolicyResult } from '../../server/src/core/policy';
import type { Rule } from '../../server/src/core/model/types';
import { generate } from '../../bench/generate';
import { corpusFiles, read } from '../helpers';

const ROOT = path.join(__dirname, '..', '..', '..');

function configs(): [string, string][] {
  const out: [string, string][] = corpusFiles().map((f) => [f, read(f)]);
  for (const kind of ['panorama', 'firewall'] as const) {
    for (const seed of [1, 3]) out.push([`generated ${kind}, seed ${seed}`, generate({ kind, format: 'xml', targetBytes: 400 * 1024, seed })]);
  }
  for (const dir of fs.readdirSync(path.join(ROOT, 'test', 'fixtures', 'scenarios'))) {
    out.push([`scenario ${dir}`, fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'scenarios', dir, 'config.xml'), 'utf8')]);
  }
  const example = fs.readFileSync(path.join(ROOT, 'examples', 'firewall-in-front-of-panorama.xml'), 'utf8');
  out.push(['example', example]);
  out.push(['example with a copy of each rule first', copiesFirst(example)]);
  return out;
}

/**
 * The example with, before its rules, a copy of each (every rule that names Panorama is then
 * shadowed by its copy) and a rule allowing everything from a zone no management host is in to the Internet.
 */
function copiesFirst(text: string): string {
  const open = text.indexOf('<rules>') + '<rules>'.length;
  const close = text.indexOf('</rules>', open);
  const rules = text.slice(open, close);
  const copies = rules.replace(/<entry name="([^"]+)"/g, '<entry name="copy of $1"');
  const wide =
    '<entry name="services to untrust"><from><member>services</member></from><to><member>untrust</member></to>' +
    '<source><member>any</member></source><destination><member>any</member></destination>' +
    '<application><member>any</member></application><service><member>any</member></service><action>allow</action></entry>';
  const out = text.slice(0, open) + wide + copies + rules + text.slice(close);
  assert.notEqual(copies, rules);
  return out;
}

/** Does the side, with its zones, cover some management host: every member resolved, every zone looked up. */
function touchesLongWay(side: AddrMatch, zones: CompiledRule['to'], ctx: EvalContext, mgmt: AddrSet): boolean {
  const effective = side.any ? (side.negate ? { v4: [], v6: [] } : ALL) : side.negate ? addrSubtract(ALL, side.set) : side.set;
  const hit = addrIntersect(effective, mgmt);
  if (addrEmpty(hit)) return false;
  if (zones.any) return true;
  return [...ctx.zoner.zonesOf(hit)].some((z) => z !== undefined && zones.zones.has(z));
}

type Reached = { ctx: EvalContext; rule: Rule; c: CompiledRule; inbound: boolean; outbound: boolean };

function reachLongWay(policy: PolicyResult, probe: Resolver, allContexts: boolean): Reached[] {
  const out: Reached[] = [];
  const seen = new Set<Rule>();
  const mgmt = policy.env.mgmtHosts;
  if (addrEmpty(mgmt)) return out;
  for (const ctx of policy.contexts) {
    if (!ctx.inPath && !allContexts) continue;
    for (const rb of ctx.rulebases) {
      for (const rule of rb.rules) {
        if (seen.has(rule) || rule.disabled || rule.action !== 'allow') continue;
        const c = probe.compile(rule);
        const inbound = touchesLongWay(c.dst, c.to, ctx, mgmt);
        const outbound = touchesLongWay(c.src, c.from, ctx, mgmt);
        if (!inbound && !outbound) continue;
        seen.add(rule);
        out.push({ ctx, rule, c, inbound, outbound });
      }
    }
  }
  return out;
}

const row = (x: { ctx: EvalContext; rule: Rule; inbound: boolean; outbound: boolean }): string =>
  `${x.ctx.id} ${x.rule.rulebase.location} '${x.rule.name}' ${x.inbound ? 'in' : ''}${x.outbound ? 'out' : ''}`;

test('the rules that reach a management host, and in which direction, are those every rule resolved in full gives', () => {
  let reached = 0;
  let passedOverByZone = 0;
  for (const [name, text] of configs()) {
    const policy = analyze(text, { fixes: false }).policy;
    if (!policy) continue;
    const probe = new Resolver(policy.env);
    for (const all of [false, true]) {
      const want = reachLongWay(policy, probe, all);
      assert.deepEqual(reachingRules(policy, all).map(row), want.map(row), `${name}, ${all ? 'all contexts' : 'contexts in the path'}`);
      reached += want.length;
    }
    // Rules whose zones hold no management host on either side: the shortcut never resolves them.
    for (const ctx of policy.contexts) {
      const mz = ctx.zoner.zonesOf(policy.env.mgmtHosts);
      const holds = (z: CompiledRule['to']): boolean => z.any || [...mz].some((x) => x !== undefined && z.zones.has(x));
      for (const rb of ctx.rulebases) for (const r of rb.rules) if (r.action === 'allow' && !holds(probe.compile(r).to) && !holds(probe.compile(r).from)) passedOverByZone++;
    }
  }
  assert.ok(reached > 100 && passedOverByZone > 100, `${reached} reached, ${passedOverByZone} passed over by zone`);
});

test('shadowed Panorama rules (PANO023) are those found by comparing every earlier rule, none skipped', () => {
  let found = 0;
  for (const [name, text] of configs()) {
    const an = analyze(text, { fixes: false });
    const policy = an.policy;
    if (!policy) continue;
    const probe = new Resolver(policy.env);
    const mgmt = policy.env.mgmtHosts;
    const names = (a: AddrMatch): boolean => !a.any && !a.negate && addrOverlaps(a.set, mgmt);
    const want: string[] = [];
    for (const x of reachLongWay(policy, probe, false)) {
      if (!names(x.c.dst) && !names(x.c.src)) continue;
      const all = x.ctx.rulebases.flatMap((rb) => rb.rules);
      const at = all.indexOf(x.rule);
      const by = all.slice(0, at).find((e) => !e.disabled && covers(probe.compile(e), x.c));
      if (by) want.push(`'${x.rule.name}' by ${ruleRef(by)}`);
    }
    const got = an.findings.filter((f) => f.code === 'PANO023').map((f) => `'${f.rule}' by ${f.related?.[0]?.message.replace(/^shadowing rule /, '')}`);
    assert.deepEqual(got.sort(), want.sort(), name);
    found += want.length;
  }
  assert.ok(found >= 5, `${found} shadowed rules`);
});
