/**
 * @fileoverview Branches of the fixes' planner (server/src/core/fixes/plan.ts) that a mutation pass
 * over it found read by no test: object and rule-name reuse (first object/service of a value, ranges,
 * groups only without unknown members and only when no object means the set, parent scopes, names in
 * any case including a non-ASCII capital, cleaned and cut to 58 characters, `-2` suffixes), the profile
 * group / log forwarding profile picked for new rules (enabled allows only, ties by name, visible from
 * the scope), zones of new rules (sorted, `any` when part of a set has none, Internet zones only for
 * the Palo Alto Networks cloud), grouping of flows by custom port, de-duplicated notes and
 * descriptions, `target` only with devices, and where a rule set goes in evaluation order (first
 * blocker of a pre/local rulebase, never a post one; positions across rulebases).
 *
 * Inputs are examples/firewall-in-front-of-panorama.xml (with its .panos-guard.json, edited where a
 * peer must be unknown) and small inline firewall configs; the position helpers (anchorOf, pointIndex,
 * globalIndex, targetRulebase, resultsNeedingRules) are pure over rulebases and results, so they get
 * minimal hand-built contexts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import '../../server/src/core/fixes';
import { anchorOf, globalIndex, Namer, pickProfiles, planRuleSet, pointIndex, resultsNeedingRules, targetRulebase } from '../../server/src/core/fixes/plan';
import type { EnvFile } from '../../server/src/core/env/envFile';
import type { Rule, Rulebase, Scope } from '../../server/src/core/model/types';
import type { EvalContext, FlowResult } from '../../server/src/core/policy/evaluate';
import type { RequiredFlow } from '../../server/src/core/policy/flows';
import { addrUnion, parseAddress, parsePorts, type AddrSet } from '../../server/src/core/policy/sets';
import { editOnce, ROOT, read } from '../helpers';

const EXAMPLE = read(path.join(ROOT, 'examples', 'firewall-in-front-of-panorama.xml'));
const EXAMPLE_ENV = JSON.parse(read(path.join(ROOT, 'examples', '.panos-guard.json'))) as EnvFile;

function addr(text: string): AddrSet {
  const a = parseAddress(text);
  assert.ok(a, `${text} parses`);
  return a;
}

/** A firewall config: `shared` objects and one entry per vsys (2-space indentation). */
function fw(shared: string, vsys: Record<string, string>): string {
  const v = Object.entries(vsys)
    .map(([name, inner]) => `        <entry name="${name}">\n${inner}\n        </entry>`)
    .join('\n');
  return `<?xml version="1.0"?>
<config version="10.2.0">
  <shared>
${shared}
  </shared>
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
${v}
      </vsys>
    </entry>
  </devices>
</config>
`;
}

function rule(name: string, extra: string, action = 'allow'): string {
  return `              <entry name="${name}">
                <from><member>any</member></from>
                <to><member>any</member></to>
                <source><member>any</member></source>
                <destination><member>192.0.2.99</member></destination>
                <application><member>web-browsing</member></application>
                <service><member>application-default</member></service>
                <action>${action}</action>
${extra}
              </entry>`;
}

function rules(...r: string[]): string {
  return `          <rulebase>
            <security>
              <rules>
${r.join('\n')}
              </rules>
            </security>
          </rulebase>`;
}

const PG = (name: string): string => `                <profile-setting><group><member>${name}</member></group></profile-setting>`;
const LS = (name: string): string => `                <log-setting>${name}</log-setting>`;
const PROFILES = (pgs: string[], lss: string[]): string =>
  `          <profile-group>\n${pgs.map((n) => `            <entry name="${n}"/>`).join('\n')}\n          </profile-group>\n` +
  `          <log-settings>\n            <profiles>\n${lss.map((n) => `              <entry name="${n}"/>`).join('\n')}\n            </profiles>\n          </log-settings>`;

function vsysScope(a: Analysis, name: string): Scope {
  const v = a.model!.vsys.find((x) => x.name === name);
  assert.ok(v, `vsys ${name}`);
  return v.scope;
}

