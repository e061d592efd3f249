/**
 * The server's `--stdio` reader (server/src/stdioReader.ts): LSP framing across any split of the
 * bytes, messages delivered in order, and a run of didChange notifications for one document
 * delivered as one whose changes and version are those of the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ChunkReader } from '../../server/src/stdioReader';

function frame(m: unknown, extraHeader = ''): Buffer {
  const body = Buffer.from(JSON.stringify(m), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n${extraHeader}\r\n`, 'latin1'), body]);
}

function reader(): { input: PassThrough; r: ChunkReader; got: unknown[]; errors: string[] } {
  const input = new PassThrough();
  const r = new ChunkReader(input);
  const got: unknown[] = [];
  const errors: string[] = [];
  r.onError((e) => errors.push(e.message));
  r.listen((m) => got.push(m));
  return { input, r, got, errors };
}

const change = (uri: string, version: number, text: string): unknown => ({
  jsonrpc: '2.0',
  method: 'textDocument/didChange',
  params: { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: 0, character: version }, end: { line: 0, character: version } }, text }] },
});
const hover = (id: number): unknown => ({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///a.xml' }, position: { line: 0, character: 1 } } });

test('messages split anywhere (inside a header, inside a multi-byte character) arrive whole and in order', () => {
  const msgs = [hover(1), { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///a.xml', languageId: 'xml', version: 1, text: '<config>é€𝄞 "quoted"</config>'.repeat(50) } } }, hover(2)];
  const bytes = Buffer.concat(msgs.map((m) => frame(m, 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n')));
  for (const step of [1, 2, 3, 7, 64, bytes.length]) {
    const { input, got, errors } = reader();
    for (let i = 0; i < bytes.length; i += step) input.write(bytes.subarray(i, i + step));
    assert.deepEqual(got, msgs, `pieces of ${step} bytes`);
    assert.deepEqual(errors, []);
  }
});

test('a large message sent in 64 KB pieces is read once whole', () => {
  const big = { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///big.xml', languageId: 'xml', version: 1, text: 'x'.repeat(3_000_000) } } };
  const bytes = Buffer.concat([frame(big), frame(hover(9))]);
  const { input, got } = reader();
  for (let i = 0; i < bytes.length; i += 65536) input.write(bytes.subarray(i, i + 65536));
  assert.equal(got.length, 2);
  assert.deepEqual(got[0], big);
  assert.deepEqual(got[1], hover(9));
});

test('consecutive changes to one document arrive as one didChange (changes in order, last version); other messages and other documents end a run', () => {
  const { input, got } = reader();
  input.write(Buffer.concat([change('file:///a.xml', 2, 'a'), change('file:///a.xml', 3, 'b'), change('file:///a.xml', 4, 'c'), hover(1), change('file:///a.xml', 5, 'd'), change('file:///b.xml', 2, 'e'), change('file:///b.xml', 3, 'f')].map((m) => frame(m))));
  const at = (v: number, text: string): unknown => ({ range: { start: { line: 0, character: v }, end: { line: 0, character: v } }, text });
  assert.deepEqual(got, [
    { jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: 'file:///a.xml', version: 4 }, contentChanges: [at(2, 'a'), at(3, 'b'), at(4, 'c')] } },
    hover(1),
    change('file:///a.xml', 5, 'd'),
    {
      jsonrpc: '2.0',
      method: 'textDocument/didChange',
      params: {
        textDocument: { uri: 'file:///b.xml', version: 3 },
        contentChanges: [at(2, 'e'), at(3, 'f')],
      },
    },
  ]);
});

test('changes in separate chunks are delivered as they come (nothing waits for more input)', () => {
  const { input, got } = reader();
  input.write(frame(change('file:///a.xml', 2, 'a')));
  assert.deepEqual(got, [change('file:///a.xml', 2, 'a')]);
  input.write(frame(change('file:///a.xml', 3, 'b')));
  assert.deepEqual(got, [change('file:///a.xml', 2, 'a'), change('file:///a.xml', 3, 'b')]);
});

test('a bad header or body is reported, and the next chunk is read again', () => {
  const { input, got, errors } = reader();
  input.write(Buffer.from('Content-Length: abc\r\n\r\n{}', 'latin1'));
  input.write(Buffer.from('Content-Length: 2\r\nContent-Type: application/json; charset=latin1\r\n\r\n{}', 'latin1'));
  input.write(Buffer.from('Content-Length: 5\r\n\r\n{"a":', 'latin1'));
  input.write(Buffer.concat([Buffer.from('Content-Length: 3\r\n\r\n{x}', 'latin1'), frame(hover(3))]));
  // The last two: the JSON parser's own words follow the prefix (they differ between Node releases).
  assert.deepEqual(
    errors.map((e) => (e.startsWith('Message is not valid JSON: ') ? 'Message is not valid JSON: …' : e)),
    ['Content-Length value must be a number. Got "abc"', 'Unsupported charset "latin1": only UTF-8', 'Message is not valid JSON: …', 'Message is not valid JSON: …'],
  );
  assert.deepEqual(got, [hover(3)]);
});

test('a shutdown request is noted (the server then exits with 0 when its input ends)', () => {
  const { input, r } = reader();
  assert.equal(r.shutdownSeen, false);
  input.write(frame({ jsonrpc: '2.0', id: 5, method: 'shutdown' }));
  assert.equal(r.shutdownSeen, true);
});
