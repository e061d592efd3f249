/**
 * @fileoverview Scenario specs: small firewall and Panorama configs described once and written in
 * both XML and set form, so the two forms of each scenario hold the same config.
 */
import { objectSet, objectXml, ruleSet, ruleXml, setQuote, xmlEscape, type ObjectDraft, type RuleDraft, type XmlStyle } from '../../server/src/core/fixes/render';

export type Iface = { name: string; ip: string; zone: string };
export type Route = { name: string; destination: string; iface: string; nexthop: string };
export type Net = { interfaces: Iface[]; routes: Route[] };

export type FirewallSpec = {
  kind: 'firewall';
  hostname: string;
  mgmtIp: string;
  panoramaServer?: string;
  net: Net;
  objects: ObjectDraft[];
  profileGroups: string[];
  logProfiles: string[];
  rules: RuleDraft[];
};

export type DeviceGroupSpec = { name: string; parent?: string; devices: string[]; objects: ObjectDraft[]; pre: RuleDraft[]; post: RuleDraft[] };

export type PanoramaSpec = {
  kind: 'panorama';
  hostname: string;
  mgmtIp: string;
  permittedIp: string[];
  dns: string[];
  ntp: string[];
  managed: string[];
  logCollectors: { serial: string; ip: string; permittedIp: string[] }[];
  collectorGroups: { name: string; collectors: string[] }[];
  syslog: { name: string; servers: { name: string; host: string; transport: string; port: string }[] }[];
  sharedObjects: ObjectDraft[];
  profileGroups: string[];
  logProfiles: string[];
  sharedPre: RuleDraft[];
  sharedPost: RuleDraft[];
  templates: { name: string; net: Net; vsysZones: string[] }[];
  stacks: { name: string; templates: string[]; devices: string[] }[];
  deviceGroups: DeviceGroupSpec[];
};

export type Spec = FirewallSpec | PanoramaSpec;

const U = '  ';

/** Writes a block of lines at a nesting level. */
class W {
  lines: string[] = [];
  line(level: number, s: string): void {
    this.lines.push(U.repeat(level) + s);
  }
  raw(text: string): void {
    for (const l of text.replace(/\n$/, '').split('\n')) this.lines.push(l);
  }
}

function st(level: number): XmlStyle {
  return { indent: U.repeat(level), unit: U, eol: '\n' };
}

function objectsXml(w: W, level: number, objects: ObjectDraft[]): void {
  const kinds: ObjectDraft['type'][] = ['tag', 'address', 'address-group', 'service', 'service-group', 'application-group'];
  for (const k of kinds) {
    const list = objects.filter((o) => o.type === k);
    if (list.length === 0) continue;
    w.line(level, `<${k}>`);
    for (const o of list) w.raw(objectXml(o, st(level + 1)));
    w.line(level, `</${k}>`);
  }
}

function profilesXml(w: W, level: number, profileGroups: string[], logProfiles: string[]): void {
  if (profileGroups.length) {
    w.line(level, '<profile-group>');
    for (const p of profileGroups) {
      w.line(level + 1, `<entry name="${xmlEscape(p)}">`);
      for (const k of ['virus', 'spyware', 'vulnerability']) w.line(level + 2, `<${k}><member>default</member></${k}>`);
      w.line(level + 1, '</entry>');
    }
    w.line(level, '</profile-group>');
  }
  if (logProfiles.length) {
    w.line(level, '<log-settings>');
    w.line(level + 1, '<profiles>');
    for (const p of logProfiles) w.line(level + 2, `<entry name="${xmlEscape(p)}"/>`);
    w.line(level + 1, '</profiles>');
    w.line(level, '</log-settings>');
  }
}

function rulesXml(w: W, level: number, tag: string, rules: RuleDraft[]): void {
  w.line(level, `<${tag}>`);
  w.line(level + 1, '<security>');
  if (rules.length === 0) {
    w.line(level + 2, '<rules/>');
  } else {
    w.line(level + 2, '<rules>');
    for (const r of rules) w.raw(ruleXml(r, st(level + 3)));
    w.line(level + 2, '</rules>');
  }
  w.line(level + 1, '</security>');
  w.line(level, `</${tag}>`);
}

