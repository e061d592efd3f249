/**
 * @fileoverview What the incremental tests compare: an analysis summed up (findings, model, rules and
 * objects with every span, syntax errors, the `set` tree and the XML element arrays), and the runs of
 * edits that must each take a fast path and equal a from-scratch analysis.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis, type AnalyzeOptions } from '../../server/src/core/analyze';
import type { EnvFile } from '../../server/src/core/env/envFile';
import { reanalyze } from '../../server/src/core/incremental';
import { inspectModel } from '../../server/src/core/inspect';
import { allRulebases, type ConfigModel, type Rule } from '../../server/src/core/model/types';
import { scopes } from '../../server/src/core/locate';
import type { SNode } from '../../server/src/core/parse/tree';
import type { XmlDoc } from '../../server/src/core/parse/xml';
import { FIXTURES } from '../helpers';

export function summary(a: Analysis): unknown {
  return {
    findings: a.findings.map((f) => [f.code, f.severity, f.message, f.span.start, f.span.end, f.rule ?? '', f.rulebase ?? '', (f.related ?? []).map((r) => [r.span.start, r.span.end, r.message])]),
    model: a.model ? inspectModel(a.model) : null,
    rules: a.model
      ? allRulebases(a.model).flatMap((rb) =>
          rb.rules.map((r) => [
            rb.location,
            r.name,
            r.nameSpan.start,
            r.nameSpan.end,
            [r.node.span.start, r.node.span.end],
            [r.from, r.to, r.source, r.destination, r.application, r.service].map((ml) => ml.items.map((m) => [m.value, m.span.start, m.span.end])),
            r.actionValue ? [r.actionValue.value, r.actionValue.span.start, r.actionValue.span.end] : null,
            lazyFields(r),
          ]),
        )
      : [],
    objects: a.model ? objectFields(a.model) : [],
    errors: a.doc.errors.map((e) => [e.message, e.span.start, e.span.end]),
    // The set tree itself, spans and extents included: the fast paths patch it in place.
    tree: a.doc.set ? dumpTree(a.doc.set.root) : null,
    setLines: a.doc.set ? { counts: a.doc.set.counts, vsys: [...a.doc.set.vsysPrefix].sort() } : null,
  };
}

export function dumpTree(n: SNode): unknown {
  return [n.tag, n.name ?? null, n.nameSpan ? [n.nameSpan.start, n.nameSpan.end] : null, [n.keySpan.start, n.keySpan.end], n.first, n.last, n.values.map((v) => [v.value, v.span.start, v.span.end]), n.kids.map(dumpTree)];
}

/** Every object's fields, read after the edit (they are read lazily: their spans must follow edits too). */
export function objectFields(m: ConfigModel): unknown {
  return scopes(m).map((s) => [
    s.name,
    [...s.addresses.values()].map((o) => [o.name, o.nameSpan.start, o.type, loc(o.value), loc(o.description), o.tags]),
    [...s.addressGroups.values()].map((o) => [o.name, o.nameSpan.start, o.static?.map(loc) ?? null, loc(o.dynamicFilter), loc(o.description)]),
    [...s.services.values()].map((o) => [o.name, o.nameSpan.start, o.protocol ?? null, loc(o.port), loc(o.sourcePort), loc(o.description)]),
    [...s.serviceGroups.values(), ...s.applicationGroups.values()].map((o) => [o.name, o.nameSpan.start, o.members.map(loc), o.membersNode?.span.start ?? null, o.legacy]),
  ]);
}

export const loc = (l: { value: string; span: { start: number; end: number } } | undefined): unknown => (l ? [l.value, l.span.start, l.span.end] : null);

/** The fields a rule reads only when asked (their spans must follow incremental edits as the others do). */
export function lazyFields(r: Rule): unknown {
  const ml = (x: Rule['source']): unknown => x.items.map(loc);
  return {
    sourceUser: ml(r.sourceUser),
    category: ml(r.category),
    sourceHip: ml(r.sourceHip),
    destinationHip: ml(r.destinationHip),
    profileGroup: ml(r.profileGroup),
    profiles: [...r.profiles].map(([k, v]) => [k, ml(v)]),
    target: r.target ? { negate: r.target.negate, devices: r.target.devices.map((d) => [loc(d.serial), d.vsys]) } : null,
    logSetting: loc(r.logSetting),
    logStart: r.logStart,
    uuid: r.uuid ?? null,
    tags: ml(r.tags),
    description: loc(r.description),
  };
}

/**
 * Every element of an XML document as scanning the whole text gives it (names, offsets, links, flags):
 * the element path patches these arrays in place.
 */
export function dumpXml(d: XmlDoc): unknown {
  const out: unknown[] = [d.count, d.root];
  for (let i = 0; i < d.count; i++) {
    out.push([d.name(i), d.start[i], d.nameEnd[i], d.openEnd[i], d.closeStart[i], d.end[i], d.parent[i], d.firstChild[i], d.lastChild[i], d.nextSibling[i], d.flags[i]]);
  }
  return out;
}

