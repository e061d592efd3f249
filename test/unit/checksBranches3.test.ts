/**
 * @fileoverview What PANO022 (a disabled rule would allow a blocked required flow), PANO023 (shadowed
 * Panorama rule), PANO025 (clear-text management), PANO026 (flow that cannot be evaluated) and PANO027
 * (no device group known to protect Panorama) say, read field by field: which rules, rulebases, flows
 * and spans a finding names, when it is left out, and how findings are merged. Each case edits the
 * firewall example (`examples/firewall-in-front-of-panorama.set`) or the `panorama-dg` scenario by a
 * few set lines. A mutation pass over `checks/pano022`, `pano023`, `pano025`, `pano026` and `pano027`
 * found these paths read by no test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import type { Span } from '../../server/src/core/text';
import { editOnce, FIXTURES, ROOT, spanIn } from '../helpers';

const FW = fs.readFileSync(path.join(ROOT, 'examples', 'firewall-in-front-of-panorama.set'), 'utf8');
const PANO = fs.readFileSync(path.join(FIXTURES, 'scenarios', 'panorama-dg', 'config.set'), 'utf8');

/** The findings of `code` with the fields a check sets (code, category and severity left out). */
function findings(text: string, code: string): Record<string, unknown>[] {
  return analyze(text, { fixes: false })
    .findings.filter((f) => f.code === code)
    .map(({ code: _c, category: _k, severity: _s, ...rest }) => rest);
}

/** Set lines `set <prefix> "<rule>" <field>` for each field, one a line. */
function rule(prefix: string, name: string, fields: string[]): string {
  return fields.map((f) => `set ${prefix} "${name}" ${f}\n`).join('');
}

/** A Panorama with one managed firewall in a device group without rules, and nothing else. */
const BARE_PANO = 'set deviceconfig system ip-address 10.10.10.5\nset mgt-config devices 0001\nset device-group dg1 devices 0001\n';

const FW_RULES = 'rulebase security rules';
const EDGE_PRE = 'device-group edge-dg pre-rulebase security rules';
const SHARED_PRE = 'shared pre-rulebase security rules';

/** The `yes` of the line `<prefix> "<name>" disabled yes` in `text`. */
function disabledYes(text: string, prefix: string, name: string): Span {
  return spanIn(text, `${prefix} "${name}" disabled yes`, 'yes');
}

// ---------------------------------------------------------------- PANO022

const DENY_TO = "rule 'Deny other to Panorama' (#6 in vsys:vsys1)";
const ADMIN_443 = 'admin clients (addresses unknown) → Panorama 10.10.10.5 tcp/443 (ssl)';

test('PANO022: a disabled allow rule is named once per flow it would allow, with the rule or default rule that blocks it', () => {
  const adminOff = rule(FW_RULES, 'Admin to Panorama', ['disabled yes']);
  const devicesOff = rule(FW_RULES, 'Devices to Panorama', ['disabled yes']);
  const deniesOff = rule(FW_RULES, 'Deny other to Panorama', ['disabled yes']) + rule(FW_RULES, 'Deny other from Panorama', ['disabled yes']);
  const cases: [string, string, (t: string) => Record<string, unknown>[]][] = [
    [
      'blocked by a later deny rule',
      adminOff,
      (t) => [
        {
          message: `Rule 'Admin to Panorama' (#1 in vsys:vsys1) is disabled, but it would allow ${ADMIN_443}, which is blocked by ${DENY_TO}.`,
          span: disabledYes(t, FW_RULES, 'Admin to Panorama'),
          rule: 'Admin to Panorama',
          rulebase: 'vsys:vsys1',
          catalogId: 'https-443',
          flowId: 'https-443/web-ui',
        },
      ],
    ],
    [
      // Both flows of the catalog the rule would allow: one finding each, not one for the rule.
      'two flows',
      devicesOff,
      (t) => [
        {
          message: `Rule 'Devices to Panorama' (#2 in vsys:vsys1) is disabled, but it would allow managed devices (addresses unknown) → Panorama 10.10.10.5 tcp/28443 (paloalto-updates, panorama), which is blocked by ${DENY_TO}.`,
          span: disabledYes(t, FW_RULES, 'Devices to Panorama'),
          rule: 'Devices to Panorama',
          rulebase: 'vsys:vsys1',
          catalogId: 'updates-28443',
          flowId: 'updates-28443/device-updates',
        },
        {
          message: `Rule 'Devices to Panorama' (#2 in vsys:vsys1) is disabled, but it would allow managed devices (addresses unknown) → Panorama 10.10.10.5 tcp/3978 (panorama), which is blocked by ${DENY_TO}.`,
          span: disabledYes(t, FW_RULES, 'Devices to Panorama'),
          rule: 'Devices to Panorama',
          rulebase: 'vsys:vsys1',
          catalogId: 'panorama-3978',
          flowId: 'panorama-3978/managed-devices',
        },
      ],
    ],
    [
      // With both denies disabled (they would not allow anything), the interzone default rule blocks it.
      'blocked by the default rule',
      adminOff + deniesOff,
      (t) => [
        {
          message: `Rule 'Admin to Panorama' (#1 in vsys:vsys1) is disabled, but it would allow ${ADMIN_443}, which is blocked by the default rule interzone-default.`,
          span: disabledYes(t, FW_RULES, 'Admin to Panorama'),
          rule: 'Admin to Panorama',
          rulebase: 'vsys:vsys1',
          catalogId: 'https-443',
          flowId: 'https-443/web-ui',
        },
      ],
    ],
  ];
  for (const [what, lines, want] of cases) {
    const text = FW + lines;
    assert.deepEqual(findings(text, 'PANO022'), want(text), what);
  }
});

