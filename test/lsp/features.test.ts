/**
 * @fileoverview LSP features against the real server, asserted on exact positions: hover, document
 * symbols, go to definition, find references, completion, code lenses, and the custom requests
 * `panos/flowTable` and `panos/envTemplate`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { CodeLens, CompletionItem, DocumentSymbol, Hover, Location, Position } from 'vscode-languageserver-protocol';
import { FIXTURES, rangeOf, spanIn, spanOf } from '../helpers';
import type { Span } from '../../server/src/core/text';
import { inScenario, LspClient, positionAt, scenario, TIMEOUT, type Doc } from './lspClient';
import type { FlowTableResult } from '../../server/src/protocol';

let c: LspClient;
let n = 0;

async function openDoc(d: Doc): Promise<Doc> {
  c.open(d.uri, d.languageId, d.text);
  await c.diagnostics(d.uri, (p) => p.version === 1);
  return d;
}

/** A new document (not on disk) in a scenario's folder, so the scenario's env file applies. */
function fresh(scenarioName: string, form: 'xml' | 'set', text: string): Promise<Doc> {
  return openDoc(inScenario(scenarioName, `lsp-feat-${++n}.${form}`, text));
}

function hover(d: Doc, p: Position): Promise<Hover | null> {
  return c.request<Hover | null>('textDocument/hover', { textDocument: { uri: d.uri }, position: p });
}

/** Position inside a span (one character in, so that it is not at a boundary). */
function inside(text: string, s: Span): Position {
  return positionAt(text, s.start + 1);
}

/** Span of `name` in `<entry name="name">` (XML) or in `set <kind> name ` (set). */
function declSpan(d: Doc, kind: string, name: string): Span {
  return d.path.endsWith('.xml') ? spanIn(d.text, `<entry name="${name}">`, name) : spanIn(d.text, `set ${kind} ${name} `, name);
}

/** Span of a rule's name as the server reports it (quoted in set form). */
function ruleName(d: Doc, name: string): Span {
  return d.path.endsWith('.xml') ? spanIn(d.text, `<entry name="${name}">`, name) : spanIn(d.text, `rules "${name}"`, `"${name}"`);
}

/** The member span `value` inside the `field` element (XML) or field value (set) of rule `rule`. */
function memberIn(d: Doc, rule: string, field: string, value: string): Span {
  if (d.path.endsWith('.xml')) {
    const r = spanOf(d.text, `<entry name="${rule}">`);
    const f = spanOf(d.text, `<${field}>`, 0, r.start);
    const m = spanOf(d.text, `<member>${value}</member>`, 0, f.start);
    assert.ok(m.start < d.text.indexOf(`</${field}>`, f.start), `${value} is in ${rule}/${field}`);
    return { start: m.start + '<member>'.length, end: m.end - '</member>'.length };
  }
  const line = spanOf(d.text, `rules "${rule}" ${field} `);
  const eol = d.text.indexOf('\n', line.end);
  const re = new RegExp(`(?<=[\\s\\[])${value.replace(/[-.]/g, '\\$&')}(?=[\\s\\]]|$)`, 'g');
  const seg = d.text.slice(line.end - 1, eol);
  const m = re.exec(seg);
  assert.ok(m, `${value} is in ${rule} ${field}`);
  return { start: line.end - 1 + m.index, end: line.end - 1 + m.index + value.length };
}

/** fw-flow-removed plus an address group and an application group (for references and completion). */
function rich(form: 'xml' | 'set'): string {
  const base = scenario('fw-flow-removed', form).text;
  if (form === 'xml') {
    const at = spanOf(base, '          </address>\n').end;
    const add =
      '          <address-group>\n            <entry name="panorama-hosts">\n              <static>\n                <member>panorama</member>\n                <member>log-collector</member>\n              </static>\n            </entry>\n          </address-group>\n' +
      '          <application-group>\n            <entry name="pano-apps">\n              <members>\n                <member>panorama</member>\n                <member>paloalto-updates</member>\n              </members>\n            </entry>\n          </application-group>\n';
    return base.slice(0, at) + add + base.slice(at);
  }
  const at = spanOf(base, 'set address syslog-server ip-netmask 10.40.0.14/32\n').end;
  return base.slice(0, at) + 'set address-group panorama-hosts static [ panorama log-collector ]\nset application-group pano-apps members [ panorama paloalto-updates ]\n' + base.slice(at);
}

