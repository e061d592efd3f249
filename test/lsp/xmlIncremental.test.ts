/**
 * @fileoverview The real server's element path on the XML form: address values edited and members
 * pasted into address groups and taken out again, each answered by diagnostics equal to what the real
 * CLI reports for the same text, with the server's timing log saying the element was re-scanned; and a
 * failing incremental path (injected) costs one full analysis, not the document's diagnostics.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { generate } from '../../bench/generate';
import { LspClient, TIMEOUT, cliDiagnostics as cliOf, diagKey, type DiagKey } from './lspClient';

const key = diagKey;
const cliDiagnostics = (dir: string, text: string): DiagKey[] => cliOf(path.join(dir, 'fw.xml'), text);

/** A generated XML firewall in a temp folder (Panorama addresses in its env file) and a real server started with `env` set. */
function server(env: Record<string, string>): { text0: string; dir: string; uri: string; c: LspClient } {
  const text0 = generate({ kind: 'firewall', format: 'xml', targetBytes: 200 * 1024, seed: 3 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-xml-inc-'));
  fs.writeFileSync(path.join(dir, '.panos-guard.json'), JSON.stringify({ panorama: ['10.10.10.5'], managedDevices: ['10.20.0.0/24'] }));
  const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  try {
    return { text0, dir, uri: pathToFileURL(path.join(dir, 'fw.xml')).toString(), c: new LspClient() };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Opens `text` in the initialised server; an edit function that sends one change and waits for its diagnostics. */
async function session(c: LspClient, dir: string, uri: string, text: string): Promise<{ doc: TextDocument; edit: (at: number, del: number, ins: string) => Promise<Diagnostic[]> }> {
  await c.initialize(pathToFileURL(dir).toString());
  c.open(uri, 'xml', text, 1);
  await c.diagnostics(uri, (d) => d.version === 1, TIMEOUT);
  const doc = TextDocument.create(uri, 'xml', 1, text);
  let v = 1;
  const edit = async (at: number, del: number, ins: string): Promise<Diagnostic[]> => {
    v++;
    const change = { range: { start: doc.positionAt(at), end: doc.positionAt(at + del) }, text: ins };
    TextDocument.update(doc, [change], v);
    c.change(uri, v, [change]);
    return c.diagnostics(uri, (d) => d.version === v, TIMEOUT);
  };
  return { doc, edit };
}

/** How the server analysed each version after the first (its timing log): [path, note]. */
function hows(stderr: string): [string, string][] {
  return [...stderr.matchAll(/panos-guard timing: v(\d+) (incremental|full)(?: \(([^)]*)\))?/g)].filter((m) => Number(m[1]) >= 2).map((m) => [m[2]!, m[3] ?? '']);
}

test('XML over LSP: address values edited (their object made again, the model kept) and group members pasted and taken out (their element re-scanned) match the CLI', { timeout: 4 * TIMEOUT }, async () => {
  const { text0, dir, uri, c } = server({ PANOS_GUARD_TIMING: '1' });
  try {
    const { doc, edit } = await session(c, dir, uri, text0);
    // The last digit of address values, and the first member of address groups' static lists.
    const digits = [...text0.matchAll(/<ip-netmask>(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m.index! + '<ip-netmask>'.length + m[1]!.length - 1);
    const members = [...text0.matchAll(/<static>\s*<member>/g)].map((m) => m.index! + m[0].length - '<member>'.length);
    assert.ok(digits.length > 20 && members.length > 10, `${digits.length} address values, ${members.length} groups`);
    const STEPS = 6;
    const base = cliDiagnostics(dir, text0);
    for (let k = 0; k < STEPS; k++) {
      const o = digits[Math.floor((k * digits.length) / STEPS)]!;
      const digit = doc.getText()[o]!;
      assert.match(digit, /\d/);
      const changed = await edit(o, 1, digit === '9' ? '8' : '9');
      if (k % 2 === 0) assert.deepEqual(changed.map(key), cliDiagnostics(dir, doc.getText()), `address value ${k}`);
      const back = await edit(o, 1, digit);
      assert.deepEqual(back.map(key), base, 'the value put back restores the diagnostics');
      const g = members[Math.floor((k * members.length) / STEPS)]!;
      const member = '<member>panorama-peer-added</member>';
      const pasted = await edit(g, 0, member);
      if (k % 2 === 1) assert.deepEqual(pasted.map(key), cliDiagnostics(dir, doc.getText()), `group member ${k}`);
      const removed = await edit(g, member.length, '');
      assert.deepEqual(removed.map(key), base, 'the member taken out restores the diagnostics');
    }
    assert.equal(doc.getText(), text0);
    const how = hows(c.stderr);
    assert.equal(how.length, 4 * STEPS, c.stderr);
    // Per step: a value edited and put back (the same elements: the object path), a member pasted and taken out (one element more, then less: the element path).
    const object: [string, string] = ['incremental', 'an address or service object or group re-scanned and made again; model and resolved names kept, policy evaluated again'];
    const element: [string, string] = ['incremental', 'an element re-scanned; model and policy rebuilt'];
    assert.deepEqual(how, Array.from({ length: STEPS }, () => [object, object, element, element]).flat(), c.stderr);
  } finally {
    await c.shutdown();
  }
});

test('XML over LSP: when the incremental path throws, the server analyses the whole text again and publishes what the CLI reports', { timeout: 2 * TIMEOUT }, async () => {
  const { text0, dir, uri, c } = server({ PANOS_GUARD_TIMING: '1', PANOS_GUARD_TEST_FAULT: 'incremental' });
  try {
    const { doc, edit } = await session(c, dir, uri, text0);
    const at = text0.indexOf('<member>any</member>');
    const diags = await edit(at, 0, '<member>ssh</member>');
    assert.deepEqual(diags.map(key), cliDiagnostics(dir, doc.getText()));
    const again = await edit(at, '<member>ssh</member>'.length, '');
    assert.deepEqual(again.map(key), cliDiagnostics(dir, text0));
    assert.deepEqual(hows(c.stderr), [
      ['full', 'the incremental path failed'],
      ['full', 'the incremental path failed'],
    ]);
    const logs = c.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.deepEqual(
      logs.filter((m) => m.includes('incremental analysis failed')),
      [1, 2].map(() => `panos-guard: incremental analysis failed for ${uri}: fault injected (PANOS_GUARD_TEST_FAULT); analysing the whole text again`),
    );
  } finally {
    await c.shutdown();
  }
});
