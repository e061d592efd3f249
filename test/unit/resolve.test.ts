/**
 * @fileoverview `Resolver.mayTouch`, the shortcut that lets the checks skip resolving rule sides that
 * name no management host: on the corpus and on generated configs it must agree exactly with the
 * resolved side (a false "no" would hide a rule that reaches Panorama).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { Resolver } from '../../server/src/core/policy/resolve';
import { candidates, flowBoxes, invalidateRulebase } from '../../server/src/core/policy/evaluate';
import { ALL, EMPTY, addrEmpty, addrIntersect, addrOverlaps, addrSubtract, parseAddress, type AddrSet } from '../../server/src/core/policy/sets';
import type { Rule, Rulebase } from '../../server/src/core/model/types';
import type { RequiredFlow } from '../../server/src/core/policy/flows';
import { generate } from '../../bench/generate';
import { parse } from '../../server/src/core/parse/index';
import { buildModel } from '../../server/src/core/model/build';
import { scopes } from '../../server/src/core/locate';
import type { EntryMap } from '../../server/src/core/parse/tree';
import { corpusFiles, read } from '../helpers';

test("a rule's address members asked once equal its source and destination names (none when negated), read before or after the located fields, on the corpus and generated configs", () => {
  let n = 0;
  let negated = 0;
  for (const [name, text] of texts()) {
    for (const order of ['once first', 'located first'] as const) {
      const m = buildModel(parse(text));
      if (!m) continue;
      const rules = [...m.vsys.map((v) => v.rulebase), ...m.deviceGroups.flatMap((d) => [d.pre, d.post]), m.sharedPre, m.sharedPost].filter((rb): rb is NonNullable<typeof rb> => !!rb).flatMap((rb) => rb.rules);
      for (const r of rules) {
        const once = (): unknown[] => [r.addressNamesOnce('source'), r.addressNamesOnce('destination')];
        const early = order === 'once first' ? once() : undefined;
        const want = [r.negateSource ? undefined : r.source.items.map((x) => x.value), r.negateDestination ? undefined : r.destination.items.map((x) => x.value)];
        assert.deepEqual(early ?? once(), want, `${name}: rule '${r.name}' (${order})`);
        if (r.negateSource || r.negateDestination) negated++;
        n++;
      }
    }
  }
  assert.ok(n > 300 && negated > 0, `${n} rules, ${negated} negated`);
});

test('Panorama: choosing the device groups keeps no address object that only rules of device groups left out name', () => {
  const text = `<config version="10.1.0"><shared>
  <address><entry name="pano"><ip-netmask>10.10.10.5</ip-netmask></entry><entry name="far1"><ip-netmask>192.0.2.1</ip-netmask></entry><entry name="far2"><ip-range>198.51.100.1-198.51.100.9</ip-range></entry></address>
</shared><devices><entry name="localhost.localdomain"><device-group>
  <entry name="edge"><pre-rulebase><security><rules><entry name="to-pano"><from><member>any</member></from><to><member>any</member></to><source><member>any</member></source><destination><member>pano</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry></rules></security></pre-rulebase></entry>
  <entry name="branch"><pre-rulebase><security><rules><entry name="far"><from><member>any</member></from><to><member>any</member></to><source><member>far1</member></source><destination><member>far2</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry></rules></security></pre-rulebase></entry>
</device-group></entry></devices></config>`;
  const a = analyze(text, { cli: { panorama: ['10.10.10.5'] }, fixes: false });
  assert.deepEqual(a.policy!.contexts.map((c) => c.id), ['device-group:edge']);
  const shared = a.model!.shared.addresses as EntryMap<unknown>;
  assert.deepEqual(['pano', 'far1', 'far2'].map((n) => typeof shared.raw(n)), ['object', 'number', 'number']);
});

function texts(): [string, string][] {
  const out: [string, string][] = corpusFiles().map((f) => [f, read(f)]);
  for (const kind of ['panorama', 'firewall'] as const) out.push([`generated ${kind}`, generate({ kind, format: 'xml', targetBytes: 300 * 1024, seed: 3 })]);
  return out;
}

test('mayTouch agrees with the resolved rule sides on the corpus and generated configs', () => {
  let rulesSeen = 0;
  let yes = 0;
  let no = 0;
  for (const [name, text] of texts()) {
    const a = analyze(text, { fixes: false });
    if (!a.policy || !a.model) continue;
    const env = a.policy.env;
    const rules = new Set<Rule>();
    for (const ctx of a.policy.contexts) for (const rb of ctx.rulebases) for (const r of rb.rules) rules.add(r);
    // Host sets: the management hosts, and one address from each of a few rules' own sides (so that
    // "yes" answers, through objects and nested groups, are asked for too).
    const hostSets: AddrSet[] = [env.mgmtHosts];
    const probe = new Resolver(env);
    for (const r of [...rules].slice(0, 40)) {
      const s = probe.addresses(r.rulebase.scope, r.destination, false);
      if (!s.any && s.set.v4.length > 0) hostSets.push({ v4: [s.set.v4[0]!, s.set.v4[0]! + 1], v6: [] });
    }
    hostSets.push(parseAddress('10.0.0.0/8')!, parseAddress('2001:db8::/32')!);
    // One resolver asked about every host set in turn: what it remembers must follow the host set.
    const shared = new Resolver(env);
    for (const hosts of hostSets) {
      // Asked first on a fresh resolver (groups walked member by member), then after the sides are
      // resolved (answers from the resolved names).
      for (const order of ['shortcut first', 'resolved first'] as const) {
        const fast = new Resolver(env);
        const full = order === 'resolved first' ? fast : new Resolver(env);
        for (const r of rules) {
          // The names first: read from the text, not derived from the member lists read later.
          for (const [names, ml, negate] of [
            [r.destinationNames, r.destination, r.negateDestination],
            [r.sourceNames, r.source, r.negateSource],
          ] as const) {
            assert.deepEqual(names, ml.items.map((x) => x.value), `${name}: rule '${r.name}' names`);
            const scope = r.rulebase.scope;
            let answer: boolean;
            let m;
            if (order === 'shortcut first') {
              answer = fast.mayTouch(scope, names, negate, hosts);
              m = full.addresses(scope, ml, negate);
            } else {
              m = full.addresses(scope, ml, negate);
              answer = fast.mayTouch(scope, names, negate, hosts);
            }
            const effective = m.any ? (negate ? { v4: [], v6: [] } : ALL) : negate ? addrSubtract(ALL, m.set) : m.set;
            const meets = !addrEmpty(addrIntersect(effective, hosts));
            assert.equal(shared.mayTouch(scope, names, negate, hosts), answer, `${name}: rule '${r.name}', resolver shared across host sets`);
            if (!answer) assert.equal(meets, false, `${name}: rule '${r.name}' side ${ml.items.map((x) => x.value).join(',')} meets the hosts but mayTouch said no`);
            // Exact for sides it answers without resolving: not negated, not any.
            if (!negate && !m.any) assert.equal(answer, addrOverlaps(m.set, hosts), `${name}: rule '${r.name}' (${order})`);
            if (answer) yes++;
            else no++;
          }
          rulesSeen++;
        }
      }
    }
  }
  assert.ok(rulesSeen > 1000, `${rulesSeen} rules`);
  assert.ok(yes > 100 && no > 1000, `${yes} yes, ${no} no`);
});

test('mayMatch is false exactly when the resolved rule side neither meets the hosts nor has a member it cannot resolve, on the corpus and generated configs', () => {
  let sides = 0;
  const answers = new Set<string>();
  for (const [name, text] of [...texts(), ['device group shadowing shared objects', SHADOWS] as [string, string]]) {
    const a = analyze(text, { fixes: false });
    if (!a.policy || !a.model) continue;
    const env = a.policy.env;
    const rules = new Set<Rule>();
    for (const ctx of a.policy.contexts) for (const rb of ctx.rulebases) for (const r of rb.rules) rules.add(r);
    const hostSets: AddrSet[] = [env.mgmtHosts, parseAddress('10.10.10.5')!, parseAddress('10.0.0.0/8')!, parseAddress('2001:db8::/32')!];
    const probe = new Resolver(env);
    for (const r of [...rules].slice(0, 40)) {
      const s = probe.addresses(r.rulebase.scope, r.source, false);
      if (!s.any && s.set.v4.length > 0) hostSets.push({ v4: [s.set.v4[0]!, s.set.v4[0]! + 1], v6: [] });
    }
    // One resolver asked about every host set (what it remembers is per host set), one per set to
    // resolve the sides.
    const shared = new Resolver(env);
    for (const hosts of hostSets) {
      const full = new Resolver(env);
      for (const r of rules) {
        for (const [names, ml, negate] of [
          [r.sourceNames, r.source, r.negateSource],
          [r.destinationNames, r.destination, r.negateDestination],
        ] as const) {
          const m = full.addresses(r.rulebase.scope, ml, negate);
          const want = m.any || m.negate || m.unknown.length > 0 || addrOverlaps(m.set, hosts);
          assert.equal(shared.mayMatch(r.rulebase.scope, names, negate, hosts), want, `${name}: rule '${r.name}' side ${names.join(',')}`);
          answers.add(`${want}/${m.unknown.length > 0}`);
          sides++;
        }
      }
    }
  }
  assert.ok(sides > 5000, `${sides} sides`);
  // Each kind of answer was met: no, yes by the addresses, yes by a member not resolvable.
  assert.deepEqual([...answers].sort(), ['false/false', 'true/false', 'true/true']);
});

test('mayMatch of single names: objects, nested and dynamic groups, lists, feeds, regions, literals, unknown names, a group that holds itself', () => {
  const text = SHADOWS.replace(
    '</address-group>',
    '<entry name="outer"><static><member>inner</member><member>192.0.2.1</member></static></entry>' +
      '<entry name="inner"><static><member>grp</member></static></entry>' +
      '<entry name="loop"><static><member>loop</member></static></entry>' +
      '<entry name="withdyn"><static><member>192.0.2.9</member><member>dyn</member></static></entry></address-group>',
  );
  const env = analyze(text, { fixes: false }).policy!.env;
  const m = buildModel(parse(text))!;
  const r = new Resolver(env);
  const hosts = parseAddress('10.10.10.5')!;
  const names = ['srv', 'spaced', 'ref', 'range', 'v6', 'none', 'grp', 'dyn', 'both', 'lits', 'outer', 'inner', 'loop', 'withdyn', '10.10.10.6', 'panw-highrisk-ip-list', 'US', '10.10.10.0/24', '192.0.2.1', 'no-such-object'];
  assert.deepEqual(
    names.map((n) => [n, r.mayMatch(m.shared, [n], false, hosts)]),
    [
      ['srv', true],
      ['spaced', true],
      ['ref', true],
      ['range', true],
      ['v6', false],
      // No value: unreadable, so unknown.
      ['none', true],
      ['grp', true],
      // Dynamic: members known only at run time.
      ['dyn', true],
      ['both', true],
      ['lits', true],
      ['outer', true],
      ['inner', true],
      // Nesting too deep: unknown.
      ['loop', true],
      ['withdyn', true],
      // An external list: fetched at run time.
      ['10.10.10.6', true],
      // A threat feed names no management host.
      ['panw-highrisk-ip-list', false],
      ['US', true],
      ['10.10.10.0/24', true],
      ['192.0.2.1', false],
      ['no-such-object', true],
    ],
  );
  // Negated or any: always maybe; several names: any one.
  assert.equal(r.mayMatch(m.shared, ['192.0.2.1'], true, hosts), true);
  assert.equal(r.mayMatch(m.shared, ['any'], false, hosts), true);
  assert.equal(r.mayMatch(m.shared, [], false, hosts), true);
  assert.equal(r.mayMatch(m.shared, ['192.0.2.1', 'v6'], false, hosts), false);
  assert.equal(r.mayMatch(m.shared, ['192.0.2.1', 'srv'], false, hosts), true);
  // The device group's own 'srv' (192.168.1.1) shadows the shared one.
  assert.equal(r.mayMatch(m.deviceGroups[0]!.scope, ['srv'], false, hosts), false);
  // A chain of groups nested deeper than resolving follows: unknown from its head, known from lower
  // down, whichever is asked first.
  let chain = '';
  for (let i = 0; i < 40; i++) chain += `<entry name="c${i}"><static><member>${i === 39 ? '192.0.2.1' : `c${i + 1}`}</member></static></entry>`;
  const deep = buildModel(parse(text.replace('</address-group>', chain + '</address-group>')))!;
  for (const order of [['c0', 'c20'], ['c20', 'c0']]) {
    const rd = new Resolver(env);
    const got = order.map((n) => [n, rd.mayMatch(deep.shared, [n], false, hosts)]);
    assert.deepEqual(Object.fromEntries(got), { c0: true, c20: false });
    assert.deepEqual(order.map((n) => new Resolver(env).addressName(deep.shared, n).unknown.length > 0), order.map((n) => n === 'c0'));
  }
  // Each answer agrees with the resolved name.
  for (const n of names) {
    const x = new Resolver(env).addressName(m.shared, n);
    assert.equal(r.mayMatch(m.shared, [n], false, hosts), x.unknown.length > 0 || addrOverlaps(x.set, hosts), n);
  }
});

test("Panorama: the device groups whose rules name a management host (through an object, a group or a literal) are evaluated; a side that is negated, `any`, or also names every address (IPv4 and IPv6) does not count", () => {
  const rule = (name: string, src: string[], dst: string[], extra = ''): string =>
    `<entry name="${name}"><from><member>any</member></from><to><member>any</member></to><source>${src.map((m) => `<member>${m}</member>`).join('')}</source><destination>${dst.map((m) => `<member>${m}</member>`).join('')}</destination><application><member>any</member></application><service><member>any</member></service><action>allow</action>${extra}</entry>`;
  const dg = (name: string, where: 'pre' | 'post', rules: string[]): string => `<entry name="${name}"><${where}-rulebase><security><rules>${rules.join('')}</rules></security></${where}-rulebase></entry>`;
  const text = `<config version="10.1.0"><shared>
  <address><entry name="pano"><ip-netmask>10.10.10.5</ip-netmask></entry><entry name="v4-all"><ip-netmask>0.0.0.0/0</ip-netmask></entry><entry name="v6-all"><ip-netmask>::/0</ip-netmask></entry><entry name="other"><ip-netmask>192.0.2.1</ip-netmask></entry></address>
  <address-group><entry name="mgmt-grp"><static><member>other</member><member>pano</member></static></entry><entry name="all-grp"><static><member>v4-all</member><member>v6-all</member></static></entry></address-group>
</shared><devices><entry name="localhost.localdomain"><device-group>
  ${dg('by-group', 'pre', [rule('r1', ['any'], ['other']), rule('r2', ['any'], ['mgmt-grp'])])}
  ${dg('with-v4-all', 'pre', [rule('r3', ['any'], ['pano', 'v4-all'])])}
  ${dg('with-all-group', 'pre', [rule('r4', ['any'], ['all-grp', 'pano'])])}
  ${dg('negated', 'pre', [rule('r5', ['any'], ['pano'], '<negate-destination>yes</negate-destination>')])}
  ${dg('with-any', 'pre', [rule('r6', ['any'], ['any', 'pano'])])}
  ${dg('literal', 'post', [rule('r7', ['10.10.10.5'], ['other'])])}
  ${dg('none', 'pre', [rule('r8', ['other'], ['mgmt-grp'], '<negate-destination>yes</negate-destination>'), rule('r9', ['other'], ['other'])])}
</device-group></entry></devices></config>`;
  const a = analyze(text, { cli: { panorama: ['10.10.10.5'] }, fixes: false });
  assert.deepEqual(a.doc.errors, []);
  assert.deepEqual(
    a.policy!.contexts.map((c) => [c.id, c.inPath, c.inPathWhy]),
    [
      ['device-group:by-group', true, 'its rules reference 10.10.10.5'],
      // 0.0.0.0/0 is not every address (IPv6 is left out): the side still names Panorama.
      ['device-group:with-v4-all', true, 'its rules reference 10.10.10.5'],
      ['device-group:literal', true, 'its rules reference 10.10.10.5'],
    ],
  );
});

test('the rule index picks exactly the rules whose compiled application part may match a flow and, given its zones, whose compiled zones may hold them, on the corpus and generated configs', () => {
  let picked = 0;
  let skipped = 0;
  let zonePicked = 0;
  let zoneSkipped = 0;
  // The example with an application filter (unknown App-IDs) in a rule that reaches Panorama.
  const example = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'examples', 'firewall-in-front-of-panorama.xml'), 'utf8');
  const filtered = example
    .replace('<entry name="vsys1">', '<entry name="vsys1"><application-filter><entry name="mgmt-filter"><category><member>business-systems</member></category></entry></application-filter>')
    .replace('<member>paloalto-updates</member>', '<member>mgmt-filter</member>');
  assert.notEqual(filtered, example);
  let unknownSeen = 0;
  for (const [name, text] of [...texts(), ['example with an application filter', filtered] as [string, string]]) {
    const an = analyze(text, { fixes: false });
    const policy = an.policy;
    if (!policy) continue;
    const probe = new Resolver(policy.env);
    for (const ctx of policy.contexts) {
      for (const rb of ctx.rulebases) {
        for (const flow of policy.flows) {
          const want: Rule[] = rb.rules.filter((r: Rule) => {
            const app = probe.compile(r).app;
            if (!app.any && app.unknown.length > 0) unknownSeen++;
            return app.any || app.unknown.length > 0 || flow.apps.some((x: string) => app.apps.has(x));
          });
          const got: Rule[] = candidates(policy.resolver, rb, flow);
          assert.deepEqual(got.map((r) => r.name), want.map((r) => r.name), `${name}: ${rb.location}, flow ${flow.id}`);
          picked += got.length;
          skipped += rb.rules.length - got.length;
          // By zones too: the flow's destination zones (as evaluated) together and each alone, with
          // its source zones together or any.
          const boxes = flowBoxes(flow, ctx).boxes;
          const dstZones = [...new Set(boxes.map((b) => b.dstZone))];
          const srcZones = new Set(boxes.map((b) => b.srcZone));
          const holds = (side: { any: boolean; zones: Set<string> }, zs: Set<string | undefined>): boolean => zs.has(undefined) || side.any || [...side.zones].some((z) => zs.has(z));
          for (const zs of [new Set(dstZones), ...dstZones.map((z) => new Set([z]))]) {
            for (const ss of [new Set<string | undefined>([undefined]), srcZones]) {
              const inZones = want.filter((r: Rule) => holds(probe.compile(r).to, zs) && holds(probe.compile(r).from, ss));
              const byZone = candidates(policy.resolver, rb, flow, zs, ss);
              assert.deepEqual(byZone.map((r) => r.name), inZones.map((r) => r.name), `${name}: ${rb.location}, flow ${flow.id}, zones ${[...ss].join()} → ${[...zs].join()}`);
              zonePicked += byZone.length;
              zoneSkipped += want.length - byZone.length;
            }
          }
        }
      }
    }
  }
  // Both kinds of answer were exercised, and rules of unknown App-IDs too.
  assert.ok(picked > 100 && skipped > 100 && unknownSeen > 0, `${picked} picked, ${skipped} skipped, ${unknownSeen} unknown`);
  assert.ok(zonePicked > 100 && zoneSkipped > 100, `by zone: ${zonePicked} picked, ${zoneSkipped} skipped`);
});

/**
 * The fw-tight scenario with `sides` (from and to zone names, `any` allowed) as rules r0, r1, … of
 * application and addresses any before its own rules: the policy, the rulebase holding them and a flow.
 */
