/**
 * @fileoverview `flows` on the real iron-skillet configs is plausible and explained (issue "Policy
 * engine and checks", acceptance). Each expectation says why it is what a firewall administrator
 * would expect.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { flowTable } from '../../server/src/core/policy/table';
import { LineIndex } from '../../server/src/core/text';
import { CORPUS, read, spanOf } from '../helpers';

const PANORAMA = ['iron-skillet-panorama-10.1-mgmt-static.xml', 'iron-skillet-panorama-10.1-set.conf'];
const FIREWALL = 'iron-skillet-panos-10.1-mgmt-static.xml';

for (const file of PANORAMA) {
  test(`${file}: without an environment, Panorama's flows are listed but no rulebase is known to carry them`, () => {
    const text = read(path.join(CORPUS, file));
    const a = analyze(text, { fixes: false });
    const t = flowTable(a, new LineIndex(text));
    // The sample device group has no rule naming Panorama 192.168.55.7, so only the shared rulebases
    // are evaluated, and they are not in Panorama's path: no PANO001 is raised, PANO027 explains why.
    assert.deepEqual(t.contexts.map((c) => [c.id, c.inPath]), [['shared', false]]);
    // 12 flows are required: always-on ones (admin CLI/web, DNS, NTP, updates, shared services), the
    // SCP export (config-bundle-export-schedule), the email and syslog profiles, SNMP polling
    // (snmp-setting), and the managed firewall 192.0.2.6 (template-stack management IP) to Panorama.
    assert.deepEqual(t.flows.map((f) => f.id), [
      'ssh-22/admin-cli',
      'ssh-22/scp-export',
      'smtp-25-587/email-alerts',
      'dns-53/dns',
      'shared-services-80-443-444/shared-services',
      'ntp-123/ntp',
      'snmp-161/snmp-polling',
      'https-443/web-ui',
      'https-443/content-updates',
      'syslog-514-6514/syslog',
      'panorama-3978/managed-devices',
      'updates-28443/device-updates',
    ]);
    // No zone is known anywhere (Panorama has no interfaces; no template has zones): every verdict is
    // unknown and says so instead of guessing.
    assert.ok(t.flows.every((f) => f.verdict === 'unknown'), JSON.stringify(t.flows.map((f) => f.verdict)));
    assert.equal(
      t.flows.find((f) => f.id === 'panorama-3978/managed-devices')!.summary,
      'unknown: no rule matches and the default rule depends on zones; the zone of 192.0.2.6 is unknown (no interface, route or .panos-guard.json zone covers it); add it to .panos-guard.json "zones"',
    );
    // No HA, no Log Collector, no LDAP/RADIUS/TACACS+/Kerberos profile: those flows are not required.
    assert.ok(t.skipped.some((s) => s.id === 'ha-cleartext-28769/ha-cleartext' && s.why === 'no HA peer'));
    assert.ok(t.skipped.some((s) => s.id === 'ldap-389-636/ldap' && s.why === 'no ldap server profile on Panorama'));
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.message]),
      [
        ['PANO024', "Panorama's management interface (192.168.55.7) has no permitted-ip list: any address that can route to it may try to log in."],
        ['PANO027', 'No device group is known to protect Panorama/Log Collectors (192.168.55.7): no device-group rule references them and .panos-guard.json names no "deviceGroups". 12 of 12 required flows are not allowed by the shared rulebases.'],
      ],
    );
  });

  test(`${file}: with the device group and zones named, the empty rulebases leave the default rules to decide`, () => {
    const text = read(path.join(CORPUS, file));
    const env = { deviceGroups: ['sample_devicegroup'], zones: { '192.168.55.0/24': 'mgmt', '192.0.2.0/24': 'firewalls', '0.0.0.0/0': 'untrust' } };
    const a = analyze(text, { env, fixes: false });
    const t = flowTable(a, new LineIndex(text));
    assert.deepEqual(t.contexts.map((c) => [c.id, c.inPath]), [['device-group:sample_devicegroup', true]]);
    // The device group has no security rule at all: traffic inside the mgmt zone passes intrazone-default,
    // traffic between zones falls to interzone-default (deny).
    assert.deepEqual(
      t.flows.map((f) => [f.id, f.verdict, f.summary]),
      [
        // Admin clients are not named: "some admin client can reach it" holds inside the mgmt zone.
        ['ssh-22/admin-cli', 'allowed', 'allowed by the default rule intrazone-default (zone mgmt → mgmt)'],
        ['ssh-22/scp-export', 'blocked', 'blocked by the default rule interzone-default (zone mgmt → firewalls)'],
        ['smtp-25-587/email-alerts', 'blocked', 'blocked by the default rule interzone-default (zone mgmt → firewalls)'],
        // 8.8.8.8 and 8.8.4.4 are on the Internet (the 0.0.0.0/0 zone).
        ['dns-53/dns', 'blocked', 'blocked by the default rule interzone-default (zone mgmt → untrust)'],
        ['shared-services-80-443-444/shared-services', 'blocked', 'blocked by the default rule interzone-default (zone mgmt → untrust)'],
        // pool.ntp.org is a host name: whether the allowed part is the one that matters cannot be told.
        ['ntp-123/ntp', 'unknown', 'unknown: 0.pool.ntp.org, 1.pool.ntp.org are host names resolved at run time and only some addresses are allowed; map them in .panos-guard.json "fqdn"'],
        ['snmp-161/snmp-polling', 'allowed', 'allowed by the default rule intrazone-default (zone mgmt → mgmt)'],
        ['https-443/web-ui', 'allowed', 'allowed by the default rule intrazone-default (zone mgmt → mgmt)'],
        ['https-443/content-updates', 'blocked', 'blocked by the default rule interzone-default (zone mgmt → untrust)'],
        ['syslog-514-6514/syslog', 'blocked', 'blocked by the default rule interzone-default (zone mgmt → firewalls)'],
        // The managed firewall 192.0.2.6 cannot reach Panorama 192.168.55.7 across zones.
        ['panorama-3978/managed-devices', 'blocked', 'blocked by the default rule interzone-default (zone firewalls → mgmt)'],
        ['updates-28443/device-updates', 'blocked', 'blocked by the default rule interzone-default (zone firewalls → mgmt)'],
      ],
    );
    // Eight blocked flows, no logged deny, the NTP verdict that cannot be told (at the first NTP server's
    // name, where the config gives it), and no permitted-ip.
    assert.deepEqual(
      a.findings.map((f) => f.code),
      ['PANO024', 'PANO026', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO001', 'PANO002'],
    );
    const unknown = a.findings.find((f) => f.code === 'PANO026')!;
    assert.equal(
      unknown.message,
      'Cannot tell whether Panorama/Log Collectors 192.168.55.7 → NTP servers (0.pool.ntp.org, 1.pool.ntp.org: addresses unknown) udp/123 (ntp) is allowed: 0.pool.ntp.org, 1.pool.ntp.org are host names resolved at run time and only some addresses are allowed; map them in .panos-guard.json "fqdn".',
    );
    assert.deepEqual(unknown.span, spanOf(text, '0.pool.ntp.org'));
  });
}

test(`${FIREWALL}: a firewall that names no Panorama has no Panorama flows; with one given, it is not in its path`, () => {
  const text = read(path.join(CORPUS, FIREWALL));
  const none = analyze(text, { fixes: false });
  assert.equal(none.policy!.flows.length, 0);
  assert.deepEqual(none.findings, []);
  // --panorama 192.0.2.50: the firewall has no interface holding it (the iron-skillet sample has no
  // dataplane addresses), so it is not in Panorama's path; the flows are listed, no finding is raised.
  const given = analyze(text, { cli: { panorama: ['192.0.2.50'] }, fixes: false });
  assert.deepEqual(
    given.policy!.contexts.map((c) => [c.id, c.inPath, c.inPathWhy]),
    [['vsys:vsys1', false, 'no zone of this firewall holds 192.0.2.50 other than through a default route']],
  );
  assert.equal(given.policy!.results.length, 8);
  assert.ok(given.policy!.results.every((r) => r.verdict === 'unknown'));
  assert.deepEqual(given.findings, []);
});