/**
 * An incremental result equals a from-scratch one: the summaries, and the XML element arrays too when
 * the result holds its whole document only (rules re-scanned by the rule path live apart until folded back).
 */
export function assertSame(inc: Analysis, scratch: Analysis, what: string): void {
  assert.deepEqual(summary(inc), summary(scratch), what);
  if (inc.doc.xml && scratch.doc.xml && inc.xmlDocs.length === 1) assert.deepEqual(dumpXml(inc.doc.xml), dumpXml(scratch.doc.xml), `${what}: XML elements`);
}

/** One edit of a run: where (found in the current text), characters deleted, inserted, and the fast path's note if one is expected. */
export type Step = {
  what: string;
  at: (t: string) => number;
  del: number | ((t: string) => number);
  ins: string;
  how?: string;
  /** Looked at right after the step (documents are patched in place by later steps). */
  then?: (a: Analysis, text: string) => void;
};

/**
 * Applies `steps` in turn from `text`, each re-analysed from the previous analysis: each must take a
 * fast path (with note `how` when given) and equal a from-scratch analysis. Each step's text and analysis.
 */
export function stepThrough(text: string, opts: AnalyzeOptions, steps: Step[]): { text: string; analysis: Analysis }[] {
  let a = analyze(text, opts);
  let cur = text;
  const out: { text: string; analysis: Analysis }[] = [];
  for (const { what, at, del, ins, how, then } of steps) {
    const s = at(cur);
    const d = typeof del === 'number' ? del : del(cur);
    assert.ok(s >= 0, what);
    const next = cur.slice(0, s) + ins + cur.slice(s + d);
    const r = reanalyze(a, next, { start: s, oldEnd: s + d, newEnd: s + ins.length }, opts);
    assert.equal(r.incremental, true, `${what}: ${r.why}`);
    if (how !== undefined) assert.equal(r.why, how, what);
    assertSame(r.analysis, analyze(next, opts), what);
    then?.(r.analysis, next);
    out.push({ text: next, analysis: r.analysis });
    cur = next;
    a = r.analysis;
  }
  return out;
}

/** `text` analysed, then [s, s + del) replaced by `ins`: the re-analysis falls back for `why` and equals a from-scratch one. */
export function expectFallback(text: string, opts: AnalyzeOptions, s: number, del: number, ins: string, why: string, what = why): void {
  const next = text.slice(0, s) + ins + text.slice(s + del);
  const r = reanalyze(analyze(text, opts), next, { start: s, oldEnd: s + del, newEnd: s + ins.length }, opts);
  assert.equal(r.incremental, false, what);
  assert.equal(r.why, why, what);
  assertSame(r.analysis, analyze(next, opts), what);
}

/** The fw-flow-removed scenario's `config.xml` or `config.set`, with its env file's options (fixes off). */
export function flowRemoved(file: 'config.xml' | 'config.set'): { opts: AnalyzeOptions; text: string } {
  const dir = path.join(FIXTURES, 'scenarios', 'fw-flow-removed');
  const env = JSON.parse(fs.readFileSync(path.join(dir, '.panos-guard.json'), 'utf8')) as EnvFile;
  return { opts: { env, fixes: false }, text: fs.readFileSync(path.join(dir, file), 'utf8') };
}

/** The syntax findings of an analysis: message and span. */
export const syntaxFindings = (a: Analysis): unknown => a.findings.filter((f) => f.code === 'PANO000').map((f) => [f.message, f.span.start, f.span.end]);

/**
 * The address names the analysis used: those of the rules that have findings or decide part of a flow,
 * and the members of the groups among them, at any depth. An edit of one of these changes findings.
 */
export function usedNames(a: Analysis): Set<string> {
  const rules = new Set<Rule>();
  const rbs = allRulebases(a.model!);
  for (const f of a.findings) {
    const r = f.rule && f.rulebase ? rbs.find((rb) => rb.location === f.rulebase)?.rules.find((x) => x.name === f.rule) : undefined;
    if (r) rules.add(r);
  }
  for (const res of a.policy?.results ?? []) for (const p of res.portions) if (p.rule) rules.add(p.rule);
  const out = new Set<string>();
  for (const r of rules) for (const n of [...r.sourceNames, ...r.destinationNames, ...r.service.items.map((m) => m.value)]) out.add(n);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of scopes(a.model!)) {
      for (const g of s.addressGroups.values()) {
        if (!out.has(g.name)) continue;
        for (const m of g.staticNames) if (!out.has(m)) grew = out.add(m) !== undefined;
      }
      for (const g of s.serviceGroups.values()) {
        if (!out.has(g.name)) continue;
        for (const m of g.members) if (!out.has(m.value)) grew = out.add(m.value) !== undefined;
      }
    }
  }
  return out;
}
