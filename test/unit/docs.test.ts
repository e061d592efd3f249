/**
 * @fileoverview Docs parity (like eslint's `checkRuleFiles`): every registered check has a page
 * docs/rules/<CODE>.md with the fixed headings, a title line naming the code and the meta title, and the
 * meta's category, severity and fix safety; every page belongs to a registered code; the index in
 * docs/rules/README.md lists every code with the same columns; docs/catalog.md names every catalog entry.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allMeta } from '../../server/src/core/checks/registry';
import type { CheckMeta } from '../../server/src/core/checks/types';
import { loadCatalog } from '../../server/src/core/catalog/load';
import envSchema from '../../server/src/core/env/env.schema.json';
import { ROOT } from '../helpers';

const DOCS = path.join(ROOT, 'docs');
const RULES = path.join(DOCS, 'rules');
const SECTIONS = ['What it checks', 'Why', 'Example', 'Fix safety', 'References'];
const META_LINE = /^Category: (\S+) · Default severity: (\S+) · Fix: (\S+)$/;

/** Lines outside fenced code blocks, with their 1-based line numbers. */
function prose(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  text.split(/\r?\n/).forEach((l, i) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(l);
    if (m) {
      if (fence === undefined) fence = m[1]![0]!;
      else if (m[1]![0] === fence) fence = undefined;
      return;
    }
    if (fence === undefined) out.push({ line: i + 1, text: l });
  });
  return out;
}

function headings(text: string): { level: number; title: string; line: number }[] {
  return prose(text)
    .map((l) => ({ l, m: /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(l.text) }))
    .filter((x) => x.m)
    .map((x) => ({ level: x.m![1]!.length, title: x.m![2]!, line: x.l.line }));
}

function page(code: string): string {
  return fs.readFileSync(path.join(RULES, `${code}.md`), 'utf8');
}

describe('docs/rules: one page per check', () => {
  test('codes in the registry are unique', () => {
    const codes = allMeta.map((m) => m.code);
    assert.deepEqual(codes.filter((c, i) => codes.indexOf(c) !== i), []);
  });

  for (const meta of allMeta) {
    describe(meta.code, () => {
      test('has a page docs/rules/<CODE>.md', () => {
        assert.ok(fs.existsSync(path.join(RULES, `${meta.code}.md`)), `docs/rules/${meta.code}.md is missing`);
      });

      test('title line names the code and the meta title', () => {
        const first = page(meta.code).split(/\r?\n/).find((l) => l.trim() !== '');
        assert.equal(first, `# ${meta.code}: ${meta.title}`);
      });

      test("the metadata line states the meta's category, severity and fix safety", () => {
        const lines = prose(page(meta.code)).map((l) => l.text).filter((l) => l.trim() !== '');
        const m = META_LINE.exec(lines[1] ?? '');
        assert.ok(m, `second line of docs/rules/${meta.code}.md must read 'Category: … · Default severity: … · Fix: …', got '${lines[1]}'`);
        assert.deepEqual({ category: m[1], severity: m[2], fix: m[3] }, { category: meta.category, severity: meta.severity, fix: meta.fix });
      });

      test('has exactly the fixed headings, in order', () => {
        const hs = headings(page(meta.code));
        assert.deepEqual(
          hs.map((h) => `${'#'.repeat(h.level)} ${h.title}`),
          [`# ${meta.code}: ${meta.title}`, ...SECTIONS.map((s) => `## ${s}`)],
        );
      });

      test('no section is empty', () => {
        const text = page(meta.code);
        for (const s of SECTIONS) {
          const start = text.indexOf(`\n## ${s}\n`);
          const next = text.indexOf('\n## ', start + 1);
          const body = text.slice(start + `\n## ${s}\n`.length, next < 0 ? undefined : next).trim();
          assert.ok(body.length > 0, `section '${s}' of ${meta.code} is empty`);
        }
      });
    });
  }

  test('every page belongs to a registered code', () => {
    const codes = new Set(allMeta.map((m) => m.code));
    const pages = fs.readdirSync(RULES).filter((f) => f.endsWith('.md') && f !== 'README.md');
    for (const f of pages) {
      assert.match(f, /^PANO\d{3}\.md$/, `docs/rules/${f}: pages are named <CODE>.md`);
      assert.ok(codes.has(f.slice(0, -3)), `docs/rules/${f} documents no registered code`);
    }
  });
});

describe('docs/rules/README.md: the index', () => {
  const readme = fs.readFileSync(path.join(RULES, 'README.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const l of prose(readme)) {
    const m = /^\|\s*\[(PANO\d{3})\]\(\1\.md\)\s*\|(.*)\|\s*$/.exec(l.text);
    if (m) rows.set(m[1]!, m[2]!.split('|').map((c) => c.trim()));
  }

  test('lists every code once, in registry order, with title, category, default severity and fix', () => {
    const expected = (m: CheckMeta): string[] => [m.title, m.category, m.severity, m.fix];
    assert.deepEqual([...rows.keys()], allMeta.map((m) => m.code));
    for (const m of allMeta) assert.deepEqual(rows.get(m.code), expected(m), `index row of ${m.code}`);
  });

  test('explains suppression: description token, tag, env file rules, panosGuard.rules', () => {
    for (const s of ['panos-guard-disable PANO', 'panos-guard-disable:PANO', '"rules"', 'panosGuard.rules']) {
      assert.ok(readme.includes(s), `README.md should mention ${s}`);
    }
  });
});

describe('docs/catalog.md and docs/environment.md', () => {
  test('catalog.md mentions every catalog entry id', () => {
    const text = fs.readFileSync(path.join(DOCS, 'catalog.md'), 'utf8');
    const missing = loadCatalog().entries.map((e) => e.id).filter((id) => !new RegExp(`(^|[^a-z0-9-])${id}([^a-z0-9-]|$)`, 'm').test(text));
    assert.deepEqual(missing, []);
  });

  test('environment.md documents every top-level key of the env schema', () => {
    const schema = envSchema as { properties: Record<string, unknown> };
    const text = fs.readFileSync(path.join(DOCS, 'environment.md'), 'utf8');
    const missing = Object.keys(schema.properties).filter((k) => !text.includes(`### \`${k}\``));
    assert.deepEqual(missing, []);
  });
});

describe('docs: relative links inside the repository resolve', () => {
  const files = [path.join(DOCS, 'catalog.md'), path.join(DOCS, 'environment.md'), ...fs.readdirSync(RULES).map((f) => path.join(RULES, f))];
  for (const file of files) {
    test(path.relative(ROOT, file), () => {
      const text = prose(fs.readFileSync(file, 'utf8'))
        .map((l) => l.text)
        .join('\n');
      for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)\s]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        const abs = path.resolve(path.dirname(file), target);
        // Links to the shared folder next to the checkout are outside the repository: not checked here.
        if (!abs.startsWith(ROOT + path.sep)) continue;
        assert.ok(fs.existsSync(abs), `${path.relative(ROOT, file)} links to missing ${target}`);
      }
    });
  }
});
