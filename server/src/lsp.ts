/**
 * @fileoverview Language server entry point: `panos-guard-lsp --stdio` (or --node-ipc when started by
 * the VS Code client). The transport is taken from the command line by vscode-languageserver.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.stderr.write('Usage: panos-guard-lsp --stdio\n');
  process.exit(2);
}
startServer(createConnection(ProposedFeatures.all));
