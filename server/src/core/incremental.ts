/**
 * @fileoverview Incremental re-analysis: an edit that stays inside one security rule entry of an XML
 * config re-scans only that entry, rebuilds only that rule, shifts every later offset, and re-runs the
 * policy with the previous caches; an edit inside an address or service object or group that keeps its number of
 * elements re-scans that element, makes that object again and re-runs the policy with the caches of
 * every other name (the object path); an edit inside any other element re-scans that element into the
 * document and builds the model again from it (`incrementalXml.ts`); the same for the `set` form
 * (`incrementalSet.ts`: a rule's lines, or any other entry's lines read again into its tree). Anything
 * else (edits across elements, broken XML, changed options) falls back to a full analysis, which gives
 * the same result.
 */
import { analyze, analyzeDoc, analyzeModel, reuseAnalysis, type Analysis, type AnalyzeOptions } from './analyze';
import type { PolicyResult } from './policy';
import type { Resolver } from './policy/resolve';
import { ALL, addrEmpty, addrIntersect, addrSubtract } from './policy/sets';
import { invalidateObjectIndex, invalidateRuleNames } from './fixes/plan';
import { scopes } from './locate';
import { readAllFields, readRule } from './model/build';
import { allRulebases, type ConfigModel, type Rule } from './model/types';
import { EntryMap, XNode, type SNode } from './parse/tree';
import type { XmlDoc } from './parse/xml';
import { patchSetEdit } from './incrementalSet';
import { elementAround, oneElement, patchXmlElement } from './incrementalXml';
import { invalidateMgmtRefs } from './policy/contexts';
import { invalidateRulebase } from './policy/evaluate';

/** One edit in terms of the previous text: [start, oldEnd) became [start, newEnd) of the new text. */
export type SpanEdit = { start: number; oldEnd: number; newEnd: number };

function sameOptions(a: AnalyzeOptions, b: AnalyzeOptions): boolean {
  return a.env === b.env && a.cli === b.cli && a.severities === b.severities && !!a.syntaxOnly === !!b.syntaxOnly && a.fixes === b.fixes;
}

/** The rule whose entry holds the edit strictly inside its tags, with its element. */
function enclosingRule(prev: Analysis, edit: SpanEdit): { rule: Rule; node: XNode } | undefined {
  for (const rb of allRulebases(prev.model!)) {
    for (const rule of rb.rules) {
      const n = rule.node;
      if (!(n instanceof XNode)) continue;
      const s = n.doc.start[n.index]!;
      const e = n.doc.end[n.index]!;
      if (edit.start > s && edit.oldEnd < e) return { rule, node: n };
    }
  }
  return undefined;
}

type Reanalysis = { analysis: Analysis; incremental: boolean; why?: string };

/** Re-analyses `newText` after `edit`; `incremental` says whether the fast path was taken. */
export function reanalyze(prev: Analysis, newText: string, edit: SpanEdit, opts: AnalyzeOptions): Reanalysis {
  const full = (why: string): Reanalysis => ({ analysis: analyze(newText, opts), incremental: false, why });
  const model = prev.model;
  if (!model || !prev.policy || (prev.doc.format !== 'xml' && prev.doc.format !== 'set')) return full('not an analysed XML or set config');
  if (!sameOptions(prev.opts, opts)) return full('options changed');
  if (prev.doc.set) {
    const p = patchSetEdit(prev.doc.text, prev.doc.set, prev.doc.errors, () => allRulebases(model).flatMap((rb) => rb.rules), newText, edit);
    if (!p.ok) return full(p.why);
    if (p.kind === 'entry') {
      const obj = p.replaced && setObject(model, p.replaced.old);
      p.commit();
      const doc = { ...prev.doc, text: newText };
      // An address or service object or group read again under its name: that object is made again, the model kept.
      if (obj && obj.map.remakeFrom(obj.name, p.replaced!.fresh)) {
        forgetObject(model, obj.name, obj.kind, prev.policy.resolver);
        return { analysis: analyzeModel(doc, model, opts, prev.policy.resolver, []), incremental: true, why: SET_OBJECT };
      }
      // Otherwise the tree is patched; the model, the policy and the checks start again from it.
      return { analysis: analyzeDoc(doc, opts), incremental: true, why: 'an entry read again; model and policy rebuilt' };
    }
    readAllFields(p.before);
    p.commit();
    return finish(prev, newText, opts, p.before, p.after, []);
  }
  // Unbalanced tags are recovered from with the whole document in view (the indentation of every
  // open element): a re-scan of one entry or element cannot follow that.
  if (prev.doc.xml?.structural) return full('the document has unbalanced tags');
  const rule = patchXmlRule(prev, newText, edit, opts);
  if (typeof rule !== 'string') return rule;
  const obj = objectEntry(prev, edit);
  const p = patchXmlElement(prev, newText, edit, obj);
  if (!p.ok) return full(`${rule}; ${p.why}`);
  if (p.kept && obj) {
    obj.map.remake(obj.name, obj.index);
    forgetObject(model, obj.name, obj.kind, prev.policy.resolver);
    return { analysis: analyzeModel(p.doc, model, opts, prev.policy.resolver, prev.xmlDocs), incremental: true, why: p.why };
  }
  return { analysis: analyzeDoc(p.doc, opts), incremental: true, why: p.why };
}