function netXml(w: W, level: number, net: Net): void {
  w.line(level, '<network>');
  w.line(level + 1, '<interface>');
  w.line(level + 2, '<ethernet>');
  for (const i of net.interfaces) {
    w.line(level + 3, `<entry name="${i.name}">`);
    w.line(level + 4, '<layer3>');
    w.line(level + 5, '<ip>');
    w.line(level + 6, `<entry name="${i.ip}"/>`);
    w.line(level + 5, '</ip>');
    w.line(level + 4, '</layer3>');
    w.line(level + 3, '</entry>');
  }
  w.line(level + 2, '</ethernet>');
  w.line(level + 1, '</interface>');
  w.line(level + 1, '<virtual-router>');
  w.line(level + 2, '<entry name="default">');
  w.line(level + 3, '<interface>');
  for (const i of net.interfaces) w.line(level + 4, `<member>${i.name}</member>`);
  w.line(level + 3, '</interface>');
  w.line(level + 3, '<routing-table>');
  w.line(level + 4, '<ip>');
  w.line(level + 5, '<static-route>');
  for (const r of net.routes) {
    w.line(level + 6, `<entry name="${r.name}">`);
    w.line(level + 7, `<destination>${r.destination}</destination>`);
    w.line(level + 7, `<interface>${r.iface}</interface>`);
    w.line(level + 7, `<nexthop>`);
    w.line(level + 8, `<ip-address>${r.nexthop}</ip-address>`);
    w.line(level + 7, `</nexthop>`);
    w.line(level + 6, '</entry>');
  }
  w.line(level + 5, '</static-route>');
  w.line(level + 4, '</ip>');
  w.line(level + 3, '</routing-table>');
  w.line(level + 2, '</entry>');
  w.line(level + 1, '</virtual-router>');
  w.line(level, '</network>');
}

function zonesXml(w: W, level: number, net: Net): void {
  const zones = [...new Set(net.interfaces.map((i) => i.zone))];
  w.line(level, '<zone>');
  for (const z of zones) {
    w.line(level + 1, `<entry name="${z}">`);
    w.line(level + 2, '<network>');
    w.line(level + 3, '<layer3>');
    for (const i of net.interfaces.filter((x) => x.zone === z)) w.line(level + 4, `<member>${i.name}</member>`);
    w.line(level + 3, '</layer3>');
    w.line(level + 2, '</network>');
    w.line(level + 1, '</entry>');
  }
  w.line(level, '</zone>');
}

