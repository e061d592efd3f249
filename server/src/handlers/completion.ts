/**
 * @fileoverview Completion of App-IDs and object names inside rule members, in both forms.
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import type { Analysis } from '../core/analyze';
import { catalogAppIds, loadCatalog } from '../core/catalog/load';
import { namesFor, type RuleField } from '../core/locate';
import type { Rule } from '../core/model/types';
import { allRulebases } from '../core/model/types';

const FIELD_OF_TAG: Record<string, RuleField> = {
  from: 'from',
  to: 'to',
  source: 'source',
  destination: 'destination',
  application: 'application',
  service: 'service',
  tag: 'tags',
  category: 'category',
  'source-user': 'sourceUser',
};

/** The rule and field a completion at `offset` is for, or undefined. */
function context(a: Analysis, offset: number): { rule: Rule | undefined; field: RuleField; scopeRule: Rule | undefined } | undefined {
  const text = a.doc.text;
  if (a.doc.format === 'xml') {
    // Inside `<member>…` of a field element: find the field by the nearest enclosing open tags.
    const before = text.slice(Math.max(0, offset - 4000), offset);
    const m = /<member>([^<]*)$/.exec(before);
    if (!m) return undefined;
    const upTo = before.slice(0, m.index);
    const tags = [...upTo.matchAll(/<(\/?)([A-Za-z][\w-]*)[^>]*?(\/?)>/g)];
    const stack: string[] = [];
    for (const t of tags) {
      if (t[3] === '/') continue;
      if (t[1] === '/') stack.pop();
      else stack.push(t[2]!);
    }
    const fieldTag = stack[stack.length - 1];
    const field = fieldTag ? FIELD_OF_TAG[fieldTag] : undefined;
    if (!field) return undefined;
    const rule = ruleAt(a, offset);
    return { rule, field, scopeRule: rule };
  }
  const ls = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const line = text.slice(ls, offset);
  const m = /\brules\s+("[^"]*"|'[^']*'|\S+)\s+(?:.*\s)?(from|to|source|destination|application|service|tag|category|source-user)\s+(?:\[\s*)?(?:[^\s\]]+\s+)*([^\s\]]*)$/.exec(line);
  if (!m) return undefined;
  const rule = ruleAt(a, offset);
  return { rule, field: FIELD_OF_TAG[m[2]!]!, scopeRule: rule };
}

function ruleAt(a: Analysis, offset: number): Rule | undefined {
  if (!a.model) return undefined;
  for (const rb of allRulebases(a.model)) {
    for (const r of rb.rules) {
      for (const part of r.node.parts) if (offset >= part.span.start && offset <= part.span.end) return r;
    }
  }
  return undefined;
}

export function completions(a: Analysis, offset: number): CompletionItem[] {
  const c = context(a, offset);
  if (!c || !a.model) return [];
  const scope = c.scopeRule?.rulebase.scope ?? a.model.vsys[0]?.scope ?? a.model.shared;
  const items: CompletionItem[] = [{ label: 'any', kind: CompletionItemKind.Keyword }];
  if (c.field === 'application') {
    const cat = loadCatalog();
    for (const app of catalogAppIds(cat)) {
      const uses = cat.entries.filter((e) => e.appIds.includes(app)).map((e) => `${e.ports.map((p) => `${p.protocol}/${p.ports}`).join(' ')} ${e.direction}`);
      items.push({ label: app, kind: CompletionItemKind.Value, detail: `Panorama App-ID: ${uses.join('; ')}`, sortText: `0${app}` });
    }
  }
  if (c.field === 'service') items.push({ label: 'application-default', kind: CompletionItemKind.Keyword, sortText: '0' });
  for (const n of namesFor(a.model, scope, c.field)) items.push({ label: n.name, kind: n.kind === 'zone' ? CompletionItemKind.Module : CompletionItemKind.Reference, detail: n.kind, sortText: `1${n.name}` });
  return items;
}
