/**
 * @fileoverview The flow table (`panos-guard flows`, the editor's "Show Panorama flow table"):
 * every required flow, its catalog id, verdict, deciding rule and trace.
 */
import type { Analysis } from '../analyze';
import type { Positions, Range } from '../text';
import { ruleRef } from './evaluate';

export type FlowRow = {
  id: string;
  catalogId: string;
  flow: string;
  coverage: 'all' | 'some';
  verdict: string;
  summary: string;
  rule: string | null;
  rulebase: string | null;
  range: Range | null;
  context: string;
  why: string;
  trace: string[];
  notes: string[];
  reasons: string[];
};

export type FlowTable = {
  contexts: { id: string; label: string; because: string; inPath: boolean; inPathWhy: string }[];
  flows: FlowRow[];
  skipped: { id: string; label: string; why: string }[];
};

export function flowTable(a: Analysis, li: Positions): FlowTable {
  const p = a.policy;
  if (!p) return { contexts: [], flows: [], skipped: [] };
  return {
    contexts: p.contexts.map((c) => ({ id: c.id, label: c.label, because: c.because, inPath: c.inPath, inPathWhy: c.inPathWhy })),
    flows: p.results.map((r) => ({
      id: r.flow.id,
      catalogId: r.flow.entry.id,
      flow: r.flow.label,
      coverage: r.flow.coverage,
      verdict: r.verdict,
      summary: r.summary,
      rule: r.rule?.name ?? (r.defaultRule ?? null),
      rulebase: r.rule?.rulebase.location ?? null,
      range: r.rule ? li.rangeOf(r.rule.nameSpan) : null,
      context: r.ctx.id,
      why: r.flow.why,
      trace: r.trace.map((t) => `${ruleRef(t.rule)}: ${t.result} ${t.part}`),
      notes: r.notes,
      reasons: r.reasons,
    })),
    skipped: p.skipped,
  };
}
