/**
 * @fileoverview Incremental re-analysis of the `set` form. A `set` line is read on its own (a quote
 * left open stops at the next command line), so an edit of some lines changes only the entries those
 * lines set:
 *   - inside one line of a security rule, after the rule's name: the rule's lines are read again,
 *     later offsets move, and the policy is re-run with the previous caches;
 *   - after the name of another list entry (an object, a zone, an interface …), or whole lines typed,
 *     pasted or deleted among one entry's lines: that entry's lines are read again into the tree;
 *   - lines that make a new entry, or all the lines of an entry deleted: the entry is put in (in line
 *     order) or taken out of its list, after the list's first line (the extents that end with the entry
 *     follow it);
 * and in the last two cases the model and the policy are built again from the patched tree, which
 * skips reading the whole file. Syntax errors stay on their lines: those of the lines read again
 * replace theirs. Anything else (a path or entry name changed, `delete` lines in the file, quotes
 * that may run on past a line that starts no command, an entry spanning much of the file, more syntax
 * errors than are listed …) falls back to a full analysis, which gives the same result.
 */
import type { Span } from './text';
import { readRule } from './model/build';
import type { Rule } from './model/types';
import { findChild, insertChild, isBreak, parseSet, removeChild, replaceChild, startsCommand, type SetDoc } from './parse/set';
import { MAX_SYNTAX_ISSUES, type SyntaxIssue } from './parse/xml';
import { SNode } from './parse/tree';
import type { SpanEdit } from './incremental';

/** What the set fast path hands back to `reanalyze`: the rule swapped in, or why it cannot be. */
export type SetPatch =
  | { ok: true; kind: 'rule'; before: Rule; after: Rule; commit: () => void }
  /**
   * Another list entry (an object, a zone, an interface …) re-read and swapped in the tree, or put in
   * or taken out: the model is built again from it. `replaced`: the entry's node and the one read again
   * in its place (an object's may be made again from it alone, see `incremental.ts`).
   */
  | { ok: true; kind: 'entry'; commit: () => void; replaced?: { old: SNode; fresh: SNode } }
  | { ok: false; why: string };

function hasBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isBreak(text.charCodeAt(i))) return true;
  return false;
}

function lineBounds(text: string, at: number, to: number): { start: number; end: number } {
  let s = at;
  while (s > 0 && !isBreak(text.charCodeAt(s - 1))) s--;
  let e = to;
  while (e < text.length && !isBreak(text.charCodeAt(e))) e++;
  return { start: s, end: e };
}

function count(text: string, from: number, to: number, code: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) n++;
  return n;
}

/**
 * Can a quote left open on the line ending at `end` run on past it? Not when the next line starts a
 * command (`set`, `delete`, `move`) or the text ends: an open quote stops at the next command line.
 */
function mayContinue(text: string, end: number): boolean {
  let ls = end;
  if (text.charCodeAt(ls) === 13) ls++;
  if (text.charCodeAt(ls) === 10) ls++;
  return !commandAt(text, ls);
}

/**
 * The syntax errors after an edit: those of `kept` before `from` stay, those after it move by `delta`,
 * and `fresh` (the errors of the lines read again, in the new text's offsets) go between, in line order.
 */
function replaceErrors(errors: SyntaxIssue[], kept: SyntaxIssue[], from: number, delta: number, fresh: readonly SyntaxIssue[]): void {
  const head: SyntaxIssue[] = [];
  const tail: SyntaxIssue[] = [];
  for (const e of kept) {
    if (e.span.start < from) {
      head.push(e);
      continue;
    }
    e.span.start += delta;
    e.span.end += delta;
    tail.push(e);
  }
  errors.splice(0, errors.length, ...head, ...fresh, ...tail);
}

/** How the line starting at `at` names the vsys (`vsysPrefix` of that line alone). */
function vsysStyleAt(text: string, at: number): Set<string> {
  const line = lineBounds(text, at, at);
  return parseSet(text, line.start, line.end).vsysPrefix;
}

/** A rule entry: `… security rules NAME`. */
function isRuleEntry(n: SNode): boolean {
  return n.tag === 'entry' && n.parent?.tag === 'rules' && n.parent.parent?.tag === 'security';
}

