/**
 * @fileoverview The real configs of shared/corpus (read in place, never copied): every file parses,
 * and the facts of the upstream files (iron-skillet twins, pan-os-php, batfish snippets) are read
 * exactly. Where the XML and set twins differ, the difference is asserted and explained.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse } from '../../server/src/core/parse/index';
import { buildModel } from '../../server/src/core/model/build';
import { allRulebases, type ConfigModel, type Rule } from '../../server/src/core/model/types';
import { inspectModel } from '../../server/src/core/inspect';
import { CORPUS, corpusFiles, read } from '../helpers';

function load(name: string): ConfigModel {
  const d = parse(read(path.join(CORPUS, name)));
  assert.deepEqual(d.errors, [], name);
  const m = buildModel(d);
  assert.ok(m, name);
  return m;
}

const ruleNames = (rules: Rule[]): string[] => rules.map((r) => r.name);
const vals = (l: { value: string }[]): string[] => l.map((x) => x.value);

const EDL = ['panw-highrisk-ip-list', 'panw-known-ip-list', 'panw-bulletproof-ip-list'];
const BLOCK_RULES = ['Outbound Block Rule', 'Inbound Block Rule'];

// ---------------------------------------------------------------------------------------------
// Every file
// ---------------------------------------------------------------------------------------------

const EXPECTED_KIND: Record<string, string> = {
  'iron-skillet-panorama-10.1-mgmt-static.xml': 'panorama',
  'iron-skillet-panorama-10.1-set.conf': 'panorama',
  'iron-skillet-panorama-11.0-template-rendered.xml': 'panorama',
  'iron-skillet-panorama-11.0-template.j2.xml': 'panorama',
  'iron-skillet-panos-10.1-mgmt-static.xml': 'firewall',
  'iron-skillet-panos-10.1-set.conf': 'firewall',
  'iron-skillet-panos-11.0-template-rendered.xml': 'firewall',
  'iron-skillet-panos-11.0-template.j2.xml': 'firewall',
  'pan-os-php-fw-6.1-policy-best-practices.xml': 'firewall',
  'pan-os-php-panorama-8.1-devicegroups.xml': 'panorama',
  'batfish-snippets/application-group.set': 'firewall',
  'batfish-snippets/config-filesystem-format.set': 'unknown',
  'batfish-snippets/device-group-shared-inheritance.set': 'panorama',
  'batfish-snippets/device-group.set': 'panorama',
  'batfish-snippets/multiline-token.brace.conf': 'unsupported',
  'batfish-snippets/nested-config.brace.conf': 'unsupported',
  'batfish-snippets/panorama-namespace.set': 'panorama',
  'batfish-snippets/panorama-rulebase.set': 'firewall',
  'batfish-snippets/quoted-values.set': 'firewall',
  'batfish-snippets/runtime-data-panorama.set': 'panorama',
  'batfish-snippets/service.set': 'firewall',
  'batfish-snippets/template-stack.set': 'panorama',
};

test('corpus: the file list covers the top level and batfish-snippets', () => {
  const rel = corpusFiles().map((f) => path.relative(CORPUS, f).split(path.sep).join('/'));
  assert.deepEqual(rel, Object.keys(EXPECTED_KIND).sort());
});

for (const file of corpusFiles()) {
  const rel = path.relative(CORPUS, file).split(path.sep).join('/');
  test(`corpus: ${rel} parses and builds a model (or is reported unsupported)`, () => {
    const text = read(file);
    const d = parse(text);
    const want = EXPECTED_KIND[rel];
    assert.ok(want, `no expectation for ${rel}`);
    const m = buildModel(d);
    if (want === 'unsupported') {
      // The brace ("default") output format is recognised but not modelled.
      assert.equal(d.format, 'brace');
      assert.equal(d.config, undefined);
      assert.equal(m, undefined);
      return;
    }
    assert.equal(d.format, rel.endsWith('.xml') ? 'xml' : 'set');
    assert.deepEqual(d.errors, []);
    assert.ok(m);
    assert.equal(m.kind, want);
    const ins = inspectModel(m);
    assert.equal(ins.format, d.format);
    assert.equal(ins.kind, want);
  });
}

// ---------------------------------------------------------------------------------------------
// iron-skillet: XML vs set twins
// ---------------------------------------------------------------------------------------------

/** Management facts that must agree between the twins. */
function mgmtFacts(m: ConfigModel): unknown {
  const g = m.mgmt;
  return {
    hostname: g.hostname?.value,
    ip: g.ipAddress?.value,
    netmask: g.netmask?.value,
    permitted: vals(g.permittedIps),
    disables: [...g.serviceDisables].map(([k, v]) => [k, v.value]),
    panorama: vals(g.panoramaServers),
    ntp: vals(g.ntpServers),
    dns: vals(g.dnsServers),
    update: g.updateServer?.value,
    snmp: g.snmpPolling,
    scp: vals(g.scpHosts),
    templates: m.templates.map((t) => [t.name, vals(t.mgmt.ntpServers), vals(t.mgmt.dnsServers)]),
    collectorGroups: m.collectorGroups.map((c) => [c.name, vals(c.collectors)]),
    defaults: allRulebases(m).map((rb) => rb.defaults && [rb.defaults.intrazone.action, rb.defaults.intrazone.logEnd, rb.defaults.interzone.action, rb.defaults.interzone.logEnd]),
  };
}

