/**
 * @fileoverview Reading config and env files from disk (CLI and server): encoding detection,
 * size limits, and the search for `.panos-guard.json` next to a config or in its parents.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV_FILE_NAME } from './core/env/envFile';

/** Decodes file bytes: UTF-8 (with or without BOM) or UTF-16 LE/BE with a BOM. */
export function decode(buf: Buffer): { text: string; encoding: 'utf8' | 'utf16le' | 'utf16be' } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return { text: swapped.toString('utf16le'), encoding: 'utf16be' };
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, encoding: 'utf8' };
}

export function encode(text: string, encoding: 'utf8' | 'utf16le' | 'utf16be'): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const b = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf16be') {
    const body = Buffer.from(b.subarray(2));
    body.swap16();
    return Buffer.concat([Buffer.from([0xfe, 0xff]), body]);
  }
  return b;
}

/**
 * The largest config file read: V8's longest string is 2^29 - 24 UTF-16 units (~512 MiB), so a
 * bigger file cannot be held as text at all. Checked on the size before anything is read.
 */
export const MAX_CONFIG_BYTES = 500 * 1024 * 1024;
const TOO_LARGE = 'larger than 500 MiB (the most text a JavaScript string can hold)';

/** Reads a config file; throws an Error with a one-line reason when it cannot. */
export function readConfigFile(file: string): { text: string; encoding: 'utf8' | 'utf16le' | 'utf16be'; mtimeMs: number; size: number } {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (st.isDirectory()) throw new Error(`cannot read ${file}: it is a directory`);
  if (st.size > MAX_CONFIG_BYTES) throw new Error(`cannot read ${file}: ${TOO_LARGE}`);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return { ...decode(buf), mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    // Only reachable if the limit above is raised past what a JavaScript string holds.
    throw new Error(`cannot read ${file}: ${TOO_LARGE}`);
  }
}

/**
 * Finds `.panos-guard.json` next to `file` or in a parent folder, stopping at `root` (the
 * workspace folder) or, without one, at the first folder holding `.git`, or the filesystem root.
 */
export function findEnvFile(file: string, root?: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  const stop = root ? path.resolve(root) : undefined;
  for (let i = 0; i < 64; i++) {
    const candidate = path.join(dir, ENV_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    if (stop && dir === stop) return undefined;
    if (!stop && fs.existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    if (stop && !parent.startsWith(stop)) return undefined;
    dir = parent;
  }
  return undefined;
}