// -------------------------------------------------------------------------------------------------
// Naming and object reuse

/** vsys1 objects chosen to hit each reuse rule; shared holds an address and a service. */
const NAMER_CONFIG = fw(
  `    <address>
      <entry name="shared-pano-9"><ip-netmask>10.10.10.9</ip-netmask></entry>
    </address>
    <service>
      <entry name="shared-tcp-29"><protocol><tcp><port>29</port></tcp></protocol></entry>
    </service>`,
  {
    vsys1: `          <address>
            <entry name="broken"><ip-netmask>not-an-address</ip-netmask></entry>
            <entry name="a5"><ip-netmask>10.10.10.5</ip-netmask></entry>
            <entry name="a7"><ip-netmask>10.10.10.7/32</ip-netmask></entry>
            <entry name="pair-range"><ip-range>10.10.20.1-10.10.20.9</ip-range></entry>
            <entry name="zone-Z"><ip-netmask>192.0.2.1</ip-netmask></entry>
            <entry name="\u212Aelvin"><ip-netmask>192.0.2.2</ip-netmask></entry>
            <entry name="tcp-30"><ip-netmask>192.0.2.3</ip-netmask></entry>
          </address>
          <address-group>
            <entry name="g-unknown"><static><member>a7</member><member>pair-range</member><member>no-such-object</member></static></entry>
            <entry name="g57"><static><member>a5</member><member>a7</member></static></entry>
          </address-group>
          <service>
            <entry name="svc-noport"><protocol><tcp/></protocol></entry>
            <entry name="svc-28-29"><protocol><tcp><port>28, 29</port></tcp></protocol></entry>
            <entry name="svc-31-first"><protocol><tcp><port>31</port></tcp></protocol></entry>
            <entry name="svc-31-second"><protocol><tcp><port>31</port></tcp></protocol></entry>
          </service>
${rules(rule('Dup', '                <description>first</description>'), rule('Dup', '                <description>second</description>', 'deny'), rule('Allow admin clients to Panorama', ''))}`,
  },
);

function namerFor(text = NAMER_CONFIG, reserved?: Set<string>): { a: Analysis; namer: Namer; scope: Scope } {
  const a = analyze(text, { env: { panorama: ['10.10.10.5'] } });
  const scope = vsysScope(a, 'vsys1');
  return { a, namer: new Namer(a.model, scope, a.policy!.resolver, reserved), scope };
}

describe('Namer: address reuse', () => {
  test('a set one object means is that object, even after an object whose value does not parse', () => {
    const { a, namer } = namerFor();
    assert.deepEqual(namer.addresses(addr('10.10.10.7'), 'panorama', a.policy!.env), ['a7']);
    assert.deepEqual(namer.created, []);
  });

  test('an ip-range object is reused for the range it means', () => {
    const { a, namer } = namerFor();
    assert.deepEqual(namer.addresses(addr('10.10.20.1-10.10.20.9'), 'panorama', a.policy!.env), ['pair-range']);
    assert.deepEqual(namer.created, []);
  });

  test('a group meaning the whole set is used when no object does (not its members one by one)', () => {
    const { a, namer } = namerFor();
    assert.deepEqual(namer.addresses(addrUnion(addr('10.10.10.5'), addr('10.10.10.7')), 'panorama', a.policy!.env), ['g57']);
    assert.deepEqual(namer.created, []);
  });

  test('a group with an unknown member is never reused: the blocks are named by their own objects', () => {
    const { a, namer } = namerFor();
    assert.deepEqual(namer.addresses(addrUnion(addr('10.10.10.7'), addr('10.10.20.1-10.10.20.9')), 'panorama', a.policy!.env), ['a7', 'pair-range']);
    assert.deepEqual(namer.created, []);
  });

  test('a range object meaning one run of a larger set is reused for that run (not split into its hosts)', () => {
    const text = editOnce(NAMER_CONFIG, '<entry name="zone-Z">', '<entry name="two-range"><ip-range>10.10.20.11-10.10.20.12</ip-range></entry>\n            <entry name="zone-Z">');
    const { a, namer } = namerFor(text);
    assert.deepEqual(namer.addresses(addrUnion(addr('10.10.10.7'), addr('10.10.20.11-10.10.20.12')), 'panorama', a.policy!.env), ['a7', 'two-range']);
    assert.deepEqual(namer.created, []);
  });

  test('an object of the parent (shared) scope is reused', () => {
    const { a, namer } = namerFor();
    assert.deepEqual(namer.addresses(addr('10.10.10.9'), 'panorama', a.policy!.env), ['shared-pano-9']);
  });

  test('an IPv6 host gets a /128 object named from its address', () => {
    const { a, namer, scope } = namerFor();
    assert.deepEqual(namer.addresses(addr('2001:db8::5'), 'panorama', a.policy!.env), ['Panorama-2001-db8--5']);
    assert.deepEqual(namer.created, [{ type: 'address', name: 'Panorama-2001-db8--5', value: '2001:db8::5/128', description: 'Panorama (panos-guard)', scope }]);
  });
});

