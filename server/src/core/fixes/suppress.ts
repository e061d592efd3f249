/**
 * @fileoverview "Suppress CODE for this rule": adds `panos-guard-disable CODE` to the rule's
 * description, a token that survives export and round-trips through Panorama.
 */
import type { Analysis } from '../analyze';
import type { Finding, Fix } from '../findings';
import { allRulebases } from '../model/types';
import { editorFor } from './edits';

export function suppressFix(a: Analysis, f: Finding): Fix | undefined {
  if (!a.model || !f.rule || !f.rulebase) return undefined;
  const rb = allRulebases(a.model).find((x) => x.location === f.rulebase);
  const rule = rb?.rules.find((r) => r.name === f.rule);
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
  return { title: `Suppress ${f.code} for rule '${rule.name}' (adds 'panos-guard-disable ${f.code}' to its description)`, edits: ed.setRuleLeaf(rule, 'description', value), safe: true, kind: 'suppress' };
}