test('PANO022: a firewall that reaches Panorama only through its default route is not in its path: nothing is reported', () => {
  // The rule still matches (it allows `to any`), and the deny after it still blocks the flow.
  const lines = rule(FW_RULES, 'Admin to Panorama', ['to any', 'disabled yes']);
  const text = FW + lines;
  assert.equal(findings(text, 'PANO022').length, 1, 'in the path with the mgmt interface');
  const offPath = editOnce(FW, 'ethernet1/2 layer3 ip 10.10.10.1/24', 'ethernet1/2 layer3 ip 10.99.0.1/24') + lines;
  assert.deepEqual(findings(offPath, 'PANO022'), []);
});

test('PANO022: on Panorama, a disabled rule is reported once per flow across device-group contexts, and each same-named rule in its own rulebase', () => {
  const edgeOff = rule(EDGE_PRE, 'Admin to Panorama', ['disabled yes']);
  const blockedBy = "rule 'Deny other to Panorama' (#5 in device-group:edge-dg/pre)";
  const edge = (t: string): Record<string, unknown>[] => [
    {
      message: `Rule 'Admin to Panorama' (#1 in device-group:edge-dg/pre) is disabled, but it would allow ${ADMIN_443}, which is blocked by ${blockedBy}.`,
      span: disabledYes(t, EDGE_PRE, 'Admin to Panorama'),
      rule: 'Admin to Panorama',
      rulebase: 'device-group:edge-dg/pre',
      catalogId: 'https-443',
      flowId: 'https-443/web-ui',
    },
    {
      message: `Rule 'Admin to Panorama' (#1 in device-group:edge-dg/pre) is disabled, but it would allow admin clients (addresses unknown) → Panorama/Log Collectors 10.10.10.5, 10.10.10.6 tcp/22 (ssh), which is blocked by ${blockedBy}.`,
      span: disabledYes(t, EDGE_PRE, 'Admin to Panorama'),
      rule: 'Admin to Panorama',
      rulebase: 'device-group:edge-dg/pre',
      catalogId: 'ssh-22',
      flowId: 'ssh-22/admin-cli',
    },
  ];
  // A rule targeted at one of edge-dg's two firewalls splits it into two contexts that both run the disabled rule.
  const twoContexts = PANO + edgeOff + 'set device-group edge-dg devices 0003\n' + rule(EDGE_PRE, 'Panorama to Internet', ['target devices 0001']);
  const ids = analyze(twoContexts, { fixes: false }).policy!.contexts.map((c) => c.id);
  assert.deepEqual(ids, ['device-group:edge-dg@0001', 'device-group:edge-dg'], 'two contexts');
  assert.deepEqual(findings(twoContexts, 'PANO022'), edge(twoContexts));
  // A disabled shared pre-rule of the same name before it: a second rule, in its own rulebase.
  const shared =
    PANO + edgeOff + rule(SHARED_PRE, 'Admin to Panorama', ['to mgmt', 'from admin', 'source any', 'destination panorama', 'application ssl', 'service application-default', 'action allow', 'disabled yes']);
  assert.deepEqual(findings(shared, 'PANO022'), [
    ...edge(shared),
    {
      message: `Rule 'Admin to Panorama' (#1 in shared/pre) is disabled, but it would allow ${ADMIN_443}, which is blocked by ${blockedBy}.`,
      span: disabledYes(shared, SHARED_PRE, 'Admin to Panorama'),
      rule: 'Admin to Panorama',
      rulebase: 'shared/pre',
      catalogId: 'https-443',
      flowId: 'https-443/web-ui',
    },
  ]);
});