const PALOALTO_UPDATES = [
  '**paloalto-updates**: App-ID used by Panorama/Log Collector communications',
  '',
  'application-default ports: tcp/443,28443 _(unverified)_',
  '',
  '| port | protocol | direction | use |',
  '|---|---|---|---|',
  '| 443 | tcp | both | web interface (HTTPS); content and software updates |',
  '| 28443 | tcp | inbound | managed devices fetching updates; Log Collectors fetching updates |',
  '',
  '> Used for communication from a client system to the Panorama web interface. Also used for outbound communications from Panorama such as for content updates.',
  '> Used for managed devices (firewalls and Log Collectors) to retrieve software and content updates from Panorama.',
];
const DEVICES_RULE_FLOWS = [
  '',
  "**Panorama flows decided by rule 'Devices to Panorama'**",
  '- allows managed devices 10.20.0.0/24 → Panorama 10.10.10.5 tcp/3978 (panorama)',
  '- allows managed devices 10.20.0.0/24 → Log Collectors 10.10.10.6 tcp/3978 (panorama)',
  '- allows managed devices 10.20.0.0/24 → Panorama 10.10.10.5 tcp/28443 (paloalto-updates, panorama)',
];

before(async () => {
  c = new LspClient();
  await c.initialize(pathToFileURL(FIXTURES).toString());
}, { timeout: TIMEOUT });
after(() => c.shutdown(), { timeout: TIMEOUT });

