/**
 * @fileoverview Renders rules and objects as PAN-OS XML elements or `set` lines. Used by the fixes
 * (so inserted text is in the file's own form) and by `panos-guard generate`.
 * Every name and description is escaped for its form.
 */

export type RuleDraft = {
  name: string;
  from: string[];
  to: string[];
  source: string[];
  destination: string[];
  application: string[];
  service: string[];
  action: 'allow' | 'deny' | 'drop';
  sourceUser?: string[];
  category?: string[];
  negateSource?: boolean;
  negateDestination?: boolean;
  logSetting?: string;
  logStart?: boolean;
  logEnd?: boolean;
  profileGroup?: string;
  tags?: string[];
  description?: string;
  disabled?: boolean;
  target?: { devices: string[]; negate?: boolean };
};

export type ObjectDraft =
  | { type: 'address'; name: string; value: string; kind?: 'ip-netmask' | 'ip-range' | 'fqdn'; description?: string }
  | { type: 'address-group'; name: string; members: string[]; filter?: string; description?: string }
  | { type: 'service'; name: string; protocol: 'tcp' | 'udp'; port: string; description?: string }
  | { type: 'service-group'; name: string; members: string[] }
  | { type: 'application-group'; name: string; members: string[]; legacy?: boolean }
  | { type: 'tag'; name: string; comments?: string }
  | { type: 'profile-group'; name: string; profiles: Record<string, string> }
  | { type: 'log-forwarding'; name: string; matchLists: { name: string; logType: string; filter: string; sendToPanorama: boolean }[] };

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Quotes a set-form token when it needs it (spaces, quotes, brackets, '#', empty). */
export function setQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_.:/@+*,=-][^\s"'[\]#]*$/.test(s)) return s;
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  // Both quote kinds: PAN-OS names cannot hold them; descriptions lose the double quotes.
  return `"${s.replace(/"/g, "'")}"`;
}

export type XmlStyle = { indent: string; unit: string; eol: string };

function members(tag: string, values: string[], st: XmlStyle, level: number): string {
  const pad = st.indent + st.unit.repeat(level);
  const inner = st.indent + st.unit.repeat(level + 1);
  return `${pad}<${tag}>${st.eol}${values.map((v) => `${inner}<member>${xmlEscape(v)}</member>${st.eol}`).join('')}${pad}</${tag}>${st.eol}`;
}

function leaf(tag: string, value: string, st: XmlStyle, level: number): string {
  return `${st.indent}${st.unit.repeat(level)}<${tag}>${xmlEscape(value)}</${tag}>${st.eol}`;
}

/** A rule `<entry>` (with trailing line break), indented at `st.indent`. */
export function ruleXml(r: RuleDraft, st: XmlStyle): string {
  let s = `${st.indent}<entry name="${xmlEscape(r.name)}">${st.eol}`;
  s += members('to', r.to, st, 1);
  s += members('from', r.from, st, 1);
  s += members('source', r.source, st, 1);
  s += members('destination', r.destination, st, 1);
  s += members('source-user', r.sourceUser ?? ['any'], st, 1);
  s += members('category', r.category ?? ['any'], st, 1);
  s += members('application', r.application, st, 1);
  s += members('service', r.service, st, 1);
  if (r.negateSource) s += leaf('negate-source', 'yes', st, 1);
  if (r.negateDestination) s += leaf('negate-destination', 'yes', st, 1);
  s += leaf('action', r.action, st, 1);
  if (r.logStart) s += leaf('log-start', 'yes', st, 1);
  if (r.logEnd !== undefined) s += leaf('log-end', r.logEnd ? 'yes' : 'no', st, 1);
  if (r.logSetting) s += leaf('log-setting', r.logSetting, st, 1);
  if (r.profileGroup) {
    const p1 = st.indent + st.unit;
    s += `${p1}<profile-setting>${st.eol}${members('group', [r.profileGroup], st, 2)}${p1}</profile-setting>${st.eol}`;
  }
  if (r.target) {
    const p1 = st.indent + st.unit;
    const p2 = p1 + st.unit;
    s += `${p1}<target>${st.eol}${p2}<devices>${st.eol}${r.target.devices.map((d) => `${p2}${st.unit}<entry name="${xmlEscape(d)}"/>${st.eol}`).join('')}${p2}</devices>${st.eol}${leaf('negate', r.target.negate ? 'yes' : 'no', st, 2)}${p1}</target>${st.eol}`;
  }
  if (r.tags && r.tags.length) s += members('tag', r.tags, st, 1);
  if (r.description) s += leaf('description', r.description, st, 1);
  if (r.disabled) s += leaf('disabled', 'yes', st, 1);
  s += `${st.indent}</entry>${st.eol}`;
  return s;
}