// ---------------------------------------------------------------- PANO023

/** Fields of the example's "Admin to Panorama", for rules placed before it. */
const ADMIN_FIELDS: Record<string, string> = {
  to: 'mgmt',
  from: 'admin',
  source: 'admin-clients',
  destination: '[ panorama log-collector ]',
  application: '[ ssh ssl ]',
  service: 'application-default',
  action: 'allow',
};

/** Rule `name` of the firewall example's rulebase with `fields` (over those of "Admin to Panorama"), moved to the top. */
function onTop(name: string, fields: Record<string, string> = {}, prefix = FW_RULES): string {
  const all = { ...ADMIN_FIELDS, ...fields };
  return rule(prefix, name, Object.entries(all).map(([k, v]) => `${k} ${v}`)) + `move ${prefix} "${name}" top\n`;
}

/** `field` of rule `name` replaced by `value` (a set line adds members to a list: delete it first). */
function replace(name: string, field: string, value: string, prefix = FW_RULES): string {
  return `delete ${prefix} "${name}" ${field}\n` + rule(prefix, name, [`${field} ${value}`]);
}

/** PANO023's finding: "Admin to Panorama" shadowed by `by` (`#1` of `rulebase`). */
function shadowed(text: string, by: string, verb: 'allows' | 'blocks', rulebase = 'vsys:vsys1', prefix = FW_RULES): Record<string, unknown> {
  const ref = `'${by}' (#1 in ${rulebase})`;
  return {
    message: `Rule 'Admin to Panorama' is shadowed by rule ${ref}, which matches all traffic it matches (and ${verb} it first); 'Admin to Panorama' never applies.`,
    // A set-form rule's name span is its name token, quotes included.
    span: spanIn(text, `${prefix} "Admin to Panorama"`, '"Admin to Panorama"'),
    rule: 'Admin to Panorama',
    rulebase,
    related: [{ message: `shadowing rule ${ref}`, span: spanIn(text, `${prefix} "${by}"`, `"${by}"`) }],
  };
}

