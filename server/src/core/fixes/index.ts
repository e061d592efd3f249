/**
 * @fileoverview Attaches fixes to findings: additive fixes (insert the catalog-derived rules,
 * objects, custom services, the final deny) are safe and preferred; narrowing fixes that change an
 * existing rule are offered for review. Also the source action "Insert the Panorama rule set".
 */
import { registerFixProvider, type Analysis } from '../analyze';
import type { Edit, Finding, Fix } from '../findings';
import type { Rule, Rulebase } from '../model/types';
import { allRulebases } from '../model/types';
import type { EvalContext, FlowResult } from '../policy/evaluate';
import { portsToString } from '../policy/sets';
import { editorFor, type Editor } from './edits';
import { flowsNeedingRules, Namer, planRuleSet, targetRulebase, type Plan } from './plan';
import type { RuleDraft } from './render';
import { catalogAppIds } from '../catalog/load';
import { missingDenies } from '../checks/pano002-no-final-deny';

/** Merges zero-length inserts at the same offset (keeps their order) so a fix is one coherent edit set. */
export function mergeInserts(edits: Edit[]): Edit[] {
  const out: Edit[] = [];
  for (const e of edits) {
    const prev = out.find((o) => o.span.start === e.span.start && o.span.end === o.span.start && e.span.end === e.span.start);
    if (prev) {
      // Keep one leading line break: a later insert at the same point continues the block.
      prev.newText += e.newText.replace(/^\r?\n/, '');
    } else out.push({ span: { ...e.span }, newText: e.newText });
  }
  return out;
}

function findRule(a: Analysis, location: string | undefined, name: string | undefined): Rule | undefined {
  if (!a.model || !location || !name) return undefined;
  for (const rb of allRulebases(a.model)) if (rb.location === location) return rb.rules.find((r) => r.name === name);
  return undefined;
}

/** Edits inserting a plan's objects and allow rules at one point of a rulebase. */
function planEdits(ed: Editor, plan: Plan, rb: Rulebase, before: Rule | undefined, after?: Rule): Edit[] {
  const rules: RuleDraft[] = [...plan.allows, ...plan.denies];
  const edits: Edit[] = [];
  if (plan.objects.length) edits.push(...ed.insertObjects(plan.objects[0]!.scope, plan.objects, { rb, before, after }));
  if (rules.length) edits.push(...ed.insertRules(rb, before, rules, after));
  return mergeInserts(edits);
}

function where(rb: Rulebase, before: Rule | undefined, after?: Rule): string {
  return before ? `before '${before.name}'` : after ? `after '${after.name}'` : `at the end of ${rb.location}`;
}

function notesText(plan: Plan): string {
  return plan.notes.length ? ` (${plan.notes.join('; ')})` : '';
}

function blockedFix(a: Analysis, ed: Editor, f: Finding): Fix | undefined {
  const p = a.policy!;
  const r = p.results.find((x) => x.flow.id === f.flowId && x.verdict === 'blocked' && x.ctx.inPath && (x.rule?.name ?? undefined) === f.rule);
  if (!r) return undefined;
  const rb = targetRulebase(r.ctx, r.rule);
  const before = r.rule && r.rule.rulebase === rb ? r.rule : undefined;
  // One rule per peer group: include the group's other flows that no explicit rule allows.
  const flows = flowsNeedingRules(p.results, r.ctx).filter((x) => x.srcKind === r.flow.srcKind && x.dstKind === r.flow.dstKind);
  const plan = planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: r.ctx.zoner, scope: rb.scope, flows: flows.includes(r.flow) ? flows : [r.flow], denies: false });
  if (plan.allows.length === 0) return undefined;
  const names = plan.allows.map((x) => `'${x.name}'`).join(', ');
  return {
    title: `Insert rule ${names} allowing ${r.flow.apps.join(', ')} ${r.flow.protocol}/${portsToString(r.flow.ports)} ${where(rb, before)}${rb !== r.ctx.insertion ? ` in ${rb.location}` : ''}${notesText(plan)}`,
    edits: planEdits(ed, plan, rb, before),
    safe: true,
    kind: 'insert-allow',
  };
}