describe('Namer: service reuse', () => {
  test('the first service of a port is reused; a service without a port is skipped; spaces in ports are ignored', () => {
    const { namer } = namerFor();
    assert.equal(namer.service('tcp', '31'), 'svc-31-first');
    assert.equal(namer.service('tcp', '28,29'), 'svc-28-29');
    assert.deepEqual(namer.created, []);
  });

  test("a service of the parent (shared) scope is reused", () => {
    const { namer } = namerFor();
    assert.equal(namer.service('tcp', '29'), 'shared-tcp-29');
  });

  test('a new service is created once per plan and named with its ports (commas as underscores)', () => {
    const { namer, scope } = namerFor();
    assert.equal(namer.service('udp', '40,42'), 'udp-40_42');
    assert.equal(namer.service('udp', '40,42'), 'udp-40_42');
    assert.deepEqual(namer.created, [{ type: 'service', name: 'udp-40_42', protocol: 'udp', port: '40,42', description: 'custom service for an App-ID on a non-default port (panos-guard)', scope }]);
  });

  test('a new service takes the next free name when an object of another kind has it in lower case', () => {
    const { namer } = namerFor();
    assert.equal(namer.service('tcp', '30'), 'tcp-30-2');
  });
});

describe('Namer: unique names', () => {
  test("a name is taken when it differs from an object's only by a capital Z, or by a non-ASCII capital (Kelvin sign)", () => {
    const { namer } = namerFor();
    assert.equal(namer.unique('zone-z'), 'zone-z-2');
    assert.equal(namer.unique('kelvin'), 'kelvin-2');
  });

  test('rule names of the model are taken; names taken by this fix (and namers sharing its reservations) too', () => {
    const reserved = new Set<string>();
    const { a, scope, namer } = namerFor(NAMER_CONFIG, reserved);
    assert.equal(namer.unique('Allow admin clients to Panorama'), 'Allow admin clients to Panorama-2');
    assert.equal(namer.unique('Allow NTP'), 'Allow NTP');
    assert.equal(namer.unique('Allow NTP'), 'Allow NTP-2');
    const other = new Namer(a.model, scope, a.policy!.resolver, reserved);
    assert.equal(other.unique('allow ntp'), 'allow ntp-3');
  });

  test('characters PAN-OS names do not allow become dashes; names are cut to 58 characters (room for a suffix)', () => {
    const { namer } = namerFor();
    assert.equal(namer.unique('Allow a/b:c (d)'), 'Allow a-b-c -d-');
    const long = 'Allow ' + 'x'.repeat(70);
    assert.equal(namer.unique(long), long.slice(0, 58));
    assert.equal(namer.unique(long), `${long.slice(0, 58)}-2`);
  });
});

// -------------------------------------------------------------------------------------------------
// Profiles for new rules