describe('hover', () => {
  for (const form of ['xml', 'set'] as const) {
    test(`${form}: on an App-ID member: the catalog (ports, protocol, direction, why) and the flows the rule decides`, { timeout: TIMEOUT }, async () => {
      const d = await fresh('fw-flow-removed', form, scenario('fw-flow-removed', form).text);
      const m = memberIn(d, 'Devices to Panorama', 'application', 'paloalto-updates');
      const h = await hover(d, inside(d.text, m));
      assert.deepEqual(h, { contents: { kind: 'markdown', value: [...PALOALTO_UPDATES, ...DEVICES_RULE_FLOWS].join('\n') }, range: rangeOf(d.text, m) });
      // At either end of the member too.
      assert.deepEqual((await hover(d, positionAt(d.text, m.start)))?.range, rangeOf(d.text, m));
      assert.deepEqual((await hover(d, positionAt(d.text, m.end)))?.range, rangeOf(d.text, m));
      c.close(d.uri);
    });
  }

  test('xml: a hover sent right after changes answers for the changed text (moved by an edit before it, new where it was edited)', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const m = memberIn(d, 'Devices to Panorama', 'application', 'paloalto-updates');
    // A line typed above the rule; the hover follows at once (before any new analysis).
    const typed = '<!-- typed -->\n';
    const at = d.text.indexOf('\n') + 1;
    c.change(d.uri, 2, [{ range: { start: positionAt(d.text, at), end: positionAt(d.text, at) }, text: typed }]);
    const t2 = d.text.slice(0, at) + typed + d.text.slice(at);
    const m2 = { start: m.start + typed.length, end: m.end + typed.length };
    assert.deepEqual(await hover({ ...d, text: t2 }, inside(t2, m2)), { contents: { kind: 'markdown', value: [...PALOALTO_UPDATES, ...DEVICES_RULE_FLOWS].join('\n') }, range: rangeOf(t2, m2) });
    // The member itself replaced: the hover describes the new App-ID, not the last analysis.
    c.change(d.uri, 3, [{ range: rangeOf(t2, m2), text: 'ntp' }]);
    const t3 = t2.slice(0, m2.start) + 'ntp' + t2.slice(m2.end);
    const h = await hover({ ...d, text: t3 }, positionAt(t3, m2.start + 1));
    assert.equal((h?.contents as { value: string }).value.split('\n')[0], '**ntp**: App-ID used by Panorama/Log Collector communications');
    assert.deepEqual(h?.range, rangeOf(t3, { start: m2.start, end: m2.start + 3 }));
    c.close(d.uri);
  });

  test('xml: on application-default: the default ports of each App-ID of the rule', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const m = memberIn(d, 'Devices to Panorama', 'service', 'application-default');
    assert.deepEqual(await hover(d, inside(d.text, m)), {
      contents: {
        kind: 'markdown',
        value: ['**application-default**: only the standard ports of each App-ID of this rule:', '- panorama: tcp/3978,28270,28443,28769', '- paloalto-updates: tcp/443,28443', ...DEVICES_RULE_FLOWS].join('\n'),
      },
      range: rangeOf(d.text, m),
    });
    c.close(d.uri);
  });

  test('xml: on an address member that is Panorama: its address, that it holds Panorama, and the rule\'s flows', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const m = memberIn(d, 'Admin to Panorama', 'destination', 'panorama');
    assert.deepEqual(await hover(d, inside(d.text, m)), {
      contents: {
        kind: 'markdown',
        value: [
          '**panorama**: 10.10.10.5',
          '- holds Panorama 10.10.10.5',
          '',
          "**Panorama flows decided by rule 'Admin to Panorama'**",
          '- allows admin clients 10.30.0.0/24 → Panorama/Log Collectors 10.10.10.5, 10.10.10.6 tcp/22 (ssh)',
          '- allows admin clients 10.30.0.0/24 → Panorama 10.10.10.5 tcp/443 (ssl)',
        ].join('\n'),
      },
      range: rangeOf(d.text, m),
    });
    c.close(d.uri);
  });

  for (const form of ['xml', 'set'] as const) {
    test(`${form}: on a rule name: the rule, its action, and the flows it allows and blocks`, { timeout: TIMEOUT }, async () => {
      const d = await fresh('fw-flow-removed', form, scenario('fw-flow-removed', form).text);
      let s = ruleName(d, 'Panorama to services');
      assert.deepEqual(await hover(d, inside(d.text, s)), {
        contents: {
          kind: 'markdown',
          value: [
            "**rule 'Panorama to services' (#3 in vsys:vsys1)**: allow",
            '',
            "**Panorama flows decided by rule 'Panorama to services'**",
            '- allows Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → DNS servers 10.40.0.53 udp/53 (dns)',
            '- allows Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → syslog servers 10.40.0.14 udp/514 (syslog)',
          ].join('\n'),
        },
        range: rangeOf(d.text, s),
      });
      s = ruleName(d, 'Deny other from Panorama');
      assert.deepEqual(await hover(d, inside(d.text, s)), {
        contents: {
          kind: 'markdown',
          value: [
            "**rule 'Deny other from Panorama' (#6 in vsys:vsys1)**: deny",
            '',
            "**Panorama flows decided by rule 'Deny other from Panorama'**",
            '- blocks Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp)',
          ].join('\n'),
        },
        range: rangeOf(d.text, s),
      });
      c.close(d.uri);
    });
  }

  test('xml: on a custom service member: its ports, the catalog entries on them, and the rule\'s flows', { timeout: TIMEOUT }, async () => {
    const base = scenario('fw-ssh28-application-default', 'xml').text;
    const ha = spanOf(base, '<entry name="Panorama HA">');
    const member = spanOf(base, '<member>application-default</member>', 0, ha.start);
    const addrEnd = spanOf(base, '          </address>\n').end;
    const svc = '          <service>\n            <entry name="tcp-28">\n              <protocol>\n                <tcp>\n                  <port>28</port>\n                </tcp>\n              </protocol>\n            </entry>\n          </service>\n';
    const text = base.slice(0, addrEnd) + svc + base.slice(addrEnd, member.start) + '<member>tcp-28</member>' + base.slice(member.end);
    const d = await fresh('fw-ssh28-application-default', 'xml', text);
    assert.deepEqual(await c.diagnostics(d.uri), [], 'the HA flows are allowed now');
    const m = memberIn(d, 'Panorama HA', 'service', 'tcp-28');
    assert.deepEqual(await hover(d, inside(d.text, m)), {
      contents: {
        kind: 'markdown',
        value: [
          '**tcp-28**: tcp/28',
          '- catalog ssh-28: tcp/28 ssh (both)',
          '',
          "**Panorama flows decided by rule 'Panorama HA'**",
          '- allows Panorama 10.10.10.5 → Panorama HA peer 10.50.0.5 tcp/28 (ssh)',
          '- allows Panorama HA peer 10.50.0.5 → Panorama 10.10.10.5 tcp/28 (ssh)',
        ].join('\n'),
      },
      range: rangeOf(d.text, m),
    });
    c.close(d.uri);
  });

  test('xml: nothing to say outside members and names (null)', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    assert.equal(await hover(d, inside(d.text, spanIn(d.text, '<hostname>fw-edge</hostname>', 'fw-edge'))), null);
    assert.equal(await hover(d, { line: 0, character: 2 }), null);
    c.close(d.uri);
  });
});