/** The model's maps of the objects the object path makes again, by the tag of their list. */
const OBJECT_LISTS: Record<string, ObjectKind> = { address: 'addresses', 'address-group': 'addressGroups', service: 'services', 'service-group': 'serviceGroups' };
type ObjectKind = 'addresses' | 'addressGroups' | 'services' | 'serviceGroups';

/** An address or service object or group whose entry holds an edit inside its content (not its start tag). */
type ObjectEntry = { start: number; end: number; index: number; name: string; kind: ObjectKind; map: EntryMap<unknown> };

/**
 * The address or service object or group of the model whose entry holds the edit between its tags, if any: its
 * object can be made again from the patched document while the rest of the model and what the resolver
 * worked out from other names are kept (an address's value edited, a group's member renamed …).
 */
function objectEntry(prev: Analysis, edit: SpanEdit): ObjectEntry | undefined {
  const xml = prev.doc.xml;
  if (!xml || !prev.model) return undefined;
  for (let k = elementAround(xml, edit.start, edit.oldEnd); k >= 0; k = xml.parent[k]!) {
    if (!xml.is(k, 'entry')) continue;
    const up = xml.parent[k]!;
    const kind = up < 0 ? undefined : OBJECT_LISTS[xml.name(up)];
    if (!kind || edit.start < xml.openEnd[k]! || edit.oldEnd > xml.closeStart[k]!) return undefined;
    const name = xml.attrText(k, 'name');
    if (name === undefined) return undefined;
    // The scope whose map holds this entry (a name defined twice in one scope keeps the first).
    const map = mapHolding(prev.model, kind, (m) => m.holdsEntry(name, xml, k));
    return map && { start: xml.start[k]!, end: xml.end[k]!, index: k, name, kind, map };
  }
  return undefined;
}

/** The map of `kind` of some scope of the model for which `holds` is true. */
function mapHolding(model: ConfigModel, kind: ObjectKind, holds: (map: EntryMap<unknown>) => boolean): EntryMap<unknown> | undefined {
  for (const s of scopes(model)) {
    const map = s[kind] as Map<string, unknown>;
    if (map instanceof EntryMap && holds(map)) return map;
  }
  return undefined;
}

export const SET_OBJECT = 'an address or service object or group read again and made again; model and resolved names kept, policy evaluated again';

/** The model's map, name and kind of the address or service object or group whose entry is `node` of a `set` tree, if any. */
function setObject(model: ConfigModel, node: SNode): { map: EntryMap<unknown>; name: string; kind: ObjectKind } | undefined {
  const name = node.name;
  const kind = node.tag !== 'entry' || name === undefined || !node.parent ? undefined : OBJECT_LISTS[node.parent.tag];
  if (!kind || name === undefined) return undefined;
  const map = mapHolding(model, kind, (m) => (m.get(name) as { node?: unknown } | undefined)?.node === node);
  return map && { map, name, kind };
}

/**
 * After the object of `name` was put back to be made again (its entry re-scanned in place, or its
 * lines read again): the resolver forgets the name, every group of its kind holding it at any depth
 * (by name, in any scope), and every compiled rule; each device group's choice (which rules name a
 * management host) and the fix namer's index of object values are worked out again.
 */
function forgetObject(model: ConfigModel, name: string, kind: ObjectKind, resolver: Resolver): void {
  const all = scopes(model);
  for (const s of all) invalidateObjectIndex(s);
  const groups: Group[] = [];
  if (kind === 'services' || kind === 'serviceGroups') {
    for (const s of all) for (const g of s.serviceGroups.values()) groups.push({ name: g.name, members: g.members.map((m) => m.value), g });
    resolver.forgetServices(holding(name, groups));
    return;
  }
  for (const s of all) for (const g of s.addressGroups.values()) groups.push({ name: g.name, members: g.dynamicFilter ? [] : g.staticNames, g });
  const names = holding(name, groups);
  resolver.forgetAddresses(
    names,
    groups.filter((x) => names.has(x.name)).map((x) => x.g),
  );
  for (const rb of allRulebases(model)) invalidateMgmtRefs(rb);
}

