/**
 * @fileoverview Format detection and the single parse entry point for both text forms.
 */
import type { Span } from '../text';
import { parseSet, type SetDoc } from './set';
import { CNode, XNode } from './tree';
import { parseXml, type SyntaxIssue, type XmlDoc } from './xml';

export type Format = 'xml' | 'set' | 'brace' | 'unknown';

export type ParsedDoc = {
  format: Format;
  text: string;
  /** The `<config>` node (XML, possibly inside the XML-API envelope) or the set tree root. */
  config: CNode | undefined;
  /** Syntax problems with exact spans. */
  errors: SyntaxIssue[];
  xml?: XmlDoc;
  set?: SetDoc;
  /** Span of the XML-API envelope's `<response>` start, when present. */
  envelope?: Span;
};

/** Detects the text form from content (never from the file name). */
export function detectFormat(text: string): Format {
  let p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const len = text.length;
  while (p < len) {
    const c = text.charCodeAt(p);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      p++;
      continue;
    }
    if (c === 60) {
      return 'xml';
    }
    break;
  }
  // Look at the first meaningful lines.
  const head = text.slice(p, p + 64 * 1024).split(/\r\n|\r|\n/, 200);
  for (const raw of head) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    if (/^(set|delete|move)\s/.test(line)) return 'set';
    if (/^(configure|edit|top|up|exit)\b/.test(line)) continue;
    if (/^[\w.-]+\s*\{\s*$/.test(line) || /^config\s*\{/.test(line)) return 'brace';
    return 'unknown';
  }
  return 'unknown';
}

/**
 * Cheap check used before any analysis: is this text a PAN-OS configuration?
 * XML must have a `<config>` root (or the XML-API `<response>` envelope holding one);
 * set text must start with set/delete/move lines.
 */
export function looksLikePanos(text: string): boolean {
  const f = detectFormat(text);
  if (f === 'set') return true;
  if (f !== 'xml') return false;
  const m = /<([A-Za-z_][\w.:-]*)/.exec(skipProlog(text));
  if (!m) return false;
  if (m[1] === 'config') return true;
  if (m[1] === 'response') return /<config[\s>/]/.test(text.slice(0, 4096));
  return false;
}

function skipProlog(text: string): string {
  let p = 0;
  for (let guard = 0; guard < 100; guard++) {
    const lt = text.indexOf('<', p);
    if (lt < 0) return '';
    if (text.startsWith('<?', lt)) {
      const e = text.indexOf('?>', lt);
      p = e < 0 ? text.length : e + 2;
    } else if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt);
      p = e < 0 ? text.length : e + 3;
    } else if (text.startsWith('<!', lt)) {
      const e = text.indexOf('>', lt);
      p = e < 0 ? text.length : e + 1;
    } else {
      return text.slice(lt, lt + 256);
    }
  }
  return '';
}

/** The parsed document of an XML text scanned into `xml` (whole, or patched to match it). */
export function xmlParsed(text: string, xml: XmlDoc): ParsedDoc {
  const errors = xml.errors.slice();
  let config: CNode | undefined;
  let envelope: Span | undefined;
  if (xml.root >= 0) {
    const root = new XNode(xml, xml.root);
    if (root.tag === 'config') {
      config = root;
    } else if (root.tag === 'response') {
      envelope = root.keySpan;
      const status = root.attr('status');
      if (status && status.value !== 'success') {
        errors.push({ message: `XML-API response status is '${status.value}', not 'success'`, span: status.span });
      }
      config = root.child('result')?.child('config');
      if (!config) {
        errors.push({ message: 'XML-API response holds no <result><config>', span: root.keySpan });
      }
    }
  }
  const out: ParsedDoc = { format: 'xml', text, config, errors, xml };
  if (envelope) out.envelope = envelope;
  return out;
}

/** Parses either form. Never throws on bad input. */
export function parse(text: string): ParsedDoc {
  const format = detectFormat(text);
  if (format === 'xml') return xmlParsed(text, parseXml(text));
  if (format === 'set') {
    const set = parseSet(text);
    return { format, text, config: set.root, errors: set.errors, set };
  }
  return { format, text, config: undefined, errors: [] };
}
