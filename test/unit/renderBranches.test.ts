/**
 * @fileoverview Branches of the renderers (server/src/core/fixes/render.ts) that a mutation pass over
 * them found read by no test: every optional field of a rule in both forms (negations, log-start,
 * log-end no, log forwarding, profile group, target with negate, tags, description, disabled), every
 * object type in both forms (address kinds, dynamic groups with an empty filter, services, legacy
 * application groups, tags with comments, profile groups, log forwarding profiles), indentation levels,
 * escaping order and quoting rules.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OBJECT_PATH, objectSet, objectXml, ruleSet, ruleXml, setQuote, xmlEscape, type ObjectDraft, type RuleDraft, type XmlStyle } from '../../server/src/core/fixes/render';

const ST: XmlStyle = { indent: '  ', unit: '  ', eol: '\n' };

const FULL: RuleDraft = {
  name: 'R&1',
  from: ['z1'],
  to: ['z2'],
  source: ['a', 'b c'],
  destination: ['d'],
  application: ['ssh'],
  service: ['application-default'],
  action: 'allow',
  sourceUser: ['u1'],
  category: ['c1'],
  negateSource: true,
  negateDestination: true,
  logStart: true,
  logEnd: false,
  logSetting: 'fwd 1',
  profileGroup: 'pg 1',
  target: { devices: ['0123<4>'], negate: true },
  tags: ['t 1', 't2'],
  description: 'd "x"',
  disabled: true,
};

const MIN: RuleDraft = { name: 'M', from: ['any'], to: ['any'], source: ['any'], destination: ['any'], application: ['any'], service: ['any'], action: 'drop', tags: [] };

describe('ruleXml', () => {
  test('every optional field, at its level, escaped', () => {
    assert.equal(
      ruleXml(FULL, ST),
      `  <entry name="R&amp;1">
    <to>
      <member>z2</member>
    </to>
    <from>
      <member>z1</member>
    </from>
    <source>
      <member>a</member>
      <member>b c</member>
    </source>
    <destination>
      <member>d</member>
    </destination>
    <source-user>
      <member>u1</member>
    </source-user>
    <category>
      <member>c1</member>
    </category>
    <application>
      <member>ssh</member>
    </application>
    <service>
      <member>application-default</member>
    </service>
    <negate-source>yes</negate-source>
    <negate-destination>yes</negate-destination>
    <action>allow</action>
    <log-start>yes</log-start>
    <log-end>no</log-end>
    <log-setting>fwd 1</log-setting>
    <profile-setting>
      <group>
        <member>pg 1</member>
      </group>
    </profile-setting>
    <target>
      <devices>
        <entry name="0123&lt;4&gt;"/>
      </devices>
      <negate>yes</negate>
    </target>
    <tag>
      <member>t 1</member>
      <member>t2</member>
    </tag>
    <description>d &quot;x&quot;</description>
    <disabled>yes</disabled>
  </entry>
`,
    );
  });

  test('defaults: source-user and category any, no empty <tag>, log-end yes when asked, target negate no', () => {
    const s = ruleXml({ ...MIN, logEnd: true, target: { devices: [] } }, { indent: '', unit: '\t', eol: '\n' });
    assert.equal(
      s,
      `<entry name="M">
\t<to>
\t\t<member>any</member>
\t</to>
\t<from>
\t\t<member>any</member>
\t</from>
\t<source>
\t\t<member>any</member>
\t</source>
\t<destination>
\t\t<member>any</member>
\t</destination>
\t<source-user>
\t\t<member>any</member>
\t</source-user>
\t<category>
\t\t<member>any</member>
\t</category>
\t<application>
\t\t<member>any</member>
\t</application>
\t<service>
\t\t<member>any</member>
\t</service>
\t<action>drop</action>
\t<log-end>yes</log-end>
\t<target>
\t\t<devices>
\t\t</devices>
\t\t<negate>no</negate>
\t</target>
</entry>
`,
    );
  });
});

describe('objectXml', () => {
  const xml = (o: ObjectDraft): string => objectXml(o, ST);

  test('addresses: the kind given, else ip-range for a value with a dash, else ip-netmask', () => {
    assert.equal(xml({ type: 'address', name: 'f', value: 'a-b.example.com', kind: 'fqdn' }), '  <entry name="f">\n    <fqdn>a-b.example.com</fqdn>\n  </entry>\n');
    assert.equal(xml({ type: 'address', name: 'r', value: '10.0.0.1-10.0.0.9' }), '  <entry name="r">\n    <ip-range>10.0.0.1-10.0.0.9</ip-range>\n  </entry>\n');
    assert.equal(xml({ type: 'address', name: 'n', value: '10.0.0.0/8', description: 'x' }), '  <entry name="n">\n    <ip-netmask>10.0.0.0/8</ip-netmask>\n    <description>x</description>\n  </entry>\n');
  });

  test('address groups: static members, or dynamic with its filter (even empty), with a description', () => {
    assert.equal(xml({ type: 'address-group', name: 'g', members: ['a', 'b'], description: 'x' }), '  <entry name="g">\n    <static>\n      <member>a</member>\n      <member>b</member>\n    </static>\n    <description>x</description>\n  </entry>\n');
    assert.equal(xml({ type: 'address-group', name: 'g', members: [], filter: "'t1' & 't2'" }), '  <entry name="g">\n    <dynamic>\n      <filter>&apos;t1&apos; &amp; &apos;t2&apos;</filter>\n    </dynamic>\n  </entry>\n');
    assert.equal(xml({ type: 'address-group', name: 'g', members: ['a'], filter: '' }), '  <entry name="g">\n    <dynamic>\n      <filter></filter>\n    </dynamic>\n  </entry>\n');
  });

  test('services, service groups, application groups (new and legacy schema)', () => {
    assert.equal(
      xml({ type: 'service', name: 'udp-9', protocol: 'udp', port: '9', description: 'x' }),
      '  <entry name="udp-9">\n    <protocol>\n      <udp>\n        <port>9</port>\n      </udp>\n    </protocol>\n    <description>x</description>\n  </entry>\n',
    );
    assert.equal(xml({ type: 'service-group', name: 'sg', members: ['s1'] }), '  <entry name="sg">\n    <members>\n      <member>s1</member>\n    </members>\n  </entry>\n');
    assert.equal(xml({ type: 'application-group', name: 'ag', members: ['ssh'] }), '  <entry name="ag">\n    <members>\n      <member>ssh</member>\n    </members>\n  </entry>\n');
    assert.equal(xml({ type: 'application-group', name: 'ag', members: ['a&b', 'ssl'], legacy: true }), '  <entry name="ag">\n    <member>a&amp;b</member>\n    <member>ssl</member>\n  </entry>\n');
  });

  test('tags (with and without comments), profile groups, log forwarding profiles', () => {
    assert.equal(xml({ type: 'tag', name: 't', comments: 'c<1>' }), '  <entry name="t">\n    <comments>c&lt;1&gt;</comments>\n  </entry>\n');
    assert.equal(xml({ type: 'tag', name: 't' }), '  <entry name="t">\n  </entry>\n');
    assert.equal(
      xml({ type: 'profile-group', name: 'pg', profiles: { virus: 'default', spyware: 'strict' } }),
      '  <entry name="pg">\n    <virus>\n      <member>default</member>\n    </virus>\n    <spyware>\n      <member>strict</member>\n    </spyware>\n  </entry>\n',
    );
    assert.equal(
      xml({
        type: 'log-forwarding',
        name: 'lf',
        matchLists: [
          { name: 'traffic & more', logType: 'traffic', filter: 'All Logs', sendToPanorama: true },
          { name: 'threat', logType: 'threat', filter: '(severity geq high)', sendToPanorama: false },
        ],
      }),
      `  <entry name="lf">
    <match-list>
      <entry name="traffic &amp; more">
        <log-type>traffic</log-type>
        <filter>All Logs</filter>
        <send-to-panorama>yes</send-to-panorama>
      </entry>
      <entry name="threat">
        <log-type>threat</log-type>
        <filter>(severity geq high)</filter>
      </entry>
    </match-list>
  </entry>
`,
    );
    assert.deepEqual(OBJECT_PATH['log-forwarding'], ['log-settings', 'profiles']);
  });
});

describe('ruleSet and objectSet', () => {
  test('every optional field of a rule, quoted as needed; one value bare, several in brackets', () => {
    const p = 'set rulebase security rules R&1';
    assert.deepEqual(ruleSet('set rulebase security rules', FULL), [
      `${p} to z2`,
      `${p} from z1`,
      `${p} source [ a "b c" ]`,
      `${p} destination d`,
      `${p} source-user u1`,
      `${p} category c1`,
      `${p} application ssh`,
      `${p} service application-default`,
      `${p} negate-source yes`,
      `${p} negate-destination yes`,
      `${p} action allow`,
      `${p} log-start yes`,
      `${p} log-end no`,
      `${p} log-setting "fwd 1"`,
      `${p} profile-setting group "pg 1"`,
      `${p} target devices 0123<4>`,
      `${p} target negate yes`,
      `${p} tag [ "t 1" t2 ]`,
      `${p} description 'd "x"'`,
      `${p} disabled yes`,
    ]);
  });

  test('a minimal rule: any defaults, no tag line for no tags, target negate no', () => {
    const lines = ruleSet('set rulebase security rules', { ...MIN, target: { devices: [] } });
    assert.deepEqual(lines.slice(-2), ['set rulebase security rules M action drop', 'set rulebase security rules M target negate no']);
    assert.equal(lines.length, 10);
    assert.equal(ruleSet('set rulebase security rules', { ...MIN, name: 'a b' })[0], 'set rulebase security rules "a b" to any');
  });

  test('objects of every type', () => {
    const c = 'set device-group DG';
    const all = (o: ObjectDraft): string[] => objectSet(c, o);
    assert.deepEqual(all({ type: 'address', name: 'r 1', value: '10.0.0.1-10.0.0.9', description: 'x y' }), [`${c} address "r 1" ip-range 10.0.0.1-10.0.0.9`, `${c} address "r 1" description "x y"`]);
    assert.deepEqual(all({ type: 'address', name: 'f', value: 'a-b.example.com', kind: 'fqdn' }), [`${c} address f fqdn a-b.example.com`]);
    assert.deepEqual(all({ type: 'address', name: 'n', value: '10.0.0.0/8' }), [`${c} address n ip-netmask 10.0.0.0/8`]);
    assert.deepEqual(all({ type: 'address-group', name: 'g', members: ['a'], description: 'x y' }), [`${c} address-group g static a`, `${c} address-group g description "x y"`]);
    assert.deepEqual(all({ type: 'address-group', name: 'g', members: ['a', 'b'] }), [`${c} address-group g static [ a b ]`]);
    assert.deepEqual(all({ type: 'address-group', name: 'g', members: [], filter: "'t1' and 't2'" }), [`${c} address-group g dynamic filter "'t1' and 't2'"`]);
    assert.deepEqual(all({ type: 'address-group', name: 'g', members: ['a'], filter: '' }), [`${c} address-group g dynamic filter ""`]);
    assert.deepEqual(all({ type: 'service', name: 's', protocol: 'tcp', port: '28,30', description: 'x y' }), [`${c} service s protocol tcp port 28,30`, `${c} service s description "x y"`]);
    assert.deepEqual(all({ type: 'service-group', name: 'sg', members: ['s1'] }), [`${c} service-group sg members s1`]);
    assert.deepEqual(all({ type: 'application-group', name: 'ag', members: ['ssh'] }), [`${c} application-group ag members ssh`]);
    assert.deepEqual(all({ type: 'application-group', name: 'ag', members: ['ssh', 'ssl'] }), [`${c} application-group ag members [ ssh ssl ]`]);
    assert.deepEqual(all({ type: 'tag', name: 't', comments: 'a b' }), [`${c} tag t comments "a b"`]);
    assert.deepEqual(all({ type: 'tag', name: 't' }), [`${c} tag t`]);
    assert.deepEqual(all({ type: 'profile-group', name: 'pg', profiles: { virus: 'my av', spyware: 'strict' } }), [`${c} profile-group pg virus "my av"`, `${c} profile-group pg spyware strict`]);
    assert.deepEqual(all({ type: 'log-forwarding', name: 'lf', matchLists: [{ name: 'm 1', logType: 'traffic', filter: 'All Logs', sendToPanorama: true }, { name: 'm2', logType: 'threat', filter: 'x', sendToPanorama: false }] }), [
      `${c} log-settings profiles lf match-list "m 1" log-type traffic`,
      `${c} log-settings profiles lf match-list "m 1" filter "All Logs"`,
      `${c} log-settings profiles lf match-list "m 1" send-to-panorama yes`,
      `${c} log-settings profiles lf match-list m2 log-type threat`,
      `${c} log-settings profiles lf match-list m2 filter x`,
    ]);
  });
});

describe('escaping and quoting', () => {
  test('xmlEscape escapes & first (an entity in the input is escaped once, not twice) and each special character', () => {
    assert.equal(xmlEscape('&lt;'), '&amp;lt;');
    assert.equal(xmlEscape(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
  });

  test('setQuote: tokens starting with a character a bare token cannot start with, or holding quotes, are quoted', () => {
    assert.equal(setQuote('-x'), '-x');
    assert.equal(setQuote('!x'), '"!x"');
    assert.equal(setQuote('$x'), '"$x"');
    assert.equal(setQuote("a'b"), `"a'b"`);
    assert.equal(setQuote('a"b'), `'a"b'`);
    assert.equal(setQuote('a]'), '"a]"');
    assert.equal(setQuote('a#'), '"a#"');
    assert.equal(setQuote('a\tb'), '"a\tb"');
    // Both quote kinds: the double quotes become single ones inside double quotes.
    assert.equal(setQuote(`say "it's"`), `"say 'it's'"`);
    assert.equal(setQuote(''), '""');
  });
});
