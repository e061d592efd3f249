/**
 * @fileoverview Language server entry point: `panos-guard-lsp --stdio` (or --node-ipc when started by
 * the VS Code client). For `--stdio` the server reads with its own reader (stdioReader.ts: a chunk's
 * messages at once, a run of changes to one document as one); other transports are taken from the
 * command line by vscode-languageserver.
 */
import { format } from 'node:util';
import { createConnection, ProposedFeatures, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from './server';
import { ChunkReader } from './stdioReader';

if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.stderr.write('Usage: panos-guard-lsp --stdio\n');
  process.exit(2);
}
if (process.argv.includes('--stdio')) {
  const reader = new ChunkReader(process.stdin);
  // As vscode-languageserver does for its own stdio streams: the client closing our input ends the
  // server (0 after a shutdown request, 1 otherwise), and nothing else may write to standard output.
  const end = (): never => process.exit(reader.shutdownSeen ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[k] = (...a: unknown[]): void => void process.stderr.write(format(...a) + '\n');
  startServer(createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout)));
} else {
  startServer(createConnection(ProposedFeatures.all));
}