export function toXml(spec: Spec): string {
  const w = new W();
  w.line(0, '<?xml version="1.0"?>');
  if (spec.kind === 'firewall') {
    w.line(0, '<config version="10.2.0" urldb="paloaltonetworks">');
    w.line(1, '<devices>');
    w.line(2, '<entry name="localhost.localdomain">');
    w.line(3, '<deviceconfig>');
    w.line(4, '<system>');
    w.line(5, `<hostname>${spec.hostname}</hostname>`);
    w.line(5, `<ip-address>${spec.mgmtIp}</ip-address>`);
    if (spec.panoramaServer) w.line(5, `<panorama-server>${spec.panoramaServer}</panorama-server>`);
    w.line(4, '</system>');
    w.line(3, '</deviceconfig>');
    netXml(w, 3, spec.net);
    w.line(3, '<vsys>');
    w.line(4, '<entry name="vsys1">');
    zonesXml(w, 5, spec.net);
    objectsXml(w, 5, spec.objects);
    profilesXml(w, 5, spec.profileGroups, spec.logProfiles);
    rulesXml(w, 5, 'rulebase', spec.rules);
    w.line(4, '</entry>');
    w.line(3, '</vsys>');
    w.line(2, '</entry>');
    w.line(1, '</devices>');
    w.line(0, '</config>');
    return w.lines.join('\n') + '\n';
  }
  w.line(0, '<config version="10.2.0" urldb="paloaltonetworks" detail-version="10.2.4">');
  w.line(1, '<mgt-config>');
  w.line(2, '<devices>');
  for (const d of spec.managed) w.line(3, `<entry name="${d}"/>`);
  w.line(2, '</devices>');
  w.line(1, '</mgt-config>');
  w.line(1, '<shared>');
  objectsXml(w, 2, spec.sharedObjects);
  profilesXml(w, 2, spec.profileGroups, spec.logProfiles);
  rulesXml(w, 2, 'pre-rulebase', spec.sharedPre);
  rulesXml(w, 2, 'post-rulebase', spec.sharedPost);
  w.line(1, '</shared>');
  w.line(1, '<devices>');
  w.line(2, '<entry name="localhost.localdomain">');
  w.line(3, '<deviceconfig>');
  w.line(4, '<system>');
  w.line(5, `<hostname>${spec.hostname}</hostname>`);
  w.line(5, `<ip-address>${spec.mgmtIp}</ip-address>`);
  w.line(5, '<permitted-ip>');
  for (const p of spec.permittedIp) w.line(6, `<entry name="${p}"/>`);
  w.line(5, '</permitted-ip>');
  w.line(5, '<service>');
  w.line(6, '<disable-telnet>yes</disable-telnet>');
  w.line(6, '<disable-http>yes</disable-http>');
  w.line(5, '</service>');
  w.line(5, '<dns-setting>');
  w.line(6, '<servers>');
  w.line(7, `<primary>${spec.dns[0]}</primary>`);
  w.line(6, '</servers>');
  w.line(5, '</dns-setting>');
  w.line(5, '<ntp-servers>');
  w.line(6, '<primary-ntp-server>');
  w.line(7, `<ntp-server-address>${spec.ntp[0]}</ntp-server-address>`);
  w.line(6, '</primary-ntp-server>');
  w.line(5, '</ntp-servers>');
  w.line(4, '</system>');
  w.line(3, '</deviceconfig>');
  w.line(3, '<log-collector>');
  for (const lc of spec.logCollectors) {
    w.line(4, `<entry name="${lc.serial}">`);
    w.line(5, '<deviceconfig>');
    w.line(6, '<system>');
    w.line(7, `<ip-address>${lc.ip}</ip-address>`);
    w.line(7, '<permitted-ip>');
    for (const p of lc.permittedIp) w.line(8, `<entry name="${p}"/>`);
    w.line(7, '</permitted-ip>');
    w.line(6, '</system>');
    w.line(5, '</deviceconfig>');
    w.line(4, '</entry>');
  }
  w.line(3, '</log-collector>');
  w.line(3, '<log-collector-group>');
  for (const g of spec.collectorGroups) {
    w.line(4, `<entry name="${g.name}">`);
    w.line(5, '<logfwd-setting>');
    w.line(6, '<collectors>');
    for (const c of g.collectors) w.line(7, `<member>${c}</member>`);
    w.line(6, '</collectors>');
    w.line(5, '</logfwd-setting>');
    w.line(4, '</entry>');
  }
  w.line(3, '</log-collector-group>');
  w.line(3, '<template>');
  for (const t of spec.templates) {
    w.line(4, `<entry name="${t.name}">`);
    w.line(5, '<config>');
    w.line(6, '<devices>');
    w.line(7, '<entry name="localhost.localdomain">');
    netXml(w, 8, t.net);
    w.line(8, '<vsys>');
    w.line(9, '<entry name="vsys1">');
    zonesXml(w, 10, t.net);
    w.line(9, '</entry>');
    w.line(8, '</vsys>');
    w.line(7, '</entry>');
    w.line(6, '</devices>');
    w.line(5, '</config>');
    w.line(4, '</entry>');
  }
  w.line(3, '</template>');
  w.line(3, '<template-stack>');
  for (const s of spec.stacks) {
    w.line(4, `<entry name="${s.name}">`);
    w.line(5, '<templates>');
    for (const t of s.templates) w.line(6, `<member>${t}</member>`);
    w.line(5, '</templates>');
    w.line(5, '<devices>');
    for (const d of s.devices) w.line(6, `<entry name="${d}"/>`);
    w.line(5, '</devices>');
    w.line(4, '</entry>');
  }
  w.line(3, '</template-stack>');
  w.line(3, '<device-group>');
  for (const dg of spec.deviceGroups) {
    w.line(4, `<entry name="${xmlEscape(dg.name)}">`);
    w.line(5, '<devices>');
    for (const d of dg.devices) w.line(6, `<entry name="${d}"/>`);
    w.line(5, '</devices>');
    objectsXml(w, 5, dg.objects);
    rulesXml(w, 5, 'pre-rulebase', dg.pre);
    rulesXml(w, 5, 'post-rulebase', dg.post);
    w.line(4, '</entry>');
  }
  w.line(3, '</device-group>');
  w.line(2, '</entry>');
  w.line(1, '</devices>');
  w.line(1, '<panorama>');
  w.line(2, '<log-settings>');
  w.line(3, '<syslog>');
  for (const p of spec.syslog) {
    w.line(4, `<entry name="${p.name}">`);
    w.line(5, '<server>');
    for (const s of p.servers) {
      w.line(6, `<entry name="${s.name}">`);
      w.line(7, `<server>${s.host}</server>`);
      w.line(7, `<transport>${s.transport}</transport>`);
      w.line(7, `<port>${s.port}</port>`);
      w.line(6, '</entry>');
    }
    w.line(5, '</server>');
    w.line(4, '</entry>');
  }
  w.line(3, '</syslog>');
  w.line(2, '</log-settings>');
  w.line(1, '</panorama>');
  w.line(1, '<readonly>');
  w.line(2, '<devices>');
  w.line(3, '<entry name="localhost.localdomain">');
  w.line(4, '<device-group>');
  for (const dg of spec.deviceGroups) {
    if (!dg.parent) {
      w.line(5, `<entry name="${xmlEscape(dg.name)}"/>`);
      continue;
    }
    w.line(5, `<entry name="${xmlEscape(dg.name)}">`);
    w.line(6, `<parent-dg>${xmlEscape(dg.parent)}</parent-dg>`);
    w.line(5, '</entry>');
  }
  w.line(4, '</device-group>');
  w.line(3, '</entry>');
  w.line(2, '</devices>');
  w.line(1, '</readonly>');
  w.line(0, '</config>');
  return w.lines.join('\n') + '\n';
}