/** Allow rules for flows only the default rules allow, so that a new deny does not cut them. */
function defaultAllowed(p: NonNullable<Analysis['policy']>, ctx: EvalContext): FlowResult['flow'][] {
  return p.results.filter((r) => r.ctx === ctx && r.verdict === 'allowed' && !r.rule).map((r) => r.flow);
}

function denyFix(a: Analysis, ed: Editor, f: Finding): Fix | undefined {
  const p = a.policy!;
  const ctx = p.contexts.find((c) => c.inPath && c.insertion.location === f.rulebase);
  if (!ctx) return undefined;
  const rb = ctx.insertion;
  const after = findRule(a, f.rulebase, f.rule);
  const namer = new Namer(a.model, rb.scope, p.resolver);
  const plan = planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: ctx.zoner, scope: rb.scope, flows: defaultAllowed(p, ctx), denies: true, namer });
  const extra = plan.allows.length ? ` and ${plan.allows.length} allow rule(s) for flows only a default rule allows` : '';
  return {
    title: `Insert logged deny rules for other Panorama/Log Collector traffic ${after ? where(rb, undefined, after) : `at the end of ${rb.location}`}${extra}`,
    edits: planEdits(ed, plan, rb, undefined, after),
    safe: true,
    kind: 'insert-deny',
  };
}

function customServiceFixes(a: Analysis, ed: Editor, f: Finding): Fix[] {
  const p = a.policy!;
  const rule = findRule(a, f.rulebase, f.rule);
  const r = p.results.find((x) => x.flow.id === f.flowId && x.nearMiss.some((n) => n.rule === rule));
  if (!rule || !r) return [];
  const nm = r.nearMiss.find((n) => n.rule === rule)!;
  const namer = new Namer(a.model, rule.rulebase.scope, p.resolver);
  const svc = namer.service(r.flow.protocol, portsToString(r.flow.ports));
  const v = (l: { items: { value: string }[] }): string[] => (l.items.length ? l.items.map((m) => m.value) : ['any']);
  const draft: RuleDraft = {
    name: namer.unique(`${rule.name} ${r.flow.protocol}-${portsToString(r.flow.ports)}`),
    from: v(rule.from),
    to: v(rule.to),
    source: v(rule.source),
    destination: v(rule.destination),
    application: [nm.app],
    service: [svc],
    action: 'allow',
    ...(rule.logSetting ? { logSetting: rule.logSetting.value } : {}),
    ...(rule.profileGroup.items[0] ? { profileGroup: rule.profileGroup.items[0].value } : {}),
    ...(rule.negateSource ? { negateSource: true } : {}),
    ...(rule.negateDestination ? { negateDestination: true } : {}),
    description: `panos-guard: ${nm.app} on ${r.flow.protocol}/${portsToString(r.flow.ports)} needs a custom service (${r.flow.entry.id})`,
  };
  const plan: Plan = { objects: namer.created, allows: [draft], denies: [], notes: [], flows: [r.flow] };
  const fixes: Fix[] = [
    {
      title: `Add service ${svc} (${r.flow.protocol}/${portsToString(r.flow.ports)}) and rule '${draft.name}' allowing ${nm.app} on it after '${rule.name}'`,
      edits: planEdits(ed, plan, rule.rulebase, undefined, rule),
      safe: true,
      kind: 'add-custom-service',
    },
  ];
  const member = rule.service.items.find((m) => m.value === 'application-default');
  const apps = rule.application.items.map((m) => m.value);
  if (member && apps.length === 1 && apps[0] === nm.app) {
    const objEdits = namer.created.length ? ed.insertObjects(rule.rulebase.scope, namer.created, { rb: rule.rulebase, before: rule }) : [];
    fixes.push({
      title: `Use service ${svc} instead of application-default in rule '${rule.name}' (changes the rule: ${nm.app} is then allowed on ${r.flow.protocol}/${portsToString(r.flow.ports)} only)`,
      edits: mergeInserts([...objEdits, ...ed.replaceMember(rule, 'service', member, [svc])]),
      safe: false,
      kind: 'replace-app-default',
    });
  }
  return fixes;
}

/** Flows a rule currently allows (to narrow it without cutting them). */
function allowedBy(a: Analysis, rule: Rule): FlowResult[] {
  return a.policy!.results.filter((r) => r.rule === rule && r.verdict === 'allowed');
}

