/**
 * @fileoverview Attaches fixes to findings: additive fixes (insert the catalog-derived rules,
 * objects, custom services, the final deny) are safe and preferred; narrowing fixes that change an
 * existing rule are offered for review. Also the source action "Insert the Panorama rule set".
 */
import { registerFixProvider, type Analysis } from '../analyze';
import type { Edit, Finding, Fix } from '../findings';
import type { Rule, Rulebase } from '../model/types';
import type { EvalContext, FlowResult } from '../policy/evaluate';
import { addrCovers, portsToString } from '../policy/sets';
import { BrokenElement, editorFor, unlessBroken, type Editor } from './edits';
import { anchorOf, Namer, pickProfiles, planRuleSet, pointIndex, resultsNeedingRules, ruleAt, type Plan } from './plan';
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

/** The rule a finding names (an index per model: a search through every rulebase per finding is O(findings x rules)). */
function findRule(a: Analysis, location: string | undefined, name: string | undefined): Rule | undefined {
  if (!a.model || !location || !name) return undefined;
  return ruleAt(a.model, location, name);
}

/** Edits inserting a plan's objects and allow rules at one point of a rulebase. */
function planEdits(ed: Editor, plan: Plan, rb: Rulebase, before: Rule | undefined, after?: Rule): Edit[] {
  const rules: RuleDraft[] = [...plan.allows, ...plan.denies];
  if (plan.objects.length && rules.length && !before && !after) {
    const one = ed.insertIntoNewShared?.(plan.objects, rb, rules);
    if (one) return one;
  }
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
  // One rule per peer group: include the group's other flows that no explicit rule allows.
  const group = resultsNeedingRules(p.results, r.ctx).filter((x) => x.flow.srcKind === r.flow.srcKind && x.flow.dstKind === r.flow.dstKind);
  const rs = group.includes(r) ? group : [r];
  const { rb, before } = earliestAnchor(r.ctx, rs);
  const plan = planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: r.ctx.zoner, scope: rb.scope, flows: rs.map((x) => x.flow), denies: [], target: targetFor(r.ctx, rb) });
  if (plan.allows.length === 0) return undefined;
  const names = plan.allows.map((x) => `'${x.name}'`).join(', ');
  return {
    title: `Insert rule ${names} allowing ${r.flow.apps.join(', ')} ${r.flow.protocol}/${portsToString(r.flow.ports)} ${where(rb, before)}${rb !== r.ctx.insertion ? ` in ${rb.location}` : ''}${notesText(plan)}`,
    edits: planEdits(ed, plan, rb, before),
    safe: true,
    kind: 'insert-allow',
  };
}

/**
 * Rules written into an ancestor's (or shared) rulebase would reach every firewall below it, whose
 * templates may lack these zones: target them at the firewalls of the evaluated device group.
 */
function targetFor(ctx: EvalContext, rb: Rulebase): string[] | undefined {
  return rb !== ctx.insertion && ctx.targetDevices && ctx.targetDevices.length > 0 ? ctx.targetDevices : undefined;
}

/** The earliest place, in evaluation order, where allows for these flows must go. */
function earliestAnchor(ctx: EvalContext, rs: FlowResult[]): { rb: Rulebase; before: Rule | undefined } {
  let best = { rb: ctx.insertion, before: undefined as Rule | undefined };
  let bestAt = pointIndex(ctx, best.rb, undefined);
  for (const r of rs) {
    const a = anchorOf(r);
    const at = pointIndex(ctx, a.rb, a.before);
    if (at < bestAt) {
      best = a;
      bestAt = at;
    }
  }
  return best;
}

/** Flows a new deny must not cut: those only a default rule allows, and those whose verdict is unknown. */
function notExplicitlyAllowed(p: NonNullable<Analysis['policy']>, ctx: EvalContext): FlowResult[] {
  return p.results.filter((r) => r.ctx === ctx && (r.verdict === 'unknown' || (r.verdict === 'allowed' && !r.rule)));
}

/** Edits for the final denies of a context (and allows for the flows they must not cut), after the last allow. */
function denyEdits(a: Analysis, ed: Editor, ctx: EvalContext): { edits: Edit[]; plan: Plan; rb: Rulebase; after: Rule | undefined } | undefined {
  const p = a.policy!;
  const md = missingDenies(p, ctx);
  if (md.missing.length === 0) return undefined;
  // After the last allow of the missing direction(s), in that rule's own rulebase; else at the end of the context's.
  const rb = md.last ? md.last.rulebase : ctx.insertion;
  const namer = new Namer(a.model, rb.scope, p.resolver);
  const keep = notExplicitlyAllowed(p, ctx).map((r) => r.flow);
  const plan = planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: ctx.zoner, scope: rb.scope, flows: keep, denies: md.missing as ('to' | 'from')[], namer });
  return { edits: planEdits(ed, plan, rb, undefined, md.last), plan, rb, after: md.last };
}