function withZoneRules(sides: [from: string[], to: string[]][]): { policy: NonNullable<ReturnType<typeof analyze>['policy']>; rb: Rulebase; flow: RequiredFlow } {
  const base = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scenarios', 'fw-tight', 'config.xml'), 'utf8');
  const members = (zs: string[]): string => zs.map((z) => `<member>${z}</member>`).join('');
  const rules = sides.map(
    ([from, to], i) =>
      `<entry name="r${i}"><from>${members(from)}</from><to>${members(to)}</to>` +
      '<source><member>any</member></source><destination><member>any</member></destination>' +
      '<application><member>any</member></application><service><member>any</member></service><action>deny</action></entry>',
  );
  const text = base.replace('<entry name="Admin to Panorama">', `${rules.join('')}<entry name="Admin to Panorama">`);
  assert.notEqual(text, base);
  const policy = analyze(text, { fixes: false }).policy!;
  const rb = policy.contexts[0]!.rulebases.find((b) => b.rules.some((r) => r.name === 'r0'))!;
  return { policy, rb, flow: policy.flows[0]! };
}

test('the rule index merges many zones\' lists into rule order, each rule once, as far as the rules go', () => {
  // 600 rules of application any into one to three of 24 zones (or any), in a random order: a flow
  // into k of the zones must get, from the merged lists, exactly the rules into one of them or any,
  // in rule order and once each (a rule naming two of them is in two lists), for k from 1 to all.
  const zones = Array.from({ length: 24 }, (_, i) => `z${i}`);
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const sides = Array.from({ length: 600 }, (): [string[], string[]] => [['any'], rnd(20) === 0 ? ['any'] : [...new Set(Array.from({ length: 1 + rnd(3) }, () => zones[rnd(zones.length)]!))]]);
  const { policy, rb, flow } = withZoneRules(sides);
  let twice = 0;
  for (let k = 1; k <= zones.length; k++) {
    // The rulebase's index made from scratch (extended by doubling steps as the merge uses it up), and
    // kept from the sets before.
    for (const fresh of [true, false]) {
      if (fresh) invalidateRulebase(rb);
      const zs = new Set<string | undefined>(fresh ? zones.slice(0, k) : zones.slice(zones.length - k));
      const want = rb.rules.filter((r) => r.toNames.some((z) => z === 'any' || zs.has(z)));
      twice += want.filter((r) => r.toNames.filter((z) => zs.has(z)).length > 1).length;
      const got = candidates(policy.resolver, rb, flow, zs);
      assert.deepEqual(
        got.map((r) => r.name),
        want.map((r) => r.name),
        `into ${k} zones`,
      );
    }
  }
  assert.ok(twice > 100, `${twice} rules into two of the flow's zones`);
});