describe('pickProfiles', () => {
  test('only enabled allow rules count; a tie goes to the first name', () => {
    const text = fw('', {
      vsys1: `${PROFILES(['pg-b', 'pg-a'], ['lf-b', 'lf-a'])}
${rules(
  rule('r1', `${PG('pg-b')}\n${LS('lf-b')}`),
  rule('r2', `${PG('pg-a')}\n${LS('lf-a')}`),
  rule('r3 disabled', `${PG('pg-b')}\n${LS('lf-b')}\n                <disabled>yes</disabled>`),
  rule('r4 deny', `${PG('pg-b')}\n${LS('lf-b')}`, 'deny'),
)}`,
    });
    const a = analyze(text, {});
    assert.deepEqual(pickProfiles(a.model, vsysScope(a, 'vsys1')), { profileGroup: 'pg-a', logSetting: 'lf-a' });
  });

  test('the most used profiles are taken only where the scope sees them, else the first ones defined along its chain', () => {
    const text = fw('', {
      vsys1: `${PROFILES(['pg-v1', 'pg-v1-other'], ['lf-v1', 'lf-v1-other'])}
${rules(rule('one', `${PG('pg-v1-other')}\n${LS('lf-v1-other')}`))}`,
      vsys2: `${PROFILES(['pg-v2'], ['lf-v2'])}
${rules(rule('two-a', `${PG('pg-v2')}\n${LS('lf-v2')}`), rule('two-b', `${PG('pg-v2')}\n${LS('lf-v2')}`))}`,
    });
    const a = analyze(text, {});
    assert.deepEqual(pickProfiles(a.model, vsysScope(a, 'vsys1')), { profileGroup: 'pg-v1', logSetting: 'lf-v1' });
    assert.deepEqual(pickProfiles(a.model, vsysScope(a, 'vsys2')), { profileGroup: 'pg-v2', logSetting: 'lf-v2' });
  });

  test('profiles defined in shared are seen from a vsys', () => {
    const text = fw(PROFILES(['pg-shared'], ['lf-shared']), {
      vsys1: `${PROFILES(['pg-v1'], ['lf-v1'])}
${rules(rule('s1', `${PG('pg-shared')}\n${LS('lf-shared')}`), rule('s2', `${PG('pg-shared')}\n${LS('lf-shared')}`), rule('v1', `${PG('pg-v1')}\n${LS('lf-v1')}`))}`,
    });
    const a = analyze(text, {});
    assert.deepEqual(pickProfiles(a.model, vsysScope(a, 'vsys1')), { profileGroup: 'pg-shared', logSetting: 'lf-shared' });
  });
});

// -------------------------------------------------------------------------------------------------
// planRuleSet on the example firewall

function example(env: EnvFile = EXAMPLE_ENV) {
  const a = analyze(EXAMPLE, { env });
  const p = a.policy!;
  const ctx = p.contexts[0]!;
  const scope = vsysScope(a, 'vsys1');
  const flow = (id: string): RequiredFlow => {
    const f = p.flows.find((x) => x.id === id);
    assert.ok(f, `flow ${id}`);
    return f;
  };
  const plan = (flows: RequiredFlow[], extra: { target?: string[] } = {}) =>
    planRuleSet({ model: a.model, env: p.env, resolver: p.resolver, zoner: ctx.zoner, scope, flows, denies: [], ...extra });
  return { a, flow, plan };
}

const ports = (t: string): RequiredFlow['ports'] => {
  const p = parsePorts(t);
  assert.ok(p);
  return p;
};

