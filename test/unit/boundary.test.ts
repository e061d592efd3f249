/**
 * @fileoverview The analysis core stays free of editor and LSP runtime imports, so the CLI, the server
 * and the tests share it (STYLE §1).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('server/src/core imports neither vscode nor vscode-languageserver (nor client code)', () => {
  const offenders: string[] = [];
  for (const f of files(path.join(ROOT, 'server', 'src', 'core'))) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:import|from|require\()\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (spec === 'vscode' || spec.startsWith('vscode-languageserver') && !spec.startsWith('vscode-languageserver-types') && !spec.startsWith('vscode-languageserver-textdocument') || spec.includes('/client/') || spec.startsWith('vscode-languageclient')) {
        offenders.push(`${path.relative(ROOT, f)}: ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('no port number or App-ID of the catalog is hard-coded outside the catalog', () => {
  // Ports and App-IDs come from catalog.json; the code must not spell them (e.g. 3978, 'ssh').
  // 'panorama' is also the device kind and a peer kind, so it cannot be told apart here and is left out.
  const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'server', 'src', 'core', 'catalog', 'catalog.json'), 'utf8')) as { entries: { ports: { ports: string }[]; appIds: string[] }[] };
  const ports = new Set(catalog.entries.flatMap((e) => e.ports.flatMap((p) => p.ports.split(/[,-]/))));
  const apps = new Set(catalog.entries.flatMap((e) => e.appIds).filter((a) => a !== 'panorama'));
  // PAN-OS facts that are not the catalog's: predefined services (service-http/https) in resolve.ts,
  // and the App-IDs of web traffic that URL categories apply to.
  const allowed = new Set(['resolve.ts: port 80', 'resolve.ts: port 443', 'resolve.ts: port 444', 'evaluate.ts: App-ID ssl']);
  const offenders: string[] = [];
  // Where port and App-ID logic lives (parsers and the model use the same words for config elements: `syslog`
  // profiles…; environment.ts maps those profile kinds to triggers, so it is left out too).
  const dirs = ['checks', 'fixes', 'policy'].map((d) => path.join(ROOT, 'server', 'src', 'core', d));
  for (const f of dirs.flatMap(files).filter((x) => !x.endsWith('environment.ts'))) {
    const text = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const p of ports) if (new RegExp(`\\b${p}\\b`).test(text)) offenders.push(`${path.basename(f)}: port ${p}`);
    for (const a of apps) if (new RegExp(`['"\`]${a}['"\`]`).test(text)) offenders.push(`${path.basename(f)}: App-ID ${a}`);
  }
  assert.deepEqual(offenders.filter((o) => !allowed.has(o)), []);
});
