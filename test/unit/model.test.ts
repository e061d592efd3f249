/**
 * @fileoverview Unit tests of buildModel (model/build.ts): the same small configs written in XML
 * and in set form must give the same model, with spans that point at the right text in each form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../server/src/core/parse/index';
import { buildModel } from '../../server/src/core/model/build';
import { allRulebases, lookup, type ConfigModel, type MemberList, type Rule } from '../../server/src/core/model/types';
import { MergedNode, XNode } from '../../server/src/core/parse/tree';
import type { Located, Span } from '../../server/src/core/text';
import { spanOf } from '../helpers';

type Form = 'xml' | 'set';

function build(text: string, form: Form): ConfigModel {
  const d = parse(text);
  assert.equal(d.format, form);
  assert.deepEqual(d.errors, []);
  const m = buildModel(d);
  assert.ok(m);
  assert.equal(m.format, form);
  return m;
}

/** Span of `needle` at or after the first occurrence of `after`. */
function after(text: string, anchor: string, needle: string): Span {
  const a = text.indexOf(anchor);
  assert.ok(a >= 0, `anchor '${anchor}' not found`);
  return spanOf(text, needle, 0, a);
}

/** Span of an entry name: inside the quotes in XML, the (possibly quoted) token in set form. */
function nameSpan(text: string, form: Form, name: string, anchor = ''): Span {
  if (form === 'xml') {
    const s = after(text, anchor, `"${name}"`);
    return { start: s.start + 1, end: s.end - 1 };
  }
  const quoted = /\s/.test(name) ? `"${name}"` : name;
  return after(text, anchor, quoted);
}

function items(l: MemberList): string[] {
  return l.items.map((i) => i.value);
}

// ---------------------------------------------------------------------------------------------
// A firewall, in both forms
// ---------------------------------------------------------------------------------------------

const FW_XML = `<?xml version="1.0"?>
<config version="10.1.0" urldb="paloaltonetworks" detail-version="10.1.9">
  <shared>
    <log-settings>
      <syslog>
        <entry name="fw-syslog">
          <server>
            <entry name="syslog-1"><server>192.0.2.50</server><port>1514</port><transport>TCP</transport></entry>
          </server>
        </entry>
      </syslog>
      <email>
        <entry name="fw-mail">
          <server>
            <entry name="mail-1"><gateway>192.0.2.51</gateway></entry>
          </server>
        </entry>
      </email>
    </log-settings>
    <address>
      <entry name="shared-ntp"><fqdn>ntp.example.com</fqdn></entry>
    </address>
  </shared>
  <devices>
    <entry name="localhost.localdomain">
      <deviceconfig>
        <system>
          <hostname>fw-01</hostname>
          <ip-address>192.0.2.6</ip-address>
          <netmask>255.255.255.0</netmask>
          <permitted-ip>
            <entry name="10.10.0.0/24"/>
            <entry name="10.20.0.5"/>
          </permitted-ip>
          <service>
            <disable-telnet>yes</disable-telnet>
            <disable-http>yes</disable-http>
            <disable-ssh>no</disable-ssh>
          </service>
          <panorama-server>192.0.2.20</panorama-server>
          <panorama>
            <local-panorama>
              <panorama-server>192.0.2.21</panorama-server>
              <panorama-server-2>192.0.2.22</panorama-server-2>
            </local-panorama>
          </panorama>
          <ntp-servers>
            <primary-ntp-server><ntp-server-address>192.0.2.30</ntp-server-address></primary-ntp-server>
            <secondary-ntp-server><ntp-server-address>192.0.2.31</ntp-server-address></secondary-ntp-server>
          </ntp-servers>
          <dns-setting>
            <servers><primary>192.0.2.40</primary><secondary>192.0.2.41</secondary></servers>
          </dns-setting>
          <update-server>updates.paloaltonetworks.com</update-server>
        </system>
      </deviceconfig>
      <network>
        <interface>
          <ethernet>
            <entry name="ethernet1/1">
              <layer3><ip><entry name="203.0.113.1/24"/></ip></layer3>
            </entry>
            <entry name="ethernet1/2">
              <layer3>
                <ip><entry name="10.1.0.1/24"/></ip>
                <units>
                  <entry name="ethernet1/2.10"><ip><entry name="10.10.0.1/24"/></ip><tag>10</tag></entry>
                </units>
              </layer3>
            </entry>
          </ethernet>
        </interface>
        <virtual-router>
          <entry name="default">
            <routing-table><ip><static-route>
              <entry name="default-route">
                <destination>0.0.0.0/0</destination>
                <interface>ethernet1/1</interface>
                <nexthop><ip-address>203.0.113.254</ip-address></nexthop>
              </entry>
            </static-route></ip></routing-table>
          </entry>
        </virtual-router>
      </network>
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="untrust"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
            <entry name="trust">
              <network>
                <layer3><member>ethernet1/2</member><member>ethernet1/2.10</member></layer3>
                <zone-protection-profile>zp</zone-protection-profile>
                <enable-packet-buffer-protection>yes</enable-packet-buffer-protection>
                <log-setting>zone-log</log-setting>
              </network>
            </entry>
          </zone>
          <address>
            <entry name="pano-host"><ip-netmask>192.0.2.20/32</ip-netmask><description>Panorama MGT</description><tag><member>mgmt-tag</member></tag></entry>
            <entry name="lc-range"><ip-range>192.0.2.100-192.0.2.110</ip-range></entry>
            <entry name="updates"><fqdn>updates.example.net</fqdn></entry>
          </address>
          <address-group>
            <entry name="mgmt-hosts"><static><member>pano-host</member><member>lc-range</member></static></entry>
            <entry name="tagged"><dynamic><filter>'mgmt-tag' and 'prod'</filter></dynamic></entry>
          </address-group>
          <service>
            <entry name="tcp-28"><protocol><tcp><port>28</port></tcp></protocol></entry>
            <entry name="syslog-udp"><protocol><udp><port>514,1514</port><source-port>1024-65535</source-port></udp></protocol><description>syslog in</description></entry>
          </service>
          <service-group>
            <entry name="mgmt-svcs"><members><member>tcp-28</member><member>syslog-udp</member></members></entry>
          </service-group>
          <application-group>
            <entry name="mgmt-apps"><members><member>ssh</member><member>panorama</member></members></entry>
          </application-group>
          <tag><entry name="mgmt-tag"><color>color1</color></entry></tag>
          <profile-group><entry name="Outbound-PG"><virus><member>default</member></virus></entry></profile-group>
          <rulebase>
            <security>
              <rules>
                <entry name="Allow Panorama" uuid="5f2c1a7e-0000-4000-8000-000000000001">
                  <from><member>trust</member></from>
                  <to><member>untrust</member></to>
                  <source><member>mgmt-hosts</member><member>10.9.9.9</member></source>
                  <destination><member>pano-host</member></destination>
                  <source-user><member>ops-group</member></source-user>
                  <category><member>computer-and-internet-info</member></category>
                  <application><member>ssh</member><member>ssl</member></application>
                  <service><member>tcp-28</member><member>application-default</member></service>
                  <action>allow</action>
                  <disabled>no</disabled>
                  <negate-source>yes</negate-source>
                  <negate-destination>no</negate-destination>
                  <log-setting>fwd-to-panorama</log-setting>
                  <log-start>yes</log-start>
                  <log-end>no</log-end>
                  <profile-setting><group><member>Outbound-PG</member></group></profile-setting>
                  <tag><member>mgmt-tag</member></tag>
                  <description>Panorama access for ops</description>
                </entry>
                <entry name="profiled">
                  <from><member>any</member></from>
                  <to><member>any</member></to>
                  <action>drop</action>
                  <rule-type>intrazone</rule-type>
                  <profile-setting>
                    <profiles>
                      <virus><member>av-p</member></virus>
                      <spyware><member>as-p</member></spyware>
                      <vulnerability><member>vp-p</member></vulnerability>
                      <url-filtering><member>url-p</member></url-filtering>
                      <file-blocking><member>fb-p</member></file-blocking>
                      <wildfire-analysis><member>wf-p</member></wildfire-analysis>
                    </profiles>
                  </profile-setting>
                </entry>
                <entry name="deny-rest">
                  <action>reset-both</action>
                  <disabled>yes</disabled>
                  <negate-destination>yes</negate-destination>
                  <rule-type>interzone</rule-type>
                </entry>
              </rules>
            </security>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`;

