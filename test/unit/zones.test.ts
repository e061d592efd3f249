/**
 * @fileoverview The zone split of an address set (policy/zones.ts): longest prefix first, the rest in
 * no zone; answers kept per set object and, for small sets, by value (each peer whose addresses are
 * unknown is its own object for all addresses, and the whole space meets every subnet and route).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { parseEnvFile, type EnvFile } from '../../server/src/core/env/envFile';
import { addrToString, ALL, parseAddress } from '../../server/src/core/policy/sets';
import { FIXTURES } from '../helpers';

const DIR = path.join(FIXTURES, 'scenarios', 'fw-tight');

test('all addresses split by zone: exact portions, the same answer for an equal set of another object, another for another value', () => {
  const env = parseEnvFile(fs.readFileSync(path.join(DIR, '.panos-guard.json'), 'utf8')).env;
  const zoner = analyze(fs.readFileSync(path.join(DIR, 'config.xml'), 'utf8'), { fixes: false, env }).policy!.contexts[0]!.zoner;
  const all = zoner.split({ v4: [...ALL.v4], v6: [...ALL.v6] });
  // The connected subnets (smallest first), then the default route's rest; IPv6 is in no zone.
  assert.deepEqual(
    all.map((p) => [p.zone ?? null, addrToString(p.set, 3), p.via]),
    [
      ['untrust', '203.0.113.0/24', 'connected subnet of ethernet1/1'],
      ['mgmt', '10.10.10.0/24', 'connected subnet of ethernet1/2'],
      ['admin', '10.30.0.0/24', 'connected subnet of ethernet1/4'],
      ['services', '10.40.0.0/24', 'connected subnet of ethernet1/5'],
      ['devices', '10.20.0.0/16', 'connected subnet of ethernet1/3'],
      ['untrust', '0.0.0.0-10.10.9.255, 10.10.11.0-10.19.255.255, 10.21.0.0-10.29.255.255, … (3 more)', 'static route 0.0.0.0/0 via ethernet1/1'],
      [null, '::/0', 'no interface, route or .panos-guard.json zone covers it'],
    ],
  );
  assert.equal(zoner.split({ v4: [...ALL.v4], v6: [...ALL.v6] }), all, 'an equal set of another object: the same answer');
  assert.equal(zoner.split(ALL), all);
  const one = zoner.split(parseAddress('10.10.10.5')!);
  assert.notEqual(one, all);
  assert.deepEqual(one.map((p) => [p.zone, addrToString(p.set, 3)]), [['mgmt', '10.10.10.5']]);
});

test('zones from interfaces (an address given as an object name), IPv4 and IPv6 routes (the interface found from the next hop), .panos-guard.json zones (winning a tie), and the Internet zones', () => {
  const text = [
    'set deviceconfig system panorama-server 10.10.10.5',
    'set address mgmt-if ip-netmask 10.10.10.1/24',
    'set network interface ethernet ethernet1/1 layer3 ip 203.0.113.2/24',
    'set network interface ethernet ethernet1/2 layer3 ip mgmt-if',
    'set network interface ethernet ethernet1/3 layer3 ip 192.168.5.1/24',
    'set zone untrust network layer3 ethernet1/1',
    'set zone mgmt network layer3 ethernet1/2',
    'set zone dmz network layer3 ethernet1/3',
    'set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ]',
    // One attribute a line, as `show` writes a configuration in set form.
    'set network virtual-router default routing-table ip static-route default destination 0.0.0.0/0',
    'set network virtual-router default routing-table ip static-route default nexthop ip-address 203.0.113.1',
    'set network virtual-router default routing-table ip static-route lab destination 10.50.0.0/16',
    'set network virtual-router default routing-table ip static-route lab interface ethernet1/3',
    'set network virtual-router default routing-table ip static-route dc destination 10.60.0.0/16',
    'set network virtual-router default routing-table ip static-route dc interface ethernet1/3',
    'set network virtual-router default routing-table ip static-route branch destination 172.16.0.0/12',
    'set network virtual-router default routing-table ip static-route branch nexthop ip-address 192.168.5.254',
    // IPv6: a connected subnet, a routed prefix, and a default route towards another zone than IPv4's.
    'set network interface ethernet ethernet1/3 layer3 ipv6 address 2001:db8:5::1/64',
    'set network virtual-router default routing-table ipv6 static-route v6lab destination 2001:db8:50::/48',
    'set network virtual-router default routing-table ipv6 static-route v6lab interface ethernet1/3',
    'set network virtual-router default routing-table ipv6 static-route v6default destination ::/0',
    'set network virtual-router default routing-table ipv6 static-route v6default nexthop ipv6-address 2001:db8:5::fe',
    '',
  ].join('\n');
  const zonerOf = (env: EnvFile) => analyze(text, { fixes: false, env }).policy!.contexts[0]!.zoner;
  const where = (z: ReturnType<typeof zonerOf>, a: string): unknown => z.split(parseAddress(a)!).map((p) => [p.zone ?? null, addrToString(p.set, 3), p.via]);
  const z = zonerOf({ zones: { '10.50.0.0/16': 'lab' } });
  // The interface's address is the object's value.
  assert.deepEqual(where(z, '10.10.10.5'), [['mgmt', '10.10.10.5', 'connected subnet of ethernet1/2']]);
  // A route without an interface leaves through the interface whose subnet holds its next hop.
  assert.deepEqual(where(z, '8.8.8.8'), [['untrust', '8.8.8.8', 'static route 0.0.0.0/0 via ethernet1/1']]);
  assert.deepEqual(where(z, '172.20.0.1'), [['dmz', '172.20.0.1', 'static route 172.16.0.0/12 via ethernet1/3']]);
  assert.deepEqual(where(z, '10.60.0.1'), [['dmz', '10.60.0.1', 'static route 10.60.0.0/16 via ethernet1/3']]);
  // The env file's zone for exactly the route's prefix wins over the route.
  assert.deepEqual(where(z, '10.50.1.1'), [['lab', '10.50.1.1', '.panos-guard.json zones["10.50.0.0/16"]']]);
  assert.deepEqual(where(z, '2001:db8:5::9'), [['dmz', '2001:db8:5::9', 'connected subnet of ethernet1/3']]);
  assert.deepEqual(where(z, '2001:db8:50::9'), [['dmz', '2001:db8:50::9', 'static route 2001:db8:50::/48 via ethernet1/3']]);
  assert.deepEqual(where(z, '2001:4860::8888'), [['dmz', '2001:4860::8888', 'static route ::/0 via ethernet1/3']]);
  // The zones of the default routes (IPv4 and IPv6) face the Internet, unless the env file names them.
  assert.deepEqual([...z.internetZones], ['untrust', 'dmz']);
  assert.deepEqual([...zonerOf({ internetZones: ['dmz'] }).internetZones], ['dmz']);
});