describe('planRuleSet', () => {
  test('flows of one direction on different custom ports get one rule each, with its own service', () => {
    const { flow, plan } = example();
    const ha = flow('ssh-28/ha-encrypted');
    const r = plan([ha, { ...ha, ports: ports('29') }]);
    assert.deepEqual(
      r.allows.map((x) => [x.name, x.service, x.application]),
      [
        ['Allow Panorama to Panorama HA peer tcp-28', ['tcp-28'], ['ssh']],
        ['Allow Panorama to Panorama HA peer tcp-29', ['tcp-29'], ['ssh']],
      ],
    );
    assert.deepEqual(r.objects.map((o) => o.name), ['tcp-28', 'tcp-29']);
  });

  test('an App-ID the catalog has no default ports for gets a custom service', () => {
    const { flow, plan } = example();
    const r = plan([{ ...flow('ssh-22/admin-cli'), apps: ['not-in-catalog'] }]);
    assert.deepEqual(r.allows.map((x) => [x.name, x.service]), [['Allow admin clients to Panorama-LC tcp-22', ['tcp-22']]]);
  });

  test('the description names each flow label and catalog entry once', () => {
    const { flow, plan } = example();
    const web = flow('https-443/web-ui');
    const r = plan([web, web]);
    assert.deepEqual(r.allows.map((x) => x.description), ['panos-guard: web interface (HTTPS) (https-443)']);
  });

  test('target is written only with devices', () => {
    const { flow, plan } = example();
    const web = flow('https-443/web-ui');
    assert.equal('target' in plan([web], { target: [] }).allows[0]!, false);
    assert.deepEqual(plan([web], { target: ['007051000012345'] }).allows[0]!.target, { devices: ['007051000012345'] });
  });

  test('source zones are sorted; a source part in no zone makes the zone any', () => {
    const { flow, plan } = example();
    const web = flow('https-443/web-ui');
    assert.deepEqual(plan([{ ...web, src: addrUnion(addr('10.30.0.0/24'), addr('10.10.10.8')) }]).allows[0]!.from, ['admin', 'mgmt']);
    assert.deepEqual(plan([{ ...web, src: addrUnion(addr('10.30.0.0/24'), addr('2001:db8::8')) }]).allows[0]!.from, ['any']);
  });

  test('an unknown destination is zone any, except the Palo Alto Networks cloud: the Internet zones, sorted', () => {
    const noDns: EnvFile = { ...EXAMPLE_ENV, peers: { ...EXAMPLE_ENV.peers, dnsServers: undefined } as EnvFile['peers'], internetZones: ['untrust', 'dr'] };
    delete (noDns.peers as Record<string, unknown>).dnsServers;
    const { flow, plan } = example(noDns);
    const r = plan([flow('dns-53/dns'), flow('shared-services-80-443-444/shared-services')]);
    assert.deepEqual(
      r.allows.map((x) => [x.name, x.to, x.destination]),
      [
        ['Allow Panorama-LC to DNS servers', ['any'], ['any']],
        ['Allow Panorama to PANW cloud', ['dr', 'untrust'], ['any']],
      ],
    );
  });

  test('unknown admin clients: source any, said once in the notes for all their rules', () => {
    const env: EnvFile = { ...EXAMPLE_ENV };
    delete env.adminClients;
    const { flow, plan } = example(env);
    const r = plan([flow('ssh-22/admin-cli'), flow('https-443/web-ui')]);
    assert.deepEqual(r.allows.map((x) => [x.name, x.source]), [
      ['Allow admin clients to Panorama-LC', ['any']],
      ['Allow admin clients to Panorama', ['any']],
    ]);
    assert.deepEqual(r.notes, ['admin clients unknown: source any (name them in .panos-guard.json)']);
  });

  test('an unknown HA peer is a management host: its rule has source any and no note', () => {
    const env: EnvFile = { ...EXAMPLE_ENV };
    delete env.haPeer;
    const { a, plan } = example(env);
    assert.equal(a.policy!.env.peers.get('haPeer')!.known, false);
    // The flow as the catalog requires it when HA is on (the edited env has no HA flows to take it from).
    const r = plan([example().flow('ssh-28/ha-encrypted/reverse')]);
    assert.deepEqual(r.allows.map((x) => [x.name, x.source, x.service]), [['Allow Panorama HA peer to Panorama tcp-28', ['any'], ['tcp-28']]]);
    assert.deepEqual(r.notes, []);
  });
});