/** The fields of the EDL block rules that all renderings share. */
function ruleFacts(r: Rule): unknown {
  return {
    name: r.name,
    from: vals(r.from.items),
    to: vals(r.to.items),
    source: vals(r.source.items),
    destination: vals(r.destination.items),
    sourceUser: vals(r.sourceUser.items),
    category: vals(r.category.items),
    application: vals(r.application.items),
    service: vals(r.service.items),
    sourceHip: vals(r.sourceHip.items),
    action: r.action,
    disabled: r.disabled,
    logSetting: r.logSetting?.value,
    tags: vals(r.tags.items),
    description: r.description?.value,
  };
}

test('corpus: iron-skillet Panorama 10.1 XML and set agree (inspect), except where the upstream files differ', () => {
  const x = load('iron-skillet-panorama-10.1-mgmt-static.xml');
  const s = load('iron-skillet-panorama-10.1-set.conf');
  const ix = inspectModel(x);
  const is = inspectModel(s);
  assert.equal(ix.kind, 'panorama');
  assert.equal(is.kind, 'panorama');
  assert.deepEqual(ix.deviceGroups, [{ name: 'sample_devicegroup', parent: null, devices: [] }]);
  assert.deepEqual(is.deviceGroups, ix.deviceGroups);
  // The XML repeats template `iron-skillet`, stack `sample_stack` and DG `sample_devicegroup`: merged.
  assert.deepEqual(ix.templates, [
    { name: 'iron-skillet', kind: 'template', templates: [], devices: [] },
    { name: 'sample_stack', kind: 'template-stack', templates: ['iron-skillet'], devices: [] },
  ]);
  assert.deepEqual(is.templates, ix.templates);
  assert.deepEqual(ix.objectNames, {
    address: [],
    'address-group': [],
    service: [],
    'service-group': [],
    'application-group': [],
    'application-filter': [],
    application: [],
    'external-list': [],
    tag: ['Inbound', 'Internal', 'Outbound', 'iron-skillet-version'],
    'profile-group': ['Alert-Only', 'Inbound', 'Internal', 'Outbound', 'default'],
  });
  assert.deepEqual(is.objectNames, ix.objectNames);
  assert.deepEqual(ix.serverProfiles, [
    { kind: 'syslog', name: 'Sample_Syslog_Profile', where: 'panorama', servers: ['192.0.2.2'] },
    { kind: 'email', name: 'Sample_Email_Profile', where: 'panorama', servers: ['192.0.2.1'] },
  ]);
  // Everything else inspect reports agrees, except the three genuine differences asserted below.
  const { format: fx, version: vx, rulebases: rx, ...restX } = ix;
  const { format: fs, version: vs, rulebases: rs, ...restS } = is;
  assert.deepEqual(restS, restX);
  assert.deepEqual([fx, fs], ['xml', 'set']);
  // The set form carries no `<config version=…>`.
  assert.deepEqual([vx, vs], ['10.1.0', null]);
  // Upstream's 10.1 loadable XML was rendered without the EDL block rules (its
  // shared/pre-rulebase/security/rules is empty, see SOURCES.md); the set file has them.
  assert.deepEqual(rx, [
    { location: 'shared/pre', rules: [] },
    { location: 'device-group:sample_devicegroup/pre', rules: [] },
    { location: 'device-group:sample_devicegroup/post', rules: [] },
    { location: 'shared/post', rules: [] },
  ]);
  assert.deepEqual(rs, [
    { location: 'shared/pre', rules: BLOCK_RULES },
    { location: 'device-group:sample_devicegroup/pre', rules: [] },
    { location: 'device-group:sample_devicegroup/post', rules: [] },
    { location: 'shared/post', rules: [] },
  ]);
  assert.deepEqual(mgmtFacts(s), mgmtFacts(x));
  assert.deepEqual([...x.mgmt.serviceDisables].map(([k, v]) => [k, v.value]), [['telnet', 'yes'], ['http', 'yes']]);
  assert.deepEqual(vals(x.mgmt.scpHosts), ['192.0.2.3']);
  // The XML declares an empty `vsys1` entry in sample_stack's config; set output writes no line for
  // an empty element, so the set stack has no vsys.
  assert.deepEqual(x.templates.map((t) => t.vsys), [['vsys1'], ['vsys1']]);
  assert.deepEqual(s.templates.map((t) => t.vsys), [['vsys1'], []]);
});