test('PANO023: an earlier rule shadows a Panorama rule only when it matches all its traffic, field by field', () => {
  const A = 'Admin to Panorama';
  const objects =
    'set address admin-fqdn fqdn admin.example.com\n' +
    'set address-group dyn-admins dynamic filter admins\n' +
    'set application-filter remote-access category networking\n' +
    'set service tcp-53 protocol tcp port 53\nset service udp-53 protocol udp port 53\n' +
    'set service all-tcp protocol tcp port 0-65535\nset service all-udp protocol udp port 0-65535\n';
  // [what, lines after the example, shadowed (and how) or not]
  const cases: [string, string, 'allows' | 'blocks' | 'no'][] = [
    ['the same fields', onTop('Early'), 'allows'],
    ['the same fields, denied', onTop('Early', { action: 'deny' }), 'blocks'],
    ['a universal rule before an interzone one', onTop('Early') + rule(FW_RULES, A, ['rule-type interzone']), 'allows'],
    ['an earlier rule for some users only', onTop('Early', { 'source-user': 'admins' }), 'no'],
    // The later rule also matches traffic within mgmt (from mgmt to mgmt); an interzone rule does not.
    ['an interzone rule before a universal one', onTop('Early', { from: '[ admin mgmt ]', 'rule-type': 'interzone' }) + rule(FW_RULES, A, ['from mgmt']), 'no'],
    ['a later rule from any zone', onTop('Early') + replace(A, 'from', 'any'), 'no'],
    // No source zone listed is any zone too.
    ['a later rule with no source zone', onTop('Early') + `delete ${FW_RULES} "${A}" from\n`, 'no'],
    ['a later rule to one more zone', onTop('Early') + rule(FW_RULES, A, ['to dr']), 'no'],
    ['a later rule for any App-ID', onTop('Early') + replace(A, 'application', 'any'), 'no'],
    ['a later rule with an application filter', onTop('Early') + rule(FW_RULES, A, ['application remote-access']), 'no'],
    // A filter only adds App-IDs: the earlier rule still matches every App-ID it lists.
    ['an earlier rule with an application filter beside the App-IDs', onTop('Early', { application: '[ ssh ssl remote-access ]' }), 'allows'],
    ['a later rule for any service', onTop('Early') + replace(A, 'service', 'any'), 'no'],
    // `any` is every protocol, not only every TCP and UDP port.
    ['an earlier rule on every TCP and UDP port before one for any service', onTop('Early', { service: '[ all-tcp all-udp ]' }) + replace(A, 'service', 'any'), 'no'],
    ['a later rule with a service not in the config', onTop('Early', { service: 'service-https' }) + replace(A, 'service', '[ service-https no-such-service ]'), 'no'],
    ['an earlier rule on port 443 before one on the App-IDs\' default ports', onTop('Early', { service: 'service-https' }), 'no'],
    ['an earlier rule on TCP before one on UDP', onTop('Early', { service: 'tcp-53' }) + replace(A, 'service', 'udp-53'), 'no'],
    // The earlier rule's sources are partly unknown, and its destinations leave out the Log Collector.
    ['an earlier rule with a dynamic source group and fewer destinations', onTop('Early', { source: '[ admin-clients dyn-admins ]', destination: 'panorama' }), 'no'],
    ['a later rule with an FQDN source', onTop('Early') + rule(FW_RULES, A, ['source admin-fqdn']), 'no'],
    ['an earlier rule from no source (any, negated)', onTop('Early', { source: 'any', 'negate-source': 'yes' }), 'no'],
    ['an earlier rule from every source but the admin clients', onTop('Early', { 'negate-source': 'yes' }), 'no'],
  ];
  for (const [what, lines, want] of cases) {
    const text = FW + objects + lines;
    assert.deepEqual(findings(text, 'PANO023'), want === 'no' ? [] : [shadowed(text, 'Early', want)], what);
  }
});

test('PANO023: a broad rule (any or a negated destination) behind an earlier one is not reported as a shadowed Panorama rule', () => {
  const broad = { destination: 'any', application: 'any', service: 'any' };
  // "Later" is placed first, then "Early" above it; "Early" also shadows "Admin to Panorama".
  const anyDst = FW + onTop('Later', broad) + onTop('Early', broad);
  assert.deepEqual(findings(anyDst, 'PANO023'), [shadowed(anyDst, 'Early', 'allows')], 'any destination');
  // On Panorama (two management hosts), every destination but Panorama still reaches the Log Collector.
  const rb = 'device-group:edge-dg/pre';
  const negated = PANO + onTop('Later', { ...broad, destination: 'panorama', 'negate-destination': 'yes' }, EDGE_PRE) + onTop('Early', broad, EDGE_PRE);
  assert.deepEqual(findings(negated, 'PANO023'), [shadowed(negated, 'Early', 'allows', rb, EDGE_PRE)], 'every destination but Panorama');
});

test('PANO023: on Panorama, an earlier rule targeted at other firewalls shadows nothing', () => {
  const early = (extra: Record<string, string>): string => onTop('Early', { source: 'admin-clients', ...extra }, EDGE_PRE);
  const rb = 'device-group:edge-dg/pre';
  const all = PANO + early({});
  assert.deepEqual(findings(all, 'PANO023'), [shadowed(all, 'Early', 'allows', rb, EDGE_PRE)]);
  // 0002 is a firewall of device group "branches", not of edge-dg.
  assert.deepEqual(findings(PANO + early({ 'target devices': '0002' }), 'PANO023'), []);
});

// ---------------------------------------------------------------- PANO025