/** The path of a node from the root, as one comparable string. */
function keyOf(n: SNode): string {
  const parts: [string, string | null][] = [];
  for (let a: SNode | undefined = n; a; a = a.parent) parts.push([a.tag, a.name ?? null]);
  // JSON, so that no tag or name (a config may hold any character in a quoted name) can fake a separator.
  return JSON.stringify(parts.reverse());
}

/** The nodes of a one-line tree from the root down to where the line branches (each level has one kid until then). */
function pathOfLine(doc: SetDoc): SNode[] {
  const out: SNode[] = [];
  let n: SNode = doc.root;
  for (let depth = 0; depth < 64; depth++) {
    out.push(n);
    if (n.kids.length !== 1) break;
    n = n.kids[0]!;
  }
  return out;
}

/** The rule entry a one-line tree leads to. */
function ruleOfLine(doc: SetDoc): SNode | undefined {
  return pathOfLine(doc).find(isRuleEntry);
}

/** The deepest list entry of a one-line tree whose name ends before `at` (an edit after its name leaves the path to it alone). */
function entryOfLine(doc: SetDoc, at: number): SNode | undefined {
  return pathOfLine(doc).reverse().find((n) => n.tag === 'entry' && n.nameSpan !== undefined && n.nameSpan.end < at);
}

/** Keys of the list entries on a one-line tree's path, from the root down. */
function entryKeysOfLine(doc: SetDoc): string[] {
  return pathOfLine(doc).filter((n) => n.tag === 'entry').map(keyOf);
}

/** The node at `key` in a tree (following tags and entry names). */
function nodeAt(root: SNode, key: string): SNode | undefined {
  const parts = JSON.parse(key) as [string, string | null][];
  let n: SNode | undefined = root;
  if (parts[0]?.[0] !== root.tag) return undefined;
  // By the parents' kid indexes where they have them (lists of thousands of entries).
  for (let i = 1; i < parts.length && n; i++) {
    const [tag, name] = parts[i]!;
    n = findChild(n, tag, name ?? undefined);
  }
  return n;
}

/** Moves every offset at or after `at` by `delta` in a set tree, except inside `skip`. */
function shiftTree(root: SNode, skip: SNode | undefined, at: number, delta: number): void {
  // A character replaced by another moves nothing (as XmlDoc.shift): no walk over the whole tree.
  if (delta === 0) return;
  // Zero-width spans (the synthetic keys of implied containers) may be shared between nodes.
  const seen = new Set<Span>();
  const move = (s: Span | undefined): void => {
    if (!s) return;
    if (s.start === s.end) {
      if (seen.has(s)) return;
      seen.add(s);
    }
    if (s.start >= at) s.start += delta;
    if (s.end >= at) s.end += delta;
  };
  const stack: SNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === skip) continue;
    // Everything under a node lies on the lines that mention it, which end by its last: a node that
    // ends before the edit has nothing to move (the root's own range is not kept up to date).
    if (n !== root && n.last < at) continue;
    if (n.first >= at) n.first += delta;
    if (n.last >= at) n.last += delta;
    move(n.keySpan);
    if (n.nameSpan !== n.keySpan) move(n.nameSpan);
    for (const v of n.values) move(v.span);
    for (const k of n.kids) stack.push(k);
  }
}

/**
 * Prepares the swap of the entry an edit of one `set` line touches: the security rule the line sets
 * (the policy is re-run with the previous caches), or else the deepest list entry named before the
 * edit (an object, a zone, an interface …: the model is built again from the patched tree, which
 * skips reading the file again). Nothing is changed until `commit` is called (the caller may still
 * fall back).
 */