test('corpus: iron-skillet firewall 10.1 XML and set agree (inspect), except where the upstream files differ', () => {
  const x = load('iron-skillet-panos-10.1-mgmt-static.xml');
  const s = load('iron-skillet-panos-10.1-set.conf');
  const ix = inspectModel(x);
  const is = inspectModel(s);
  assert.equal(ix.kind, 'firewall');
  assert.equal(is.kind, 'firewall');
  assert.deepEqual(ix.deviceGroups, []);
  assert.deepEqual(is.deviceGroups, []);
  assert.deepEqual(ix.templates, []);
  assert.deepEqual(is.templates, []);
  assert.deepEqual(ix.vsys, ['vsys1']);
  assert.deepEqual(is.vsys, ['vsys1']);
  assert.deepEqual(ix.objectNames.tag, ['vsys1/Inbound', 'vsys1/Internal', 'vsys1/Outbound', 'vsys1/iron-skillet-version']);
  assert.deepEqual(ix.objectNames['profile-group'], ['vsys1/Alert-Only', 'vsys1/Inbound', 'vsys1/Internal', 'vsys1/Outbound', 'vsys1/default']);
  assert.deepEqual(is.objectNames, ix.objectNames);
  const { format: fx, version: vx, rulebases: rx, ...restX } = ix;
  const { format: fs, version: vs, rulebases: rs, ...restS } = is;
  assert.deepEqual(restS, restX);
  assert.deepEqual([fx, fs, vx, vs], ['xml', 'set', '10.1.0', null]);
  // As for Panorama: the 10.1 XML rendering has no security rules, the set file has the two.
  assert.deepEqual(rx, [{ location: 'vsys:vsys1', rules: [] }]);
  assert.deepEqual(rs, [{ location: 'vsys:vsys1', rules: BLOCK_RULES }]);
  assert.deepEqual(mgmtFacts(s), mgmtFacts(x));
  // Genuine upstream difference: the set file defines the log forwarding profile `default` with
  // `set shared log-settings profiles default …`, the XML under vsys1/log-settings/profiles.
  assert.deepEqual([[...x.shared.logForwarding.keys()], [...x.vsys[0]!.scope.logForwarding.keys()]], [[], ['default']]);
  assert.deepEqual([[...s.shared.logForwarding.keys()], [...s.vsys[0]!.scope.logForwarding.keys()]], [['default'], []]);
});

