/**
 * @fileoverview Exact checks of panos-guard in the real extension host: diagnostics on an XML and a
 * set config, the preferred quick fix applied through the editor, hover, document symbols, and no
 * diagnostics for an XML file that is not a PAN-OS config.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { test } from './runner';
import { waitFor } from './wait';

// Compiled to out/test/e2e/suite: the repository root is four levels up.
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SCENARIO = path.join(ROOT, 'test', 'fixtures', 'scenarios', 'fw-flow-removed');
const RULE = 'Deny other from Panorama';
const MESSAGE =
  "Blocked: Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp) is denied by rule 'Deny other from Panorama' (#6 in vsys:vsys1). Needed for NTP (always required).";
const FIX = "Insert rule 'Allow Panorama-LC to NTP servers' allowing ntp udp/123 before 'Deny other from Panorama'";

function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

/** The range of the n-th occurrence of `needle` in the document. */
function rangeOf(doc: vscode.TextDocument, needle: string, n = 0): vscode.Range {
  const text = doc.getText();
  let at = text.indexOf(needle);
  for (let i = 0; i < n; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `'${needle}' not in ${doc.uri.fsPath}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

async function open(file: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function diagnostics(doc: vscode.TextDocument, pred: (d: readonly vscode.Diagnostic[]) => boolean, what: string): Promise<readonly vscode.Diagnostic[]> {
  try {
    return await waitFor(
      () => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        return pred(d) ? d : undefined;
      },
      // Shorter than the test's own timeout, so that a failure says what was there instead.
      { what, event: vscode.languages.onDidChangeDiagnostics, timeoutMs: 20_000 },
    );
  } catch (e) {
    const seen = vscode.languages.getDiagnostics(doc.uri).map((d) => `${d.source ?? '?'} ${codeOf(d)} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
    throw new Error(`${(e as Error).message}; diagnostics on ${path.basename(doc.uri.fsPath)}: ${seen.length ? seen.join(' | ') : 'none'}`);
  }
}

async function checkBlockedAndFix(file: string, nameNeedle: string, wellFormed: (t: string) => void): Promise<void> {
  const doc = await open(file);
  const original = doc.getText();
  const ds = await diagnostics(doc, (d) => d.some((x) => x.source === 'panos-guard'), `panos-guard diagnostics on ${path.basename(file)}`);
  assert.deepStrictEqual(
    ds.map((d) => ({ code: codeOf(d), severity: d.severity, message: d.message, range: d.range, source: d.source })),
    [{ code: 'PANO001', severity: vscode.DiagnosticSeverity.Error, message: MESSAGE, range: rangeOf(doc, nameNeedle), source: 'panos-guard' }],
  );
  const target = ds[0]!;
  assert.strictEqual((target.code as { target: vscode.Uri }).target.toString(), 'https://github.com/panos-guard/panos-guard/blob/main/docs/rules/PANO001.md');
  assert.deepStrictEqual(target.relatedInformation?.map((r) => r.message), [`blocking rule '${RULE}' (#6 in vsys:vsys1)`]);
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, target.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  const preferred = actions.filter((a) => a.isPreferred);
  assert.deepStrictEqual(preferred.map((a) => a.title), [FIX], `actions offered: ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(actions.some((a) => a.title === `Suppress PANO001 for rule '${RULE}' (adds 'panos-guard-disable PANO001' to its description)`), JSON.stringify(actions.map((a) => a.title)));
  assert.ok(await vscode.workspace.applyEdit(preferred[0]!.edit!), 'applyEdit failed');
  await diagnostics(doc, (d) => d.filter((x) => x.source === 'panos-guard').length === 0, 'the diagnostic to disappear after the fix');
  wellFormed(doc.getText());
  assert.ok(doc.getText().includes('Allow Panorama-LC to NTP servers'));
  // Put the original text back (the buffer was never saved) for the next tests.
  const all = new vscode.WorkspaceEdit();
  all.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
  assert.ok(await vscode.workspace.applyEdit(all));
  await diagnostics(doc, (d) => d.some((x) => x.source === 'panos-guard'), 'the diagnostic to come back after restoring the text');
}

test('XML config: exact diagnostic, preferred fix applied, diagnostic gone, document well-formed', async () => {
  const ext = vscode.extensions.getExtension('panos-guard.panos-guard');
  assert.ok(ext, 'extension not loaded');
  await ext.activate();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { XMLValidator } = require('fast-xml-parser') as { XMLValidator: { validate(t: string): true | { err: unknown } } };
  await checkBlockedAndFix(path.join(SCENARIO, 'config.xml'), RULE, (t) => assert.strictEqual(XMLValidator.validate(t), true));
});

test('set config: exact diagnostic, preferred fix applied, diagnostic gone', async () => {
  await checkBlockedAndFix(path.join(SCENARIO, 'config.set'), `"${RULE}"`, (t) => assert.ok(!t.includes('\n\n\n')));
});

test('hover on a rule name lists the Panorama flows it decides', async () => {
  const doc = await open(path.join(SCENARIO, 'config.xml'));
  await diagnostics(doc, (d) => d.length > 0, 'diagnostics');
  const r = rangeOf(doc, RULE);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, r.start.translate(0, 2))) ?? [];
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.strictEqual(
    text,
    "**rule 'Deny other from Panorama' (#6 in vsys:vsys1)**: deny\n\n**Panorama flows decided by rule 'Deny other from Panorama'**\n- blocks Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp)",
  );
});

test('hover on an App-ID shows the catalog entry', async () => {
  const doc = await open(path.join(SCENARIO, 'config.xml'));
  const at = rangeOf(doc, '<member>paloalto-updates</member>').start.translate(0, '<member>'.length + 1);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? [];
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.ok(text.startsWith('**paloalto-updates**: App-ID used by Panorama/Log Collector communications\n\napplication-default ports: tcp/443,28443 _(unverified)_'), text);
  assert.ok(text.includes('| 28443 | tcp | inbound | managed devices fetching updates; Log Collectors fetching updates |'), text);
});

test('document symbols: the rulebase with its rules in order, then objects', async () => {
  const doc = await open(path.join(SCENARIO, 'config.xml'));
  const syms = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
  // VS Code orders symbols by position; compare by name.
  assert.deepStrictEqual(
    syms.map((s) => [s.name, s.children.map((c) => c.name)]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    [
      ['vsys:vsys1', ['Admin to Panorama', 'Devices to Panorama', 'Panorama to services', 'Panorama to Internet', 'Deny other to Panorama', 'Deny other from Panorama', 'Users to Internet']],
      ['address', ['panorama', 'log-collector', 'managed-devices', 'admin-clients', 'dns-server', 'ntp-server', 'syslog-server']],
      ['profile-group', ['pg-default']],
      ['log-forwarding', ['fwd-logs']],
      ['zone', ['untrust', 'mgmt', 'devices', 'admin', 'services']],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
});

test('an XML file that is not a PAN-OS config gets no diagnostics', async () => {
  const pom = await open(path.join(ROOT, 'test', 'fixtures', 'non-panos', 'pom.xml'));
  // A PAN-OS document opened after it is analysed after it: once that one has diagnostics, pom.xml was seen.
  const doc = await open(path.join(SCENARIO, 'config.set'));
  await diagnostics(doc, (d) => d.length > 0, 'diagnostics on the set config');
  assert.deepStrictEqual(vscode.languages.getDiagnostics(pom.uri), []);
});