describe('document symbols', () => {
  test('xml: the rulebase (range = <rules>…</rules>, selection = "rules") with its rules (selection = the name), then objects by kind', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: d.uri } });
    assert.deepEqual(
      syms.map((s) => [s.name, s.kind, s.detail]),
      [
        ['vsys:vsys1', 3, '7 security rule(s)'],
        ['address', 4, '7'],
        ['profile-group', 4, '1'],
        ['log-forwarding', 4, '1'],
        ['zone', 4, '5'],
      ],
    );
    const rb = syms[0]!;
    const rulesOpen = spanOf(d.text, '<rules>');
    const rulesClose = spanOf(d.text, '</rules>');
    assert.deepEqual(rb.range, rangeOf(d.text, { start: rulesOpen.start, end: rulesClose.end }));
    assert.deepEqual(rb.selectionRange, rangeOf(d.text, { start: rulesOpen.start + 1, end: rulesOpen.end - 1 }));
    const names = ['Admin to Panorama', 'Devices to Panorama', 'Panorama to services', 'Panorama to Internet', 'Deny other to Panorama', 'Deny other from Panorama', 'Users to Internet'];
    assert.deepEqual(
      rb.children!.map((r) => [r.name, r.kind, r.detail]),
      names.map((x) => [x, 12, x.startsWith('Deny') ? 'deny' : 'allow']),
    );
    for (const r of rb.children!) {
      const open = spanOf(d.text, `<entry name="${r.name}">`);
      const close = spanOf(d.text, '</entry>', 0, open.start);
      assert.deepEqual(r.range, rangeOf(d.text, { start: open.start, end: close.end }), `range of ${r.name}`);
      assert.deepEqual(r.selectionRange, rangeOf(d.text, declSpan(d, 'rule', r.name)), `selection of ${r.name}`);
    }
    const addr = syms[1]!;
    assert.deepEqual(
      addr.children!.map((a) => [a.name, a.kind, a.detail, a.selectionRange]),
      ['panorama', 'log-collector', 'managed-devices', 'admin-clients', 'dns-server', 'ntp-server', 'syslog-server'].map((x) => [x, 13, 'vsys1', rangeOf(d.text, declSpan(d, 'address', x))]),
    );
    const pano = spanOf(d.text, '<entry name="panorama">');
    assert.deepEqual(addr.children![0]!.range, rangeOf(d.text, { start: pano.start, end: spanOf(d.text, '</entry>', 0, pano.start).end }));
    assert.deepEqual(
      syms[4]!.children!.map((z) => [z.name, z.kind, z.selectionRange]),
      ['untrust', 'mgmt', 'devices', 'admin', 'services'].map((x) => [x, 2, rangeOf(d.text, declSpan(d, 'zone', x))]),
    );
    c.close(d.uri);
  });

  test('set: the rulebase from its first to its last line, each rule over its lines, selection = the quoted name', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'set', scenario('fw-flow-removed', 'set').text);
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: d.uri } });
    const rb = syms[0]!;
    assert.equal(rb.name, 'vsys:vsys1');
    const first = spanOf(d.text, 'set rulebase security rules');
    const lastLine = 'set rulebase security rules "Users to Internet" profile-setting group pg-default';
    const last = spanOf(d.text, lastLine);
    assert.deepEqual(rb.range, rangeOf(d.text, { start: first.start, end: last.end }));
    assert.deepEqual(rb.selectionRange, rangeOf(d.text, spanIn(d.text, 'set rulebase security rules', 'rules')));
    const r = rb.children!.find((x) => x.name === 'Deny other from Panorama')!;
    const rFirst = spanOf(d.text, 'set rulebase security rules "Deny other from Panorama" to any');
    const rLast = spanOf(d.text, 'set rulebase security rules "Deny other from Panorama" log-setting fwd-logs');
    assert.deepEqual(
      [r.kind, r.detail, r.range, r.selectionRange],
      [12, 'deny', rangeOf(d.text, { start: rFirst.start, end: rLast.end }), rangeOf(d.text, ruleName(d, 'Deny other from Panorama'))],
    );
    assert.deepEqual(
      syms.find((s) => s.name === 'address')!.children!.map((a) => [a.name, a.selectionRange]),
      ['panorama', 'log-collector', 'managed-devices', 'admin-clients', 'dns-server', 'ntp-server', 'syslog-server'].map((x) => [x, rangeOf(d.text, declSpan(d, 'address', x))]),
    );
    c.close(d.uri);
  });
});