test('corpus: the iron-skillet set files hold exactly the two EDL block rules, in order', () => {
  const pano = load('iron-skillet-panorama-10.1-set.conf');
  assert.equal(pano.sharedPre!.location, 'shared/pre');
  assert.deepEqual(ruleNames(pano.sharedPre!.rules), BLOCK_RULES);
  assert.deepEqual(allRulebases(pano).flatMap((rb) => rb.rules.map((r) => `${rb.location}:${r.name}`)), BLOCK_RULES.map((n) => `shared/pre:${n}`));
  const fw = load('iron-skillet-panos-10.1-set.conf');
  assert.equal(fw.vsys[0]!.rulebase.location, 'vsys:vsys1');
  assert.deepEqual(ruleNames(fw.vsys[0]!.rulebase.rules), BLOCK_RULES);
  assert.deepEqual(allRulebases(fw).flatMap((rb) => rb.rules.map((r) => `${rb.location}:${r.name}`)), BLOCK_RULES.map((n) => `vsys:vsys1:${n}`));
  for (const rules of [pano.sharedPre!.rules, fw.vsys[0]!.rulebase.rules]) {
    const [out, inb] = rules;
    assert.deepEqual([vals(out!.source.items), vals(out!.destination.items)], [['any'], EDL]);
    assert.deepEqual([vals(inb!.source.items), vals(inb!.destination.items)], [EDL, ['any']]);
    assert.deepEqual(rules.map((r) => [r.action, vals(r.tags.items), r.logSetting?.value]), [
      ['deny', ['Outbound'], 'default'],
      ['deny', ['Inbound'], 'default'],
    ]);
  }
  // The Panorama set file writes `hip-profiles any` (pre-10.0 name) where newer XML has `source-hip`.
  assert.deepEqual(pano.sharedPre!.rules.map((r) => r.sourceHip.node?.tag), ['hip-profiles', 'hip-profiles']);
  assert.deepEqual(fw.vsys[0]!.rulebase.rules.map((r) => r.sourceHip.node?.tag), ['source-hip', 'source-hip']);
});

test('corpus: the iron-skillet 11.0 rendered XML files hold the two block rules, as in the 10.1 set files', () => {
  const pano = load('iron-skillet-panorama-11.0-template-rendered.xml');
  const fw = load('iron-skillet-panos-11.0-template-rendered.xml');
  assert.equal(pano.kind, 'panorama');
  assert.equal(fw.kind, 'firewall');
  assert.deepEqual([pano.version?.value, fw.version?.value], ['11.0.0', '11.0.0']);
  assert.deepEqual(ruleNames(pano.sharedPre!.rules), BLOCK_RULES);
  assert.deepEqual(allRulebases(pano).filter((rb) => rb.rules.length > 0).map((rb) => rb.location), ['shared/pre']);
  assert.deepEqual(ruleNames(fw.vsys[0]!.rulebase.rules), BLOCK_RULES);
  // Same rule content as the 10.1 set files …
  const panoSet = load('iron-skillet-panorama-10.1-set.conf');
  const fwSet = load('iron-skillet-panos-10.1-set.conf');
  assert.deepEqual(pano.sharedPre!.rules.map(ruleFacts), panoSet.sharedPre!.rules.map(ruleFacts));
  assert.deepEqual(fw.vsys[0]!.rulebase.rules.map(ruleFacts), fwSet.vsys[0]!.rulebase.rules.map(ruleFacts));
  // … except that the Panorama set file also writes `target negate no` (no devices): all devices.
  assert.deepEqual(panoSet.sharedPre!.rules.map((r) => r.target), [
    { devices: [], negate: false },
    { devices: [], negate: false },
  ]);
  assert.deepEqual(pano.sharedPre!.rules.map((r) => r.target), [undefined, undefined]);
  // The 11.0 XML also defines two custom EDL objects (in the device group on Panorama); the rules
  // use the predefined panw-* lists, not these.
  const edls = ['Palo Alto Networks BulletProof IP Addresses', 'Palo Alto Networks Tor exit IP Addresses'];
  assert.deepEqual([...pano.shared.externalLists.keys()], []);
  assert.deepEqual([...pano.deviceGroups[0]!.scope.externalLists.keys()].sort(), edls);
  assert.deepEqual([...fw.vsys[0]!.scope.externalLists.keys()].sort(), edls);
});

