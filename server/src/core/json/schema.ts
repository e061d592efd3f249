/**
 * @fileoverview A JSON Schema (draft-07 subset) validator over positioned JSON: type, enum,
 * const, pattern, properties, required, additionalProperties, patternProperties, items,
 * minItems, minimum, maximum, oneOf, $ref to #/definitions. Enough for the catalog and the
 * environment file schemas shipped with the extension; reports each problem with its span.
 */
import type { Span } from '../text';
import type { JNode } from './json';

export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  oneOf?: Schema[];
  $ref?: string;
  definitions?: Record<string, Schema>;
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  title?: string;
  $schema?: string;
  $id?: string;
  $comment?: string;
  examples?: unknown[];
  uniqueItems?: boolean;
  minLength?: number;
};

export type SchemaProblem = { message: string; span: Span; path: string };

function typeOf(n: JNode): string {
  if (n.type === 'number') return Number.isInteger(n.value) ? 'integer' : 'number';
  return n.type;
}

function plain(n: JNode): unknown {
  switch (n.type) {
    case 'object':
    case 'array':
      return undefined;
    case 'null':
      return null;
    default:
      return n.value;
  }
}

export function validate(n: JNode, schema: Schema, root: Schema = schema, path = ''): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  let s = schema;
  for (let guard = 0; s.$ref && guard < 16; guard++) {
    const name = s.$ref.replace(/^#\/definitions\//, '');
    const d = root.definitions?.[name];
    if (!d) break;
    s = d;
  }
  const at = path || '(root)';
  if (s.oneOf) {
    const results = s.oneOf.map((alt) => validate(n, alt, root, path));
    if (!results.some((r) => r.length === 0)) {
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(...best);
    }
    return out;
  }
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(n);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      out.push({ message: `${at}: expected ${types.join(' or ')}, found ${n.type}`, span: n.span, path });
      return out;
    }
  }
  if (s.enum && !s.enum.some((e) => e === plain(n))) {
    out.push({ message: `${at}: must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`, span: n.span, path });
  }
  if (s.const !== undefined && s.const !== plain(n)) {
    out.push({ message: `${at}: must be ${JSON.stringify(s.const)}`, span: n.span, path });
  }
  if (n.type === 'string') {
    if (s.pattern && !new RegExp(s.pattern).test(n.value)) {
      out.push({ message: `${at}: '${n.value}' does not match the expected format`, span: n.span, path });
    }
    if (s.minLength !== undefined && n.value.length < s.minLength) {
      out.push({ message: `${at}: must not be empty`, span: n.span, path });
    }
  }
  if (n.type === 'number') {
    if (s.minimum !== undefined && n.value < s.minimum) out.push({ message: `${at}: must be >= ${s.minimum}`, span: n.span, path });
    if (s.maximum !== undefined && n.value > s.maximum) out.push({ message: `${at}: must be <= ${s.maximum}`, span: n.span, path });
  }
  if (n.type === 'array') {
    if (s.minItems !== undefined && n.items.length < s.minItems) {
      out.push({ message: `${at}: needs at least ${s.minItems} item(s)`, span: n.span, path });
    }
    if (s.items) n.items.forEach((it, i) => out.push(...validate(it, s.items!, root, `${path}[${i}]`)));
  }
  if (n.type === 'object') {
    const seen = new Set<string>();
    for (const pr of n.props) {
      const sub = path ? `${path}.${pr.key}` : pr.key;
      if (seen.has(pr.key)) out.push({ message: `${sub}: duplicate key`, span: pr.keySpan, path: sub });
      seen.add(pr.key);
      const ps = s.properties && Object.prototype.hasOwnProperty.call(s.properties, pr.key) ? s.properties[pr.key] : undefined;
      if (ps) {
        out.push(...validate(pr.value, ps, root, sub));
        continue;
      }
      const pp = s.patternProperties ? Object.entries(s.patternProperties).find(([re]) => new RegExp(re).test(pr.key)) : undefined;
      if (pp) {
        out.push(...validate(pr.value, pp[1], root, sub));
        continue;
      }
      if (s.additionalProperties === false) {
        const known = Object.keys(s.properties ?? {});
        out.push({ message: `${sub}: unknown property${known.length ? ` (expected one of: ${known.join(', ')})` : ''}`, span: pr.keySpan, path: sub });
      } else if (typeof s.additionalProperties === 'object') {
        out.push(...validate(pr.value, s.additionalProperties, root, sub));
      }
    }
    for (const r of s.required ?? []) {
      if (!seen.has(r)) out.push({ message: `${at}: missing required property '${r}'`, span: { start: n.span.start, end: n.span.start + 1 }, path });
    }
  }
  return out;
}