test('the rule index gives, by whichever side it merges, exactly the rules whose zones may hold the undecided, as the zones shrink', () => {
  // 800 rules of application any from and into one to three of 24 zones (or any), in a random order.
  // Zones of both sides are undecided; after each rule given, a zone of one side or the other may be
  // decided (the gate shrinks) or a zone unknown may be among them. The rules given must be exactly
  // those, in rule order, whose zones on both sides may hold the zones undecided when they are
  // reached, whichever side's lists the index merges (it chooses again as the zones shrink).
  const zones = Array.from({ length: 24 }, (_, i) => `z${i}`);
  let seed = 11;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const side = (): string[] => (rnd(15) === 0 ? ['any'] : [...new Set(Array.from({ length: 1 + rnd(3) }, () => zones[rnd(zones.length)]!))]);
  const { policy, rb, flow } = withZoneRules(Array.from({ length: 800 }, (): [string[], string[]] => [side(), side()]));
  type Zs = ReadonlySet<string | undefined>;
  const holds = (names: readonly string[], zs: Zs): boolean => zs.has(undefined) || names.includes('any') || names.some((z) => zs.has(z));
  const pickZones = (k: number, unknown: boolean): Set<string | undefined> => {
    const s = new Set<string | undefined>();
    while (s.size < k) s.add(zones[rnd(zones.length)]!);
    if (unknown) s.add(undefined);
    return s;
  };
  let given = 0;
  let shrunk = 0;
  for (let round = 0; round < 60; round++) {
    // Few source zones and many destination zones, the other way round, or alike; a zone unknown on
    // one side now and then; the index made from scratch or kept from the rounds before.
    if (round % 3 === 0) invalidateRulebase(rb);
    const dst0 = pickZones(1 + rnd(round % 2 === 0 ? 20 : 3), rnd(8) === 0);
    const src0 = pickZones(1 + rnd(round % 2 === 1 ? 20 : 3), rnd(8) === 0);
    const every = 1 + rnd(6);
    // After every `every`-th rule given, a zone of a random side is decided (never the last one).
    const narrowing = (seen: { n: number }) => (_rule: Rule, g: { srcZones: Zs; dstZones: Zs }) => {
      if (++seen.n % every !== 0) return g;
      const pick = rnd(2) === 0 ? 'srcZones' : 'dstZones';
      const zs = [...g[pick]];
      if (zs.length < 2) return g;
      const drop = zs[rnd(zs.length)];
      shrunk++;
      return { ...g, [pick]: new Set(zs.filter((z) => z !== drop)) };
    };
    // The same narrowing twice (one random sequence for both): once over every rule by hand, once through the index.
    const at = seed;
    const want: string[] = [];
    let g = { srcZones: src0 as Zs, dstZones: dst0 as Zs };
    const byHand = narrowing({ n: 0 });
    for (const r of rb.rules) {
      if (!holds(r.toNames, g.dstZones) || !holds(r.fromNames, g.srcZones)) continue;
      want.push(r.name);
      g = byHand(r, g);
    }
    const after = seed;
    seed = at;
    const got = candidates(policy.resolver, rb, flow, dst0, src0, narrowing({ n: 0 })).map((r) => r.name);
    assert.deepEqual(got, want, `round ${round}: ${src0.size} source and ${dst0.size} destination zones, one decided every ${every} rule(s)`);
    assert.equal(seed, after, `round ${round}: the same narrowing`);
    given += got.length;
  }
  assert.ok(given > 2000 && shrunk > 300, `${given} rules given, the zones shrunk ${shrunk} times`);
});

