/**
 * @fileoverview Object reuse by the fixes' Namer: the first address object of a scope meaning the
 * set asked for, else an address group, else a new object; whatever order the sets are asked in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { Namer, pickProfiles } from '../../server/src/core/fixes/plan';
import { parseAddress, type AddrSet } from '../../server/src/core/policy/sets';
import type { EntryMap } from '../../server/src/core/parse/tree';

const CONFIG = `<config version="10.2.0">
  <devices>
    <entry name="localhost.localdomain">
      <deviceconfig><system><panorama><local-panorama><panorama-server>10.10.10.5</panorama-server></local-panorama></panorama></system></deviceconfig>
      <vsys>
        <entry name="vsys1">
          <address>
            <entry name="lc-1"><ip-netmask>10.10.30.1</ip-netmask></entry>
            <entry name="first-pano"><ip-netmask>10.10.10.5</ip-netmask></entry>
            <entry name="lc-2"><ip-netmask>10.10.30.2/32</ip-netmask></entry>
            <entry name="second-pano"><ip-netmask>10.10.10.5/32</ip-netmask></entry>
            <entry name="pano-fqdn"><fqdn>panorama.example.com</fqdn></entry>
            <entry name="pair-range"><ip-range>10.10.20.1-10.10.20.2</ip-range></entry>
            <entry name="pair-1"><ip-netmask>10.10.20.1</ip-netmask></entry>
            <entry name="pair-2"><ip-netmask>10.10.20.2</ip-netmask></entry>
          </address>
          <address-group>
            <entry name="pair-group"><static><member>pair-1</member><member>pair-2</member></static></entry>
            <entry name="lc-group"><static><member>lc-1</member><member>lc-2</member></static></entry>
            <entry name="lc-group-2"><static><member>lc-2</member><member>lc-1</member></static></entry>
          </address-group>
          <rulebase><security><rules/></security></rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`;

const set = (s: string): AddrSet => parseAddress(s)!;

/** A fresh analysis (the Namer's scope indexes are kept per scope) and what each set is named by. */
function names(asks: string[]): string[][] {
  const a = analyze(CONFIG, { fixes: false });
  const model = a.model!;
  const namer = new Namer(model, model.vsys[0]!.scope, a.policy!.resolver);
  return asks.map((s) => namer.addresses(set(s), 'panorama', a.policy!.env));
}

test('the first object meaning the set is reused; a group only when no object means it; else a new object', () => {
  const asks = ['10.10.10.5', '10.10.20.1-10.10.20.2', '10.10.30.1-10.10.30.2', '10.10.40.7'];
  const expected = [['first-pano'], ['pair-range'], ['lc-group'], ['Panorama-10.10.40.7']];
  assert.deepEqual(names(asks), expected);
  // The same answers whatever the order: a set met late (or only among the groups) asked first.
  assert.deepEqual(names([...asks].reverse()), [...expected].reverse());
  assert.deepEqual(names(['10.10.30.1-10.10.30.2', '10.10.20.1-10.10.20.2', '10.10.10.5']), [['lc-group'], ['pair-range'], ['first-pano']]);
});

test('a set no object or group means is split into blocks, each an existing object where one exists', () => {
  // 10.10.10.5-10.10.10.6 is one host per block: 10.10.10.5 is an object already, 10.10.10.6 is made.
  assert.deepEqual(names(['10.10.10.5-10.10.10.6']), [['first-pano', 'Panorama-10.10.10.6']]);
});

test('a new name is taken when an object of any kind has it in any case: services, tags and objects, lower, upper or mixed case', () => {
  const config = CONFIG.replace(
    '</address-group>',
    `</address-group>
          <service><entry name="panorama-10.10.40.7"><protocol><tcp><port>7</port></tcp></protocol></entry></service>
          <tag><entry name="PANORAMA-10.10.40.8"/></tag>`,
  ).replace('</address>', '<entry name="Panorama-10.10.40.9"><ip-netmask>10.99.0.9</ip-netmask></entry></address>');
  const a = analyze(config, { fixes: false });
  const model = a.model!;
  const namer = new Namer(model, model.vsys[0]!.scope, a.policy!.resolver);
  assert.deepEqual(
    ['10.10.40.7', '10.10.40.8', '10.10.40.9', '10.10.40.10', '10.10.40.10'].map((s) => namer.addresses(set(s), 'panorama', a.policy!.env)),
    [['Panorama-10.10.40.7-2'], ['Panorama-10.10.40.8-2'], ['Panorama-10.10.40.9-2'], ['Panorama-10.10.40.10'], ['Panorama-10.10.40.10']],
  );
});

