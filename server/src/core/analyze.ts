/**
 * @fileoverview The analysis pipeline shared by the CLI, the language server and the tests:
 * parse → model → environment → policy → checks → findings (with fixes).
 */
import { checks, metaOf, unsupportedMeta } from './checks/registry';
import type { CheckContext } from './checks/types';
import type { EnvFile } from './env/envFile';
import type { Finding, Severity } from './findings';
import { sortFindings } from './findings';
import { buildModel } from './model/build';
import type { ConfigModel, Rule } from './model/types';
import { allRulebases } from './model/types';
import { parse, type ParsedDoc } from './parse';
import { analyzePolicy, type PolicyChange, type PolicyResult } from './policy';
import type { Resolver } from './policy/resolve';
import type { XmlDoc } from './parse/xml';
import { buildEnvironment, type CliEnv } from './policy/environment';

export type AnalyzeOptions = {
  env?: EnvFile;
  cli?: CliEnv;
  /** Severity overrides from editor settings (win over the env file's `rules`). */
  severities?: Record<string, Severity | 'off'>;
  /** Only syntax checks (large files). */
  syntaxOnly?: boolean;
  /** Compute every finding's fixes now (the fixes module plugs in here); default true. */
  fixes?: boolean;
};

export type Analysis = {
  doc: ParsedDoc;
  model: ConfigModel | undefined;
  policy: PolicyResult | undefined;
  findings: Finding[];
  /** The options it was made with (an incremental re-analysis may reuse it only with the same ones). */
  opts: AnalyzeOptions;
  /** XML documents whose elements the model points into: the whole text, and entries re-scanned since. */
  xmlDocs: XmlDoc[];
};

/** Fix providers register here (keeps the core's import graph acyclic). */
export type FixProvider = (a: Analysis, f: Finding[]) => void;
const fixProviders: FixProvider[] = [];
export function registerFixProvider(p: FixProvider): void {
  if (!fixProviders.includes(p)) fixProviders.push(p);
}

const SUPPRESS = /panos-guard-disable(?:[ :]+((?:PANO\d{3}[ ,]*)+))?/i;

/** Codes a rule suppresses through its description or a tag (`panos-guard-disable[:CODE]`). */
export function suppressedBy(rule: Rule): Set<string> | 'all' | undefined {
  const out = new Set<string>();
  const d = rule.description?.value;
  if (d) {
    const m = SUPPRESS.exec(d);
    if (m) {
      if (!m[1]) return 'all';
      for (const c of m[1].match(/PANO\d{3}/gi) ?? []) out.add(c.toUpperCase());
    }
  }
  for (const t of rule.tags.items) {
    const m = /^panos-guard-disable(?::(PANO\d{3}))?$/i.exec(t.value);
    if (m) {
      if (!m[1]) return 'all';
      out.add(m[1].toUpperCase());
    }
  }
  return out.size > 0 ? out : undefined;
}

/** {@link suppressedBy}, remembered per rule (an incremental edit replaces the rule it changes). */
const suppressions = new WeakMap<Rule, Set<string> | 'all' | undefined>();
function suppressionOf(rule: Rule): Set<string> | 'all' | undefined {
  if (suppressions.has(rule)) return suppressions.get(rule);
  const s = suppressedBy(rule);
  suppressions.set(rule, s);
  return s;
}

export function analyzeDoc(doc: ParsedDoc, opts: AnalyzeOptions = {}): Analysis {
  const model = opts.syntaxOnly ? undefined : buildModel(doc);
  return analyzeModel(doc, model, opts, undefined, doc.xml ? [doc.xml] : []);
}

/**
 * Everything after the model: environment, policy, checks, suppressions, severities, fixes. The
 * incremental path calls it with a patched model and the previous resolver (its caches stay valid).
 */