const FW_SET = `set shared log-settings syslog fw-syslog server syslog-1 server 192.0.2.50
set shared log-settings syslog fw-syslog server syslog-1 port 1514
set shared log-settings syslog fw-syslog server syslog-1 transport TCP
set shared log-settings email fw-mail server mail-1 gateway 192.0.2.51
set shared address shared-ntp fqdn ntp.example.com
set deviceconfig system hostname fw-01
set deviceconfig system ip-address 192.0.2.6
set deviceconfig system netmask 255.255.255.0
set deviceconfig system permitted-ip 10.10.0.0/24
set deviceconfig system permitted-ip 10.20.0.5
set deviceconfig system service disable-telnet yes
set deviceconfig system service disable-http yes
set deviceconfig system service disable-ssh no
set deviceconfig system panorama-server 192.0.2.20
set deviceconfig system panorama local-panorama panorama-server 192.0.2.21
set deviceconfig system panorama local-panorama panorama-server-2 192.0.2.22
set deviceconfig system ntp-servers primary-ntp-server ntp-server-address 192.0.2.30
set deviceconfig system ntp-servers secondary-ntp-server ntp-server-address 192.0.2.31
set deviceconfig system dns-setting servers primary 192.0.2.40
set deviceconfig system dns-setting servers secondary 192.0.2.41
set deviceconfig system update-server updates.paloaltonetworks.com
set network interface ethernet ethernet1/1 layer3 ip 203.0.113.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.1.0.1/24
set network interface ethernet ethernet1/2 layer3 units ethernet1/2.10 ip 10.10.0.1/24
set network interface ethernet ethernet1/2 layer3 units ethernet1/2.10 tag 10
set network virtual-router default routing-table ip static-route default-route destination 0.0.0.0/0
set network virtual-router default routing-table ip static-route default-route interface ethernet1/1
set network virtual-router default routing-table ip static-route default-route nexthop ip-address 203.0.113.254
set zone untrust network layer3 ethernet1/1
set zone trust network layer3 [ ethernet1/2 ethernet1/2.10 ]
set zone trust network zone-protection-profile zp
set zone trust network enable-packet-buffer-protection yes
set zone trust network log-setting zone-log
set address pano-host ip-netmask 192.0.2.20/32
set address pano-host description "Panorama MGT"
set address pano-host tag mgmt-tag
set address lc-range ip-range 192.0.2.100-192.0.2.110
set address updates fqdn updates.example.net
set address-group mgmt-hosts static [ pano-host lc-range ]
set address-group tagged dynamic filter "'mgmt-tag' and 'prod'"
set service tcp-28 protocol tcp port 28
set service syslog-udp protocol udp port 514,1514 source-port 1024-65535
set service syslog-udp description "syslog in"
set service-group mgmt-svcs members [ tcp-28 syslog-udp ]
set application-group mgmt-apps members [ ssh panorama ]
set tag mgmt-tag color color1
set profile-group Outbound-PG virus default
set rulebase security rules "Allow Panorama" from trust
set rulebase security rules "Allow Panorama" to untrust
set rulebase security rules "Allow Panorama" source [ mgmt-hosts 10.9.9.9 ]
set rulebase security rules "Allow Panorama" destination pano-host
set rulebase security rules "Allow Panorama" source-user ops-group
set rulebase security rules "Allow Panorama" category computer-and-internet-info
set rulebase security rules "Allow Panorama" application [ ssh ssl ]
set rulebase security rules "Allow Panorama" service [ tcp-28 application-default ]
set rulebase security rules "Allow Panorama" action allow
set rulebase security rules "Allow Panorama" disabled no
set rulebase security rules "Allow Panorama" negate-source yes
set rulebase security rules "Allow Panorama" negate-destination no
set rulebase security rules "Allow Panorama" log-setting fwd-to-panorama
set rulebase security rules "Allow Panorama" log-start yes
set rulebase security rules "Allow Panorama" log-end no
set rulebase security rules "Allow Panorama" profile-setting group Outbound-PG
set rulebase security rules "Allow Panorama" tag mgmt-tag
set rulebase security rules "Allow Panorama" description "Panorama access for ops"
set rulebase security rules profiled from any to any action drop rule-type intrazone
set rulebase security rules profiled profile-setting profiles virus av-p
set rulebase security rules profiled profile-setting profiles spyware as-p
set rulebase security rules profiled profile-setting profiles vulnerability vp-p
set rulebase security rules profiled profile-setting profiles url-filtering url-p
set rulebase security rules profiled profile-setting profiles file-blocking fb-p
set rulebase security rules profiled profile-setting profiles wildfire-analysis wf-p
set rulebase security rules deny-rest action reset-both disabled yes negate-destination yes rule-type interzone
`;