describe('definition', () => {
  for (const form of ['xml', 'set'] as const) {
    test(`${form}: from a rule member to the address object's name; from a zone member to the zone; from a group member to the address`, { timeout: TIMEOUT }, async () => {
      const d = await fresh('fw-flow-removed', form, rich(form));
      const def = (p: Position): Promise<Location | null> => c.request<Location | null>('textDocument/definition', { textDocument: { uri: d.uri }, position: p });
      const m = memberIn(d, 'Panorama to services', 'destination', 'ntp-server');
      assert.deepEqual(await def(inside(d.text, m)), { uri: d.uri, range: rangeOf(d.text, declSpan(d, 'address', 'ntp-server')) });
      const z = memberIn(d, 'Panorama to services', 'to', 'services');
      assert.deepEqual(await def(inside(d.text, z)), { uri: d.uri, range: rangeOf(d.text, declSpan(d, 'zone', 'services')) });
      const g = form === 'xml' ? spanIn(d.text, '<static>\n                <member>panorama</member>', 'panorama') : spanIn(d.text, 'static [ panorama log-collector ]', 'panorama');
      assert.deepEqual(await def(inside(d.text, g)), { uri: d.uri, range: rangeOf(d.text, declSpan(d, 'address', 'panorama')) });
      // The App-ID 'panorama' (application field) is not the address 'panorama'.
      assert.equal(await def(inside(d.text, memberIn(d, 'Devices to Panorama', 'application', 'panorama'))), null);
      // On the declaration itself: the declaration.
      assert.deepEqual(await def(inside(d.text, declSpan(d, 'address', 'ntp-server'))), { uri: d.uri, range: rangeOf(d.text, declSpan(d, 'address', 'ntp-server')) });
      c.close(d.uri);
    });
  }

  test('xml (Panorama): a device-group rule member resolves through the scope chain (own group, then shared)', { timeout: TIMEOUT }, async () => {
    const d = await fresh('panorama-dg', 'xml', scenario('panorama-dg', 'xml').text);
    const def = (p: Position): Promise<Location | null> => c.request<Location | null>('textDocument/definition', { textDocument: { uri: d.uri }, position: p });
    const edge = spanOf(d.text, '<entry name="edge-dg">');
    const rule = spanOf(d.text, '<entry name="Devices to Panorama">', 0, edge.start);
    const src = spanOf(d.text, '<member>managed-devices</member>', 0, rule.start);
    const dst = spanOf(d.text, '<member>panorama</member>', 0, spanOf(d.text, '<destination>', 0, rule.start).start);
    const ownDecl = spanIn(d.text.slice(0), '<entry name="managed-devices">', 'managed-devices');
    assert.ok(ownDecl.start > edge.start, 'managed-devices is declared in edge-dg');
    assert.deepEqual(await def(positionAt(d.text, src.start + 10)), { uri: d.uri, range: rangeOf(d.text, ownDecl) });
    const sharedDecl = spanIn(d.text, '<entry name="panorama">', 'panorama');
    assert.ok(sharedDecl.start < spanOf(d.text, '</shared>').start, 'panorama is declared in shared');
    assert.deepEqual(await def(positionAt(d.text, dst.start + 10)), { uri: d.uri, range: rangeOf(d.text, sharedDecl) });
    c.close(d.uri);
  });
});

