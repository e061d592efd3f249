/**
 * @fileoverview Hover: on an App-ID, service, address or rule name, what the catalog says (ports,
 * protocol, direction, why Panorama needs it, the note's text) and which required flows the rule
 * allows or blocks.
 */
import type { Analysis } from '../core/analyze';
import { loadCatalog } from '../core/catalog/load';
import { locate, resolveName, type RuleField } from '../core/locate';
import type { Rule } from '../core/model/types';
import { appDefaultPorts, ruleRef } from '../core/policy/evaluate';
import { addrEmpty, addrIntersect, addrOverlaps, addrToString, portsToString } from '../core/policy/sets';

function appInfo(app: string): string[] {
  const c = loadCatalog();
  const lines: string[] = [];
  const entries = c.entries.filter((e) => e.appIds.includes(app));
  const a = Object.prototype.hasOwnProperty.call(c.applications, app) ? c.applications[app] : undefined;
  if (!a && entries.length === 0) return [`**${app}**: not an App-ID that Panorama or Log Collectors use.`];
  lines.push(`**${app}**: App-ID used by Panorama/Log Collector communications`);
  if (a) lines.push('', `application-default ports: ${a.defaultPorts.map((p) => `${p.protocol}/${p.ports}`).join(', ')}${a.verified ? '' : ' _(unverified)_'}`);
  if (entries.length) {
    lines.push('', '| port | protocol | direction | use |', '|---|---|---|---|');
    for (const e of entries) {
      lines.push(`| ${e.ports.map((p) => p.ports).join(', ')} | ${[...new Set(e.ports.map((p) => (p.ssl ? 'ssl' : p.protocol)))].join(', ')} | ${e.direction} | ${e.flows.map((f) => f.label).join('; ')}${e.customService ? ' — needs a custom service' : ''} |`);
    }
    lines.push('', ...entries.map((e) => `> ${e.description}`));
  }
  return lines;
}

function ruleFlows(a: Analysis, rule: Rule): string[] {
  const p = a.policy;
  if (!p) return [];
  const allowed = new Set<string>();
  const blocked = new Set<string>();
  for (const r of p.results) {
    if (r.rule !== rule) continue;
    if (r.verdict === 'allowed') allowed.add(r.flow.label);
    if (r.verdict === 'blocked') blocked.add(r.flow.label);
  }
  const out: string[] = [];
  if (allowed.size || blocked.size) out.push('', `**Panorama flows decided by rule '${rule.name}'**`);
  for (const l of allowed) out.push(`- allows ${l}`);
  for (const l of blocked) out.push(`- blocks ${l}`);
  if (!allowed.size && !blocked.size && p.flows.length) out.push('', `Rule '${rule.name}' decides none of the ${p.flows.length} required Panorama flows.`);
  return out;
}

export function hoverAt(a: Analysis, offset: number): { markdown: string; span: { start: number; end: number } } | undefined {
  const m = a.model;
  if (!m) return undefined;
  const at = locate(m, offset);
  if (!at) return undefined;
  const p = a.policy;
  const lines: string[] = [];
  let span = { start: offset, end: offset };
  const addrInfo = (name: string, scope: Rule['rulebase']['scope'] | undefined): void => {
    if (!p) return;
    const r = p.resolver.addressName(scope, name);
    lines.push(`**${name}**: ${addrEmpty(r.set) ? '(no fixed address)' : addrToString(r.set, 6)}`);
    for (const u of r.unknown) lines.push(`- ${u}`);
    for (const [kind, peer] of p.env.peers) {
      if (kind === 'managementHosts' || !peer.known) continue;
      if (addrOverlaps(peer.set, r.set) && name !== 'any') lines.push(`- holds ${p.env.catalog.peers[kind]} ${addrToString(addrIntersect(peer.set, r.set), 3)}`);
    }
  };
  if (at.kind === 'member') {
    span = at.member.span;
    const f: RuleField = at.field;
    const v = at.member.value;
    if (f === 'application') {
      const grp = resolveName(m, at.rule.rulebase.scope, 'application', v);
      if (grp && p && grp.kind === 'application-group') {
        const apps = p.resolver.applicationName(at.rule.rulebase.scope, v).apps;
        lines.push(`**${v}**: application group of ${apps.join(', ') || 'nothing'}`);
        for (const app of [...new Set(apps)]) lines.push('', ...appInfo(app));
      } else if (v === 'any') {
        lines.push('**any**: every application, including all that Panorama does not need.');
      } else lines.push(...appInfo(v));
    } else if (f === 'service') {
      if (v === 'application-default') {
        const apps = at.rule.application.items.map((x) => x.value);
        lines.push('**application-default**: only the standard ports of each App-ID of this rule:');
        for (const app of apps) {
          const tcp = p ? appDefaultPorts(p.env, app, 'tcp') : undefined;
          const udp = p ? appDefaultPorts(p.env, app, 'udp') : undefined;
          if (tcp || udp) lines.push(`- ${app}: ${[tcp?.length ? `tcp/${portsToString(tcp)}` : '', udp?.length ? `udp/${portsToString(udp)}` : ''].filter(Boolean).join(', ')}`);
          else lines.push(`- ${app}: not in the catalog`);
        }
      } else if (v === 'any') {
        lines.push('**any**: every port.');
      } else if (p) {
        const r = p.resolver.serviceName(at.rule.rulebase.scope, v);
        lines.push(`**${v}**: ${[r.ports.tcp.length ? `tcp/${portsToString(r.ports.tcp)}` : '', r.ports.udp.length ? `udp/${portsToString(r.ports.udp)}` : ''].filter(Boolean).join(', ') || 'no tcp/udp ports'}`);
        for (const u of r.unknown) lines.push(`- ${u}`);
        const c = loadCatalog();
        for (const e of c.entries) {
          for (const ps of e.ports) {
            const pp = ps.protocol === 'tcp' ? r.ports.tcp : r.ports.udp;
            const want = portsToString(pp);
            if (want && ps.ports.split(',').some((x) => want.split(',').includes(x))) lines.push(`- catalog ${e.id}: ${ps.protocol}/${ps.ports} ${e.appIds.join(', ')} (${e.direction})`);
          }
        }
      }
    } else if (f === 'source' || f === 'destination') {
      addrInfo(v, at.rule.rulebase.scope);
    } else if (f === 'from' || f === 'to') {
      const z = resolveName(m, at.rule.rulebase.scope, f, v);
      lines.push(z ? `**zone ${v}**` : v === 'any' ? '**any** zone' : `**${v}**: zone not defined in this file`);
    } else {
      lines.push(`**${v}**`);
    }
    lines.push(...ruleFlows(a, at.rule));
  } else if (at.kind === 'rule') {
    span = at.rule.nameSpan;
    lines.push(`**rule ${ruleRef(at.rule)}**: ${at.rule.action}${at.rule.disabled ? ' (disabled)' : ''}`);
    lines.push(...ruleFlows(a, at.rule));
  } else if (at.kind === 'groupMember') {
    span = at.member.span;
    if (at.memberKind === 'application') lines.push(...appInfo(at.member.value));
    else if (at.memberKind === 'address') addrInfo(at.member.value, at.group.scope);
    else lines.push(`**${at.member.value}**`);
  } else {
    span = at.def.nameSpan;
    lines.push(`**${at.def.kind} ${at.def.name}**`);
    if (at.def.kind === 'address' || at.def.kind === 'address-group') {
      lines.length = 0;
      addrInfo(at.def.name, at.def.scope);
    }
  }
  if (lines.length === 0) return undefined;
  return { markdown: lines.join('\n'), span };
}
