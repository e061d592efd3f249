/**
 * @fileoverview Helpers the checks use to word their messages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portsText, thousands } from '../../server/src/core/checks/util';

test('thousands groups digits as en-US does', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [9, '9'],
    [999, '999'],
    [1000, '1,000'],
    [65535, '65,535'],
    [65536, '65,536'],
    [100000, '100,000'],
    [1234567, '1,234,567'],
  ];
  for (const [n, want] of cases) {
    assert.equal(thousands(n), want);
    assert.equal(thousands(n), n.toLocaleString('en-US'));
  }
});

test('portsText counts a wide range with a thousands separator', () => {
  assert.equal(portsText('tcp', [1, 65536]), 'tcp/1-65535 (65,535 ports)');
  assert.equal(portsText('udp', [28, 29]), 'udp/28');
});