test("an address object's span-free type and text equal its type and value, read either first, on the corpus and generated configs", () => {
  let n = 0;
  for (const [name, text] of texts()) {
    for (const order of ['text first', 'value first'] as const) {
      const m = buildModel(parse(text));
      if (!m) continue;
      for (const s of scopes(m)) {
        for (const o of s.addresses.values()) {
          const tt = order === 'text first' ? o.typeAndText : undefined;
          const want = { type: o.type, text: o.value?.value };
          assert.deepEqual(tt ?? o.typeAndText, want, `${name}: address '${o.name}' (${order})`);
          n++;
        }
      }
    }
  }
  assert.ok(n > 1000, `${n} objects`);
});

/** Shared objects a device group shadows, and values of every shape: spaces, character references, two values, ranges, IPv6, none. */
const SHADOWS = `<config version="10.2.0"><shared><address>
<entry name="srv"><ip-netmask>10.10.10.5</ip-netmask></entry>
<entry name="spaced"><ip-netmask> 10.10.10.5/32
</ip-netmask></entry>
<entry name="ref"><ip-netmask>10.10.10.5&#47;32</ip-netmask></entry>
<entry name="twice"><ip-netmask>1.1.1.1</ip-netmask><ip-netmask>10.10.10.5</ip-netmask></entry>
<entry name="range"><ip-range>10.10.10.1-10.10.10.9</ip-range></entry>
<entry name="v6"><ip-netmask>2001:db8::5</ip-netmask></entry>
<entry name="none"><description>no value</description></entry>
</address><address-group><entry name="grp"><static><member>srv</member></static></entry>
<entry name="dyn"><dynamic><filter>'web'</filter></dynamic></entry>
<entry name="both"><dynamic><filter>'web'</filter></dynamic><static><member>srv</member></static></entry>
<entry name="lits"><static><member>10.10.10.0/24</member><member>10.10.10.6</member></static></entry></address-group>
<external-list><entry name="10.10.10.6"><type><ip><url>https://example.com/x</url></ip></type></entry></external-list></shared>
<devices><entry name="localhost.localdomain"><device-group><entry name="dg"><address>
<entry name="srv"><ip-netmask>192.168.1.1</ip-netmask></entry>
<entry name="local"><ip-netmask>10.10.10.0/24</ip-netmask></entry>
<entry name="spaced"><ip-range>192.168.1.1-192.168.1.9</ip-range></entry>
</address></entry></device-group></entry></devices></config>`;

