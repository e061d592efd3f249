/**
 * @fileoverview End-to-end checks in the real extension host: the scenario file gets the expected diagnostic,
 * the quick fix is offered for it, and applying it edits the document and clears the diagnostic.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { test } from './runner';
import { loadScenario } from './scenario';
import { waitFor } from './wait';

const scenario = loadScenario();
const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint,
};

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return c === undefined ? undefined : typeof c === 'object' ? String(c.value) : String(c);
}

function matches(d: vscode.Diagnostic): boolean {
  const want = scenario.diagnostic;
  return (want.source === undefined || d.source === want.source)
    && (want.code === undefined || codeOf(d) === want.code)
    && (want.messageIncludes === undefined || d.message.includes(want.messageIncludes))
    && (want.severity === undefined || d.severity === SEVERITY[want.severity]);
}

function describe(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${d.source}/${codeOf(d)}] ${d.message}`).join('\n') || '(none)';
}

let doc: vscode.TextDocument;
let target: vscode.Diagnostic;

test(`diagnostic appears on ${scenario.file}`, async () => {
  doc = await vscode.workspace.openTextDocument(vscode.Uri.file(scenario.filePath));
  await vscode.window.showTextDocument(doc);
  try {
    target = await waitFor(() => vscode.languages.getDiagnostics(doc.uri).find(matches), {
      what: `a diagnostic matching ${JSON.stringify(scenario.diagnostic)}`,
      event: vscode.languages.onDidChangeDiagnostics,
    });
  } catch (e) {
    assert.fail(`${(e as Error).message}\ndiagnostics present:\n${describe(vscode.languages.getDiagnostics(doc.uri))}`);
  }
});

if (scenario.fix) {
  const fix = scenario.fix;
  let action: vscode.CodeAction | undefined;

  test(`quick fix '${fix.title}' is offered`, async () => {
    assert.ok(target, 'needs the diagnostic from the previous test');
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', doc.uri, target.range, vscode.CodeActionKind.QuickFix.value);
    const titles = (actions ?? []).map((a) => a.title);
    action = (actions ?? []).find((a): a is vscode.CodeAction => a.title === fix.title && 'kind' in a);
    assert.ok(action, `no code action titled '${fix.title}'; offered: ${JSON.stringify(titles)}`);
  });

  test(`applying '${fix.title}' edits the file and clears the diagnostic`, async () => {
    assert.ok(action, 'needs the code action from the previous test');
    if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), 'workspace.applyEdit returned false');
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    if (fix.expectTextIncludes !== undefined) {
      assert.ok(doc.getText().includes(fix.expectTextIncludes), `document lacks '${fix.expectTextIncludes}' after the fix:\n${doc.getText()}`);
    }
    const before = target;
    await waitFor(() => !vscode.languages.getDiagnostics(doc.uri).some((d) => matches(d) && d.range.isEqual(before.range)), {
      what: 'the fixed diagnostic to disappear', event: vscode.languages.onDidChangeDiagnostics,
    });
    // Leave the fixture untouched on disk for the next run.
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
}