export function analyzeModel(doc: ParsedDoc, model: ConfigModel | undefined, opts: AnalyzeOptions, resolver: Resolver | undefined, xmlDocs: XmlDoc[], change?: PolicyChange): Analysis {
  const findings: Finding[] = [];
  const env = buildEnvironment(model, opts.env, opts.cli);
  const policy = model ? analyzePolicy(model, env, resolver, change) : undefined;
  const analysis: Analysis = { doc, model, policy, findings, opts, xmlDocs };
  const add = (f: Finding): void => {
    findings.push(f);
  };
  if (doc.format === 'brace' || doc.format === 'unknown') {
    add({
      code: unsupportedMeta.code,
      category: unsupportedMeta.category,
      severity: unsupportedMeta.severity,
      message:
        doc.format === 'brace'
          ? "This is the brace ('show') form of a PAN-OS config; panos-guard reads the XML form and the set form. Export with 'set cli config-output-format set' then 'show', or save the XML."
          : 'Not a PAN-OS configuration: expected XML with a <config> root or set commands.',
      span: { start: 0, end: Math.min(doc.text.length, Math.max(0, doc.text.search(/\r|\n/))) },
    });
  }
  for (const c of checks) {
    if (opts.syntaxOnly && c.meta.category !== 'syntax') continue;
    if (!model && c.meta.category !== 'syntax') continue;
    const ctx: CheckContext = {
      doc,
      model: model!,
      policy: policy!,
      // The check's object becomes the finding (no copy: a 100,000-rule file reports 500,000).
      report: (f) => {
        const g = f as Finding;
        g.code = c.meta.code;
        g.category = c.meta.category;
        g.severity = f.severity ?? c.meta.severity;
        add(g);
      },
    };
    try {
      c.run(ctx);
    } catch (e) {
      // A check must never take the analysis down; report it as an internal problem.
      add({ code: c.meta.code, category: 'hygiene', severity: 'information', message: `panos-guard internal error in ${c.meta.code}: ${(e as Error).message}`, span: { start: 0, end: 0 } });
    }
  }
  // Suppressions (rule description/tag) and severity overrides (env file, then settings). Only the
  // rules findings name are read for suppressions (reading every rule's description and tags would
  // read the rules of device groups no context evaluates); the last rule of a name is the one.
  const lastOfName = new Map<string, Map<string, Rule>>();
  const ruleNamed = (location: string, name: string): Rule | undefined => {
    let m = lastOfName.get(location);
    if (!m) {
      m = new Map();
      for (const rb of allRulebases(model!)) if (rb.location === location) for (const r of rb.rules) m.set(r.name, r);
      lastOfName.set(location, m);
    }
    return m.get(name);
  };
  const overrides = new Map<string, Severity | 'off'>(env.ruleSeverity);
  for (const [k, v] of Object.entries(opts.severities ?? {})) overrides.set(k, v);
  const kept: Finding[] = [];
  for (const f of findings) {
    if (model && f.rule && f.rulebase) {
      const r = ruleNamed(f.rulebase, f.rule);
      const s = r && suppressionOf(r);
      if (s === 'all' || (s && s.has(f.code))) continue;
    }
    const o = overrides.get(f.code);
    if (o === 'off') continue;
    if (o) f.severity = o;
    kept.push(f);
  }
  analysis.findings = sortFindings(kept);
  if (opts.fixes !== false && model) for (const p of fixProviders) p(analysis, analysis.findings);
  return analysis;
}

/**
 * A new analysis for an edited text whose change cannot affect any Panorama flow or check: the policy
 * and the non-syntax findings of `prev` are kept (their spans moved with the edit), syntax is re-checked.
 */
export function reuseAnalysis(prev: Analysis, doc: ParsedDoc, xmlDocs: XmlDoc[]): Analysis {
  // Every span a non-syntax finding holds is a model span (the checks take them from the model), and the
  // incremental edit has already moved those in place.
  const kept: Finding[] = [];
  for (const f of prev.findings) {
    if (f.category === 'syntax') continue;
    // Fixes are computed again on demand (their edits are plain offsets of the old text).
    const { fixes: _fixes, ...rest } = f;
    void _fixes;
    kept.push(rest);
  }
  const fresh = analyzeModel(doc, undefined, { ...prev.opts, syntaxOnly: true, fixes: false }, undefined, xmlDocs).findings;
  return { doc, model: prev.model, policy: prev.policy, findings: sortFindings([...kept, ...fresh]), opts: prev.opts, xmlDocs };
}

export function analyze(text: string, opts: AnalyzeOptions = {}): Analysis {
  return analyzeDoc(parse(text), opts);
}

export { metaOf };
