/**
 * @fileoverview The server's message reader for `--stdio`: LSP base-protocol framing
 * (`Content-Length` headers, a UTF-8 JSON body), every complete message of a chunk read at once and
 * delivered in order, and a run of consecutive `textDocument/didChange` notifications for one
 * document delivered as one (their content changes in order, the last version).
 *
 * vscode-jsonrpc's stream reader decodes each message in a turn of the event loop of its own and the
 * connection dispatches each in another: a burst of 500 keystroke changes queued behind a hover cost
 * ~0.2 ms each before the hover was answered, over half of it in that per-message machinery
 * (test/reliability/storm.test.ts). LSP lets one didChange carry several changes, applied in order;
 * the versions in between are never seen by anything, since no other message comes between them.
 */
import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-languageserver/node';

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

type DidChange = { jsonrpc: string; method: 'textDocument/didChange'; params: { textDocument: { uri: string; version: number }; contentChanges: unknown[] } };

function isDidChange(m: Message): m is Message & DidChange {
  const x = m as Partial<DidChange> & { id?: unknown };
  return x.method === 'textDocument/didChange' && x.id === undefined && typeof x.params?.textDocument?.uri === 'string' && Array.isArray(x.params.contentChanges);
}

export class ChunkReader extends AbstractMessageReader {
  /** Bytes read and not yet made into messages, kept as they came until a message can be complete. */
  private chunks: Buffer[] = [];
  private size = 0;
  /** How many bytes must be held before reading again (a large message is joined once, not per chunk). */
  private want = 1;
  private callback: DataCallback | undefined;
  /** A `shutdown` request was read (the process then exits with 0 when its input ends). */
  shutdownSeen = false;

  constructor(private readonly input: NodeJS.ReadableStream) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (d: Buffer | string): void => this.onData(typeof d === 'string' ? Buffer.from(d, 'utf8') : d);
    const onError = (e: Error): void => this.fireError(e);
    const onClose = (): void => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('close', onClose);
    return Disposable.create(() => {
      this.input.removeListener('data', onData);
      this.input.removeListener('error', onError);
      this.input.removeListener('close', onClose);
    });
  }

  /** Reads every complete message held, then delivers them (a didChange run as one). */
  private onData(data: Buffer): void {
    this.chunks.push(data);
    this.size += data.length;
    if (this.size < this.want) return;
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    const messages: Message[] = [];
    let pos = 0;
    let want = 1;
    for (;;) {
      const h = buf.indexOf(HEADER_END, pos);
      if (h < 0) break;
      const length = contentLength(buf.toString('latin1', pos, h));
      if (typeof length === 'string') {
        // An unreadable header: report it and drop what is held (there is no way to resynchronise).
        this.fireError(new Error(length));
        pos = buf.length;
        break;
      }
      const start = h + HEADER_END.length;
      if (buf.length < start + length) {
        want = start + length - pos;
        break;
      }
      const body = buf.toString('utf8', start, start + length);
      pos = start + length;
      try {
        messages.push(JSON.parse(body) as Message);
      } catch (e) {
        this.fireError(new Error(`Message is not valid JSON: ${(e as Error).message}`));
      }
    }
    const rest = pos >= buf.length ? undefined : buf.subarray(pos);
    this.chunks = rest ? [rest] : [];
    this.size = rest ? rest.length : 0;
    this.want = Math.max(want, this.size + 1);
    this.deliver(messages);
  }

  private deliver(messages: Message[]): void {
    const cb = this.callback!;
    let run: DidChange | undefined;
    for (const m of messages) {
      if ((m as { method?: string }).method === 'shutdown') this.shutdownSeen = true;
      if (isDidChange(m)) {
        if (run && run.params.textDocument.uri === m.params.textDocument.uri) {
          for (const c of m.params.contentChanges) run.params.contentChanges.push(c);
          run.params.textDocument.version = m.params.textDocument.version;
          continue;
        }
        if (run) cb(run as unknown as Message);
        run = { jsonrpc: m.jsonrpc, method: m.method, params: { textDocument: { uri: m.params.textDocument.uri, version: m.params.textDocument.version }, contentChanges: [...m.params.contentChanges] } };
        continue;
      }
      if (run) cb(run as unknown as Message);
      run = undefined;
      cb(m);
    }
    if (run) cb(run as unknown as Message);
  }
}

/** The Content-Length of a header block, or why it cannot be read. */
function contentLength(headers: string): number | string {
  let length: number | undefined;
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return `Header line without a colon: ${JSON.stringify(line.slice(0, 80))}`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d+$/.test(value)) return `Content-Length value must be a number. Got ${JSON.stringify(value.slice(0, 80))}`;
      length = Number(value);
    } else if (name === 'content-type') {
      const charset = /charset=([^;\s]+)/i.exec(value)?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `Unsupported charset ${JSON.stringify(charset)}: only UTF-8`;
    }
  }
  return length ?? 'Header must provide a Content-Length property.';
}