function denyFix(a: Analysis, ed: Editor, f: Finding): Fix | undefined {
  const p = a.policy!;
  const ctx = p.contexts.find((c) => c.inPath && c.rulebases.some((rb) => rb.location === f.rulebase));
  if (!ctx) return undefined;
  const d = denyEdits(a, ed, ctx);
  if (!d) return undefined;
  const extra = d.plan.allows.length ? ` and ${d.plan.allows.length} allow rule(s) for flows no explicit rule allows` : '';
  return {
    title: `Insert logged deny rule(s) for other traffic ${missingDenies(p, ctx).missing.join(' and ')} Panorama/Log Collectors ${d.after ? where(d.rb, undefined, d.after) : `at the end of ${d.rb.location}`}${extra}`,
    edits: d.edits,
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

/** Does the rule only reach management hosts on its Panorama side (so narrowing it cuts nothing else)? */
function confinedToMgmt(p: NonNullable<Analysis['policy']>, rule: Rule): boolean {
  const c = p.resolver.compile(rule);
  const inside = (m: typeof c.dst): boolean => !m.any && !m.negate && m.unknown.length === 0 && addrCovers(p.env.mgmtHosts, m.set);
  return inside(c.dst) || inside(c.src);
}

function narrowFixes(a: Analysis, ed: Editor, f: Finding): Fix[] {
  const p = a.policy!;
  const rule = findRule(a, f.rulebase, f.rule);
  if (!rule) return [];
  // A broad rule that also carries other traffic is not narrowed to Panorama's needs: that would cut it.
  if ((f.code === 'PANO010' || f.code === 'PANO011' || f.code === 'PANO012') && !confinedToMgmt(p, rule)) return [];
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
      // Narrowing to known sources would cut a flow whose sources are not known: offer nothing then.
      if (allowed.some((r) => !p.env.peers.get(r.flow.srcKind)?.known)) return [];
      for (const r of allowed) {
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
        // Keep the group's App-IDs that a required flow uses (drops foreign ones, and unused catalog ones).
        const active = new Set(p.flows.flatMap((fl) => fl.apps));
        const known = catalogAppIds(p.env.catalog);
        const keep = [...new Set(part.apps.filter((x) => known.has(x) && active.has(x)))];
        if (keep.length === 0) return [];
        return [{ title: `Replace application group '${part.group}' with its Panorama App-IDs (${keep.join(', ')}) in rule '${rule.name}' (changes policy)`, edits: ed.replaceMember(rule, 'application', m, keep), safe: false, kind: 'narrow-application-group' }];
      }
      if (rule.application.items.length < 2) return [];
      return [{ title: `Remove ${m.value} from the applications of rule '${rule.name}' (changes policy)`, edits: ed.replaceMember(rule, 'application', m, []), safe: false, kind: 'remove-application' }];
    }
  }
  return [];
}

/** Attach the config's profile group (PANO020) or log forwarding profile and log at session end (PANO021). */
function profileFixes(a: Analysis, ed: Editor, f: Finding): Fix[] {
  const rule = findRule(a, f.rulebase, f.rule);
  if (!rule) return [];
  const { profileGroup, logSetting } = pickProfiles(a.model, rule.rulebase.scope);
  if (f.code === 'PANO020') {
    if (!profileGroup) return [];
    return [{ title: `Attach profile group '${profileGroup}' to rule '${rule.name}' (changes the rule)`, edits: ed.setProfileGroup(rule, profileGroup), safe: false, kind: 'attach-profiles' }];
  }
  const edits: Edit[] = [];
  const parts: string[] = [];
  if (!rule.logSetting && logSetting) {
    edits.push(...ed.setRuleLeaf(rule, 'log-setting', logSetting));
    parts.push(`log forwarding profile '${logSetting}'`);
  }
  if (!rule.logEnd) {
    edits.push(...ed.setRuleLeaf(rule, 'log-end', 'yes'));
    parts.push('logging at session end');
  }
  if (edits.length === 0 || (!rule.logSetting && !logSetting)) return [];
  return [{ title: `Set ${parts.join(' and ')} on rule '${rule.name}' (changes the rule)`, edits: mergeInserts(edits), safe: false, kind: 'attach-log-forwarding' }];
}

/**
 * The whole missing rule set for one context: for each place where flows are blocked, the allows for
 * those flows right before the first rule that blocks (or may block) them; then the logged denies after
 * the last allow (or right after the latest new allows when those come later).
 */
