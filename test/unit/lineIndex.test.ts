import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LineFinder, LineIndex, eolOf } from '../../server/src/core/text';

/** Line starts the long way: after every CR LF, lone CR and lone LF. */
function naiveStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') {
      starts.push(i + 2);
      i++;
    } else if (c === '\r' || c === '\n') {
      starts.push(i + 1);
    }
  }
  return starts;
}

function check(text: string): void {
  const li = new LineIndex(text);
  const starts = naiveStarts(text);
  assert.equal(li.lineCount, starts.length);
  for (let line = 0; line < starts.length; line++) assert.equal(li.lineStart(line), starts[line], `line ${line}`);
  for (let o = 0; o <= text.length; o++) {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= o) line++;
    assert.deepEqual(li.positionAt(o), { line, character: o - starts[line]! }, `offset ${o}`);
  }
}

test('LineIndex: LF only, CR LF, lone CR and mixed breaks give the same lines as a walk over every character', () => {
  check('');
  check('a');
  check('\n');
  check('a\nb\n');
  check('a\r\nb\r\n\r\nc');
  check('a\rb\r\rc\r');
  check('a\nb\r\nc\rd\n\r\ne');
  check('<x>\n  <y/>\n</x>');
});

test('LineIndex: more lines than its first estimate (short lines) and random texts', () => {
  // 5,000 lines of one character: more than text.length / 32 + 1024 slots.
  const short = 'x\n'.repeat(5000);
  const li = new LineIndex(short);
  assert.equal(li.lineCount, 5001);
  assert.equal(li.lineStart(4999), 9998);
  assert.deepEqual(li.positionAt(9999), { line: 4999, character: 1 });
  assert.equal(new LineIndex('\r\n'.repeat(3000)).lineCount, 3001);
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const alphabet = ['a', ' ', '\n', '\r', '\r\n', '<'];
  for (let k = 0; k < 200; k++) {
    let t = '';
    const len = rnd(60);
    for (let i = 0; i < len; i++) t += alphabet[rnd(alphabet.length)];
    check(t);
  }
});

/** The old `eol`: the first CR or LF anywhere, then whether an LF follows a CR. */
function eolWalk(text: string): string {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr !== -1 && (lf === -1 || cr < lf)) return text.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r';
  return '\n';
}

test("LineFinder: the line start, content end and next line's start of every offset equal LineIndex's, in any order, around lines longer than it reads (then from the index)", () => {
  let seed = 11;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const long = 'y'.repeat(LineFinder.NEAR + 10);
  const alphabet = ['a', ' ', '\n', '\r', '\r\n', '<', '\n\r', long];
  let indexed = 0;
  let compared = 0;
  for (let k = 0; k < 300; k++) {
    let t = '';
    const len = rnd(40);
    for (let i = 0; i < len; i++) {
      const piece = alphabet[rnd(alphabet.length)]!;
      // The long line in one text of three.
      t += piece === long && k % 3 !== 0 ? 'b' : piece;
    }
    const li = new LineIndex(t);
    const lf = new LineFinder(t);
    // Offsets in a random order, one past each end included; near a long line only some of the time,
    // so that both the reading and the index answer in the same finder.
    const offsets: number[] = [];
    for (let o = -1; o <= t.length + 1; o++) if (t.length < 200 || rnd(50) === 0 || o < 3 || o > t.length - 3) offsets.push(o);
    for (let i = offsets.length - 1; i > 0; i--) {
      const j = rnd(i + 1);
      [offsets[i], offsets[j]] = [offsets[j]!, offsets[i]!];
    }
    for (const o of offsets) {
      const line = li.lineOf(o);
      const want = [li.lineStartOf(o), li.lineEnd(line), li.lineStart(line + 1)];
      const around = lf.endOf(o);
      assert.deepEqual([lf.startOf(o), around.end, around.next], want, `text ${k} ${JSON.stringify(t.length < 80 ? t : t.length)}, offset ${o}`);
      compared++;
    }
    if ((lf as unknown as { index?: LineIndex }).index) indexed++;
    assert.equal(eolOf(t), eolWalk(t), `eol of text ${k}`);
    assert.equal(eolOf(t), li.eol());
  }
  assert.ok(indexed > 10 && indexed < 100 && compared > 5000, `${indexed} finders fell back to the index, ${compared} offsets`);
  for (const t of ['', 'a', '\r', '\n', 'a\rb\nc', 'a\nb\r\n', 'a\r\nb\n', `${'x'.repeat(9000)}\r\n`]) assert.equal(eolOf(t), eolWalk(t), JSON.stringify(t.slice(-4)));
});