function narrowFixes(a: Analysis, ed: Editor, f: Finding): Fix[] {
  const p = a.policy!;
  const rule = findRule(a, f.rulebase, f.rule);
  if (!rule) return [];
  const allowed = allowedBy(a, rule);
  const member = [...rule.application.items, ...rule.service.items, ...rule.source.items].find((m) => m.span.start === f.span.start && m.span.end === f.span.end);
  switch (f.code) {
    case 'PANO010': {
      if (!member) return [];
      const apps = [...new Set(allowed.flatMap((r) => r.flow.apps))];
      if (apps.length === 0) return [];
      return [{ title: `Replace application any with ${apps.join(', ')} in rule '${rule.name}' (changes policy)`, edits: ed.replaceMember(rule, 'application', member, apps), safe: false, kind: 'narrow-application' }];
    }
    case 'PANO011':
    case 'PANO012': {
      if (!member) return [];
      const namer = new Namer(a.model, rule.rulebase.scope, p.resolver);
      const values = new Set<string>();
      for (const r of allowed) {
        const custom = r.nearMiss.length > 0 || r.flow.entry.customService;
        values.add(custom ? namer.service(r.flow.protocol, portsToString(r.flow.ports)) : 'application-default');
      }
      if (values.size === 0) values.add('application-default');
      const vals = [...values];
      if (vals.includes('application-default') && vals.length > 1) return [];
      const objEdits = namer.created.length ? ed.insertObjects(rule.rulebase.scope, namer.created, { rb: rule.rulebase, before: rule }) : [];
      return [{ title: `Replace service ${member.value} with ${vals.join(', ')} in rule '${rule.name}' (changes policy)`, edits: mergeInserts([...objEdits, ...ed.replaceMember(rule, 'service', member, vals)]), safe: false, kind: 'narrow-service' }];
    }
    case 'PANO013': {
      if (!member) return [];
      const namer = new Namer(a.model, rule.rulebase.scope, p.resolver);
      const sources: string[] = [];
      for (const r of allowed) {
        const peer = p.env.peers.get(r.flow.srcKind);
        if (!peer?.known) continue;
        for (const n of namer.addresses(r.flow.src, r.flow.srcKind, p.env)) if (!sources.includes(n)) sources.push(n);
      }
      if (sources.length === 0) return [];
      const objEdits = namer.created.length ? ed.insertObjects(rule.rulebase.scope, namer.created, { rb: rule.rulebase, before: rule }) : [];
      return [{ title: `Replace source any with ${sources.join(', ')} in rule '${rule.name}' (changes policy)`, edits: mergeInserts([...objEdits, ...ed.replaceMember(rule, 'source', member, sources)]), safe: false, kind: 'narrow-source' }];
    }
    case 'PANO014':
    case 'PANO015': {
      const m = rule.application.items.find((x) => x.span.start === f.span.start);
      if (!m) return [];
      const c = p.resolver.compile(rule);
      const part = c.app.parts.find((x) => x.member === m || x.member.span.start === m.span.start);
      if (part?.group) {
        const known = catalogAppIds(p.env.catalog);
        const keep = [...new Set(part.apps.filter((x) => known.has(x)))];
        if (keep.length === 0) return [];
        return [{ title: `Replace application group '${part.group}' with its Panorama App-IDs (${keep.join(', ')}) in rule '${rule.name}' (changes policy)`, edits: ed.replaceMember(rule, 'application', m, keep), safe: false, kind: 'narrow-application-group' }];
      }
      if (rule.application.items.length < 2) return [];
      return [{ title: `Remove ${m.value} from the applications of rule '${rule.name}' (changes policy)`, edits: ed.replaceMember(rule, 'application', m, []), safe: false, kind: 'remove-application' }];
    }
  }
  return [];
}