test('whether an address name meets a set of hosts: asked name by name, or read from its resolved set, the same answer in every scope', () => {
  const v4 = (t: string): AddrSet => parseAddress(t)!;
  let compared = 0;
  let stayed = 0;
  const met = new Set<boolean>();
  for (const [name, text] of [...texts(), ['device group shadowing shared objects', SHADOWS] as [string, string]]) {
    const env = analyze(text, { fixes: false }).policy?.env;
    if (!env) continue;
    const hostSets: AddrSet[] = [v4('10.10.10.5'), v4('10.10.10.6'), v4('2001:db8::5'), v4('192.168.1.1')];
    if (!addrEmpty(env.mgmtHosts)) hostSets.push(env.mgmtHosts);
    for (const hosts of hostSets) {
      // Two models of the text: one asked name by name, one through each name's resolved set.
      const a = buildModel(parse(text))!;
      const b = buildModel(parse(text))!;
      const c = buildModel(parse(text))!;
      const ra = new Resolver(env);
      const rb = new Resolver(env);
      const rc = new Resolver(env);
      const sa = scopes(a);
      const sb = scopes(b);
      const sc = scopes(c);
      // The address entries stored unmade (those of XML; the set form's are made as read).
      const unmade = sc.map((sx) => [...sx.addresses.keys()].filter((n) => typeof (sx.addresses as EntryMap<unknown>).raw(n) === 'number'));
      sa.forEach((s, i) => {
        // Objects and groups, and names that are neither: literals, an external list named like an
        // address, a threat feed, a region, an unknown name.
        const others = ['10.10.10.5', '10.10.10.0/24', '192.168.1.1', '2001:db8::5', '10.10.10.6', 'panw-highrisk-ip-list', 'US', 'no-such-object', 'any'];
        for (const n of [...s.addresses.keys(), ...s.addressGroups.keys(), ...others]) {
          const got = ra.nameMeets(s, n, hosts);
          const want = addrOverlaps(rb.addressName(sb[i], n).set, hosts);
          const what = `${name}: '${n}' in scope ${i} against ${JSON.stringify(hosts, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`;
          assert.equal(got, want, what);
          // Asked without remembering (the device groups' choice), twice: the same answer.
          assert.deepEqual([rc.nameMeets(sc[i], n, hosts, false), rc.nameMeets(sc[i], n, hosts, false)], [want, want], what);
          met.add(got);
          compared++;
        }
      });
      // Asked without remembering, no address object was made and kept (groups are: they are few).
      sc.forEach((sx, i) => {
        for (const n of unmade[i]!) assert.equal(typeof (sx.addresses as EntryMap<unknown>).raw(n), 'number', `${name}: address '${n}' kept`);
        if (unmade[i]!.length > 0) stayed++;
      });
    }
  }
  assert.ok(compared > 2000 && met.size === 2 && stayed > 20, `${compared} compared, ${stayed} scopes with entries left unmade`);
});