test('PANO025: clear-text management is reported for Panorama and each Log Collector by name, and only on Panorama', () => {
  const clear = ': credentials cross the network in clear text.';
  const http = editOnce(PANO, 'service disable-http yes', 'service disable-http no');
  const lc = PANO + 'set log-collector 0000LC1 deviceconfig system service disable-telnet no\n';
  const both = http + 'set log-collector 0000LC1 deviceconfig system service disable-http no\n';
  const cases: [string, string, (t: string) => Record<string, unknown>[]][] = [
    ['Panorama', http, (t) => [{ message: `Panorama has HTTP management enabled (disable-http no)${clear}`, span: spanIn(t, 'disable-http no', 'no') }]],
    ['a Log Collector', lc, (t) => [{ message: `Log Collector 0000LC1 has Telnet management enabled (disable-telnet no)${clear}`, span: spanIn(t, 'disable-telnet no', 'no') }]],
    [
      'both',
      both,
      (t) => [
        { message: `Panorama has HTTP management enabled (disable-http no)${clear}`, span: spanIn(t, 'system service disable-http no', 'no') },
        { message: `Log Collector 0000LC1 has HTTP management enabled (disable-http no)${clear}`, span: spanIn(t, '0000LC1 deviceconfig system service disable-http no', 'no') },
      ],
    ],
    // A firewall's own management services are not what this check is about.
    ['a firewall', FW + 'set deviceconfig system service disable-http no\nset deviceconfig system service disable-telnet no\n', () => []],
  ];
  for (const [what, text, want] of cases) {
    assert.deepEqual(findings(text, 'PANO025'), want(text), what);
  }
});

// ---------------------------------------------------------------- PANO026

const DYN_FW = `set address-group dyn-devices dynamic filter "'managed-fw'"\n`;
const DYN_REASON = "dynamic address group 'dyn-devices' (filter 'managed-fw') gets its members at run time";
const DEVICES_3978 = 'managed devices (addresses unknown) → Panorama 10.10.10.5 tcp/3978 (panorama)';
const DEVICES_28443 = 'managed devices (addresses unknown) → Panorama 10.10.10.5 tcp/28443 (paloalto-updates, panorama)';

/** Member `member` of `field` in the first line of rule `name` (`prefix`) that sets it. */
function memberOf(text: string, prefix: string, name: string, field: string, member: string): Span {
  return spanIn(text, `${prefix} "${name}" ${field} ${member}`, member);
}

test('PANO026: one finding per place and reason, at the member that cannot be evaluated or the rule without an action', () => {
  const devicesDyn = DYN_FW + replace('Devices to Panorama', 'source', 'dyn-devices');
  const devices = (t: string): Record<string, unknown> => ({
    message: `Cannot tell whether these 2 flows are allowed: ${DEVICES_3978}; ${DEVICES_28443}. Reason: ${DYN_REASON}.`,
    span: memberOf(t, FW_RULES, 'Devices to Panorama', 'source', 'dyn-devices'),
    rule: 'Devices to Panorama',
    rulebase: 'vsys:vsys1',
    catalogId: 'panorama-3978',
    flowId: 'panorama-3978/managed-devices',
  });
  const admin = (reason: string, span: Span): Record<string, unknown> => ({
    message: `Cannot tell whether ${ADMIN_443} is allowed: ${reason}.`,
    span,
    rule: 'Admin to Panorama',
    rulebase: 'vsys:vsys1',
    catalogId: 'https-443',
    flowId: 'https-443/web-ui',
  });
  const cases: [string, string, (t: string) => Record<string, unknown>[]][] = [
    ['a dynamic group in one rule', devicesDyn, (t) => [devices(t)]],
    // The same reason in another rule is another place: a finding of its own.
    [
      'the same dynamic group in two rules',
      devicesDyn + replace('Admin to Panorama', 'source', 'dyn-devices'),
      (t) => [devices(t), admin(DYN_REASON, memberOf(t, FW_RULES, 'Admin to Panorama', 'source', 'dyn-devices'))],
    ],
    // The flow matches the rule by its destination `panorama`: the FQDN beside it is not what is unknown, the App-ID filter is.
    [
      'an application filter beside an FQDN destination',
      'set address adm-fqdn fqdn adm.example.com\nset application-filter remote-access category networking\n' +
        rule(FW_RULES, 'Admin to Panorama', ['destination adm-fqdn']) +
        replace('Admin to Panorama', 'application', '[ ssh remote-access ]'),
      (t) => [admin("application filter 'remote-access' selects App-IDs by attributes", spanIn(t, '[ ssh remote-access ]', 'remote-access'))],
    ],
    [
      'a rule without an action',
      `delete ${FW_RULES} "Admin to Panorama" action\n`,
      (t) => [admin("rule 'Admin to Panorama' (#1 in vsys:vsys1) has no valid action", spanIn(t, `${FW_RULES} "Admin to Panorama"`, '"Admin to Panorama"'))],
    ],
  ];
  for (const [what, lines, want] of cases) {
    const text = FW + lines;
    assert.deepEqual(findings(text, 'PANO026'), want(text), what);
  }
});