const FORMS: [Form, string][] = [
  ['xml', FW_XML],
  ['set', FW_SET],
];

for (const [form, text] of FORMS) {
  const m = (): ConfigModel => build(text, form);
  const rule = (name: string): Rule => {
    const r = m().vsys[0]!.rulebase.rules.find((x) => x.name === name);
    assert.ok(r, name);
    return r;
  };
  /** Located members of a rule field; each value's span is its first occurrence after the rule's name. */
  const located = (ruleName: string, vals: string[]): Located<string>[] => {
    const anchor = form === 'xml' ? `<entry name="${ruleName}"` : `rules ${/\s/.test(ruleName) ? `"${ruleName}"` : ruleName} `;
    return vals.map((v) => ({ value: v, span: after(text, anchor, form === 'xml' ? `>${v}<` : v) })).map((l) =>
      form === 'xml' ? { value: l.value, span: { start: l.span.start + 1, end: l.span.end - 1 } } : l,
    );
  };

  test(`model[${form}] firewall: device kind, version, vsys and rulebase`, () => {
    const mm = m();
    assert.equal(mm.kind, 'firewall');
    if (form === 'xml') {
      assert.deepEqual(mm.version, { value: '10.1.0', span: spanOf(text, '10.1.0') });
      assert.deepEqual(mm.detailVersion, { value: '10.1.9', span: spanOf(text, '10.1.9') });
    } else {
      // The set form carries no version.
      assert.equal(mm.version, undefined);
      assert.equal(mm.detailVersion, undefined);
    }
    assert.deepEqual(mm.vsys.map((v) => v.name), ['vsys1']);
    assert.deepEqual(
      allRulebases(mm).map((rb) => [rb.location, rb.kind, rb.rules.map((r) => r.name)]),
      [['vsys:vsys1', 'local', ['Allow Panorama', 'profiled', 'deny-rest']]],
    );
    assert.deepEqual(mm.vsys[0]!.rulebase.rules.map((r) => r.index), [0, 1, 2]);
    assert.equal(mm.sharedPre, undefined);
    assert.equal(mm.sharedPost, undefined);
    assert.deepEqual(mm.deviceGroups, []);
    assert.deepEqual(mm.templates, []);
  });

  test(`model[${form}] firewall: every field of a fully specified rule`, () => {
    const r = rule('Allow Panorama');
    assert.deepEqual(r.nameSpan, nameSpan(text, form, 'Allow Panorama'));
    assert.deepEqual(r.from.items, located('Allow Panorama', ['trust']));
    assert.deepEqual(r.to.items, located('Allow Panorama', ['untrust']));
    assert.deepEqual(r.source.items, located('Allow Panorama', ['mgmt-hosts', '10.9.9.9']));
    assert.deepEqual(r.destination.items, located('Allow Panorama', ['pano-host']));
    assert.deepEqual(r.sourceUser.items, located('Allow Panorama', ['ops-group']));
    assert.deepEqual(r.category.items, located('Allow Panorama', ['computer-and-internet-info']));
    assert.deepEqual(r.application.items, located('Allow Panorama', ['ssh', 'ssl']));
    assert.deepEqual(r.service.items, located('Allow Panorama', ['tcp-28', 'application-default']));
    assert.equal(r.from.node!.tag, 'from');
    assert.equal(r.sourceHip.node, undefined);
    assert.deepEqual(r.sourceHip.items, []);
    assert.equal(r.action, 'allow');
    assert.deepEqual(r.actionValue, located('Allow Panorama', ['allow'])[0]);
    assert.equal(r.disabled, false);
    assert.deepEqual(r.disabledValue, form === 'xml' ? located('Allow Panorama', ['no'])[0] : { value: 'no', span: after(text, 'disabled no', 'no') });
    assert.equal(r.negateSource, true);
    assert.equal(r.negateDestination, false);
    assert.equal(r.ruleType, 'universal');
    assert.deepEqual(r.logSetting, located('Allow Panorama', ['fwd-to-panorama'])[0]);
    assert.equal(r.logStart, true);
    assert.equal(r.logEnd, false);
    assert.deepEqual(items(r.profileGroup), ['Outbound-PG']);
    assert.equal(r.profiles.size, 0);
    assert.equal(r.target, undefined);
    assert.deepEqual(r.tags.items, located('Allow Panorama', ['mgmt-tag']));
    const desc = 'Panorama access for ops';
    assert.deepEqual(r.description, { value: desc, span: form === 'xml' ? spanOf(text, desc) : spanOf(text, `"${desc}"`) });
    assert.equal(r.uuid, form === 'xml' ? '5f2c1a7e-0000-4000-8000-000000000001' : undefined);
    assert.equal(r.rulebase.location, 'vsys:vsys1');
    assert.ok(r.rulebase.rules.includes(r));
  });

  test(`model[${form}] firewall: defaults and profile-setting profiles`, () => {
    const p = rule('profiled');
    assert.equal(p.action, 'drop');
    assert.equal(p.disabled, false);
    assert.equal(p.disabledValue, undefined);
    assert.equal(p.negateSource, false);
    assert.equal(p.negateDestination, false);
    assert.equal(p.logStart, false, 'log-start defaults to no');
    assert.equal(p.logEnd, true, 'log-end defaults to yes');
    assert.equal(p.logSetting, undefined);
    assert.equal(p.description, undefined);
    assert.equal(p.ruleType, 'intrazone');
    assert.deepEqual(p.source.items, []);
    assert.equal(p.source.node, undefined);
    assert.deepEqual(p.profileGroup.items, []);
    assert.deepEqual(
      [...p.profiles].map(([k, v]) => [k, items(v)]),
      [
        ['virus', ['av-p']],
        ['spyware', ['as-p']],
        ['vulnerability', ['vp-p']],
        ['url-filtering', ['url-p']],
        ['file-blocking', ['fb-p']],
        ['wildfire-analysis', ['wf-p']],
      ],
    );
    assert.deepEqual(p.profiles.get('wildfire-analysis')!.items, located('profiled', ['wf-p']));
    const d = rule('deny-rest');
    assert.equal(d.action, 'reset-both');
    assert.equal(d.disabled, true);
    assert.equal(d.negateDestination, true);
    assert.equal(d.ruleType, 'interzone');
  });

  test(`model[${form}] firewall: address, address-group, service, service-group, application-group objects`, () => {
    const mm = m();
    const s = mm.vsys[0]!.scope;
    assert.equal(s.kind, 'vsys');
    assert.equal(s.name, 'vsys1');
    assert.equal(s.parent, mm.shared);
    assert.deepEqual(
      [...s.addresses.values()].map((a) => [a.name, a.type, a.value?.value, a.description?.value, a.tags]),
      [
        ['pano-host', 'ip-netmask', '192.0.2.20/32', 'Panorama MGT', ['mgmt-tag']],
        ['lc-range', 'ip-range', '192.0.2.100-192.0.2.110', undefined, []],
        ['updates', 'fqdn', 'updates.example.net', undefined, []],
      ],
    );
    const pano = s.addresses.get('pano-host')!;
    assert.deepEqual(pano.nameSpan, nameSpan(text, form, 'pano-host', form === 'xml' ? '<address>' : 'set address pano-host'));
    assert.deepEqual(pano.value!.span, spanOf(text, '192.0.2.20/32'));
    assert.deepEqual(
      [...mm.shared.addresses.values()].map((a) => [a.name, a.type, a.value?.value, a.scope.kind]),
      [['shared-ntp', 'fqdn', 'ntp.example.com', 'shared']],
    );
    assert.equal(lookup(s, 'addresses', 'shared-ntp')?.scope, mm.shared);

    const ag = s.addressGroups;
    assert.deepEqual(
      [...ag.values()].map((g) => [g.name, g.static?.map((x) => x.value), g.dynamicFilter?.value]),
      [
        ['mgmt-hosts', ['pano-host', 'lc-range'], undefined],
        ['tagged', undefined, "'mgmt-tag' and 'prod'"],
      ],
    );
    assert.deepEqual(ag.get('mgmt-hosts')!.static![1]!.span, after(text, 'mgmt-hosts', 'lc-range'));

    assert.deepEqual(
      [...s.services.values()].map((x) => [x.name, x.protocol, x.port?.value, x.sourcePort?.value, x.description?.value]),
      [
        ['tcp-28', 'tcp', '28', undefined, undefined],
        ['syslog-udp', 'udp', '514,1514', '1024-65535', 'syslog in'],
      ],
    );
    assert.deepEqual(s.services.get('syslog-udp')!.port!.span, spanOf(text, '514,1514'));
    assert.deepEqual(s.services.get('syslog-udp')!.sourcePort!.span, spanOf(text, '1024-65535'));

    const sg = s.serviceGroups.get('mgmt-svcs')!;
    assert.deepEqual([sg.members.map((x) => x.value), sg.legacy, sg.membersNode?.tag], [['tcp-28', 'syslog-udp'], false, 'members']);
    const appg = s.applicationGroups.get('mgmt-apps')!;
    assert.deepEqual([appg.members.map((x) => x.value), appg.legacy, appg.membersNode?.tag], [['ssh', 'panorama'], false, 'members']);
    assert.deepEqual(appg.members[1]!.span, after(text, 'mgmt-apps', 'panorama'));
    assert.deepEqual([...s.tags.keys()], ['mgmt-tag']);
    assert.deepEqual([...s.profileGroups.keys()], ['Outbound-PG']);
  });

  test(`model[${form}] firewall: zones, interfaces with IPs (layer3 and units), static routes`, () => {
    const net = m().network;
    assert.deepEqual(
      net.zones.map((z) => [z.name, z.where, z.interfaces]),
      [
        ['untrust', 'vsys1', ['ethernet1/1']],
        ['trust', 'vsys1', ['ethernet1/2', 'ethernet1/2.10']],
      ],
    );
    assert.deepEqual(m().vsys[0]!.zones.map((z) => z.name), ['untrust', 'trust']);
    assert.deepEqual(
      [...net.interfaces.values()].map((i) => [i.name, i.ips.map((x) => x.value)]),
      [
        ['ethernet1/1', ['203.0.113.1/24']],
        ['ethernet1/2', ['10.1.0.1/24']],
        ['ethernet1/2.10', ['10.10.0.1/24']],
      ],
    );
    assert.deepEqual(net.interfaces.get('ethernet1/2.10')!.ips[0]!.span, spanOf(text, '10.10.0.1/24'));
    assert.deepEqual(
      net.routes.map((r) => [r.name, r.destination, r.iface, r.nexthop]),
      [['default-route', '0.0.0.0/0', 'ethernet1/1', '203.0.113.254']],
    );
  });

  test(`model[${form}] firewall: management settings`, () => {
    const g = m().mgmt;
    const v = (l: Located<string> | undefined): string | undefined => l?.value;
    assert.equal(v(g.hostname), 'fw-01');
    assert.deepEqual(g.ipAddress, { value: '192.0.2.6', span: spanOf(text, '192.0.2.6') });
    assert.equal(v(g.netmask), '255.255.255.0');
    assert.deepEqual(g.permittedIps, [
      { value: '10.10.0.0/24', span: spanOf(text, '10.10.0.0/24') },
      { value: '10.20.0.5', span: spanOf(text, '10.20.0.5') },
    ]);
    assert.deepEqual([...g.serviceDisables].map(([k, x]) => [k, x.value]), [
      ['telnet', 'yes'],
      ['http', 'yes'],
      ['ssh', 'no'],
    ]);
    assert.equal(g.serviceNode!.tag, 'service');
    // Both schema locations: `panorama-server` (≤9.0) and `panorama/local-panorama/…` (9.1+).
    assert.deepEqual(g.panoramaServers, ['192.0.2.20', '192.0.2.21', '192.0.2.22'].map((x) => ({ value: x, span: spanOf(text, x) })));
    assert.deepEqual(g.ntpServers.map(v), ['192.0.2.30', '192.0.2.31']);
    assert.deepEqual(g.dnsServers, ['192.0.2.40', '192.0.2.41'].map((x) => ({ value: x, span: spanOf(text, x) })));
    assert.equal(v(g.updateServer), 'updates.paloaltonetworks.com');
  });

  test(`model[${form}] firewall: syslog and email server profiles`, () => {
    assert.deepEqual(
      m().serverProfiles.map((p) => [p.kind, p.name, p.where, p.servers.map((s) => [s.name, s.host?.value, s.port?.value, s.transport?.value])]),
      [
        ['syslog', 'fw-syslog', 'shared', [['syslog-1', '192.0.2.50', '1514', 'TCP']]],
        ['email', 'fw-mail', 'shared', [['mail-1', '192.0.2.51', undefined, undefined]]],
      ],
    );
    assert.deepEqual(m().serverProfiles[0]!.servers[0]!.host!.span, spanOf(text, '192.0.2.50'));
    assert.deepEqual(m().serverProfiles[0]!.nameSpan, nameSpan(text, form, 'fw-syslog'));
  });
}