/** A group of objects by its members' names (`g`: the model's group object). */
type Group = { name: string; members: readonly string[]; g: object };

/** `name` and the names of the groups holding it, at any depth (a group may hold one defined after it). */
function holding(name: string, groups: readonly Group[]): Set<string> {
  const names = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const x of groups) {
      if (names.has(x.name) || !x.members.some((n) => names.has(n))) continue;
      names.add(x.name);
      grew = true;
    }
  }
  return names;
}

/** The rule path of the XML form (an edit inside one rule entry), or why it cannot be taken. */
function patchXmlRule(prev: Analysis, newText: string, edit: SpanEdit, opts: AnalyzeOptions): Reanalysis | string {
  const hit = enclosingRule(prev, edit);
  if (!hit) return 'the edit is not inside one rule entry';
  const { rule, node } = hit;
  const s = node.doc.start[node.index]!;
  const e = node.doc.end[node.index]!;
  // Errors inside the old entry would have to be withdrawn: leave that to the element path.
  if (prev.doc.errors.some((x) => x.span.end > s && x.span.start < e)) return 'the entry had syntax errors';
  const delta = edit.newEnd - edit.oldEnd;
  const mini = oneElement(newText, s, e + delta);
  if (!mini || mini.errors.length > 0 || !mini.is(0, 'entry')) return 'the edited entry is not one well-formed element';
  mini.tracking = true;
  const fresh = readRule(new XNode(mini, 0), rule.index, rule.rulebase);
  mini.tracking = false;
  if (!fresh || (fresh.name !== rule.name && rule.rulebase.rules.some((r) => r !== rule && r.name === fresh.name))) return 'the rule lost its name or now duplicates another';
  // Commit: shift everything after the old entry, swap the rule in. The old rule is still asked what
  // it matched (finish): what it has not read yet is read now, while the text under it is the old one.
  readAllFields(rule);
  for (const d of prev.xmlDocs) d.shift(e, delta, newText);
  rule.rulebase.rules[rule.index] = fresh;
  // The element of the whole document the new one stands for (the element path folds it back in).
  mini.replaces = node.doc === prev.doc.xml ? node.index : node.doc.replaces;
  const xmlDocs = prev.xmlDocs.filter((d) => d !== node.doc || d === prev.doc.xml);
  xmlDocs.push(mini);
  return finish(prev, newText, opts, rule, fresh, xmlDocs);
}

/** After a rule was swapped in (both forms): forget what was indexed about it, then re-evaluate or reuse. */
function finish(prev: Analysis, newText: string, opts: AnalyzeOptions, before: Rule, after: Rule, xmlDocs: XmlDoc[]): Reanalysis {
  const model = prev.model!;
  const policy = prev.policy!;
  invalidateRulebase(before.rulebase);
  invalidateRuleNames(model);
  const doc = { ...prev.doc, text: newText };
  // A rule that reaches no Panorama/Log Collector address (before or after the edit) decides no flow and
  // takes part in no check: keep the previous policy and findings.
  if (!touchesMgmt(policy, before) && !touchesMgmt(policy, after)) {
    return { analysis: reuseAnalysis(prev, doc, xmlDocs), incremental: true, why: 'no Panorama-relevant rule changed' };
  }
  return { analysis: analyzeModel(doc, model, opts, policy.resolver, xmlDocs, { before, after, previous: policy }), incremental: true };
}

/**
 * Could this rule match traffic to or from a management host in any evaluated context? Conservative:
 * unknown members, unknown zones and disabled rules count as yes.
 */
function touchesMgmt(policy: PolicyResult, rule: Rule): boolean {
  const c = policy.resolver.compile(rule);
  const mgmt = policy.env.mgmtHosts;
  if (addrEmpty(mgmt)) return false;
  for (const ctx of policy.contexts) {
    if (!ctx.rulebases.includes(rule.rulebase)) continue;
    for (const [side, zones] of [
      [c.dst, c.to],
      [c.src, c.from],
    ] as const) {
      if (side.unknown.length > 0) return true;
      const eff = side.any ? (side.negate ? undefined : ALL) : side.negate ? addrSubtract(ALL, side.set) : side.set;
      if (!eff) continue;
      const hit = addrIntersect(eff, mgmt);
      if (addrEmpty(hit)) continue;
      if (zones.any) return true;
      for (const z of ctx.zoner.zonesOf(hit)) if (z === undefined || zones.zones.has(z)) return true;
    }
  }
  // A rule in no evaluated context (another device group) still changes which groups are chosen.
  return !policy.contexts.some((x) => x.rulebases.includes(rule.rulebase)) && policy.contexts.some((x) => x.panorama);
}
