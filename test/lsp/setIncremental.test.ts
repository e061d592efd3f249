/**
 * @fileoverview The real server's incremental path on the `set` form: edits typed into the lines of
 * rules of a generated set firewall, one at a time, each answered by diagnostics that equal what the
 * real CLI reports for the same text; the server's own timing log says the fast path was taken. Also
 * edits of object lines (the entry read again, the model built again), syntax errors typed into a
 * rule's line (kept on that line), and lines pasted among a rule's lines and deleted.
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
const cliDiagnostics = (dir: string, text: string): DiagKey[] => cliOf(path.join(dir, 'fw.set'), text);

/** Offsets in `text` right after the name of a rule on a line that names it (`… rules NAME …`). */
function afterRuleNames(text: string): number[] {
  const out: number[] = [];
  const re = /^set .*?security rules ("[^"\n]*"|\S+)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index + m[0].length);
  return out;
}

/**
 * A generated set firewall in a temp folder (two Panorama addresses in its env file, so that its rules
 * carry Panorama flows), and a real server that logs how it analysed each version (PANOS_GUARD_TIMING=1:
 * never config content).
 */
function timedServer(): { text0: string; dir: string; uri: string; c: LspClient } {
  const text0 = generate({ kind: 'firewall', format: 'set', targetBytes: 200 * 1024, seed: 3 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-guard-set-inc-'));
  fs.writeFileSync(path.join(dir, '.panos-guard.json'), JSON.stringify({ panorama: ['10.10.10.5'], managedDevices: ['10.20.0.0/24'] }));
  const prev = process.env.PANOS_GUARD_TIMING;
  process.env.PANOS_GUARD_TIMING = '1';
  try {
    return { text0, dir, uri: pathToFileURL(path.join(dir, 'fw.set')).toString(), c: new LspClient() };
  } finally {
    if (prev === undefined) delete process.env.PANOS_GUARD_TIMING;
    else process.env.PANOS_GUARD_TIMING = prev;
  }
}

/** Initialises the server on `dir`, opens the file and waits for its first diagnostics; the client's copy of the document. */
async function openIn(c: LspClient, dir: string, uri: string, text: string): Promise<TextDocument> {
  await c.initialize(pathToFileURL(dir).toString());
  c.open(uri, 'panos-set', text, 1);
  await c.diagnostics(uri, (d) => d.version === 1, TIMEOUT);
  return TextDocument.create(uri, 'panos-set', 1, text);
}

test('set form over LSP: edits inside rule lines are re-analysed incrementally and match the CLI', { timeout: 4 * TIMEOUT }, async () => {
  const { text0, dir, uri, c } = timedServer();
  try {
    const doc = await openIn(c, dir, uri, text0);
    const spots = afterRuleNames(text0);
    assert.ok(spots.length > 100, `rule lines found: ${spots.length}`);
    const EDITS = 24;
    for (let v = 2; v <= EDITS + 1; v++) {
      // Spread over the file, just past the space after the name: alternately a space (no change of
      // meaning) and a letter (it joins the next keyword, which changes the rule or breaks the line).
      const all = afterRuleNames(doc.getText());
      const at = all[Math.floor(((v - 2) * all.length) / EDITS)]! + 1;
      const change = { range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: v % 2 === 0 ? ' ' : 'x' };
      TextDocument.update(doc, [change], v);
      c.change(uri, v, [change]);
      const diags = await c.diagnostics(uri, (d) => d.version === v, TIMEOUT);
      if (v % 6 === 1 || v === EDITS + 1) {
        const cli = cliDiagnostics(dir, doc.getText());
        assert.ok(cli.length > 0, 'the CLI reports findings on this config');
        assert.deepEqual(diags.map(key), cli, `version ${v}`);
      }
    }
    const how = [...c.stderr.matchAll(/panos-guard timing: v(\d+) (incremental|full)/g)].filter((m) => Number(m[1]) >= 2);
    assert.equal(how.length, EDITS, c.stderr);
    assert.deepEqual(
      how.filter((m) => m[2] !== 'incremental').map((m) => m[0]),
      [],
      'every edit took the incremental path',
    );
  } finally {
    await c.shutdown();
  }
});

test('set form over LSP: object values edited, brackets broken then repaired, lines pasted and deleted take the fast paths and match the CLI', { timeout: 4 * TIMEOUT }, async () => {
  const { text0, dir, uri, c } = timedServer();
  try {
    const doc = await openIn(c, dir, uri, text0);
    // The last octet of address objects (entry path), and the ']' closing rules' member lists (rule path, with an error).
    const octets = [...text0.matchAll(/^set shared address \S+ ip-netmask \d+\.\d+\.\d+\.(\d+)/gm)].map((m) => m.index! + m[0].length - m[1]!.length);
    const brackets = [...text0.matchAll(/^set rulebase security rules .* \[ [^\]\n]* \]$/gm)].map((m) => m.index! + m[0].length - 1);
    // The second line of rules (after their `to` line): a line pasted there lies among the rule's lines.
    const seconds = [...text0.matchAll(/^(set rulebase security rules (?:"[^"\n]*"|\S+)) to [^\n]*\n\1 from /gm)].map((m) => ({ at: m.index! + m[0].indexOf('\n') + 1, rule: m[1]! }));
    assert.ok(octets.length > 20 && brackets.length > 20 && seconds.length > 20, `${octets.length} objects, ${brackets.length} member lists, ${seconds.length} rules`);
    let v = 1;
    const edit = async (at: number, del: number, text: string): Promise<Diagnostic[]> => {
      v++;
      const change = { range: { start: doc.positionAt(at), end: doc.positionAt(at + del) }, text };
      TextDocument.update(doc, [change], v);
      c.change(uri, v, [change]);
      return c.diagnostics(uri, (d) => d.version === v, TIMEOUT);
    };
    const STEPS = 8;
    for (let k = 0; k < STEPS; k++) {
      // Offsets move with the edits before them only by the one digit put back: these stay exact.
      const o = octets[Math.floor((k * octets.length) / STEPS)]!;
      const digit = doc.getText()[o]!;
      await edit(o, 1, digit === '9' ? '8' : '9');
      const changed = await edit(o, 1, digit);
      const b = brackets[Math.floor((k * brackets.length) / STEPS)]!;
      const broken = await edit(b, 1, '');
      assert.ok(broken.some((d) => d.code === 'PANO000' && d.message === "'[' is not closed by ']'"), JSON.stringify(broken.map(key)));
      if (k % 3 === 0) assert.deepEqual(broken.map(key), cliDiagnostics(dir, doc.getText()), `version ${v}`);
      const repaired = await edit(b, 0, ']');
      assert.deepEqual(repaired.map(key), changed.map(key), 'the repair restores the diagnostics');
      // A line pasted among a rule's lines, then deleted (line breaks added and removed).
      const r = seconds[Math.floor((k * seconds.length) / STEPS)]!;
      const line = `${r.rule} description "pasted ${k}"\n`;
      const pasted = await edit(r.at, 0, line);
      if (k % 3 === 1) assert.deepEqual(pasted.map(key), cliDiagnostics(dir, doc.getText()), `version ${v}`);
      const removed = await edit(r.at, line.length, '');
      assert.deepEqual(removed.map(key), changed.map(key), 'deleting the line restores the diagnostics');
    }
    assert.equal(doc.getText(), text0);
    assert.deepEqual((await c.diagnostics(uri, (d) => d.version === v, TIMEOUT)).map(key), cliDiagnostics(dir, text0));
    const how = [...c.stderr.matchAll(/panos-guard timing: v(\d+) (incremental|full)( \(([^)]*)\))?/g)].filter((m) => Number(m[1]) >= 2);
    assert.equal(how.length, 6 * STEPS, c.stderr);
    assert.deepEqual(how.filter((m) => m[2] !== 'incremental').map((m) => m[0]), [], 'every edit took a fast path');
    assert.equal(how.filter((m) => m[4] === 'an address or service object or group read again and made again; model and resolved names kept, policy evaluated again').length, 2 * STEPS, 'object edits re-read the object and make it again');
  } finally {
    await c.shutdown();
  }
});