test('model: the XML and set firewalls give the same facts', () => {
  const facts = (mm: ConfigModel): unknown => ({
    kind: mm.kind,
    rules: mm.vsys[0]!.rulebase.rules.map((r) => ({
      name: r.name,
      fields: [r.from, r.to, r.source, r.destination, r.sourceUser, r.category, r.application, r.service, r.profileGroup, r.tags].map(items),
      flags: [r.action, r.disabled, r.negateSource, r.negateDestination, r.ruleType, r.logSetting?.value, r.logStart, r.logEnd, r.description?.value],
      profiles: [...r.profiles].map(([k, x]) => [k, items(x)]),
    })),
    objects: [...mm.vsys[0]!.scope.addresses.keys(), ...mm.vsys[0]!.scope.services.keys(), ...mm.vsys[0]!.scope.applicationGroups.keys()],
    zones: mm.network.zones.map((z) => [z.name, z.interfaces]),
    ifs: [...mm.network.interfaces.values()].map((i) => [i.name, i.ips.map((x) => x.value)]),
    mgmt: [mm.mgmt.permittedIps, mm.mgmt.panoramaServers, mm.mgmt.ntpServers, mm.mgmt.dnsServers].map((l) => l.map((x) => x.value)),
    disables: [...mm.mgmt.serviceDisables].map(([k, x]) => [k, x.value]),
  });
  assert.deepEqual(facts(build(FW_SET, 'set')), facts(build(FW_XML, 'xml')));
});