describe('references', () => {
  /** Every member naming the address `panorama` (rule source/destination, group static), in text order. */
  function panoramaRefs(d: Doc): Span[] {
    const out: Span[] = [];
    if (d.path.endsWith('.xml')) {
      for (let i = d.text.indexOf('<member>panorama</member>'); i >= 0; i = d.text.indexOf('<member>panorama</member>', i + 1)) {
        const containers = ['<source>', '<destination>', '<static>', '<application>', '<members>'].map((t) => [t, d.text.lastIndexOf(t, i)] as const);
        const [tag] = containers.reduce((a, b) => (b[1] > a[1] ? b : a));
        if (tag === '<source>' || tag === '<destination>' || tag === '<static>') out.push({ start: i + 8, end: i + 16 });
      }
      return out;
    }
    let off = 0;
    for (const line of d.text.split('\n')) {
      const m = /^set (?:rulebase security rules "[^"]+" (?:source|destination)|address-group \S+ static) /.exec(line);
      if (m) for (const t of line.slice(m[0].length).matchAll(/(?<=^|[\s[])panorama(?=[\s\]]|$)/g)) out.push({ start: off + m[0].length + t.index!, end: off + m[0].length + t.index! + 8 });
      off += line.length + 1;
    }
    return out;
  }

  for (const form of ['xml', 'set'] as const) {
    test(`${form}: of the address 'panorama': rule members and the group member, with and without the declaration`, { timeout: TIMEOUT }, async () => {
      const d = await fresh('fw-flow-removed', form, rich(form));
      const refs = (p: Position, includeDeclaration: boolean): Promise<Location[]> => c.request<Location[]>('textDocument/references', { textDocument: { uri: d.uri }, position: p, context: { includeDeclaration } });
      const expected = panoramaRefs(d).map((s) => ({ uri: d.uri, range: rangeOf(d.text, s) }));
      assert.equal(expected.length, 7, '6 rule members and 1 group member');
      const decl = { uri: d.uri, range: rangeOf(d.text, declSpan(d, 'address', 'panorama')) };
      const onDecl = inside(d.text, declSpan(d, 'address', 'panorama'));
      assert.deepEqual(await refs(onDecl, false), expected);
      assert.deepEqual(await refs(onDecl, true), [decl, ...expected]);
      // From a use: the same list.
      assert.deepEqual(await refs(inside(d.text, memberIn(d, 'Deny other from Panorama', 'source', 'panorama')), true), [decl, ...expected]);
      // Of the group: its only use is none (no rule names it).
      assert.deepEqual(await refs(inside(d.text, declSpan(d, 'address-group', 'panorama-hosts')), false), []);
      c.close(d.uri);
    });
  }

  test('xml: of a zone: every from/to member naming it', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const got = await c.request<Location[]>('textDocument/references', { textDocument: { uri: d.uri }, position: inside(d.text, declSpan(d, 'zone', 'services')), context: { includeDeclaration: false } });
    assert.deepEqual(got, [{ uri: d.uri, range: rangeOf(d.text, memberIn(d, 'Panorama to services', 'to', 'services')) }]);
    c.close(d.uri);
  });
});

describe('completion', () => {
  test('xml: inside <member> of <application>: catalog App-IDs and application objects, no addresses', { timeout: TIMEOUT }, async () => {
    const base = rich('xml');
    const m = spanIn(base, '<member>dns</member>\n                    <member>syslog</member>', '<member>dns</member>');
    const text = base.slice(0, m.start) + '<member>pa</member>' + base.slice(m.end);
    const d = await fresh('fw-flow-removed', 'xml', text);
    const items = await c.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: d.uri }, position: positionAt(text, m.start + '<member>pa'.length) });
    const labels = items.map((i) => i.label);
    for (const app of ['panorama', 'paloalto-updates', 'ssh', 'ssl', 'ntp', 'dns', 'syslog', 'any', 'pano-apps']) assert.ok(labels.includes(app), `offers ${app}`);
    for (const addr of ['ntp-server', 'log-collector', 'panorama-hosts', 'application-default']) assert.ok(!labels.includes(addr), `does not offer ${addr}`);
    assert.deepEqual(
      items.find((i) => i.label === 'paloalto-updates'),
      { label: 'paloalto-updates', kind: 12, detail: 'Panorama App-ID: tcp/443 both; tcp/28443 inbound', sortText: '0paloalto-updates' },
    );
    assert.deepEqual(
      items.find((i) => i.label === 'pano-apps'),
      { label: 'pano-apps', kind: 18, detail: 'application-group', sortText: '1pano-apps' },
    );
    assert.equal(new Set(labels).size, labels.length, 'no duplicates');
    c.close(d.uri);
  });

  test('xml: inside <member> of <destination>: any and the address objects and groups', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', rich('xml'));
    const m = memberIn(d, 'Panorama to services', 'destination', 'ntp-server');
    const items = await c.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: d.uri }, position: positionAt(d.text, m.start) });
    assert.deepEqual(
      items.map((i) => [i.label, i.detail ?? null]).sort(),
      [
        ['any', null],
        ...['panorama', 'log-collector', 'managed-devices', 'admin-clients', 'dns-server', 'ntp-server', 'syslog-server'].map((x) => [x, 'address']),
        ['panorama-hosts', 'address-group'],
      ].sort(),
    );
    c.close(d.uri);
  });

  test('xml: inside <member> of <service>: application-default first', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const m = memberIn(d, 'Panorama to services', 'service', 'application-default');
    const items = await c.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: d.uri }, position: positionAt(d.text, m.start) });
    assert.deepEqual(items.find((i) => i.label === 'application-default'), { label: 'application-default', kind: 14, sortText: '0' });
    assert.ok(!items.some((i) => i.label === 'panorama'), 'no App-IDs or addresses for a service');
    c.close(d.uri);
  });

  test('xml: outside members: nothing', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const items = await c.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: d.uri }, position: inside(d.text, spanIn(d.text, '<hostname>fw-edge</hostname>', 'fw-edge')) });
    assert.deepEqual(items, []);
    c.close(d.uri);
  });

  test('set: after `… application ` and inside `[ … ` of a rule line: catalog App-IDs and application objects', { timeout: TIMEOUT }, async () => {
    const base = rich('set');
    for (const tail of ['application ', 'application [ dns ']) {
      const line = `set rulebase security rules "Panorama to services" ${tail}`;
      const text = base + line;
      const d = await fresh('fw-flow-removed', 'set', text);
      const items = await c.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: d.uri }, position: positionAt(text, text.length) });
      const labels = items.map((i) => i.label);
      for (const app of ['panorama', 'paloalto-updates', 'ntp', 'pano-apps', 'any']) assert.ok(labels.includes(app), `${tail}: offers ${app}`);
      assert.ok(!labels.includes('ntp-server'), `${tail}: no address`);
      assert.deepEqual(
        items.find((i) => i.label === 'panorama'),
        { label: 'panorama', kind: 12, detail: items.find((i) => i.label === 'panorama')!.detail, sortText: '0panorama' },
      );
      assert.match(items.find((i) => i.label === 'panorama')!.detail!, /^Panorama App-ID: tcp\/3978 /);
      c.close(d.uri);
    }
  });

  test('set: after `… destination ` of a rule line: addresses', { timeout: TIMEOUT }, async () => {
    const base = rich('set');
    const text = base + 'set rulebase security rules "Panorama to services" destination ';
    const d = await fresh('fw-flow-removed', 'set', text);
    const items = await c.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: d.uri }, position: positionAt(text, text.length) });
    assert.deepEqual(
      items.map((i) => i.label).sort(),
      ['any', 'panorama', 'log-collector', 'managed-devices', 'admin-clients', 'dns-server', 'ntp-server', 'syslog-server', 'panorama-hosts'].sort(),
    );
    c.close(d.uri);
  });
});