function ruleSetForContext(a: Analysis, ed: Editor, ctx: EvalContext): { edits: Edit[]; plans: { plan: Plan; rb: Rulebase }[] } | undefined {
  const p = a.policy!;
  const groups = new Map<string, { rb: Rulebase; before: Rule | undefined; rs: FlowResult[] }>();
  for (const r of resultsNeedingRules(p.results, ctx)) {
    const an = anchorOf(r);
    const key = `${an.rb.location}\0${an.before?.name ?? ''}`;
    const g = groups.get(key);
    if (g) g.rs.push(r);
    else groups.set(key, { ...an, rs: [r] });
  }
  const ordered = [...groups.values()].sort((x, y) => pointIndex(ctx, x.rb, x.before) - pointIndex(ctx, y.rb, y.before));
  const reserved = new Set<string>();
  const blocks = ordered.map((g) => {
    const namer = new Namer(a.model, g.rb.scope, p.resolver, reserved);
    const plan = planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: ctx.zoner, scope: g.rb.scope, flows: g.rs.map((r) => r.flow), denies: [], namer, target: targetFor(ctx, g.rb) });
    return { g, namer, plan };
  });
  const md = missingDenies(p, ctx);
  const denyAt = md.last ? pointIndex(ctx, md.last.rulebase, undefined, md.last) : pointIndex(ctx, ctx.insertion, undefined);
  const latest = blocks.filter((b) => b.plan.allows.length > 0).pop();
  const plans: { plan: Plan; rb: Rulebase }[] = [];
  const edits: Edit[] = [];
  let denyWithLatest = false;
  if (md.missing.length > 0 && latest && (!md.last || pointIndex(ctx, latest.g.rb, latest.g.before) > denyAt)) {
    // The new allows come after the last existing one: the denies follow them directly.
    latest.plan.denies = planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: ctx.zoner, scope: latest.g.rb.scope, flows: [], denies: md.missing as ('to' | 'from')[], namer: latest.namer }).denies;
    denyWithLatest = true;
  }
  for (const b of blocks) {
    const plan = { ...b.plan, objects: b.namer.created };
    if (plan.allows.length || plan.denies.length || plan.objects.length) {
      edits.push(...planEdits(ed, plan, b.g.rb, b.g.before));
      plans.push({ plan, rb: b.g.rb });
    }
  }
  if (md.missing.length > 0 && !denyWithLatest) {
    const drb = md.last ? md.last.rulebase : ctx.insertion;
    const dn = new Namer(a.model, drb.scope, p.resolver, reserved);
    const dp = planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: ctx.zoner, scope: drb.scope, flows: [], denies: md.missing as ('to' | 'from')[], namer: dn });
    edits.push(...planEdits(ed, dp, drb, undefined, md.last));
    plans.push({ plan: dp, rb: drb });
  }
  if (edits.length === 0) return undefined;
  return { edits: mergeInserts(edits), plans };
}

/**
 * The source action: all missing pieces at once, in every place Panorama traffic is evaluated. None
 * when one of the places to write is a broken element (the fix would be partial).
 */
export function ruleSetFix(a: Analysis): Fix | undefined {
  if (!a.policy || !a.model) return undefined;
  const ed = editorFor(a.doc);
  if (!ed) return undefined;
  const policy = a.policy;
  return unlessBroken(() => ruleSetFixWith(a, policy, ed), undefined);
}

function ruleSetFixWith(a: Analysis, policy: NonNullable<Analysis['policy']>, ed: Editor): Fix | undefined {
  const done = new Set<Rulebase>();
  const edits: Edit[] = [];
  const parts: string[] = [];
  const notes = new Set<string>();
  const contexts = policy.contexts.filter((c) => c.inPath);
  const targets = contexts.length ? contexts : policy.contexts.filter((c) => c.id === 'shared');
  for (const ctx of targets) {
    if (done.has(ctx.insertion)) continue;
    done.add(ctx.insertion);
    const r = ruleSetForContext(a, ed, ctx);
    if (!r) continue;
    edits.push(...r.edits);
    for (const { plan, rb } of r.plans) {
      parts.push(`${plan.allows.length} allow and ${plan.denies.length} deny rule(s) in ${rb.location}${ctx.inPath ? '' : ' (no device group is known to protect Panorama)'}`);
      for (const n of plan.notes) notes.add(n);
    }
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
    case 'PANO020':
    case 'PANO021':
      return profileFixes(a, ed, f);
    case 'PANO027': {
      const x = ruleSetFix(a);
      return x ? [{ ...x, kind: 'insert-rule-set' }] : [];
    }
  }
  return [];
}

/**
 * The fixes of one finding, computed on demand (the language server asks when a code action is
 * requested). A finding whose fixes would write into a broken element gets none (not an error). A fix
 * that cannot be computed otherwise is a bug: `onError` hears of it (the server logs it and does not
 * keep the empty answer), and the finding is offered without fixes.
 */
export function fixesForFinding(a: Analysis, f: Finding, onError?: (e: unknown) => void): Fix[] {
  const ed = editorFor(a.doc);
  if (!ed || !a.policy) return [];
  try {
    return fixesFor(a, ed, f);
  } catch (e) {
    if (!(e instanceof BrokenElement)) onError?.(e);
    return [];
  }
}

registerFixProvider((a, findings) => {
  const ed = editorFor(a.doc);
  if (!ed || !a.policy) return;
  for (const f of findings) {
    try {
      const fixes = fixesFor(a, ed, f);
      if (fixes.length) f.fixes = fixes;
    } catch {
      // A fix that cannot be computed (or would write into a broken element) is left out; the finding stays.
    }
  }
});