test('whether a name meets a set of hosts: a device group object shadows the shared one of its name; lists, dynamic groups and unread values answer as resolved', () => {
  const env = analyze(SHADOWS, { fixes: false }).policy!.env;
  const m = buildModel(parse(SHADOWS))!;
  const dg = m.deviceGroups[0]!.scope;
  const r = new Resolver(env);
  const hosts = parseAddress('10.10.10.5-10.10.10.6')!;
  assert.deepEqual(
    ['srv', 'local', 'spaced', 'ref', 'twice', 'range', 'v6', 'none', 'grp', 'dyn', 'both', 'lits', '10.10.10.6', '10.10.10.5'].map((n) => [n, r.nameMeets(dg, n, hosts), r.nameMeets(m.shared, n, hosts)]),
    [
      ['srv', false, true],
      ['local', true, false],
      ['spaced', false, true],
      ['ref', true, true],
      ['twice', true, true],
      ['range', true, true],
      ['v6', false, false],
      ['none', false, false],
      ['grp', true, true],
      ['dyn', false, false],
      // Dynamic wins over static members (PAN-OS allows one or the other; the general path reads it so).
      ['both', false, false],
      ['lits', true, true],
      // An external list of that name, not the address.
      ['10.10.10.6', false, false],
      ['10.10.10.5', true, true],
    ],
  );
});