// ---------------------------------------------------------------------------------------------
// pan-os-php
// ---------------------------------------------------------------------------------------------

test('corpus: pan-os-php Panorama 8.1 device-group hierarchy from readonly parent-dg', () => {
  const m = load('pan-os-php-panorama-8.1-devicegroups.xml');
  assert.equal(m.kind, 'panorama');
  assert.deepEqual(
    m.deviceGroups.map((g) => [g.name, g.parent?.value ?? null, g.scope.parent?.name]),
    [
      ['Perimeter-FWs', null, 'shared'],
      ['Datacenter-Firewalls', null, 'shared'],
      ['FR Datacenter', 'Datacenter-Firewalls', 'Datacenter-Firewalls'],
      ['DE-Berlin Office', 'Perimeter-FWs', 'Perimeter-FWs'],
      ['testDG', null, 'shared'],
    ],
  );
  const ins = inspectModel(m);
  assert.deepEqual(ins.deviceGroups, [
    { name: 'Perimeter-FWs', parent: null, devices: [] },
    { name: 'Datacenter-Firewalls', parent: null, devices: [] },
    { name: 'FR Datacenter', parent: 'Datacenter-Firewalls', devices: ['000007777'] },
    { name: 'DE-Berlin Office', parent: 'Perimeter-FWs', devices: [] },
    { name: 'testDG', parent: null, devices: ['007100000290'] },
  ]);
  assert.deepEqual(
    allRulebases(m).filter((rb) => rb.rules.length > 0).map((rb) => [rb.location, ruleNames(rb.rules)]),
    [
      ['shared/pre', ['shared pre rule 1', 'shared-pre-rule2']],
      ['device-group:Perimeter-FWs/pre', ['perimeter - allow users outside']],
      ['device-group:DE-Berlin Office/pre', ['berlin-office  prerule  intra', 'berlin-office  prerule  intra-1', 'berlin-office  prerule  intra-2']],
      ['device-group:testDG/pre', ['local dg']],
      ['device-group:Perimeter-FWs/post', ['no traffic out of dc']],
      ['shared/post', ['shared post rule 1']],
    ],
  );
  assert.deepEqual([...m.deviceGroups[0]!.scope.serviceGroups.keys()], ['shrd-grp1-1obj-1ref']);
});

