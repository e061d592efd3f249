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
import { parseEnvFile } from '../../server/src/core/env/envFile';
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