export function patchSetEdit(prevText: string, set: SetDoc, errors: SyntaxIssue[], rules: () => Rule[], newText: string, edit: SpanEdit): SetPatch {
  const no = (why: string): SetPatch => ({ ok: false, why });
  if (set.counts.delete > 0) return no('the file has delete lines');
  const delta = edit.newEnd - edit.oldEnd;
  if (hasBreak(prevText, edit.start, edit.oldEnd) || hasBreak(newText, edit.start, edit.newEnd)) return patchSetLines(prevText, set, errors, rules, newText, edit);
  const oldLine = lineBounds(prevText, edit.start, edit.oldEnd);
  const newLine = { start: oldLine.start, end: oldLine.end + delta };
  // A line with an odd number of double quotes may continue on the next lines, unless a command follows.
  if ((count(prevText, oldLine.start, oldLine.end, 34) % 2 !== 0 && mayContinue(prevText, oldLine.end)) || (count(newText, newLine.start, newLine.end, 34) % 2 !== 0 && mayContinue(newText, newLine.end))) {
    return no('the line has an open double quote');
  }
  // The errors are replaced by those of the entry's lines read again: none may have been left out.
  if (errors.length > MAX_SYNTAX_ISSUES) return no('more syntax errors than are listed');
  const a = parseSet(prevText, oldLine.start, oldLine.end);
  const b = parseSet(newText, newLine.start, newLine.end);
  // Not one `set` line before and after (a command being typed, a comment, a blank): read as a run of lines.
  if (a.counts.set !== 1 || b.counts.set !== 1 || a.counts.move + b.counts.move + a.counts.delete + b.counts.delete > 0) return patchSetLines(prevText, set, errors, rules, newText, edit);
  const ra = ruleOfLine(a);
  const rb = ruleOfLine(b);
  // The edit must come after the entry's name, so the ancestors' spans on this line stay put.
  if (ra && rb && keyOf(ra) === keyOf(rb) && edit.start > ra.nameSpan!.end) return patchRule(ra.name!, keyOf(ra), set, errors, rules, newText, edit, oldLine);
  const ea = entryOfLine(a, edit.start);
  const eb = entryOfLine(b, edit.start);
  if (!ea || !eb) return no('the line names no entry before the edit');
  const key = keyOf(ea);
  if (keyOf(eb) !== key) return no('the edit changes the entry path or name');
  const node = nodeAt(set.root, key);
  if (!node) return no('the entry is not in the tree');
  // An entry that holds much of the file (a device group, the device) is read again as fast by a full analysis.
  if (node.last - node.first > prevText.length / 4) return no('the entry spans a large part of the file');
  const r = reread(node, key, set, errors, newText, edit, oldLine);
  return r.ok ? { ok: true, kind: 'entry', commit: r.commit, replaced: { old: node, fresh: r.fresh } } : r;
}

function patchRule(name: string, key: string, set: SetDoc, errors: SyntaxIssue[], rules: () => Rule[], newText: string, edit: SpanEdit, oldLine: { start: number; end: number }, counts?: () => void): SetPatch {
  const rule = rules().find((r) => r.name === name && r.node instanceof SNode && keyOf(r.node) === key);
  if (!rule) return { ok: false, why: 'the rule is not in the model' };
  const node = rule.node as SNode;
  const r = reread(node, key, set, errors, newText, edit, oldLine);
  if (!r.ok) return r;
  const after = readRule(r.fresh, rule.index, rule.rulebase);
  if (!after || after.name !== rule.name) return { ok: false, why: 'the rule lost its name' };
  return {
    ok: true,
    kind: 'rule',
    before: rule,
    after,
    commit: () => {
      r.commit();
      counts?.();
      // The rule in its rulebase too.
      rule.rulebase.rules[rule.index] = after;
    },
  };
}

/**
 * Reads the lines of entry `node` (at `key`) again from the new text, checks the result is the same
 * entry over the same lines, and prepares its swap: later offsets moved, the lines' errors replaced.
 */
function reread(
  node: SNode,
  key: string,
  set: SetDoc,
  errors: SyntaxIssue[],
  newText: string,
  edit: SpanEdit,
  oldLine: { start: number; end: number },
): { ok: true; fresh: SNode; commit: () => void } | { ok: false; why: string } {
  const no = (why: string): { ok: false; why: string } => ({ ok: false, why });
  const delta = edit.newEnd - edit.oldEnd;
  if (!(node.first <= oldLine.start && oldLine.end <= node.last)) return no('the line is outside the entry');
  // Re-read every line of the entry (its lines lie between its first and last mention). The first is a
  // command line, so nothing before it runs on into it; a line running on past the last is caught below.
  const fresh = parseSet(newText, node.first, node.last + delta);
  // A move among the lines would be applied to the re-read entries alone, not to the whole list.
  if (fresh.counts.delete > 0 || fresh.counts.move > 0) return no("the entry's lines hold a delete or a move");
  const f = nodeAt(fresh.root, key);
  if (!f || f.first !== node.first || f.last !== node.last + delta) return no('the re-read entry covers other lines');
  // Errors stay on their line: those of the entry's lines are replaced by the re-read ones, in line order.
  const kept = errors.filter((e) => e.span.start < node.first || e.span.start > node.last);
  if (kept.length + fresh.errors.length > MAX_SYNTAX_ISSUES) return no('more syntax errors than are listed');
  return {
    ok: true,
    fresh: f,
    commit: () => {
      shiftTree(set.root, node, edit.oldEnd, delta);
      replaceErrors(errors, kept, node.first, delta, fresh.errors);
      replaceChild(node, f);
    },
  };
}