test('PANO026: flows no rule matches in a Panorama without zones are grouped by reason at the rulebase', () => {
  const text =
    BARE_PANO +
    'set shared address panorama ip-netmask 10.10.10.5/32\n' +
    rule(SHARED_PRE, 'Web UI', ['from any', 'to any', 'source any', 'destination panorama', 'application ssl', 'service application-default', 'action allow']);
  const at = spanIn(text, SHARED_PRE, 'rules');
  const zone = (what: string): string =>
    `no rule matches and the default rule depends on zones; the zone of ${what} is unknown (no interface, route or .panos-guard.json zone covers it); add it to .panos-guard.json "zones"`;
  const cloud = 'Panorama 10.10.10.5 → Palo Alto Networks cloud services (addresses unknown)';
  assert.deepEqual(findings(text, 'PANO026'), [
    {
      message: `Cannot tell whether admin clients (addresses unknown) → Panorama/Log Collectors 10.10.10.5 tcp/22 (ssh) is allowed: ${zone('admin clients (addresses unknown)')}.`,
      span: at,
      rulebase: 'shared/pre',
      catalogId: 'ssh-22',
      flowId: 'ssh-22/admin-cli',
    },
    {
      message: `Cannot tell whether these 2 flows are allowed: ${DEVICES_3978}; ${DEVICES_28443}. Reason: ${zone('managed devices (addresses unknown)')}.`,
      span: at,
      rulebase: 'shared/pre',
      catalogId: 'panorama-3978',
      flowId: 'panorama-3978/managed-devices',
    },
    {
      message: `Cannot tell whether these 4 flows are allowed: Panorama/Log Collectors 10.10.10.5 → DNS servers (addresses unknown) udp/53 (dns); ${cloud} tcp/80,443-444 (paloalto-shared-services); Panorama/Log Collectors 10.10.10.5 → NTP servers (addresses unknown) udp/123 (ntp); ${cloud} tcp/443 (paloalto-updates). Reason: ${zone('10.10.10.5')}.`,
      span: at,
      rulebase: 'shared/pre',
      catalogId: 'dns-53',
      flowId: 'dns-53/dns',
    },
  ]);
});

test('PANO026: on Panorama, a flow undecided in two device-group contexts is listed once; a shared rule is reported in its own rulebase', () => {
  const dyn = (where: string): string => `set ${where} address-group dyn-devices dynamic filter "'managed-fw'"\n`;
  const LC_3978 = 'managed devices (addresses unknown) → Log Collectors 10.10.10.6 tcp/3978 (panorama)';
  const three = (reason: string): string => `Cannot tell whether these 3 flows are allowed: ${DEVICES_3978}; ${LC_3978}; ${DEVICES_28443}. Reason: ${reason}.`;
  const twoContexts =
    PANO + dyn('device-group edge-dg') + replace('Devices to Panorama', 'source', 'dyn-devices', EDGE_PRE) + 'set device-group edge-dg devices 0003\n' + rule(EDGE_PRE, 'Panorama to Internet', ['target devices 0001']);
  assert.deepEqual(findings(twoContexts, 'PANO026'), [
    {
      message: three(DYN_REASON),
      span: memberOf(twoContexts, EDGE_PRE, 'Devices to Panorama', 'source', 'dyn-devices'),
      rule: 'Devices to Panorama',
      rulebase: 'device-group:edge-dg/pre',
      catalogId: 'panorama-3978',
      flowId: 'panorama-3978/managed-devices',
    },
  ]);
  const shared =
    PANO + dyn('shared') +
    rule(SHARED_PRE, 'Shared devices', ['from devices', 'to mgmt', 'source dyn-devices', 'destination [ panorama log-collector ]', 'application [ panorama paloalto-updates ]', 'service application-default', 'action allow']);
  assert.deepEqual(findings(shared, 'PANO026'), [
    {
      message: three(DYN_REASON),
      span: memberOf(shared, SHARED_PRE, 'Shared devices', 'source', 'dyn-devices'),
      rule: 'Shared devices',
      rulebase: 'shared/pre',
      catalogId: 'panorama-3978',
      flowId: 'panorama-3978/managed-devices',
    },
  ]);
});

