/**
 * @fileoverview "Suppress CODE for this rule": adds `panos-guard-disable CODE` to the rule's
 * description, a token that survives export and round-trips through Panorama.
 */
import type { Analysis } from '../analyze';
import type { Finding, Fix } from '../findings';
import { editorFor, unlessBroken } from './edits';
import { ruleAt } from './plan';

export function suppressFix(a: Analysis, f: Finding): Fix | undefined {
  if (!a.model || !f.rule || !f.rulebase) return undefined;
  // The per-model index: the server asks for this fix for every finding of a code-action request.
  const rule = ruleAt(a.model, f.rulebase, f.rule);
  const ed = editorFor(a.doc);
  if (!rule || !ed) return undefined;
  const old = rule.description?.value ?? '';
  const m = /panos-guard-disable((?:[ :,]+PANO\d{3})*)/i.exec(old);
  let value: string;
  if (m) {
    if (!m[1]) return undefined;
    value = old.slice(0, m.index + m[0].length) + ` ${f.code}` + old.slice(m.index + m[0].length);
  } else {
    value = old ? `${old} panos-guard-disable ${f.code}` : `panos-guard-disable ${f.code}`;
  }
  // Not offered when the description (or the rule, to add one) is a broken element.
  const edits = unlessBroken(() => ed.setRuleLeaf(rule, 'description', value), undefined);
  if (!edits) return undefined;
  return { title: `Suppress ${f.code} for rule '${rule.name}' (adds 'panos-guard-disable ${f.code}' to its description)`, edits, safe: true, kind: 'suppress' };
}