describe('code lens', () => {
  for (const form of ['xml', 'set'] as const) {
    test(`${form}: one lens on the rulebase: "Panorama flows (vsys vsys1): 9 allowed, 1 blocked", matching the flow table`, { timeout: TIMEOUT }, async () => {
      const d = await fresh('fw-flow-removed', form, scenario('fw-flow-removed', form).text);
      const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: d.uri } });
      const key = form === 'xml' ? spanIn(d.text, '<rules>', 'rules') : spanIn(d.text, 'set rulebase security rules', 'rules');
      assert.deepEqual(lenses, [{ range: rangeOf(d.text, key), command: { title: 'Panorama flows (vsys vsys1): 9 allowed, 1 blocked', command: 'panosGuard.showFlowTable', arguments: [d.uri] } }]);
      const t = await c.request<FlowTableResult>('panos/flowTable', { uri: d.uri });
      const count = (v: string): number => new Set(t.flows.filter((f) => f.verdict === v).map((f) => f.id)).size;
      assert.deepEqual([count('allowed'), count('blocked')], [9, 1]);
      c.close(d.uri);
    });
  }

  test('xml: unknown verdicts are counted too (fw-fqdn-dynamic)', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-fqdn-dynamic', 'xml', scenario('fw-fqdn-dynamic', 'xml').text);
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: d.uri } });
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.range]),
      [['Panorama flows (vsys vsys1): 6 allowed, 0 blocked, 4 unknown', rangeOf(d.text, spanIn(d.text, '<rules>', 'rules'))]],
    );
    c.close(d.uri);
  });
});

