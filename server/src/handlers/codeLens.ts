/**
 * @fileoverview A code lens on each rulebase evaluated for Panorama: "Panorama flows: 12 allowed, 2 blocked".
 */
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from '../core/analyze';
import type { Positions } from '../core/text';

export function codeLenses(a: Analysis, li: Positions, uri: string): CodeLens[] {
  const p = a.policy;
  if (!p) return [];
  const out: CodeLens[] = [];
  const seen = new Set<string>();
  for (const ctx of p.contexts) {
    const rb = ctx.insertion;
    if (seen.has(rb.location)) continue;
    seen.add(rb.location);
    const node = rb.rulesNode ?? rb.anchor?.node;
    if (!node) continue;
    const rs = p.results.filter((r) => r.ctx.insertion === rb);
    const n = (v: string): number => new Set(rs.filter((r) => r.verdict === v).map((r) => r.flow.id)).size;
    const parts = [`${n('allowed')} allowed`, `${n('blocked')} blocked`];
    if (n('unknown')) parts.push(`${n('unknown')} unknown`);
    const title = `Panorama flows (${ctx.inPath ? ctx.label : `${ctx.label}, not in Panorama's path`}): ${parts.join(', ')}`;
    out.push({ range: li.rangeOf(node.keySpan), command: { title, command: 'panosGuard.showFlowTable', arguments: [uri] } });
  }
  return out;
}