function netSet(out: string[], prefix: string, net: Net, zonePrefix: string): void {
  for (const i of net.interfaces) out.push(`${prefix}network interface ethernet ${i.name} layer3 ip ${i.ip}`);
  out.push(`${prefix}network virtual-router default interface [ ${net.interfaces.map((i) => i.name).join(' ')} ]`);
  for (const r of net.routes) {
    const p = `${prefix}network virtual-router default routing-table ip static-route ${r.name}`;
    out.push(`${p} destination ${r.destination}`, `${p} interface ${r.iface}`, `${p} nexthop ip-address ${r.nexthop}`);
  }
  const zones = [...new Set(net.interfaces.map((i) => i.zone))];
  for (const z of zones) {
    const ifs = net.interfaces.filter((x) => x.zone === z).map((x) => x.name);
    out.push(`${zonePrefix}zone ${z} network layer3 ${ifs.length === 1 ? ifs[0] : `[ ${ifs.join(' ')} ]`}`);
  }
}

function profilesSet(out: string[], container: string, profileGroups: string[], logProfiles: string[]): void {
  for (const p of profileGroups) for (const k of ['virus', 'spyware', 'vulnerability']) out.push(`${container} profile-group ${setQuote(p)} ${k} default`);
  for (const p of logProfiles) out.push(`${container} log-settings profiles ${setQuote(p)}`);
}

