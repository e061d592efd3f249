/**
 * Decoding a config file's bytes that carry no UTF-16 BOM: UTF-8, a UTF-8 BOM dropped, bytes that are not
 * UTF-8 read as Node reads them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '../../server/src/io';

/** What the decoding must give for a UTF-8 file: Node's own UTF-8 decoding, a BOM dropped. */
function utf8(buf: Buffer): string {
  const t = buf.toString('utf8');
  return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}

test('decode: ASCII, UTF-8 with and without a BOM, bytes that are not UTF-8: the text Node decodes as UTF-8', () => {
  let seed = 5;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const pieces = [Buffer.from('<entry name="a">\n'), Buffer.from('\t\r\n'), Buffer.from([0x00, 0x7f]), Buffer.from('é€😀', 'utf8'), Buffer.from([0x80]), Buffer.from([0xc3]), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff])];
  const kinds = new Set<string>();
  for (let k = 0; k < 400; k++) {
    const parts: Buffer[] = k % 5 === 0 ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
    const n = rnd(12);
    // ASCII pieces only in half of the buffers.
    for (let i = 0; i < n; i++) parts.push(pieces[k % 2 === 0 ? rnd(3) : rnd(pieces.length)]!);
    const buf = Buffer.concat(parts);
    // Not the UTF-16 BOMs, which decode() reads as UTF-16.
    if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) continue;
    const got = decode(buf);
    assert.deepEqual(got, { text: utf8(buf), encoding: 'utf8' }, `buffer ${k}: ${buf.toString('hex')}`);
    kinds.add(buf.every((b) => b < 0x80) ? 'ascii' : 'other');
  }
  assert.deepEqual([...kinds].sort(), ['ascii', 'other']);
  assert.deepEqual(decode(Buffer.alloc(0)), { text: '', encoding: 'utf8' });
});