test("an address group's span-free member names and dynamic flag equal its static members and filter, read either first, on the corpus and generated configs", () => {
  let n = 0;
  let dynamic = 0;
  for (const [name, text] of [...texts(), ['device group shadowing shared objects', SHADOWS] as [string, string]]) {
    for (const order of ['names first', 'members first'] as const) {
      const m = buildModel(parse(text));
      if (!m) continue;
      for (const s of scopes(m)) {
        for (const g of s.addressGroups.values()) {
          const early = order === 'names first' ? [g.staticNames, g.dynamic] : undefined;
          const want = [g.static?.map((x) => x.value) ?? [], g.dynamicFilter !== undefined];
          assert.deepEqual(early ?? [g.staticNames, g.dynamic], want, `${name}: address group '${g.name}' (${order})`);
          if (g.dynamic) dynamic++;
          n++;
        }
      }
    }
  }
  assert.ok(n > 200 && dynamic > 2, `${n} groups, ${dynamic} dynamic`);
});

test("a rule's span-free zones, action and disabled flag equal its zone lists, action value and disabled value, read either first, on the corpus and generated configs", () => {
  let n = 0;
  const seen = new Set<string>();
  const rulesOf = (m: NonNullable<ReturnType<typeof buildModel>>): Rule[] =>
    [...m.vsys.map((v) => v.rulebase), ...m.deviceGroups.flatMap((d) => [d.pre, d.post]), m.sharedPre, m.sharedPost].filter((rb): rb is NonNullable<typeof rb> => !!rb).flatMap((rb) => rb.rules);
  for (const [name, text] of texts()) {
    // Two models of the text: values read first in one, the located fields first in the other.
    const a = buildModel(parse(text));
    const b = buildModel(parse(text));
    if (!a || !b) continue;
    const ra = rulesOf(a);
    const rb = rulesOf(b);
    assert.equal(ra.length, rb.length);
    ra.forEach((x, i) => {
      const y = rb[i]!;
      const values = [x.fromNames, x.toNames, x.action, x.disabled];
      const located = [y.from.items.map((m) => m.value), y.to.items.map((m) => m.value), y.actionValue?.value, y.disabledValue?.value === 'yes'];
      // And each model's other reading, now that the first is done.
      assert.deepEqual(values, [x.from.items.map((m) => m.value), x.to.items.map((m) => m.value), y.action, y.disabled], `${name}: rule '${x.name}'`);
      assert.deepEqual([located[0], located[1], located[3]], [y.fromNames, y.toNames, y.disabled], `${name}: rule '${y.name}'`);
      assert.equal(x.actionValue?.value, located[2], `${name}: rule '${x.name}' action value`);
      seen.add(`${x.action}/${x.disabled}`);
      n++;
    });
  }
  assert.ok(n > 150 && seen.has('allow/false') && seen.has('deny/false') && [...seen].some((k) => k.endsWith('/true')), `${n} rules, ${[...seen].join(' ')}`);
});