test('model: a firewall with no vsys yet gets an empty vsys1 rulebase anchored at the device', () => {
  const text = '<config version="10.1.0"><devices><entry name="localhost.localdomain"><network><interface/></network></entry></devices></config>';
  const m = build(text, 'xml');
  assert.equal(m.kind, 'firewall');
  assert.deepEqual(m.vsys.map((v) => [v.name, v.node, v.rulebase.location, v.rulebase.rules.length]), [['vsys1', undefined, 'vsys:vsys1', 0]]);
  assert.deepEqual(m.vsys[0]!.rulebase.anchor!.missing, ['vsys', 'entry[vsys1]', 'rulebase', 'security', 'rules']);
  assert.equal(m.vsys[0]!.rulebase.anchor!.node.name, 'localhost.localdomain');
});

test('model: firewall default-security-rules overrides', () => {
  const text = `set rulebase security rules R action allow
set rulebase default-security-rules rules intrazone-default action deny
set rulebase default-security-rules rules interzone-default log-end yes
`;
  const rb = build(text, 'set').vsys[0]!.rulebase;
  assert.ok(rb.defaults);
  assert.deepEqual(
    [rb.defaults.intrazone.action, rb.defaults.intrazone.logEnd, rb.defaults.interzone.action, rb.defaults.interzone.logEnd],
    ['deny', false, 'deny', true],
  );
  assert.deepEqual(rb.rules.map((r) => r.name), ['R']);
});

test('model: multi-vsys firewall (`set vsys vsysN …`)', () => {
  const text = `set vsys vsys1 rulebase security rules A action allow
set vsys vsys2 rulebase security rules B action deny
set vsys vsys2 address b-host ip-netmask 10.2.0.1
set vsys vsys2 zone z2 network layer3 ethernet1/5
`;
  const m = build(text, 'set');
  assert.equal(m.kind, 'firewall');
  assert.deepEqual(m.vsys.map((v) => [v.name, v.rulebase.location, v.rulebase.rules.map((r) => r.name), [...v.scope.addresses.keys()], v.zones.map((z) => z.name)]), [
    ['vsys1', 'vsys:vsys1', ['A'], [], []],
    ['vsys2', 'vsys:vsys2', ['B'], ['b-host'], ['z2']],
  ]);
});

test('model: Panorama-pushed rules on a firewall (`set policy panorama …`)', () => {
  const text = `set rulebase security rules LOCAL action deny
set policy panorama service SVC1 protocol tcp port 1001
set policy panorama pre-rulebase security rules PRE service SVC1
set policy panorama pre-rulebase security rules PRE action allow
set policy panorama post-rulebase security rules POST action allow
`;
  const m = build(text, 'set');
  assert.equal(m.kind, 'firewall');
  assert.deepEqual(allRulebases(m).map((rb) => [rb.location, rb.kind, rb.scope.kind, rb.rules.map((r) => r.name)]), [
    ['panorama/pre', 'pre', 'pushed', ['PRE']],
    ['vsys:vsys1', 'local', 'vsys', ['LOCAL']],
    ['panorama/post', 'post', 'pushed', ['POST']],
  ]);
  assert.equal(m.sharedPre!.scope.services.get('SVC1')!.port!.value, '1001');
});

test('model: application-group in the new `members` schema and the legacy 6.x `entry/member` schema', () => {
  const text = `<config version="6.1.0"><devices><entry name="localhost.localdomain"><vsys><entry name="vsys1">
  <application-group>
    <entry name="legacy-group"><member>4shared</member><member>51.com</member></entry>
    <entry name="new-group"><members><member>dns</member><member>app w spaces</member></members></entry>
    <entry name="empty-group"/>
  </application-group>
  <service-group>
    <entry name="no-legacy-for-services"><member>tcp-28</member></entry>
  </service-group>
</entry></vsys></entry></devices></config>`;
  const s = build(text, 'xml').vsys[0]!.scope;
  const g = (n: string): unknown => {
    const x = s.applicationGroups.get(n)!;
    return [x.members, x.legacy, x.membersNode?.tag, x.membersNode?.name];
  };
  assert.deepEqual(g('legacy-group'), [
    [
      { value: '4shared', span: spanOf(text, '4shared') },
      { value: '51.com', span: spanOf(text, '51.com') },
    ],
    true,
    'entry',
    'legacy-group',
  ]);
  assert.deepEqual(g('new-group'), [
    [
      { value: 'dns', span: spanOf(text, 'dns') },
      { value: 'app w spaces', span: spanOf(text, 'app w spaces') },
    ],
    false,
    'members',
    undefined,
  ]);
  assert.deepEqual(g('empty-group'), [[], false, undefined, undefined]);
  const sg = s.serviceGroups.get('no-legacy-for-services')!;
  assert.deepEqual([sg.members, sg.legacy], [[], false]);

  const set = 'set application-group "foo w spaces" members [ dns "app w spaces" ]\n';
  const sg2 = build(set, 'set').vsys[0]!.scope.applicationGroups.get('foo w spaces')!;
  assert.deepEqual(sg2.members, [
    { value: 'dns', span: spanOf(set, 'dns') },
    { value: 'app w spaces', span: spanOf(set, '"app w spaces"') },
  ]);
  assert.equal(sg2.legacy, false);
});