/** A firewall whose allow rules use pg-b and lf-b most (pg-a and lf-a are defined first, and used by a deny and disabled allows). */
function profilesConfig(form: 'xml' | 'set'): string {
  const rules: [string, string, string, string, boolean][] = [
    ['r1', 'allow', 'pg-b', 'lf-b', false],
    ['r2', 'deny', 'pg-a', 'lf-a', false],
    ['r3', 'allow', 'pg-b', 'lf-b', false],
    ['r4', 'allow', 'pg-a', 'lf-a', true],
    ['r5', 'deny', 'pg-a', 'lf-a', false],
    ['r6', 'allow', 'pg-a', 'lf-a', false],
    ['r7', 'allow', 'pg-a', 'lf-a', true],
  ];
  if (form === 'set') {
    const lines = ['set profile-group pg-a', 'set profile-group pg-b', 'set log-settings profiles lf-a', 'set log-settings profiles lf-b'];
    for (const [n, action, pg, lf, disabled] of rules) {
      lines.push(`set rulebase security rules ${n} from any to any source any destination any application any service application-default action ${action}`);
      lines.push(`set rulebase security rules ${n} profile-setting group ${pg}`, `set rulebase security rules ${n} log-setting ${lf}`);
      if (disabled) lines.push(`set rulebase security rules ${n} disabled yes`);
    }
    return lines.join('\n') + '\n';
  }
  const entries = rules
    .map(
      ([n, action, pg, lf, disabled]) =>
        `<entry name="${n}"><from><member>any</member></from><to><member>any</member></to><source><member>any</member></source><destination><member>any</member></destination>` +
        `<application><member>any</member></application><service><member>application-default</member></service><action>${action}</action>` +
        `<profile-setting><group><member>${pg}</member></group></profile-setting><log-setting>${lf}</log-setting>${disabled ? '<disabled>yes</disabled>' : ''}</entry>`,
    )
    .join('');
  return `<config version="10.2.0"><devices><entry name="localhost.localdomain"><vsys><entry name="vsys1">
  <profile-group><entry name="pg-a"/><entry name="pg-b"/></profile-group>
  <log-settings><profiles><entry name="lf-a"/><entry name="lf-b"/></profiles></log-settings>
  <rulebase><security><rules>${entries}</rules></security></rulebase>
</entry></vsys></entry></devices></config>`;
}

test('the profile group and log forwarding profile picked for fixes are those most used by enabled allow rules, whether a rule was read with spans first or not', () => {
  for (const form of ['xml', 'set'] as const) {
    for (const readFirst of [false, true]) {
      const model = analyze(profilesConfig(form), { fixes: false }).model!;
      const rules = model.vsys[0]!.rulebase.rules;
      // Read before anything else of the rules (their names are read with the rulebase).
      if (!readFirst) assert.deepEqual(rules.map((r) => `${r.profileGroupName}/${r.logSettingName}`), ['pg-b/lf-b', 'pg-a/lf-a', 'pg-b/lf-b', 'pg-a/lf-a', 'pg-a/lf-a', 'pg-a/lf-a', 'pg-a/lf-a'], form);
      assert.deepEqual(rules.map((r) => [r.name, r.action, r.disabled]), [['r1', 'allow', false], ['r2', 'deny', false], ['r3', 'allow', false], ['r4', 'allow', true], ['r5', 'deny', false], ['r6', 'allow', false], ['r7', 'allow', true]], form);
      // With spans first (as a finding on the rule would): the count takes the names from what was read.
      if (readFirst) for (const r of rules) assert.ok(r.profileGroup.items.length === 1 && r.logSetting !== undefined);
      assert.deepEqual(pickProfiles(model, model.vsys[0]!.scope), { profileGroup: 'pg-b', logSetting: 'lf-b' }, `${form}${readFirst ? ', read first' : ''}`);
    }
  }
});

test('looking for an object that means a set keeps no object it read, only the members of the groups it resolves', () => {
  const a = analyze(CONFIG, { fixes: false });
  const model = a.model!;
  const addresses = model.vsys[0]!.scope.addresses as EntryMap<unknown>;
  const unmade = [...addresses.keys()].filter((n) => typeof addresses.raw(n) === 'number');
  assert.ok(unmade.length >= 6, `${unmade.length} unmade`);
  const namer = new Namer(model, model.vsys[0]!.scope, a.policy!.resolver);
  // A set no object means: every object is read.
  assert.deepEqual(namer.addresses(set('10.10.40.7'), 'panorama', a.policy!.env), ['Panorama-10.10.40.7']);
  // The groups are resolved (kept by the resolver, as a rule naming them would), and their members with them.
  assert.deepEqual(unmade.filter((n) => typeof addresses.raw(n) !== 'number'), ['lc-1', 'lc-2', 'pair-1', 'pair-2']);
  // And what was read is remembered all the same: an object meaning a set is found without reading again.
  assert.deepEqual(namer.addresses(set('10.10.20.1-10.10.20.2'), 'panorama', a.policy!.env), ['pair-range']);
});