// -------------------------------------------------------------------------------------------------
// Positions in evaluation order (pure over rulebases and results: minimal hand-built ones)

function mkRb(location: string, kind: 'pre' | 'post' | 'local', n: number): Rulebase {
  const rb = { location, kind, rules: [] as Rule[] } as unknown as Rulebase;
  for (let i = 0; i < n; i++) rb.rules.push({ name: `${location}#${i}`, index: i, rulebase: rb } as unknown as Rule);
  return rb;
}

function positions() {
  const sharedPre = mkRb('shared/pre', 'pre', 3);
  const pre = mkRb('device-group:dg/pre', 'pre', 2);
  const post = mkRb('device-group:dg/post', 'post', 2);
  const ctx = { rulebases: [sharedPre, pre, post], insertion: pre } as unknown as EvalContext;
  const result = (portions: { outcome: 'allow' | 'deny'; rule: Rule | undefined }[]): FlowResult => ({ ctx, portions }) as unknown as FlowResult;
  return { sharedPre, pre, post, ctx, result };
}

describe('positions in evaluation order', () => {
  test('globalIndex counts the rules of earlier rulebases; pointIndex puts before/after/end between rules', () => {
    const { sharedPre, pre, post, ctx } = positions();
    assert.equal(globalIndex(ctx, pre.rules[1]!), 4);
    assert.equal(globalIndex(ctx, post.rules[0]!), 5);
    assert.equal(globalIndex(ctx, mkRb('elsewhere', 'local', 1).rules[0]!), -1);
    assert.equal(pointIndex(ctx, pre, pre.rules[1]), 3.5);
    assert.equal(pointIndex(ctx, pre, undefined, pre.rules[0]), 3.5);
    assert.equal(pointIndex(ctx, sharedPre, undefined), 2.75);
    assert.equal(pointIndex(ctx, pre, undefined), 4.75);
    assert.equal(pointIndex(ctx, mkRb('elsewhere', 'local', 1), undefined), Number.MAX_SAFE_INTEGER);
  });

  test('anchorOf: before the earliest pre/local rule that denies part of the flow; allows, default-rule parts and post rules do not anchor', () => {
    const { sharedPre, pre, post, ctx, result } = positions();
    const r = result([
      { outcome: 'deny', rule: pre.rules[1] },
      { outcome: 'allow', rule: sharedPre.rules[0] },
      { outcome: 'deny', rule: undefined },
      { outcome: 'deny', rule: sharedPre.rules[2] },
      { outcome: 'deny', rule: post.rules[0] },
    ]);
    assert.deepEqual(anchorOf(r), { rb: sharedPre, before: sharedPre.rules[2] });
    assert.deepEqual(anchorOf(result([{ outcome: 'deny', rule: post.rules[0] }])), { rb: ctx.insertion, before: undefined });
  });

  test('targetRulebase: the blocker’s own rulebase unless it is a post rulebase', () => {
    const { sharedPre, pre, post, ctx } = positions();
    assert.equal(targetRulebase(ctx, sharedPre.rules[2]), sharedPre);
    assert.equal(targetRulebase(ctx, post.rules[0]), pre);
    assert.equal(targetRulebase(ctx, undefined), pre);
  });

  test('resultsNeedingRules: this context’s blocked, unknown, and default-rule-allowed results', () => {
    const { pre, ctx } = positions();
    const other = { ...ctx } as EvalContext;
    const mk = (c: EvalContext, verdict: string, rule?: Rule): FlowResult => ({ ctx: c, verdict, rule }) as unknown as FlowResult;
    const rs = [mk(ctx, 'blocked', pre.rules[0]), mk(other, 'blocked', pre.rules[0]), mk(ctx, 'allowed'), mk(ctx, 'allowed', pre.rules[1]), mk(ctx, 'unknown'), mk(other, 'unknown')];
    assert.deepEqual(resultsNeedingRules(rs, ctx), [rs[0], rs[2], rs[4]]);
  });
});