describe('custom requests', () => {
  test('panos/flowTable: each required flow with its verdict and the range of the deciding rule', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'xml', scenario('fw-flow-removed', 'xml').text);
    const t = await c.request<FlowTableResult>('panos/flowTable', { uri: d.uri });
    assert.equal(t.uri, d.uri);
    assert.deepEqual(t.contexts, [{ id: 'vsys:vsys1', label: 'vsys vsys1', because: 'the firewall', inPath: true }]);
    const row = (id: string, verdict: string, rule: string | null): [string, string, string | null, unknown] => [id, verdict, rule, rule ? rangeOf(d.text, ruleName(d, rule)) : null];
    assert.deepEqual(
      t.flows.map((f) => [f.id, f.verdict, f.rule, f.range]).sort(),
      [
        row('ssh-22/admin-cli', 'allowed', 'Admin to Panorama'),
        row('https-443/web-ui', 'allowed', 'Admin to Panorama'),
        row('panorama-3978/managed-devices', 'allowed', 'Devices to Panorama'),
        row('panorama-3978/devices-to-collectors', 'allowed', 'Devices to Panorama'),
        row('updates-28443/device-updates', 'allowed', 'Devices to Panorama'),
        row('dns-53/dns', 'allowed', 'Panorama to services'),
        row('syslog-514-6514/syslog', 'allowed', 'Panorama to services'),
        row('ntp-123/ntp', 'blocked', 'Deny other from Panorama'),
        row('shared-services-80-443-444/shared-services', 'allowed', 'Panorama to Internet'),
        row('https-443/content-updates', 'allowed', 'Panorama to Internet'),
        row('panorama-3978/collectors-to-panorama', 'not-crossing', null),
        row('updates-28443/collector-updates', 'not-crossing', null),
      ].sort(),
    );
    const ntp = t.flows.find((f) => f.id === 'ntp-123/ntp')!;
    assert.deepEqual(ntp, {
      id: 'ntp-123/ntp',
      catalogId: 'ntp-123',
      flow: 'Panorama/Log Collectors 10.10.10.5, 10.10.10.6 → NTP servers 10.40.0.123 udp/123 (ntp)',
      verdict: 'blocked',
      summary: "blocked by rule 'Deny other from Panorama' (#6 in vsys:vsys1)",
      rule: 'Deny other from Panorama',
      rulebase: 'vsys:vsys1',
      range: rangeOf(d.text, ruleName(d, 'Deny other from Panorama')),
      context: 'vsys:vsys1',
    });
    assert.ok(t.skipped.some((s) => s.id === 'ssh-28/ha-encrypted' && s.why === 'no HA peer'), 'skipped flows say why');
    c.close(d.uri);
  });

  test('panos/flowTable (set): the same verdicts, ranges on the quoted rule names', { timeout: TIMEOUT }, async () => {
    const d = await fresh('fw-flow-removed', 'set', scenario('fw-flow-removed', 'set').text);
    const t = await c.request<FlowTableResult>('panos/flowTable', { uri: d.uri });
    const ntp = t.flows.find((f) => f.id === 'ntp-123/ntp')!;
    assert.deepEqual([ntp.verdict, ntp.rule, ntp.range], ['blocked', 'Deny other from Panorama', rangeOf(d.text, ruleName(d, 'Deny other from Panorama'))]);
    const dns = t.flows.find((f) => f.id === 'dns-53/dns')!;
    assert.deepEqual([dns.verdict, dns.rule, dns.range], ['allowed', 'Panorama to services', rangeOf(d.text, ruleName(d, 'Panorama to services'))]);
    c.close(d.uri);
  });

  test('panos/envTemplate: a JSON template naming the Panorama the firewall config points to', { timeout: TIMEOUT }, async () => {
    const text = scenario('fw-flow-removed', 'xml').text.replace('<panorama-server>10.10.10.5</panorama-server>', '<panorama-server>192.0.2.99</panorama-server>');
    const d = await openDoc({ ...inScenario('fw-flow-removed', 'x.xml', text), uri: `untitled:lsp-env-template-${++n}.xml` });
    const raw = await c.request<string>('panos/envTemplate', { uri: d.uri });
    assert.ok(raw.endsWith('}\n'));
    assert.deepEqual(JSON.parse(raw), {
      $schema: 'https://raw.githubusercontent.com/panos-guard/panos-guard/main/server/src/core/env/env.schema.json',
      panorama: ['192.0.2.99'],
      logCollectors: [],
      managedDevices: [],
      adminClients: [],
      features: {},
      zones: {},
      deviceGroups: [],
      rules: {},
    });
    c.close(d.uri);
  });

  test('panos/envTemplate on a Panorama config: its address and its Log Collector', { timeout: TIMEOUT }, async () => {
    const text = scenario('panorama-dg', 'xml').text;
    const d = await openDoc({ ...inScenario('panorama-dg', 'x.xml', text), uri: `untitled:lsp-env-template-${++n}.xml` });
    const t = JSON.parse(await c.request<string>('panos/envTemplate', { uri: d.uri })) as { panorama: string[]; logCollectors: string[] };
    assert.deepEqual([t.panorama, t.logCollectors], [['10.10.10.5'], ['10.10.10.6']]);
    c.close(d.uri);
  });
});