test('corpus: pan-os-php firewall 6.1 legacy application groups, services and rules', () => {
  const m = load('pan-os-php-fw-6.1-policy-best-practices.xml');
  assert.equal(m.kind, 'firewall');
  assert.equal(m.version!.value, '6.1.0');
  const s = m.vsys[0]!.scope;
  assert.deepEqual(
    [...s.applicationGroups.values()].map((g) => [g.name, g.legacy, vals(g.members), g.membersNode === g.node]),
    [
      ['custom-appgroup-1', true, ['4shared', '51.com'], true],
      ['custom-appgroup-2', true, ['daytime', 'facebook'], true],
    ],
  );
  assert.deepEqual(
    [...s.services.values()].map((x) => [x.name, x.protocol, x.port?.value, x.sourcePort?.value]),
    [
      ['TCP-55', 'tcp', '55', '23'],
      ['ldap service', 'tcp', '389,646', undefined],
      ['smtp-25', 'tcp', '25', undefined],
    ],
  );
  assert.deepEqual([...s.serviceGroups.values()].map((g) => [g.name, g.legacy, vals(g.members)]), [['my service group', false, ['ldap service', 'TCP-55']]]);
  const rules = m.vsys[0]!.rulebase.rules;
  assert.equal(rules.length, 23);
  assert.deepEqual([rules[0]!.name, rules[22]!.name], ['WebFarm access', 'Big final deny']);
  const ssh = rules.find((r) => r.name === 'Exception SSH for Dev')!;
  assert.deepEqual([vals(ssh.application.items), vals(ssh.service.items), ssh.action], [['ssh'], ['application-default'], 'allow']);
  assert.deepEqual(
    m.network.zones.map((z) => [z.name, z.interfaces]),
    [
      ['internal', ['ethernet1/2', 'ethernet1/2.1']],
      ['external', ['ethernet1/1']],
      ['dmz', []],
      ['datacenter', []],
      ['partner-vpn', ['tunnel.2']],
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// batfish snippets
// ---------------------------------------------------------------------------------------------

test('corpus: batfish panorama-rulebase.set: pushed pre/post rules around the local rules', () => {
  const m = load('batfish-snippets/panorama-rulebase.set');
  assert.deepEqual(allRulebases(m).map((rb) => [rb.location, ruleNames(rb.rules)]), [
    ['panorama/pre', ['ALLOW-SERVICE1']],
    ['vsys:vsys1', ['DENY-SERVICE12']],
    ['panorama/post', ['ALLOW-SERVICE23']],
  ]);
  // `[ SERVICE1 SERVICE2]` (no space before the bracket).
  assert.deepEqual(vals(m.vsys[0]!.rulebase.rules[0]!.service.items), ['SERVICE1', 'SERVICE2']);
  assert.deepEqual(vals(m.sharedPost!.rules[0]!.service.items), ['SERVICE2', 'SERVICE3']);
  assert.deepEqual([...m.sharedPre!.scope.services.keys()], ['SERVICE1', 'SERVICE2', 'SERVICE3']);
  assert.deepEqual(m.network.zones.map((z) => [z.name, z.interfaces]), [['z1', ['ethernet1/1']], ['z2', ['ethernet1/2']]]);
  assert.deepEqual([...m.network.interfaces.values()].map((i) => [i.name, vals(i.ips)]), [['ethernet1/1', ['1.1.1.1/24']], ['ethernet1/2', ['1.1.2.1/24']]]);
});

test('corpus: batfish device-group snippets: hierarchy, devices, rule order, shadowing', () => {
  const dg = load('batfish-snippets/device-group.set');
  assert.deepEqual(dg.deviceGroups.map((g) => [g.name, g.parent?.value ?? null, vals(g.devices)]), [
    ['DG1', null, ['00000001', '00000002']],
    ['DG2', 'DG1', ['00000003']],
  ]);
  assert.deepEqual(vals(dg.deviceGroups[0]!.post.rules[0]!.service.items), ['service-http', 'service-https']);
  assert.equal(dg.mgmt.hostname!.value, 'device-group');

  const inh = load('batfish-snippets/device-group-shared-inheritance.set');
  // Rule order is the order of the lines, not alphabetical (`2nd_POST_RULE_DG` comes last).
  assert.deepEqual(allRulebases(inh).map((rb) => [rb.location, ruleNames(rb.rules)]), [
    ['shared/pre', ['PRE_RULE_SHARED']],
    ['device-group:DG1/pre', ['PRE_RULE_DG']],
    ['device-group:DG1/post', ['POST_RULE_DG', '2nd_POST_RULE_DG']],
    ['shared/post', ['POST_RULE_SHARED']],
  ]);
  // The DG's ADDR2-override shadows the shared one.
  const dgScope = inh.deviceGroups[0]!.scope;
  assert.equal(dgScope.addresses.get('ADDR2-override')!.value!.value, '192.168.1.2');
  assert.equal(inh.shared.addresses.get('ADDR2-override')!.value!.value, '192.168.2.2');
  assert.equal(inh.shared.addresses.get('ADDR2-override')!.description!.value, 'netmask 2 shared');
  assert.deepEqual(inh.templates.map((t) => [t.name, t.kind, vals(t.templates), vals(t.devices)]), [
    ['T1', 'template', [], []],
    ['TS1', 'template-stack', ['T1'], ['00000001']],
  ]);
  assert.deepEqual([...inh.templates[0]!.network.interfaces.values()].map((i) => [i.name, vals(i.ips)]), [
    ['ethernet1/1', ['192.168.0.1/16']],
    ['ethernet1/2', ['10.0.0.1/16']],
  ]);
});

test('corpus: batfish template snippets with and without `devices localhost.localdomain`', () => {
  const rt = load('batfish-snippets/runtime-data-panorama.set');
  assert.deepEqual(rt.templates.map((t) => [t.name, t.mgmt.hostname?.value, t.mgmt.ipAddress?.value, t.network.zones.map((z) => `${z.where}:${z.name}=${z.interfaces.join(',')}`)]), [
    ['T1', 'firewall1', '10.1.0.1', ['template:T1/vsys1:Z1=ethernet1/1', 'template:T1/vsys1:Z2=ethernet1/2', 'template:T1/vsys1:Z3=ethernet1/3']],
    ['T2', 'firewall2', '10.2.0.1', ['template:T2/vsys1:Z1=ethernet1/1', 'template:T2/vsys1:Z2=ethernet1/2', 'template:T2/vsys1:Z3=ethernet1/3']],
    ['TS1', undefined, undefined, []],
    ['TS2', undefined, undefined, []],
  ]);
  assert.deepEqual([...rt.templates[1]!.network.interfaces.values()].map((i) => [i.name, vals(i.ips)]), [
    ['ethernet1/1', ['10.2.1.1/30']],
    ['ethernet1/2', []],
    ['ethernet1/3', []],
    ['loopback', []],
  ]);
  const ns = load('batfish-snippets/panorama-namespace.set');
  assert.deepEqual(ns.templates[0]!.network.zones.map((z) => [z.where, z.name, z.interfaces]), [
    ['template:T1/vsys1', 'Z1', ['ethernet1/1']],
    ['template:T1/vsys1', 'Z2', ['ethernet1/2']],
  ]);
  assert.deepEqual(vals(ns.deviceGroups[0]!.pre.rules[0]!.application.items), ['APPGROUP1', 'APPGROUP2']);
  assert.deepEqual(vals(ns.shared.applicationGroups.get('APPGROUP1')!.members), ['ping']);
  const ts = load('batfish-snippets/template-stack.set');
  assert.deepEqual(ts.templates.filter((t) => t.kind === 'template-stack').map((t) => [t.name, vals(t.templates), vals(t.devices)]), [
    ['TS1', ['T1', 'T2', 'T_UNDEF'], ['00000001', '00000002']],
    ['TS2', ['T3'], []],
    ['TS3', [], ['00000003']],
  ]);
});

test('corpus: batfish service, application-group and filesystem-format snippets', () => {
  const svc = load('batfish-snippets/service.set');
  const s = svc.vsys[0]!.scope;
  assert.deepEqual([...s.services.values()].map((x) => [x.name, x.protocol, x.port?.value, x.sourcePort?.value, x.description?.value]), [
    ['SERVICE1', 'tcp', '1', undefined, 'long description'],
    ['SERVICE2', 'udp', undefined, '4,5-9', undefined],
    ['SERVICE3', 'udp', '5,6', '9,10', undefined],
    ['SERVICE 4', 'sctp', undefined, undefined, undefined],
  ]);
  assert.deepEqual([...s.serviceGroups.values()].map((g) => [g.name, vals(g.members)]), [
    ['SG1', ['SERVICE1', 'SERVICE2']],
    ['SG 2', ['SG1', 'SERVICE_UNDEFINED']],
  ]);
  const ag = load('batfish-snippets/application-group.set').vsys[0]!.scope;
  assert.deepEqual([...ag.applications.keys()], ['app1', 'app w spaces']);
  assert.deepEqual([...ag.applicationGroups.values()].map((g) => [g.name, vals(g.members), g.legacy]), [
    ['foo', ['dns', 'app1'], false],
    ['foo w spaces', ['dns', 'app w spaces'], false],
  ]);
  const fsf = load('batfish-snippets/config-filesystem-format.set');
  assert.equal(fsf.mgmt.hostname!.value, 'config-filesystem-format');
  assert.deepEqual(fsf.serverProfiles.map((p) => [p.kind, p.name, p.where, p.servers.map((x) => [x.name, x.host?.value])]), [
    ['syslog', 'SLFILESYSTEM', 'shared', [['SNAME', '2.2.2.2']]],
  ]);
});