/** The lines of text[a, b) (b a line end, or the start of the line after the last) as [start, end) without their breaks. */
function linesIn(text: string, a: number, b: number): { s: number; e: number }[] {
  const out: { s: number; e: number }[] = [];
  let s = a;
  while (s < b) {
    let e = s;
    while (e < b && !isBreak(text.charCodeAt(e))) e++;
    out.push({ s, e });
    if (e >= b) break;
    s = text.charCodeAt(e) === 13 && text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1;
  }
  return out;
}

/** Does the line starting at `p` start a command (or is `p` the end of the text)? Nothing open before it runs on past it. */
function commandAt(text: string, p: number): boolean {
  return p >= text.length || startsCommand(text, p);
}

/** The deepest entry whose lines begin before and end after [from, to] (the lines of a window). */
function entryAround(root: SNode, from: number, to: number): SNode | undefined {
  let n = root;
  let found: SNode | undefined;
  for (let depth = 0; depth < 64; depth++) {
    const k = n.kids.find((c) => c.first < from && c.last > to);
    if (!k) break;
    if (k.tag === 'entry') found = k;
    n = k;
  }
  return found;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * An edit of whole lines (lines typed, pasted, joined or deleted: line breaks added or removed), or of a
 * line that is not one `set` command before or after it (a command being typed, a comment). Every line
 * it touches, before and after, sets something of one entry, or starts no command at all and holds no
 * quote, and the line after them starts a command. Then, when that entry exists and neither its first
 * line nor its last is among them, its lines are read again as for a one-line edit; when the lines
 * make a new entry (none set anything before) in a list whose lines are around them, that entry is
 * read from them and put among the list's entries in line order.
 */
function patchSetLines(prevText: string, set: SetDoc, errors: SyntaxIssue[], rules: () => Rule[], newText: string, edit: SpanEdit): SetPatch {
  const no = (why: string): SetPatch => ({ ok: false, why: `edited lines: ${why}` });
  if (errors.length > MAX_SYNTAX_ISSUES) return no('there are more syntax errors than are listed');
  const delta = edit.newEnd - edit.oldEnd;
  // Whole lines removed and put in at a line start: those lines alone. Otherwise the lines the edit
  // touches, from the start of the first to the end of the last (after oldEnd the texts are the same).
  const endsLine = (t: string, a: number, b: number): boolean => b === a || t.charCodeAt(b - 1) === 10;
  const whole = (edit.start === 0 || isBreak(prevText.charCodeAt(edit.start - 1))) && endsLine(prevText, edit.start, edit.oldEnd) && endsLine(newText, edit.start, edit.newEnd);
  const oldW = whole ? { start: edit.start, end: edit.oldEnd } : lineBounds(prevText, edit.start, edit.oldEnd);
  const newW = { start: oldW.start, end: oldW.end + delta };
  // Nothing from these lines runs on past them, and nothing from before runs on into them (below).
  const next = (t: string, end: number): boolean => (whole ? commandAt(t, end) : !mayContinue(t, end));
  if (!next(prevText, oldW.end) || !next(newText, newW.end)) return no('the next line starts no command');
  // Each line is read alone below: a paste of much of the file is read as fast by a full analysis.
  if (Math.max(oldW.end - oldW.start, newW.end - newW.start) > prevText.length / 4) return no('the lines are a large part of the file');
  const oldKeys: string[][] = [];
  const newKeys: string[][] = [];
  const styles: Set<string>[] = [];
  let sets = 0;
  // The entries every line read so far that sets something goes through, from the root down.
  let common: string[] | undefined;
  for (const [text, w, sign, keys] of [
    [prevText, oldW, -1, oldKeys],
    [newText, newW, 1, newKeys],
  ] as const) {
    for (const { s, e } of linesIn(text, w.start, w.end)) {
      if (startsCommand(text, s)) {
        const d = parseSet(text, s, e);
        if (d.counts.delete + d.counts.move > 0) return no('a line deletes or moves');
        sets += sign * d.counts.set;
        if (d.counts.set > 0) {
          const ks = entryKeysOfLine(d);
          common = common ? common.filter((k) => ks.includes(k)) : ks;
          if (common.length === 0) return no('the lines set different entries');
          keys.push(ks);
          styles.push(d.vsysPrefix);
        }
        continue;
      }
      // A line that starts no command and holds no quote can neither close a quote left open before it
      // nor continue a quoted value: it is read on its own (an unknown command, a comment, a blank).
      for (let i = s; i < e; i++) {
        const c = text.charCodeAt(i);
        if (c === 34 || c === 39) return no('a line that starts no command holds a quote');
      }
    }
  }
  const counts = (): void => {
    set.counts.set += sets;
  };
  let node: SNode | undefined;
  let key: string;
  if (common) {
    // Each entry's node in the tree, looked up once.
    const nodes = common.map((k) => nodeAt(set.root, k));
    const missing = nodes.indexOf(undefined);
    const x: LinesEdit = { prevText, set, errors, newText, edit, oldW, newW, whole, styles, counts };
    if (missing >= 0) {
      if (oldKeys.length > 0) return no('the lines set an entry that is not in the tree');
      return insertEntry(common[missing]!, x);
    }
    // Lines taken out that were all the lines of an entry (nothing put in that sets anything): the entry goes.
    if (newKeys.length === 0) {
      for (const n of nodes) {
        if (n!.first >= oldW.start && (whole ? n!.last < oldW.end : n!.last <= oldW.end)) return removeEntry(n!, x);
      }
    }
    key = common[common.length - 1]!;
    node = nodes[nodes.length - 1];
  } else {
    node = entryAround(set.root, oldW.start, oldW.end);
    key = node ? keyOf(node) : '';
  }
  if (!node) return no('no entry holds the lines');
  // The entry's first and last lines stay (so do its extent and its ancestors' spans, all on its first line).
  if (!(node.first < oldW.start && oldW.end < node.last)) return no("the lines are not inside the entry's lines");
  if (node.last - node.first > prevText.length / 4) return no('the entry spans a large part of the file');
  // How the lines name the vsys (`set address …` or `set vsys vsys1 address …`) is kept for fixes: the
  // lines must write it as the entry's first line does, which stays.
  const style = vsysStyleAt(prevText, node.first);
  if (!styles.every((x) => sameSet(x, style))) return no('a line names the vsys another way');
  if (isRuleEntry(node)) return patchRule(node.name!, key, set, errors, rules, newText, edit, oldW, counts);
  const r = reread(node, key, set, errors, newText, edit, oldW);
  if (!r.ok) return r;
  return {
    ok: true,
    kind: 'entry',
    commit: () => {
      r.commit();
      counts();
    },
    replaced: { old: node, fresh: r.fresh },
  };
}

/** An edit of whole lines, as {@link patchSetLines} found it. */
type LinesEdit = {
  prevText: string;
  set: SetDoc;
  errors: SyntaxIssue[];
  newText: string;
  edit: SpanEdit;
  /** The lines replaced (old text) and put in (new text). */
  oldW: { start: number; end: number };
  newW: { start: number; end: number };
  /** Whole lines (`oldW.end` is the start of the line after them), or a run of lines ending at `oldW.end`. */
  whole: boolean;
  /** How each line that sets something names the vsys. */
  styles: Set<string>[];
  /** Updates the file's count of `set` lines. */
  counts: () => void;
};

/**
 * New lines that make a new entry at `key` (no line it replaces set anything): read from those lines,
 * the entry goes among its list's entries in line order, provided the list's first line comes before
 * them (it names the list) and its lines are around them or end before them (the entry is its last).
 */
function insertEntry(key: string, x: LinesEdit): SetPatch {
  const { set, newText, oldW, newW, styles } = x;
  const no = (why: string): SetPatch => ({ ok: false, why: `edited lines: ${why}` });
  // Entries are in the order their first lines come only while no `move` reorders them.
  if (set.counts.move > 0) return no('the file has move lines');
  // The file names the vsys this way already (else the new lines would add a way to `vsysPrefix`).
  if (!styles.every((x) => [...x].every((y) => set.vsysPrefix.has(y)))) return no('a line names the vsys another way');
  const fresh = parseSet(newText, newW.start, newW.end);
  const n = nodeAt(fresh.root, key);
  if (!n || !n.parent || n.last > newW.end) return no('the new entry is not read from the lines alone');
  const parent = nodeAt(set.root, keyOf(n.parent));
  if (!parent) return no("the new entry's list is not in the tree");
  // The list's first line stays before the new ones (it names the list: its key span), and its lines
  // are around them or end before them (the new entry is its last: the extents that end before it grow).
  if (!(parent.first < oldW.start && (oldW.end < parent.last || parent.last < oldW.start))) return no("the lines are not inside the list's lines or after them");
  return commitLines(x, fresh.errors, undefined, () => {
    let at = parent.kids.length;
    while (at > 0 && parent.kids[at - 1]!.first > n.first) at--;
    insertChild(parent, n, at);
    // (The root's extent is not kept: it stays at 0.)
    for (let a: SNode | undefined = parent; a && a !== set.root; a = a.parent) if (a.last < n.last) a.last = n.last;
  });
}

/**
 * The patch of a whole-lines edit that puts in or takes out an entry: later offsets move (but inside
 * `skip`), the errors of the lines replaced give way to `fresh`, then `change` edits the tree.
 */
function commitLines(x: LinesEdit, fresh: readonly SyntaxIssue[], skip: SNode | undefined, change: () => void): SetPatch {
  const { set, errors, edit, oldW, whole, counts } = x;
  const delta = edit.newEnd - edit.oldEnd;
  // The errors of the lines replaced go (whole lines end before `oldW.end`, a line run at it).
  const kept = errors.filter((e) => e.span.start < oldW.start || (whole ? e.span.start >= oldW.end : e.span.start > oldW.end));
  if (kept.length + fresh.length > MAX_SYNTAX_ISSUES) return { ok: false, why: 'edited lines: more syntax errors than are listed' };
  return {
    ok: true,
    kind: 'entry',
    commit: () => {
      shiftTree(set.root, skip, edit.oldEnd, delta);
      replaceErrors(errors, kept, oldW.start, delta, fresh);
      change();
      counts();
    },
  };
}

/** Lines deleted that held every line of entry `n` (and nothing else that sets anything): the entry is taken out of its list. */
function removeEntry(n: SNode, x: LinesEdit): SetPatch {
  const { prevText, set, newText, oldW, newW, styles } = x;
  const no = (why: string): SetPatch => ({ ok: false, why: `edited lines: ${why}` });
  // A `move` elsewhere may name the entry (or place another before it).
  if (set.counts.move > 0) return no('the file has move lines');
  const parent = n.parent;
  if (!parent || parent === set.root) return no('the entry has no list');
  // The list's first line stays before the deleted ones (it names the list). Its lines are around them
  // (its extent, and its ancestors', stay as they are), or the entry held its last line: then the
  // extents that ended there end where their remaining kids' do (a node with values of its own, whose
  // lines are not kept apart, is left to a full analysis).
  if (!(parent.first < oldW.start)) return no("the lines are not inside the list's lines");
  const ending: SNode[] = [];
  if (!(oldW.end < parent.last)) {
    for (let a: SNode | undefined = parent; a && a !== set.root && a.last === n.last; a = a.parent) {
      if (a.values.length > 0) return no('the lines end a node that holds values');
      ending.push(a);
    }
    if (ending[0] !== parent) return no("the lines are not inside the list's lines");
  }
  // The list's first line stays: the lines deleted must name the vsys as it does (or a way would be lost).
  const style = vsysStyleAt(prevText, parent.first);
  if (!styles.every((x) => sameSet(x, style))) return no('a line names the vsys another way');
  // The lines put in set nothing, but may have errors of their own (a command mistyped: `se …`).
  const fresh = parseSet(newText, newW.start, newW.end);
  if (fresh.root.kids.length > 0) return no('the lines put in set something');
  return commitLines(x, fresh.errors, n, () => {
    removeChild(n);
    for (const a of ending) {
      let last = a.first;
      for (const k of a.kids) if (k.last > last) last = k.last;
      a.last = last;
    }
  });
}

