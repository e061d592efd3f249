/**
 * @fileoverview The VS Code client: starts the panos-guard language server, offers XML and
 * `panos-set` documents to it (the server decides from content), and adds the commands, the
 * language status item and the flow table view. It does no analysis itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, EnvTemplateRequest, FlowTableRequest, INSERT_RULE_SET_KIND, StatusNotification, type FlowTableResult, type StatusParams } from '../../server/src/protocol';

let client: LanguageClient | undefined;
const FLOW_SCHEME = 'panos-guard-flows';

function serverModule(ctx: vscode.ExtensionContext): string {
  const bundled = ctx.asAbsolutePath(path.join('dist', 'server.js'));
  if (fs.existsSync(bundled)) return bundled;
  return ctx.asAbsolutePath(path.join('out', 'server', 'src', 'lsp.js'));
}

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  const module = serverModule(ctx);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('PAN-OS Guard', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'xml' },
      { scheme: 'untitled', language: 'xml' },
      { scheme: 'file', language: 'panos-set' },
      { scheme: 'untitled', language: 'panos-set' },
      { scheme: 'file', pattern: '**/.panos-guard.json' },
    ],
    synchronize: {
      configurationSection: 'panosGuard',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.panos-guard.json'),
    },
    outputChannel,
    traceOutputChannel: outputChannel,
    // This client watches .panos-guard.json itself (synchronize.fileEvents).
    initializationOptions: { clientWatchesEnvFiles: true },
  };
  client = new LanguageClient('panosGuard', 'PAN-OS Guard', serverOptions, clientOptions);

  // Language status: one item, updated quietly (no pop-ups).
  const status = vscode.languages.createLanguageStatusItem('panosGuard.status', [{ language: 'xml' }, { language: 'panos-set' }]);
  status.name = 'PAN-OS Guard';
  status.text = 'PAN-OS Guard';
  status.command = { title: 'Show Panorama flows', command: Commands.showFlowTable };
  const statuses = new Map<string, StatusParams>();
  const showStatus = (): void => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const st = uri ? statuses.get(uri) : undefined;
    status.text = st?.text ?? 'PAN-OS Guard';
    status.detail = st?.detail ?? '';
    status.severity = st?.state === 'syntax-only' ? vscode.LanguageStatusSeverity.Warning : st && st.blocked > 0 ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
  };
  ctx.subscriptions.push(status, outputChannel, vscode.window.onDidChangeActiveTextEditor(showStatus));

  // Flow table: a read-only virtual Markdown document, rows linking to their rules.
  const tables = new Map<string, string>();
  const tableEmitter = new vscode.EventEmitter<vscode.Uri>();
  ctx.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(FLOW_SCHEME, { onDidChange: tableEmitter.event, provideTextDocumentContent: (u) => tables.get(u.toString()) ?? '' }),
  );

  ctx.subscriptions.push(
    // The rule pages ship with the extension: open the local copy (works offline), else the URL.
    vscode.commands.registerCommand(Commands.openDocs, async (url: string) => {
      const page = /\/docs\/rules\/(PANO\d{3})\.md$/.exec(url)?.[1];
      const local = page ? vscode.Uri.file(ctx.asAbsolutePath(path.join('docs', 'rules', `${page}.md`))) : undefined;
      if (local && fs.existsSync(local.fsPath)) await vscode.commands.executeCommand('markdown.showPreview', local);
      else await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    vscode.commands.registerCommand(Commands.insertRuleSet, async () => {
      const ed = vscode.window.activeTextEditor;
      if (!ed) return;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', ed.document.uri, new vscode.Range(0, 0, 0, 0), INSERT_RULE_SET_KIND);
      const a = actions?.find((x) => x.kind?.value === INSERT_RULE_SET_KIND);
      if (!a?.edit) {
        void vscode.window.showInformationMessage('PAN-OS Guard: nothing is missing from the Panorama rule set of this file.');
        return;
      }
      await vscode.workspace.applyEdit(a.edit);
    }),
    vscode.commands.registerCommand(Commands.showFlowTable, async (arg?: string) => {
      const uri = arg ?? vscode.window.activeTextEditor?.document.uri.toString();
      if (!uri || !client) return;
      const t = await client.sendRequest<FlowTableResult | null>(FlowTableRequest, { uri });
      if (!t) {
        void vscode.window.showInformationMessage('PAN-OS Guard: this file is not a PAN-OS config.');
        return;
      }
      const vu = vscode.Uri.parse(`${FLOW_SCHEME}:${encodeURIComponent(path.basename(vscode.Uri.parse(uri).path))}-flows.md?${encodeURIComponent(uri)}`);
      tables.set(vu.toString(), renderTable(t));
      tableEmitter.fire(vu);
      const doc = await vscode.workspace.openTextDocument(vu);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.commands.executeCommand('markdown.showPreview', vu);
    }),
    vscode.commands.registerCommand(Commands.createEnvFile, async () => {
      const ed = vscode.window.activeTextEditor;
      const folder = ed ? vscode.workspace.getWorkspaceFolder(ed.document.uri) : vscode.workspace.workspaceFolders?.[0];
      if (!folder || !client) {
        void vscode.window.showWarningMessage('PAN-OS Guard: open a folder first.');
        return;
      }
      const target = vscode.Uri.joinPath(folder.uri, '.panos-guard.json');
      try {
        await vscode.workspace.fs.stat(target);
        await vscode.window.showTextDocument(target);
        return;
      } catch {
        // Not there yet: create it.
      }
      const text = ed ? await client.sendRequest<string>(EnvTemplateRequest, { uri: ed.document.uri.toString() }) : '{}\n';
      await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      await vscode.window.showTextDocument(target);
    }),
  );

  await client.start();
  ctx.subscriptions.push(
    client.onNotification(StatusNotification, (p: StatusParams) => {
      statuses.set(p.uri, p);
      showStatus();
    }),
  );
}

function renderTable(t: FlowTableResult): string {
  const lines = [`# Panorama flows: ${vscode.Uri.parse(t.uri).fsPath}`, ''];
  for (const c of t.contexts) lines.push(`- evaluated: **${c.label}**${c.inPath ? '' : " (not in Panorama's path)"} — ${c.because}`);
  lines.push('', '| verdict | flow | decided by | catalog |', '|---|---|---|---|');
  for (const f of t.flows) {
    const link = f.range ? `[${f.rule}](${vscode.Uri.parse(t.uri).with({ fragment: `L${f.range.start.line + 1},${f.range.start.character + 1}` }).toString()})` : (f.rule ?? '');
    lines.push(`| ${f.verdict} | ${f.flow.replace(/\|/g, '\\|')} | ${link} ${f.summary.replace(/\|/g, '\\|')} | ${f.catalogId} |`);
  }
  if (t.skipped.length) lines.push('', '**Not required here:** ' + t.skipped.map((s) => `${s.id} (${s.why})`).join('; '));
  return lines.join('\n') + '\n';
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
