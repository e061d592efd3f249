/**
 * @fileoverview The environment file `.panos-guard.json`: parsing, schema validation with exact
 * positions, and address checks. Invalid content yields problems on the env file itself; the
 * analysis then goes on with whatever was valid.
 */
import type { PeerKind, Trigger } from '../catalog/load';
import type { Severity } from '../findings';
import { parseJson, toPlain, type JNode } from '../json/json';
import { validate, type Schema } from '../json/schema';
import { parseAddress } from '../policy/sets';
import type { Span } from '../text';
import rawSchema from './env.schema.json';

export const ENV_FILE_NAME = '.panos-guard.json';
export const envSchema = rawSchema as Schema;

export type EnvFile = {
  panorama?: string[];
  logCollectors?: string[];
  haPeer?: string[];
  managedDevices?: string[];
  adminClients?: string[];
  peers?: Partial<Record<PeerKind, string[]>>;
  features?: Partial<Record<Trigger, boolean>> & { ha?: 'encrypted' | 'cleartext' | false };
  zones?: Record<string, string>;
  internetZones?: string[];
  deviceGroups?: string[];
  fqdn?: Record<string, string[]>;
  rules?: Record<string, 'off' | Severity>;
};

export type EnvProblem = { message: string; span: Span };

/** Removes the invalid parts at `path` so that the rest of the file still applies. */
function dropPath(root: JNode, path: string): void {
  const parts = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let parent: JNode | undefined;
  let node: JNode | undefined = root;
  let last = '';
  for (const p of parts) {
    parent = node;
    last = p;
    if (!node) return;
    if (p.startsWith('[') && node.type === 'array') node = node.items[Number(p.slice(1, -1))];
    else if (node.type === 'object') node = node.props.find((x) => x.key === p)?.value;
    else return;
  }
  if (!parent || !node) return;
  if (last.startsWith('[') && parent.type === 'array') {
    parent.items = parent.items.filter((x) => x !== node);
  } else if (parent.type === 'object') {
    parent.props = parent.props.filter((x) => x.value !== node);
  }
}

/** Parses and checks an environment file; never throws. */
export function parseEnvFile(text: string): { env: EnvFile; problems: EnvProblem[] } {
  const problems: EnvProblem[] = [];
  const { value, errors } = parseJson(text);
  for (const e of errors) problems.push({ message: `Invalid JSON: ${e.message}`, span: e.span });
  if (!value) return { env: {}, problems };
  if (value.type !== 'object') {
    problems.push({ message: `${ENV_FILE_NAME} must hold a JSON object`, span: value.span });
    return { env: {}, problems };
  }
  const schemaProblems = validate(value, envSchema);
  for (const p of schemaProblems) problems.push({ message: p.message, span: p.span });
  // Semantic address checks (the schema pattern only checks the characters).
  const checkAddrs = (n: JNode | undefined, path: string): void => {
    if (!n || n.type !== 'array') return;
    n.items.forEach((it, i) => {
      if (it.type === 'string' && !parseAddress(it.value)) {
        problems.push({ message: `${path}[${i}]: '${it.value}' is not a valid IP address, CIDR or range`, span: it.span });
        schemaProblems.push({ message: '', span: it.span, path: `${path}[${i}]` });
      }
    });
  };
  const prop = (n: JNode, k: string): JNode | undefined => (n.type === 'object' ? n.props.find((p) => p.key === k)?.value : undefined);
  for (const k of ['panorama', 'logCollectors', 'haPeer', 'managedDevices', 'adminClients']) checkAddrs(prop(value, k), k);
  const peers = prop(value, 'peers');
  if (peers?.type === 'object') for (const p of peers.props) checkAddrs(p.value, `peers.${p.key}`);
  const fq = prop(value, 'fqdn');
  if (fq?.type === 'object') for (const p of fq.props) checkAddrs(p.value, `fqdn.${p.key}`);
  const zones = prop(value, 'zones');
  if (zones?.type === 'object') {
    for (const p of zones.props) {
      if (!parseAddress(p.key)) {
        problems.push({ message: `zones: '${p.key}' is not a valid IP address, CIDR or range`, span: p.keySpan });
        schemaProblems.push({ message: '', span: p.keySpan, path: `zones.${p.key}` });
      }
    }
  }
  // Drop what is invalid, deepest paths first, then keep the rest.
  const paths = [...new Set(schemaProblems.map((p) => p.path).filter((p) => p !== ''))].sort((a, b) => b.length - a.length);
  for (const p of paths) dropPath(value, p);
  const env = toPlain(value) as EnvFile;
  return { env, problems: problems.sort((a, b) => a.span.start - b.span.start) };
}
