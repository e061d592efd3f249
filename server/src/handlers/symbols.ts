/**
 * @fileoverview Document symbols: rulebases with their rules, then objects by kind. Capped so a
 * huge Panorama export does not flood the outline.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Analysis } from '../core/analyze';
import { definitions } from '../core/locate';
import { allRulebases } from '../core/model/types';
import type { Positions, Span } from '../core/text';

export const MAX_SYMBOLS = 5000;

function sym(li: Positions, name: string, kind: SymbolKind, span: Span, sel: Span, detail?: string): DocumentSymbol {
  const range = li.rangeOf({ start: Math.min(span.start, sel.start), end: Math.max(span.end, sel.end) });
  const s: DocumentSymbol = { name: name || '(unnamed)', kind, range, selectionRange: li.rangeOf(sel) };
  if (detail) s.detail = detail;
  return s;
}

export function documentSymbols(a: Analysis, li: Positions): DocumentSymbol[] {
  const m = a.model;
  if (!m) return [];
  let budget = MAX_SYMBOLS;
  const out: DocumentSymbol[] = [];
  for (const rb of allRulebases(m)) {
    if (budget <= 0) break;
    const anchor = rb.rulesNode ?? rb.anchor?.node;
    if (!anchor) continue;
    const kids: DocumentSymbol[] = [];
    for (const r of rb.rules) {
      if (--budget < 0) break;
      kids.push(sym(li, r.name, SymbolKind.Function, r.node.span, r.nameSpan, `${r.action}${r.disabled ? ', disabled' : ''}`));
    }
    const s = sym(li, rb.location, SymbolKind.Namespace, anchor.span, anchor.keySpan, `${rb.rules.length} security rule(s)`);
    s.children = kids;
    out.push(s);
  }
  const byKind = new Map<string, DocumentSymbol[]>();
  for (const d of definitions(m)) {
    if (--budget < 0) break;
    const l = byKind.get(d.kind) ?? [];
    l.push(sym(li, d.name, d.kind === 'zone' ? SymbolKind.Module : SymbolKind.Variable, d.node.span, d.nameSpan, d.scope && d.scope.kind !== 'shared' ? d.scope.name : undefined));
    byKind.set(d.kind, l);
  }
  for (const [kind, list] of byKind) {
    const first = list[0]!;
    const last = list[list.length - 1]!;
    out.push({ name: kind, kind: SymbolKind.Package, detail: `${list.length}`, range: { start: first.range.start, end: last.range.end }, selectionRange: first.selectionRange, children: list });
  }
  return out;
}
