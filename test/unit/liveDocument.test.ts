/**
 * @fileoverview The server's chunked document (liveDocument.ts) against
 * `vscode-languageserver-textdocument`: after every change of random edit sequences (CR, LF and CRLF
 * line breaks, ranges past the end, reversed ranges, full replacements), the text, the line count
 * and every position/offset conversion are the same.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LiveDocument, type ContentChange } from '../../server/src/liveDocument';
import { mulberry32 as rng } from '../fuzz/mutators';

const BITS = ['a', 'b', '<x>', '\n', '\r\n', '\r', ' ', 'é', '😀', ''];

function randomText(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BITS[Math.floor(r() * BITS.length)]!;
  return s;
}

function same(live: LiveDocument, ref: TextDocument, r: () => number, what: string): void {
  assert.equal(live.length, ref.getText().length, what);
  assert.equal(live.getText(), ref.getText(), what);
  assert.equal(live.lineCount, ref.lineCount, what);
  const n = ref.getText().length;
  for (let k = 0; k < 30; k++) {
    const off = Math.floor(r() * (n + 3)) - 1;
    assert.deepEqual(live.positionAt(off), ref.positionAt(off), `${what}: positionAt(${off})`);
    const pos = { line: Math.floor(r() * (ref.lineCount + 2)) - 1, character: Math.floor(r() * 12) - 1 };
    assert.equal(live.offsetAt(pos), ref.offsetAt(pos), `${what}: offsetAt(${JSON.stringify(pos)})`);
  }
}

for (const [seed, size, chunky] of [
  [1, 40, false],
  [2, 400, false],
  [3, 5_000, true],
  [4, 60_000, true],
] as const) {
  test(`LiveDocument = TextDocument over 300 random changes (seed ${seed}, ${size} pieces of text)`, () => {
    const r = rng(seed);
    const text = randomText(r, size);
    const live = new LiveDocument('file:///x', 'xml', 1, text);
    let ref = TextDocument.create('file:///x', 'xml', 1, text);
    for (let v = 2; v < 302; v++) {
      const changes: ContentChange[] = [];
      const count = 1 + Math.floor(r() * 3);
      for (let c = 0; c < count; c++) {
        // Build each change against the text as the previous changes of this event left it.
        const cur = TextDocument.create('file:///y', 'xml', 0, ref.getText());
        TextDocument.update(cur, changes.map((x) => (x.range ? { range: x.range, text: x.text } : { text: x.text })), 0);
        const n = cur.getText().length;
        if (r() < 0.02) {
          changes.push({ text: randomText(r, chunky ? 200 : 10) });
          continue;
        }
        const a = Math.floor(r() * (n + 1));
        const b = Math.min(n, a + Math.floor(r() * (chunky && r() < 0.1 ? 40_000 : 8)));
        let start = cur.positionAt(a);
        let end = cur.positionAt(b);
        if (r() < 0.05) end = { line: end.line + 3, character: 99 }; // past the end
        if (r() < 0.05) [start, end] = [end, start]; // reversed
        const ins = r() < 0.03 && chunky ? randomText(r, 20_000) : randomText(r, Math.floor(r() * 4));
        changes.push({ range: { start, end }, text: ins });
      }
      live.update(changes, v);
      ref = TextDocument.update(ref, changes.map((x) => (x.range ? { range: x.range, text: x.text } : { text: x.text })), v);
      assert.equal(live.version, v);
      // Positions are checked before the text is joined (every other time), and after.
      if (v % 2 === 0) {
        const n = ref.getText().length;
        const off = Math.floor(r() * (n + 1));
        assert.deepEqual(live.positionAt(off), ref.positionAt(off), `v${v}: positionAt(${off}) before joining`);
      }
      // Most versions are never joined into one string (as in a burst of typing).
      if (v % 5 === 0) same(live, ref, r, `v${v}`);
      else assert.equal(live.length, ref.getText().length, `v${v}`);
    }
    same(live, ref, r, 'at the end');
  });
}

test('LiveDocument = TextDocument over a burst of typing without line breaks across a 6,000-line document (line offsets shifted by blocks, then a line break folds them in)', () => {
  const r = rng(9);
  const text = Array.from({ length: 6000 }, (_, i) => `<entry name="r${i}">${'x'.repeat(i % 50)}</entry>${lineBreak(r)}`).join('');
  const live = new LiveDocument('file:///x', 'xml', 1, text);
  let ref = TextDocument.create('file:///x', 'xml', 1, text);
  for (let v = 2; v < 402; v++) {
    const n = ref.getText().length;
    const a = Math.floor(r() * (n + 1));
    const b = Math.min(n, a + Math.floor(r() * 3));
    // Characters typed or deleted on one line; a line break now and then (every 50th change).
    const ins = v % 50 === 0 ? '\r\n' : ['', 'a', 'bc'][Math.floor(r() * 3)]!;
    const change: ContentChange = { range: { start: ref.positionAt(a), end: ref.positionAt(b) }, text: ins };
    live.update([change], v);
    ref = TextDocument.update(ref, [{ range: change.range!, text: change.text }], v);
    for (let k = 0; k < 5; k++) {
      const off = Math.floor(r() * (ref.getText().length + 1));
      assert.deepEqual(live.positionAt(off), ref.positionAt(off), `v${v}: positionAt(${off})`);
      const pos = { line: Math.floor(r() * ref.lineCount), character: Math.floor(r() * 30) };
      assert.equal(live.offsetAt(pos), ref.offsetAt(pos), `v${v}: offsetAt(${JSON.stringify(pos)})`);
    }
  }
  same(live, ref, r, 'at the end');
});

/** LF or CRLF, at random. */
function lineBreak(r: () => number): string {
  return r() < 0.5 ? '\n' : '\r\n';
}