test('model: same-name object entries of one container are merged, in first-seen order; other containers keep their own', () => {
  const text = `<config version="10.1.0"><shared><address>
    <entry name="a"><ip-netmask>192.0.2.9</ip-netmask></entry>
    <entry name="s"><ip-netmask>192.0.2.10</ip-netmask></entry>
  </address></shared><devices><entry name="localhost.localdomain"><vsys><entry name="vsys1">
  <address>
    <entry name="a"><ip-netmask>10.0.0.1</ip-netmask></entry>
    <entry name="b"><ip-netmask>10.0.0.2</ip-netmask></entry>
    <entry name="a"><description>second</description></entry>
  </address>
  <address-group><entry name="g"><static><member>a</member></static></entry></address-group>
</entry></vsys></entry></devices></config>`;
  const m = build(text, 'xml');
  const s = m.vsys[0]!.scope;
  assert.deepEqual([...s.addresses.keys()], ['a', 'b']);
  const a = s.addresses.get('a')!;
  assert.ok(a.node instanceof MergedNode);
  assert.deepEqual(a.node.parts.map((p) => p.span.start), [text.indexOf('<entry name="a"><ip-netmask>10.0.0.1'), text.indexOf('<entry name="a"><description>')]);
  assert.deepEqual([a.nameSpan, a.type, a.value, a.description], [
    nameSpan(text, 'xml', 'a', '<address>\n    <entry name="a"><ip-netmask>10.0.0.1'),
    'ip-netmask',
    { value: '10.0.0.1', span: spanOf(text, '10.0.0.1') },
    { value: 'second', span: spanOf(text, 'second') },
  ]);
  const b = s.addresses.get('b')!;
  assert.ok(b.node instanceof XNode && !(b.node instanceof MergedNode));
  assert.deepEqual([b.name, b.nameSpan, b.value], ['b', nameSpan(text, 'xml', 'b'), { value: '10.0.0.2', span: spanOf(text, '10.0.0.2') }]);
  assert.deepEqual(s.addressGroups.get('g')!.static!.map((x) => x.value), ['a']);
  // The shared scope reads its own container: its 'a' is not the vsys's.
  const sh = s.parent!;
  assert.deepEqual([...sh.addresses.keys()], ['a', 's']);
  assert.deepEqual(sh.addresses.get('a')!.value, { value: '192.0.2.9', span: spanOf(text, '192.0.2.9') });
  assert.equal(lookup(s, 'addresses', 's')!.value!.value, '192.0.2.10');
});