export function toSet(spec: Spec): string {
  const out: string[] = [];
  if (spec.kind === 'firewall') {
    out.push(`set deviceconfig system hostname ${spec.hostname}`, `set deviceconfig system ip-address ${spec.mgmtIp}`);
    if (spec.panoramaServer) out.push(`set deviceconfig system panorama-server ${spec.panoramaServer}`);
    netSet(out, 'set ', spec.net, 'set ');
    for (const o of spec.objects) out.push(...objectSet('set', o));
    profilesSet(out, 'set', spec.profileGroups, spec.logProfiles);
    for (const r of spec.rules) out.push(...ruleSet('set rulebase security rules', r));
    return out.join('\n') + '\n';
  }
  out.push(`set deviceconfig system hostname ${spec.hostname}`, `set deviceconfig system ip-address ${spec.mgmtIp}`);
  for (const p of spec.permittedIp) out.push(`set deviceconfig system permitted-ip ${p}`);
  out.push('set deviceconfig system service disable-telnet yes', 'set deviceconfig system service disable-http yes');
  out.push(`set deviceconfig system dns-setting servers primary ${spec.dns[0]}`);
  out.push(`set deviceconfig system ntp-servers primary-ntp-server ntp-server-address ${spec.ntp[0]}`);
  for (const d of spec.managed) out.push(`set mgt-config devices ${d}`);
  for (const lc of spec.logCollectors) {
    out.push(`set log-collector ${lc.serial} deviceconfig system ip-address ${lc.ip}`);
    for (const p of lc.permittedIp) out.push(`set log-collector ${lc.serial} deviceconfig system permitted-ip ${p}`);
  }
  for (const g of spec.collectorGroups) out.push(`set log-collector-group ${g.name} logfwd-setting collectors ${g.collectors.length === 1 ? g.collectors[0] : `[ ${g.collectors.join(' ')} ]`}`);
  for (const p of spec.syslog) {
    for (const s of p.servers) {
      const x = `set panorama log-settings syslog ${setQuote(p.name)} server ${setQuote(s.name)}`;
      out.push(`${x} server ${s.host}`, `${x} transport ${s.transport}`, `${x} port ${s.port}`);
    }
  }
  for (const o of spec.sharedObjects) out.push(...objectSet('set shared', o));
  profilesSet(out, 'set shared', spec.profileGroups, spec.logProfiles);
  for (const r of spec.sharedPre) out.push(...ruleSet('set shared pre-rulebase security rules', r));
  for (const r of spec.sharedPost) out.push(...ruleSet('set shared post-rulebase security rules', r));
  for (const t of spec.templates) {
    const p = `set template ${setQuote(t.name)} config devices localhost.localdomain `;
    netSet(out, p, t.net, `${p}vsys vsys1 `);
  }
  for (const s of spec.stacks) {
    out.push(`set template-stack ${setQuote(s.name)} templates ${s.templates.length === 1 ? setQuote(s.templates[0]!) : `[ ${s.templates.map(setQuote).join(' ')} ]`}`);
    for (const d of s.devices) out.push(`set template-stack ${setQuote(s.name)} devices ${d}`);
  }
  for (const dg of spec.deviceGroups) {
    const c = `set device-group ${setQuote(dg.name)}`;
    for (const d of dg.devices) out.push(`${c} devices ${d}`);
    for (const o of dg.objects) out.push(...objectSet(c, o));
    for (const r of dg.pre) out.push(...ruleSet(`${c} pre-rulebase security rules`, r));
    for (const r of dg.post) out.push(...ruleSet(`${c} post-rulebase security rules`, r));
    if (dg.parent) out.push(`set readonly devices localhost.localdomain device-group ${setQuote(dg.name)} parent-dg ${setQuote(dg.parent)}`);
  }
  return out.join('\n') + '\n';
}
