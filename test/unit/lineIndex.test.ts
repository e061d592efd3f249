import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core/text';

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
