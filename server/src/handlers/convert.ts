/**
 * @fileoverview Findings and fixes to LSP types. Offsets become positions here, once, at the edge.
 */
import { DiagnosticSeverity, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { docsUrl } from '../core/checks/types';
import type { Edit, Finding, Severity } from '../core/findings';
import type { Positions } from '../core/text';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `data` of a diagnostic: enough to find its fixes without re-analysis. */
export type DiagnosticData = { key: string; version: number };

/** A stable key for a finding within one analysis. */
export function findingKey(f: Finding): string {
  return `${f.code}:${f.span.start}:${f.span.end}:${f.flowId ?? ''}:${f.rule ?? ''}:${f.message.length}`;
}

export function toDiagnostic(uri: string, li: Positions, f: Finding, version: number): Diagnostic {
  const d: Diagnostic = {
    range: li.rangeOf(f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: docsUrl(f.code) },
    source: 'panos-guard',
    message: f.message,
    data: { key: findingKey(f), version } satisfies DiagnosticData,
  };
  if (f.related && f.related.length > 0) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri, range: li.rangeOf(r.span) }, message: r.message }));
  }
  return d;
}

export function toTextEdits(li: Positions, edits: Edit[]): TextEdit[] {
  return edits.map((e) => ({ range: li.rangeOf(e.span), newText: e.newText }));
}

export function quickFix(uri: string, li: Positions, title: string, edits: Edit[], diagnostics: Diagnostic[], preferred: boolean, kind = 'quickfix'): CodeAction {
  const a: CodeAction = { title, kind, edit: { changes: { [uri]: toTextEdits(li, edits) } } };
  if (diagnostics.length) a.diagnostics = diagnostics;
  if (preferred) a.isPreferred = true;
  return a;
}
