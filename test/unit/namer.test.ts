/**
 * @fileoverview Object reuse by the fixes' Namer: the first address object of a scope meaning the
 * set asked for, else an address group, else a new object; whatever order the sets are asked in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { Namer } from '../../server/src/core/fixes/plan';
import { parseAddress, type AddrSet } from '../../server/src/core/policy/sets';

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