test("resolving: a group's members in the scope the group is defined in (addresses, services, applications); services by protocol, predefined or none listed; regions; FQDNs from .panos-guard.json in any case", () => {
  const text = `<config version="10.2.0"><shared>
<address><entry name="srv"><ip-netmask>10.1.1.1</ip-netmask></entry><entry name="jump"><fqdn>Jump.Example.com</fqdn></entry></address>
<address-group><entry name="grp"><static><member>srv</member></static></entry></address-group>
<service><entry name="svc"><protocol><tcp><port>8443</port></tcp></protocol></entry>
<entry name="svc-udp"><protocol><udp><port>514</port></udp></protocol></entry>
<entry name="svc-sctp"><protocol><sctp><port>2905</port></sctp></protocol></entry></service>
<service-group><entry name="sg"><members><member>svc</member></members></entry></service-group>
<application-group><entry name="ag"><members><member>remote</member></members></entry></application-group>
</shared><devices><entry name="localhost.localdomain"><device-group><entry name="dg">
<address><entry name="srv"><ip-netmask>10.9.9.9</ip-netmask></entry></address>
<service><entry name="svc"><protocol><tcp><port>9999</port></tcp></protocol></entry></service>
<application-filter><entry name="remote"><category><member>networking</member></category></entry></application-filter>
</entry></device-group></entry></devices></config>`;
  const env = analyze(text, { fixes: false, env: { fqdn: { 'jump.example.com': ['10.7.7.7'] } } }).policy!.env;
  const m = buildModel(parse(text))!;
  const dg = m.deviceGroups[0]!.scope;
  const r = new Resolver(env);
  const v4 = (t: string): AddrSet => parseAddress(t)!;
  // The device group's own 'srv' shadows the shared one for its rules, but the shared group's member
  // is the shared 'srv'; likewise the shared service group's 'svc', and the shared application group's
  // 'remote' (an application filter only in the device group).
  assert.deepEqual(r.addressName(dg, 'srv'), { set: v4('10.9.9.9'), unknown: [], threat: [] });
  assert.deepEqual(r.addressName(dg, 'grp'), { set: v4('10.1.1.1'), unknown: [], threat: [] });
  assert.deepEqual(r.serviceName(dg, 'svc'), { ports: { tcp: [9999, 10000], udp: [] }, unknown: [] });
  assert.deepEqual(r.serviceName(dg, 'sg'), { ports: { tcp: [8443, 8444], udp: [] }, unknown: [] });
  assert.deepEqual(r.applicationName(dg, 'ag'), { apps: ['remote'], unknown: [], group: true });
  assert.deepEqual(r.applicationName(dg, 'remote'), { apps: [], unknown: ["application filter 'remote' selects App-IDs by attributes"], group: false });
  // Services: UDP apart from TCP, SCTP matching neither (a management flow is TCP or UDP), the two predefined ones.
  assert.deepEqual(r.serviceName(m.shared, 'svc-udp'), { ports: { tcp: [], udp: [514, 515] }, unknown: [] });
  assert.deepEqual(r.serviceName(m.shared, 'svc-sctp'), { ports: { tcp: [], udp: [] }, unknown: [] });
  assert.deepEqual(r.serviceName(m.shared, 'service-http'), { ports: { tcp: [80, 81, 8080, 8081], udp: [] }, unknown: [] });
  assert.deepEqual(r.serviceName(m.shared, 'service-https'), { ports: { tcp: [443, 444], udp: [] }, unknown: [] });
  assert.deepEqual(r.serviceName(m.shared, 'service-ftp'), { ports: { tcp: [], udp: [] }, unknown: ["'service-ftp' is not a service or service group defined in this config"] });
  // No service listed is any service, as `any` is.
  assert.equal(r.services(m.shared, { items: [], node: undefined }).any, true);
  // A region code: resolved by the firewall, not here.
  assert.deepEqual(r.addressName(m.shared, 'US'), { set: EMPTY, unknown: ["region 'US' is resolved by the firewall's geolocation database"], threat: [] });
  // An FQDN object mapped in .panos-guard.json, the names compared in any case; unmapped, unknown.
  assert.deepEqual(r.addressName(m.shared, 'jump'), { set: v4('10.7.7.7'), unknown: [], threat: [] });
  const bare = new Resolver(analyze(text, { fixes: false }).policy!.env);
  assert.deepEqual(bare.addressName(m.shared, 'jump'), {
    set: EMPTY,
    unknown: ['FQDN address \'jump\' (Jump.Example.com) is resolved by the firewall at run time; map it in .panos-guard.json "fqdn"'],
    threat: [],
  });
});
