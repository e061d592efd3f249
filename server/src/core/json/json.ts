/**
 * @fileoverview A small JSON (with comments) parser that keeps the span of every value and key,
 * so that problems in `.panos-guard.json` and the catalog are reported at their exact place.
 * It never throws: syntax errors are collected and parsing recovers where it can.
 */
import type { Span } from '../text';

export type JNode =
  | { type: 'object'; span: Span; props: { key: string; keySpan: Span; value: JNode }[] }
  | { type: 'array'; span: Span; items: JNode[] }
  | { type: 'string'; span: Span; value: string }
  | { type: 'number'; span: Span; value: number }
  | { type: 'boolean'; span: Span; value: boolean }
  | { type: 'null'; span: Span };

export type JsonError = { message: string; span: Span };

export function parseJson(text: string): { value: JNode | undefined; errors: JsonError[] } {
  const errors: JsonError[] = [];
  let p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const len = text.length;
  let depth = 0;

  const skip = (): void => {
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        p++;
      } else if (c === 47 && text.charCodeAt(p + 1) === 47) {
        while (p < len && text.charCodeAt(p) !== 10) p++;
      } else if (c === 47 && text.charCodeAt(p + 1) === 42) {
        const e = text.indexOf('*/', p + 2);
        if (e < 0) {
          errors.push({ message: 'Unterminated comment', span: { start: p, end: len } });
          p = len;
        } else p = e + 2;
      } else return;
    }
  };

  const str = (): { value: string; span: Span } => {
    const s = p;
    p++;
    let out = '';
    for (;;) {
      if (p >= len || text.charCodeAt(p) === 10) {
        errors.push({ message: 'Unterminated string', span: { start: s, end: p } });
        return { value: out, span: { start: s, end: p } };
      }
      const c = text.charCodeAt(p);
      if (c === 34) {
        p++;
        return { value: out, span: { start: s, end: p } };
      }
      if (c === 92) {
        const n = text[p + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(p + 2, p + 6))) {
          out += String.fromCharCode(parseInt(text.slice(p + 2, p + 6), 16));
          p += 6;
        } else if (n !== undefined && Object.prototype.hasOwnProperty.call(map, n)) {
          out += map[n];
          p += 2;
        } else {
          errors.push({ message: 'Invalid escape sequence', span: { start: p, end: p + 2 } });
          p += 2;
        }
        continue;
      }
      out += text[p];
      p++;
    }
  };

  const value = (): JNode | undefined => {
    skip();
    if (p >= len) {
      errors.push({ message: 'Value expected', span: { start: len, end: len } });
      return undefined;
    }
    const c = text.charCodeAt(p);
    const s = p;
    if (c === 123 || c === 91) {
      if (++depth > 256) {
        errors.push({ message: 'Nesting too deep', span: { start: p, end: p + 1 } });
        p = len;
        return undefined;
      }
      const r = c === 123 ? obj() : arr();
      depth--;
      return r;
    }
    if (c === 34) {
      const r = str();
      return { type: 'string', span: r.span, value: r.value };
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(p, p + 64));
    if (m && m[0].length > 0) {
      p += m[0].length;
      return { type: 'number', span: { start: s, end: p }, value: Number(m[0]) };
    }
    for (const [w, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(w, p)) {
        p += w.length;
        return v === null ? { type: 'null', span: { start: s, end: p } } : { type: 'boolean', span: { start: s, end: p }, value: v };
      }
    }
    let e = p;
    while (e < len && !/[\s,:\]}]/.test(text[e]!)) e++;
    errors.push({ message: `Unexpected '${text.slice(p, Math.max(e, p + 1)).slice(0, 40)}': a JSON value is expected`, span: { start: p, end: Math.max(e, p + 1) } });
    p = Math.max(e, p + 1);
    return undefined;
  };

  const obj = (): JNode => {
    const s = p;
    p++;
    const props: { key: string; keySpan: Span; value: JNode }[] = [];
    skip();
    if (text.charCodeAt(p) === 125) {
      p++;
      return { type: 'object', span: { start: s, end: p }, props };
    }
    for (;;) {
      skip();
      if (text.charCodeAt(p) !== 34) {
        errors.push({ message: 'Property name in double quotes expected', span: { start: p, end: Math.min(len, p + 1) } });
        // Recover: skip to the next ',' or '}'.
        while (p < len && text[p] !== ',' && text[p] !== '}') p++;
        if (text[p] === ',') {
          p++;
          continue;
        }
        if (text[p] === '}') p++;
        return { type: 'object', span: { start: s, end: p }, props };
      }
      const k = str();
      skip();
      if (text.charCodeAt(p) !== 58) {
        errors.push({ message: "':' expected after the property name", span: { start: p, end: Math.min(len, p + 1) } });
      } else p++;
      const v = value();
      if (v) props.push({ key: k.value, keySpan: k.span, value: v });
      skip();
      const c = text.charCodeAt(p);
      if (c === 44) {
        const comma = p;
        p++;
        skip();
        if (text.charCodeAt(p) === 125) {
          errors.push({ message: 'Trailing comma', span: { start: comma, end: comma + 1 } });
          p++;
          return { type: 'object', span: { start: s, end: p }, props };
        }
        continue;
      }
      if (c === 125) {
        p++;
        return { type: 'object', span: { start: s, end: p }, props };
      }
      errors.push({ message: "',' or '}' expected", span: { start: p, end: Math.min(len, p + 1) } });
      return { type: 'object', span: { start: s, end: p }, props };
    }
  };

  const arr = (): JNode => {
    const s = p;
    p++;
    const items: JNode[] = [];
    skip();
    if (text.charCodeAt(p) === 93) {
      p++;
      return { type: 'array', span: { start: s, end: p }, items };
    }
    for (;;) {
      const v = value();
      if (v) items.push(v);
      skip();
      const c = text.charCodeAt(p);
      if (c === 44) {
        const comma = p;
        p++;
        skip();
        if (text.charCodeAt(p) === 93) {
          errors.push({ message: 'Trailing comma', span: { start: comma, end: comma + 1 } });
          p++;
          return { type: 'array', span: { start: s, end: p }, items };
        }
        continue;
      }
      if (c === 93) {
        p++;
        return { type: 'array', span: { start: s, end: p }, items };
      }
      errors.push({ message: "',' or ']' expected", span: { start: p, end: Math.min(len, p + 1) } });
      return { type: 'array', span: { start: s, end: p }, items };
    }
  };

  const v = value();
  skip();
  if (p < len && errors.length === 0) {
    errors.push({ message: 'Unexpected content after the JSON value', span: { start: p, end: len } });
  }
  return { value: v, errors };
}

/** Converts a JNode to a plain value (objects without prototype, so keys like __proto__ are inert). */
export function toPlain(n: JNode): unknown {
  switch (n.type) {
    case 'object': {
      const o = Object.create(null) as Record<string, unknown>;
      for (const pr of n.props) o[pr.key] = toPlain(pr.value);
      return o;
    }
    case 'array':
      return n.items.map(toPlain);
    case 'null':
      return null;
    default:
      return n.value;
  }
}

/** Wraps a plain value (e.g. an imported JSON module) as a JNode with empty spans, for validation. */
export function fromPlain(v: unknown): JNode {
  const span = { start: 0, end: 0 };
  if (v === null) return { type: 'null', span };
  if (Array.isArray(v)) return { type: 'array', span, items: v.map(fromPlain) };
  switch (typeof v) {
    case 'string':
      return { type: 'string', span, value: v };
    case 'number':
      return { type: 'number', span, value: v };
    case 'boolean':
      return { type: 'boolean', span, value: v };
    case 'object':
      return { type: 'object', span, props: Object.entries(v as object).map(([key, value]) => ({ key, keySpan: span, value: fromPlain(value) })) };
    default:
      return { type: 'null', span };
  }
}