/** The whole missing rule set for one context: allows before the first blocker, logged denies after the last allow. */
function ruleSetForContext(a: Analysis, ed: Editor, ctx: EvalContext, withDeny: boolean): { edits: Edit[]; plan: Plan; rb: Rulebase } | undefined {
  const p = a.policy!;
  const rb = ctx.insertion;
  const flows = flowsNeedingRules(p.results, ctx);
  const namer = new Namer(a.model, rb.scope, p.resolver);
  const plan = planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: ctx.zoner, scope: rb.scope, flows, denies: false, namer });
  // The earliest rule of this rulebase that blocks one of these flows.
  let before: Rule | undefined;
  for (const r of p.results) {
    if (r.ctx !== ctx || r.verdict !== 'blocked' || !r.rule || r.rule.rulebase !== rb) continue;
    if (!before || r.rule.index < before.index) before = r.rule;
  }
  // Existing allows for Panorama traffic in this rulebase: the deny goes after the last one.
  let lastAllow: Rule | undefined;
  for (const r of p.results) {
    if (r.ctx !== ctx || !r.rule || r.rule.rulebase !== rb || r.rule.action !== 'allow') continue;
    if (!lastAllow || r.rule.index > lastAllow.index) lastAllow = r.rule;
  }
  const denyPlan = withDeny ? planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: ctx.zoner, scope: rb.scope, flows: [], denies: true, namer }) : undefined;
  const edits: Edit[] = [];
  const objects = namer.created;
  const allowPlan: Plan = { ...plan, objects };
  if (denyPlan && (!lastAllow || (before && lastAllow.index < before.index))) {
    // Allows and denies go together.
    edits.push(...planEdits(ed, { ...allowPlan, denies: denyPlan.denies }, rb, before));
  } else {
    if (allowPlan.allows.length || objects.length) edits.push(...planEdits(ed, allowPlan, rb, before));
    if (denyPlan && lastAllow) edits.push(...ed.insertRules(rb, undefined, denyPlan.denies, lastAllow));
  }
  if (edits.length === 0) return undefined;
  return { edits: mergeInserts(edits), plan: { ...allowPlan, denies: denyPlan?.denies ?? [] }, rb };
}

/** The source action: all missing pieces at once, in every place Panorama traffic is evaluated. */
export function ruleSetFix(a: Analysis): Fix | undefined {
  if (!a.policy || !a.model) return undefined;
  const ed = editorFor(a.doc);
  if (!ed) return undefined;
  const done = new Set<Rulebase>();
  const edits: Edit[] = [];
  const parts: string[] = [];
  const notes = new Set<string>();
  const contexts = a.policy.contexts.filter((c) => c.inPath);
  const targets = contexts.length ? contexts : a.policy.contexts.filter((c) => c.id === 'shared');
  for (const ctx of targets) {
    if (done.has(ctx.insertion)) continue;
    done.add(ctx.insertion);
    const withDeny = missingDenies(a.policy, ctx).missing.length > 0;
    const r = ruleSetForContext(a, ed, ctx, withDeny);
    if (!r) continue;
    edits.push(...r.edits);
    parts.push(`${r.plan.allows.length} allow and ${r.plan.denies.length} deny rule(s) in ${r.rb.location}${ctx.inPath ? '' : ' (no device group is known to protect Panorama)'}`);
    for (const n of r.plan.notes) notes.add(n);
  }
  if (edits.length === 0) return undefined;
  return { title: `Insert the Panorama rule set: ${parts.join('; ')}${notes.size ? ` (${[...notes].join('; ')})` : ''}`, edits, safe: true, kind: 'insert-rule-set' };
}

function fixesFor(a: Analysis, ed: Editor, f: Finding): Fix[] {
  switch (f.code) {
    case 'PANO001': {
      const x = blockedFix(a, ed, f);
      return x ? [x] : [];
    }
    case 'PANO002': {
      const x = denyFix(a, ed, f);
      return x ? [x] : [];
    }
    case 'PANO003':
      return customServiceFixes(a, ed, f);
    case 'PANO010':
    case 'PANO011':
    case 'PANO012':
    case 'PANO013':
    case 'PANO014':
    case 'PANO015':
      return narrowFixes(a, ed, f);
    case 'PANO027': {
      const x = ruleSetFix(a);
      return x ? [{ ...x, kind: 'insert-rule-set' }] : [];
    }
  }
  return [];
}

registerFixProvider((a, findings) => {
  const ed = editorFor(a.doc);
  if (!ed || !a.policy) return;
  for (const f of findings) {
    try {
      const fixes = fixesFor(a, ed, f);
      if (fixes.length) f.fixes = fixes;
    } catch {
      // A fix that cannot be computed is left out; the finding stays.
    }
  }
});