/** An object `<entry>` (with trailing line break). */
export function objectXml(o: ObjectDraft, st: XmlStyle): string {
  const open = `${st.indent}<entry name="${xmlEscape(o.name)}">${st.eol}`;
  const close = `${st.indent}</entry>${st.eol}`;
  const p1 = st.indent + st.unit;
  switch (o.type) {
    case 'address':
      return open + leaf(o.kind ?? (o.value.includes('-') ? 'ip-range' : 'ip-netmask'), o.value, st, 1) + (o.description ? leaf('description', o.description, st, 1) : '') + close;
    case 'address-group':
      return (
        open +
        (o.filter !== undefined ? `${p1}<dynamic>${st.eol}${leaf('filter', o.filter, st, 2)}${p1}</dynamic>${st.eol}` : members('static', o.members, st, 1)) +
        (o.description ? leaf('description', o.description, st, 1) : '') +
        close
      );
    case 'service':
      return open + `${p1}<protocol>${st.eol}${p1}${st.unit}<${o.protocol}>${st.eol}${leaf('port', o.port, st, 3)}${p1}${st.unit}</${o.protocol}>${st.eol}${p1}</protocol>${st.eol}` + (o.description ? leaf('description', o.description, st, 1) : '') + close;
    case 'service-group':
      return open + members('members', o.members, st, 1) + close;
    case 'application-group':
      if (o.legacy) return open + o.members.map((m) => `${p1}<member>${xmlEscape(m)}</member>${st.eol}`).join('') + close;
      return open + members('members', o.members, st, 1) + close;
    case 'tag':
      return open + (o.comments ? leaf('comments', o.comments, st, 1) : '') + close;
    case 'profile-group':
      return open + Object.entries(o.profiles).map(([k, v]) => members(k, [v], st, 1)).join('') + close;
    case 'log-forwarding': {
      const p2 = p1 + st.unit;
      const p3 = p2 + st.unit;
      const ml = o.matchLists
        .map((m) => `${p2}<entry name="${xmlEscape(m.name)}">${st.eol}${leaf('log-type', m.logType, st, 3)}${leaf('filter', m.filter, st, 3)}${m.sendToPanorama ? leaf('send-to-panorama', 'yes', st, 3) : ''}${p2}</entry>${st.eol}`)
        .join('');
      void p3;
      return open + `${p1}<match-list>${st.eol}${ml}${p1}</match-list>${st.eol}` + close;
    }
  }
}

/** `set` lines for a rule, `prefix` like `set rulebase security rules` (no trailing space). */
export function ruleSet(prefix: string, r: RuleDraft): string[] {
  const p = `${prefix} ${setQuote(r.name)}`;
  const list = (v: string[]): string => (v.length === 1 ? setQuote(v[0]!) : `[ ${v.map(setQuote).join(' ')} ]`);
  const out = [
    `${p} to ${list(r.to)}`,
    `${p} from ${list(r.from)}`,
    `${p} source ${list(r.source)}`,
    `${p} destination ${list(r.destination)}`,
    `${p} source-user ${list(r.sourceUser ?? ['any'])}`,
    `${p} category ${list(r.category ?? ['any'])}`,
    `${p} application ${list(r.application)}`,
    `${p} service ${list(r.service)}`,
  ];
  if (r.negateSource) out.push(`${p} negate-source yes`);
  if (r.negateDestination) out.push(`${p} negate-destination yes`);
  out.push(`${p} action ${r.action}`);
  if (r.logStart) out.push(`${p} log-start yes`);
  if (r.logEnd !== undefined) out.push(`${p} log-end ${r.logEnd ? 'yes' : 'no'}`);
  if (r.logSetting) out.push(`${p} log-setting ${setQuote(r.logSetting)}`);
  if (r.profileGroup) out.push(`${p} profile-setting group ${setQuote(r.profileGroup)}`);
  if (r.target) {
    for (const d of r.target.devices) out.push(`${p} target devices ${setQuote(d)}`);
    out.push(`${p} target negate ${r.target.negate ? 'yes' : 'no'}`);
  }
  if (r.tags && r.tags.length) out.push(`${p} tag ${list(r.tags)}`);
  if (r.description) out.push(`${p} description ${setQuote(r.description)}`);
  if (r.disabled) out.push(`${p} disabled yes`);
  return out;
}

/** `set` lines for an object; `container` like `set`, `set vsys vsys1`, `set device-group DG`. */
export function objectSet(container: string, o: ObjectDraft): string[] {
  const list = (v: string[]): string => (v.length === 1 ? setQuote(v[0]!) : `[ ${v.map(setQuote).join(' ')} ]`);
  const n = setQuote(o.name);
  switch (o.type) {
    case 'address': {
      const out = [`${container} address ${n} ${o.kind ?? (o.value.includes('-') ? 'ip-range' : 'ip-netmask')} ${setQuote(o.value)}`];
      if (o.description) out.push(`${container} address ${n} description ${setQuote(o.description)}`);
      return out;
    }
    case 'address-group': {
      const out = [o.filter !== undefined ? `${container} address-group ${n} dynamic filter ${setQuote(o.filter)}` : `${container} address-group ${n} static ${list(o.members)}`];
      if (o.description) out.push(`${container} address-group ${n} description ${setQuote(o.description)}`);
      return out;
    }
    case 'service': {
      const out = [`${container} service ${n} protocol ${o.protocol} port ${setQuote(o.port)}`];
      if (o.description) out.push(`${container} service ${n} description ${setQuote(o.description)}`);
      return out;
    }
    case 'service-group':
      return [`${container} service-group ${n} members ${list(o.members)}`];
    case 'application-group':
      return [`${container} application-group ${n} members ${list(o.members)}`];
    case 'tag':
      return [o.comments ? `${container} tag ${n} comments ${setQuote(o.comments)}` : `${container} tag ${n}`];
    case 'profile-group':
      return Object.entries(o.profiles).map(([k, v]) => `${container} profile-group ${n} ${k} ${setQuote(v)}`);
    case 'log-forwarding':
      return o.matchLists.flatMap((m) => {
        const p = `${container} log-settings profiles ${n} match-list ${setQuote(m.name)}`;
        return [`${p} log-type ${m.logType}`, `${p} filter ${setQuote(m.filter)}`, ...(m.sendToPanorama ? [`${p} send-to-panorama yes`] : [])];
      });
  }
}

/** The XML containers (path below the scope's node) of an object type. */
export const OBJECT_PATH: Record<ObjectDraft['type'], string[]> = {
  address: ['address'],
  'address-group': ['address-group'],
  service: ['service'],
  'service-group': ['service-group'],
  'application-group': ['application-group'],
  tag: ['tag'],
  'profile-group': ['profile-group'],
  'log-forwarding': ['log-settings', 'profiles'],
};