test('model: a service with only `protocol tcp` (set form) still has its protocol', () => {
  const m = build('set service "SERVICE 4" protocol sctp\nset service S5 protocol tcp port 5,6 source-port 9,10\n', 'set');
  assert.deepEqual(
    [...m.vsys[0]!.scope.services.values()].map((s) => [s.name, s.protocol, s.port?.value, s.sourcePort?.value]),
    [
      ['SERVICE 4', 'sctp', undefined, undefined],
      ['S5', 'tcp', '5,6', '9,10'],
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// Panorama, in both forms
// ---------------------------------------------------------------------------------------------

const PANO_XML = `<config version="10.2.0" urldb="paloaltonetworks">
  <mgt-config>
    <devices>
      <entry name="001122334455"/>
      <entry name="001122334466"/>
    </devices>
  </mgt-config>
  <shared>
    <address><entry name="shared-addr"><ip-netmask>198.51.100.1</ip-netmask></entry></address>
    <pre-rulebase>
      <security>
        <rules>
          <entry name="Shared Pre">
            <action>allow</action>
            <target>
              <devices>
                <entry name="001122334455"><vsys><entry name="vsys1"/><entry name="vsys2"/></vsys></entry>
                <entry name="001122334466"/>
              </devices>
              <negate>yes</negate>
            </target>
          </entry>
        </rules>
      </security>
    </pre-rulebase>
    <post-rulebase>
      <security><rules><entry name="Shared Post"><action>deny</action></entry></rules></security>
      <default-security-rules>
        <rules><entry name="interzone-default"><action>deny</action><log-end>yes</log-end></entry></rules>
      </default-security-rules>
    </post-rulebase>
  </shared>
  <panorama>
    <log-settings>
      <syslog>
        <entry name="Pano-Syslog">
          <server><entry name="collector"><server>192.0.2.2</server><port>514</port><transport>UDP</transport></entry></server>
        </entry>
      </syslog>
      <email>
        <entry name="Pano-Mail">
          <server><entry name="relay"><gateway>192.0.2.1</gateway></entry></server>
        </entry>
      </email>
    </log-settings>
  </panorama>
  <devices>
    <entry name="localhost.localdomain">
      <deviceconfig>
        <system>
          <hostname>panorama01</hostname>
          <ip-address>192.0.2.7</ip-address>
          <permitted-ip><entry name="10.0.0.0/8"/></permitted-ip>
        </system>
      </deviceconfig>
      <device-group>
        <entry name="DG-parent">
          <address><entry name="dg-addr"><ip-netmask>10.1.1.1</ip-netmask></entry></address>
          <pre-rulebase><security><rules>
            <entry name="DG Pre 1"><source><member>dg-addr</member></source><action>allow</action></entry>
            <entry name="DG Pre 2"><action>deny</action></entry>
          </rules></security></pre-rulebase>
        </entry>
        <entry name="DG-child">
          <devices><entry name="001122334466"/></devices>
          <post-rulebase><security><rules>
            <entry name="DG Post"><action>allow</action></entry>
          </rules></security></post-rulebase>
        </entry>
        <entry name="DG-old">
          <parent-dg>DG-child</parent-dg>
        </entry>
      </device-group>
      <template>
        <entry name="T1">
          <config>
            <devices>
              <entry name="localhost.localdomain">
                <deviceconfig><system><ntp-servers><primary-ntp-server><ntp-server-address>192.0.2.123</ntp-server-address></primary-ntp-server></ntp-servers></system></deviceconfig>
                <network><interface><ethernet><entry name="ethernet1/1"><layer3><ip><entry name="10.5.0.1/24"/></ip></layer3></entry></ethernet></interface></network>
                <vsys><entry name="vsys1"><zone><entry name="Z1"><network><layer3><member>ethernet1/1</member></layer3></network></entry></zone></entry></vsys>
              </entry>
            </devices>
          </config>
        </entry>
      </template>
      <template-stack>
        <entry name="TS1">
          <templates><member>T1</member></templates>
          <devices><entry name="001122334455"/></devices>
        </entry>
      </template-stack>
      <log-collector>
        <entry name="009900000001">
          <deviceconfig><system>
            <ip-address>192.0.2.9</ip-address>
            <service><disable-ssh>yes</disable-ssh><disable-icmp>no</disable-icmp></service>
          </system></deviceconfig>
        </entry>
      </log-collector>
      <log-collector-group>
        <entry name="CG1">
          <logfwd-setting><collectors><member>009900000001</member></collectors></logfwd-setting>
        </entry>
      </log-collector-group>
    </entry>
  </devices>
  <readonly>
    <devices>
      <entry name="localhost.localdomain">
        <device-group>
          <entry name="DG-child"><id>12</id><parent-dg>DG-parent</parent-dg></entry>
        </device-group>
      </entry>
    </devices>
  </readonly>
</config>
`;

const PANO_SET = `set mgt-config devices 001122334455
set mgt-config devices 001122334466
set shared address shared-addr ip-netmask 198.51.100.1
set shared pre-rulebase security rules "Shared Pre" action allow
set shared pre-rulebase security rules "Shared Pre" target devices 001122334455 vsys vsys1
set shared pre-rulebase security rules "Shared Pre" target devices 001122334455 vsys vsys2
set shared pre-rulebase security rules "Shared Pre" target devices 001122334466
set shared pre-rulebase security rules "Shared Pre" target negate yes
set shared post-rulebase security rules "Shared Post" action deny
set shared post-rulebase default-security-rules rules interzone-default action deny
set shared post-rulebase default-security-rules rules interzone-default log-end yes
set panorama log-settings syslog Pano-Syslog server collector server 192.0.2.2
set panorama log-settings syslog Pano-Syslog server collector port 514
set panorama log-settings syslog Pano-Syslog server collector transport UDP
set panorama log-settings email Pano-Mail server relay gateway 192.0.2.1
set deviceconfig system hostname panorama01
set deviceconfig system ip-address 192.0.2.7
set deviceconfig system permitted-ip 10.0.0.0/8
set device-group DG-parent address dg-addr ip-netmask 10.1.1.1
set device-group DG-parent pre-rulebase security rules "DG Pre 1" source dg-addr
set device-group DG-parent pre-rulebase security rules "DG Pre 1" action allow
set device-group DG-parent pre-rulebase security rules "DG Pre 2" action deny
set device-group DG-child devices 001122334466
set device-group DG-child post-rulebase security rules "DG Post" action allow
set device-group DG-old parent-dg DG-child
set template T1 config deviceconfig system ntp-servers primary-ntp-server ntp-server-address 192.0.2.123
set template T1 config network interface ethernet ethernet1/1 layer3 ip 10.5.0.1/24
set template T1 config vsys vsys1 zone Z1 network layer3 ethernet1/1
set template-stack TS1 templates T1
set template-stack TS1 devices 001122334455
set log-collector 009900000001 deviceconfig system ip-address 192.0.2.9
set log-collector 009900000001 deviceconfig system service disable-ssh yes
set log-collector 009900000001 deviceconfig system service disable-icmp no
set log-collector-group CG1 logfwd-setting collectors 009900000001
set readonly devices localhost.localdomain device-group DG-child parent-dg DG-parent
`;

for (const [form, text] of [['xml', PANO_XML], ['set', PANO_SET]] as [Form, string][]) {
  const m = (): ConfigModel => build(text, form);

  test(`model[${form}] panorama: kind, rulebases and rule order`, () => {
    const mm = m();
    assert.equal(mm.kind, 'panorama');
    assert.equal(mm.version?.value, form === 'xml' ? '10.2.0' : undefined);
    assert.deepEqual(mm.vsys, []);
    assert.deepEqual(
      allRulebases(mm).map((rb) => [rb.location, rb.kind, rb.scope.name, rb.rules.map((r) => r.name)]),
      [
        ['shared/pre', 'pre', 'shared', ['Shared Pre']],
        ['device-group:DG-parent/pre', 'pre', 'DG-parent', ['DG Pre 1', 'DG Pre 2']],
        ['device-group:DG-child/pre', 'pre', 'DG-child', []],
        ['device-group:DG-old/pre', 'pre', 'DG-old', []],
        ['device-group:DG-parent/post', 'post', 'DG-parent', []],
        ['device-group:DG-child/post', 'post', 'DG-child', ['DG Post']],
        ['device-group:DG-old/post', 'post', 'DG-old', []],
        ['shared/post', 'post', 'shared', ['Shared Post']],
      ],
    );
    const d = mm.sharedPost!.defaults!;
    assert.deepEqual([d.interzone.action, d.interzone.logEnd, d.intrazone.action, d.intrazone.node], ['deny', true, 'allow', undefined]);
    // A missing rulebase is anchored at its device group for inserts.
    const childPre = mm.deviceGroups[1]!.pre;
    assert.equal(childPre.rulesNode, undefined);
    assert.deepEqual([childPre.anchor!.node.name, childPre.anchor!.missing], ['DG-child', ['pre-rulebase', 'security', 'rules']]);
  });

  test(`model[${form}] panorama: rule target devices, vsys and negate`, () => {
    const r = m().sharedPre!.rules[0]!;
    assert.ok(r.target);
    assert.deepEqual(
      r.target.devices.map((d) => [d.serial.value, d.vsys]),
      [
        ['001122334455', ['vsys1', 'vsys2']],
        ['001122334466', []],
      ],
    );
    assert.deepEqual(r.target.devices[0]!.serial.span, after(text, 'Shared Pre', '001122334455'));
    assert.equal(r.target.negate, true);
    assert.equal(m().sharedPost!.rules[0]!.target, undefined);
  });

  test(`model[${form}] panorama: device groups, hierarchy (readonly and old parent-dg), devices, scopes`, () => {
    const mm = m();
    assert.deepEqual(
      mm.deviceGroups.map((g) => [g.name, g.parent?.value, g.devices.map((d) => d.value), g.scope.parent?.name]),
      [
        ['DG-parent', undefined, [], 'shared'],
        ['DG-child', 'DG-parent', ['001122334466'], 'DG-parent'],
        ['DG-old', 'DG-child', [], 'DG-child'],
      ],
    );
    // The readonly hierarchy's parent span points into the readonly section.
    assert.deepEqual(mm.deviceGroups[1]!.parent!.span, spanOf(text, 'DG-parent', 0, text.indexOf('readonly')));
    assert.deepEqual(mm.deviceGroups[2]!.parent!.span, after(text, 'DG-old', 'DG-child'));
    assert.deepEqual(mm.deviceGroups[0]!.nameSpan, nameSpan(text, form, 'DG-parent'));
    // Lookup walks DG -> ancestors -> shared.
    const child = mm.deviceGroups[2]!.scope;
    assert.equal(lookup(child, 'addresses', 'dg-addr')?.scope.name, 'DG-parent');
    assert.equal(lookup(child, 'addresses', 'shared-addr')?.scope.name, 'shared');
    assert.equal(lookup(child, 'addresses', 'nope'), undefined);
    assert.deepEqual(mm.managedDevices.map((d) => d.value), ['001122334455', '001122334466']);
    assert.deepEqual(items(mm.deviceGroups[0]!.pre.rules[0]!.source), ['dg-addr']);
  });

  test(`model[${form}] panorama: templates and template stacks`, () => {
    const mm = m();
    assert.deepEqual(
      mm.templates.map((t) => [t.name, t.kind, t.templates.map((x) => x.value), t.devices.map((x) => x.value), t.vsys]),
      [
        ['T1', 'template', [], [], ['vsys1']],
        ['TS1', 'template-stack', ['T1'], ['001122334455'], []],
      ],
    );
    const t1 = mm.templates[0]!;
    assert.deepEqual(t1.network.zones.map((z) => [z.name, z.where, z.interfaces]), [['Z1', 'template:T1/vsys1', ['ethernet1/1']]]);
    assert.deepEqual([...t1.network.interfaces.values()].map((i) => [i.name, i.ips.map((x) => x.value)]), [['ethernet1/1', ['10.5.0.1/24']]]);
    assert.deepEqual(t1.mgmt.ntpServers, [{ value: '192.0.2.123', span: spanOf(text, '192.0.2.123') }]);
  });

  test(`model[${form}] panorama: own management, log collectors and collector groups`, () => {
    const mm = m();
    assert.deepEqual(mm.mgmt.ipAddress, { value: '192.0.2.7', span: spanOf(text, '192.0.2.7') });
    assert.deepEqual(mm.mgmt.permittedIps.map((x) => x.value), ['10.0.0.0/8']);
    assert.deepEqual(
      mm.logCollectors.map((l) => [l.serial, l.mgmt.ipAddress?.value, [...l.mgmt.serviceDisables].map(([k, v]) => [k, v.value])]),
      [['009900000001', '192.0.2.9', [['ssh', 'yes'], ['icmp', 'no']]]],
    );
    assert.deepEqual(mm.logCollectors[0]!.nameSpan, nameSpan(text, form, '009900000001'));
    assert.deepEqual(mm.collectorGroups.map((g) => [g.name, g.collectors.map((c) => c.value)]), [['CG1', ['009900000001']]]);
    assert.deepEqual(mm.collectorGroups[0]!.collectors[0]!.span, after(text, 'CG1', '009900000001'));
  });

  test(`model[${form}] panorama: syslog/email server profiles with hosts and ports`, () => {
    const mm = m();
    assert.deepEqual(
      mm.serverProfiles.map((p) => [p.kind, p.name, p.where, p.servers.map((s) => [s.name, s.host?.value, s.port?.value, s.transport?.value])]),
      [
        ['syslog', 'Pano-Syslog', 'panorama', [['collector', '192.0.2.2', '514', 'UDP']]],
        ['email', 'Pano-Mail', 'panorama', [['relay', '192.0.2.1', undefined, undefined]]],
      ],
    );
    const s = mm.serverProfiles[0]!.servers[0]!;
    assert.deepEqual(s.host!.span, spanOf(text, '192.0.2.2'));
    assert.deepEqual(s.port!.span, after(text, 'Pano-Syslog', '514'));
  });
}

test('model: DG hierarchy cycles are ignored', () => {
  const text = `set device-group A parent-dg B
set device-group B parent-dg A
set device-group C parent-dg C
`;
  const m = build(text, 'set');
  assert.equal(m.kind, 'panorama');
  // The declared parents are kept, but the scope chain never loops: it ends at shared.
  assert.deepEqual(m.deviceGroups.map((g) => [g.name, g.parent?.value]), [['A', 'B'], ['B', 'A'], ['C', 'C']]);
  for (const g of m.deviceGroups) {
    const chain: string[] = [];
    for (let s: typeof g.scope | undefined = g.scope; s && chain.length < 10; s = s.parent) chain.push(s.name);
    assert.ok(chain.length < 10, `${g.name}: ${chain.join(' > ')}`);
    assert.equal(chain[chain.length - 1], 'shared');
  }
});

test('model: device kind detection', () => {
  const table: [string, Form, string][] = [
    ['set deviceconfig system hostname x\n', 'set', 'unknown'],
    ['set rulebase security rules R action allow\n', 'set', 'firewall'],
    ['set network interface ethernet ethernet1/1 layer3 ip 10.0.0.1/24\n', 'set', 'firewall'],
    ['set panorama log-settings syslog S server s server 10.0.0.1\n', 'set', 'panorama'],
    ['set template T config deviceconfig system hostname x\n', 'set', 'panorama'],
    ['set log-collector-group CG logfwd-setting collectors 0001\n', 'set', 'panorama'],
    ['set mgt-config devices 0001\n', 'set', 'panorama'],
    ['set policy panorama pre-rulebase security rules R action allow\n', 'set', 'firewall'],
    ['<config version="10.1.0"><shared/></config>', 'xml', 'unknown'],
    ['<config version="10.1.0"><panorama/></config>', 'xml', 'panorama'],
  ];
  for (const [text, form, kind] of table) assert.equal(build(text, form).kind, kind, text);
});

test('model: brace format and unknown text give no model', () => {
  assert.equal(buildModel(parse('deviceconfig {\n  system {\n    hostname x;\n  }\n}\n')), undefined);
  assert.equal(buildModel(parse('hello\n')), undefined);
});