// ---------------------------------------------------------------- PANO027

test('PANO026: a flow to a peer named by a host name, allowed in part, is unknown because of the name: said at the name, not folded into another reason', () => {
  const text =
    editOnce(PANO, 'ntp-server-address 10.40.0.123', 'ntp-server-address ntp.example.net') +
    `set device-group edge-dg address-group dyn-net dynamic filter "'inet'"\n` +
    `delete ${EDGE_PRE} "Panorama to Internet" destination\n` +
    rule(EDGE_PRE, 'Panorama to Internet', ['destination dyn-net', 'application ntp']);
  const cloud = (ports: string, apps: string): string => `Panorama 10.10.10.5 → Palo Alto Networks cloud services (addresses unknown) tcp/${ports} (${apps})`;
  assert.deepEqual(findings(text, 'PANO026'), [
    {
      message:
        'Cannot tell whether Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers (ntp.example.net: addresses unknown) udp/123 (ntp) is allowed: ntp.example.net is a host name resolved at run time and only some addresses are allowed; map it in .panos-guard.json "fqdn".',
      span: spanIn(text, 'ntp-server-address ntp.example.net', 'ntp.example.net'),
      rulebase: 'device-group:edge-dg/pre',
      catalogId: 'ntp-123',
      flowId: 'ntp-123/ntp',
    },
    {
      message: `Cannot tell whether these 2 flows are allowed: ${cloud('80,443-444', 'paloalto-shared-services')}; ${cloud('443', 'paloalto-updates')}. Reason: dynamic address group 'dyn-net' (filter 'inet') gets its members at run time.`,
      span: memberOf(text, EDGE_PRE, 'Panorama to Internet', 'destination', 'dyn-net'),
      rule: 'Panorama to Internet',
      rulebase: 'device-group:edge-dg/pre',
      catalogId: 'shared-services-80-443-444',
      flowId: 'shared-services-80-443-444/shared-services',
    },
  ]);
});

test('PANO027: with no device group in front of Panorama, the finding names the groups the env file names and counts the flows the shared rules leave not allowed', () => {
  const noGroup = 'no device-group rule references them and .panos-guard.json names no "deviceGroups"';
  // Rules of `any` address name no management host: they leave the shared rulebases out of Panorama's path.
  const web = rule(SHARED_PRE, 'Web', ['from any', 'to any', 'source any', 'destination any', 'application ssl', 'service application-default', 'action allow']);
  const cases: [string, string, string[] | undefined, string][] = [
    ['no rules', BARE_PANO, undefined, `${noGroup}. 8 of 8 required flows`],
    ['a shared rule that allows one flow', BARE_PANO + web, undefined, `${noGroup}. 7 of 8 required flows`],
    ['one device group named', BARE_PANO, ['edge'], `.panos-guard.json "deviceGroups" names 'edge', which is not a device group of this file. 8 of 8 required flows`],
    ['two device groups named', BARE_PANO + web, ['edge', 'core'], `.panos-guard.json "deviceGroups" names 'edge', 'core', which are not device groups of this file. 7 of 8 required flows`],
  ];
  for (const [what, text, deviceGroups, why] of cases) {
    const got = analyze(text, { fixes: false, env: deviceGroups ? { deviceGroups } : {} })
      .findings.filter((f) => f.code === 'PANO027')
      .map(({ code: _c, category: _k, severity: _s, ...rest }) => rest);
    assert.deepEqual(
      got,
      [
        {
          message: `No device group is known to protect Panorama/Log Collectors (10.10.10.5): ${why} are not allowed by the shared rulebases.`,
          span: spanIn(text, 'system ip-address 10.10.10.5', '10.10.10.5'),
          rulebase: 'shared/pre',
        },
      ],
      what,
    );
  }
});
