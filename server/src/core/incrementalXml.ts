/**
 * @fileoverview Incremental re-analysis of the XML form beyond one security rule: an edit inside any
 * element (an address, a service, a group, a zone, an interface, a template's setting …) re-scans that
 * element alone, puts its elements in place of the old ones in the document's arrays (later elements
 * and offsets move), and the model, the policy and the checks are built again from the patched
 * document. What it skips is scanning the whole text again. The element is the innermost one whose
 * tags the edit leaves alone, and its new text must scan as one element closed by its own clean end
 * tag, its tags balanced inside; syntax errors inside it are its own (they replace the old element's),
 * since no recovery inside can read past that end tag. In an element spanning much of the file (a
 * firewall's rule list), only the run of children between the two the edit leaves whole is
 * re-scanned, and its new text must be blank or sibling elements with blanks between them and no
 * syntax issue (rules pasted or deleted whole). Inside an address or service object or group, when the elements
 * keep their number, the model is kept instead and only that object is made again (`keep`; see
 * `incremental.ts`). Else, or in a document whose tags were
 * unbalanced (`incremental.ts` checks), a full analysis runs, which gives the same result. Rules
 * re-scanned earlier by the rule path are folded back into the document first.
 */
import type { Analysis } from './analyze';
import type { SpanEdit } from './incremental';
import { xmlParsed, type ParsedDoc } from './parse';
import { MAX_SYNTAX_ISSUES, XmlFlag, parseXml, type XmlDoc } from './parse/xml';

/** `kept`: the old model still reads the patched document (see `keep` of {@link patchXmlElement}). */
export type XmlPatch = { ok: true; doc: ParsedDoc; why: string; kept: boolean } | { ok: false; why: string };

/** The innermost element that strictly holds [start, oldEnd) (its '<' and last '>' untouched), or -1. */
export function elementAround(d: XmlDoc, start: number, oldEnd: number): number {
  // Elements are in document order: the last one starting before the edit, then up its ancestors.
  let lo = 0;
  let hi = d.count - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (d.start[mid]! < start) {
      k = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  while (k >= 0 && !(oldEnd < d.end[k]!)) k = d.parent[k]!;
  return k;
}

/**
 * Re-scans the element around `edit` into `prev`'s document (see the file overview). On success the
 * document is patched to the new text and the parsed document over it is returned; on failure `prev`
 * may have had earlier re-scanned rules folded in, which changes nothing a full analysis reads.
 *
 * `keep` [start, end): the range of the one entry whose object the caller will make again. Where the
 * element is re-scanned whole, its new elements are as many as the old, and each rule re-scanned
 * earlier and folded in has as many elements as the one it replaced, every other element keeps its
 * index: the old model still reads the document right (those rules still read their own documents,
 * which move with the edit too and stay in `prev.xmlDocs`), its spans moved with the edit but for
 * those inside that entry, which are dropped (`kept`). Else the spans are all dropped and a new model
 * is to be built.
 */
export function patchXmlElement(prev: Analysis, newText: string, edit: SpanEdit, keep?: { start: number; end: number }): XmlPatch {
  const xml = prev.doc.xml;
  if (!xml || xml.root < 0) return { ok: false, why: 'no XML root element' };
  const rescans = prev.xmlDocs.filter((d) => d !== xml);
  // Asked only for an object the caller would make again (see `keep`).
  const sameCounts = keep !== undefined && rescans.every((d) => d.replaces >= 0 && sameCount(xml, d.replaces, d));
  if (!foldRescans(prev, xml)) return { ok: false, why: 'a re-scanned rule does not say which element it replaces' };
  const at = elementAround(xml, edit.start, edit.oldEnd);
  if (at < 0) return { ok: false, why: 'the edit is inside no element' };
  const s = xml.start[at]!;
  const e = xml.end[at]!;
  if ((xml.flags[at]! & XmlFlag.Unclosed) !== 0) return { ok: false, why: 'the element around the edit is unclosed' };
  const whole = (e - s) * 4 <= prev.doc.text.length;
  // A large element (a list of thousands of rules): only the run of its children the edit touches.
  const run = whole ? undefined : childrenAround(xml, at, edit);
  if (!whole && !run) return { ok: false, why: 'the element around the edit spans much of the file' };
  const delta = edit.newEnd - edit.oldEnd;
  const errs = xml.errors;
  if (run) {
    // Errors inside a run of children would have to be withdrawn: leave that to a full analysis.
    if (errs.some((x) => x.span.end > run.lo && x.span.start < run.hi)) return { ok: false, why: 'the element around the edit had syntax errors' };
    if ((run.hi + delta - run.lo) * 4 > newText.length) return { ok: false, why: 'the elements edited span much of the file' };
    // Blank, or sibling elements with nothing but blanks (and comments) between them.
    const part = parseXml(newText, run.lo, run.hi + delta, true);
    if (part.issueCount > 0 || part.doctype) return { ok: false, why: 'the edited elements are not a run of well-formed elements' };
    // The spans the old model was handed are the old model's (the new one records its own): not shifted.
    xml.spans.length = 0;
    xml.shift(run.hi, delta, newText);
    xml.replaceChildren(at, run.prev, run.next, part);
  } else {
    const part = oneElement(newText, s, e + delta);
    if (!part) return { ok: false, why: 'the edited element is not one well-formed element' };
    // Its errors replace those the old element had: in scan order, errors before it, strictly inside it,
    // strictly after it (one at or across an edge could belong to either side: a full analysis decides),
    // all of them listed (no "N more").
    let i0 = 0;
    while (i0 < errs.length && errs[i0]!.span.end < s) i0++;
    let i1 = i0;
    while (i1 < errs.length && errs[i1]!.span.start > s && errs[i1]!.span.end < e) i1++;
    if (errs.slice(i1).some((x) => x.span.start <= e)) return { ok: false, why: 'syntax errors at the edges of the element, or out of order' };
    if (xml.issueCount !== errs.length || part.issueCount !== part.errors.length || errs.length - (i1 - i0) + part.errors.length > MAX_SYNTAX_ISSUES) {
      return { ok: false, why: 'more syntax errors than are listed' };
    }
    const kept = sameCounts && sameCount(xml, at, part);
    if (kept) {
      dropSpansIn(xml, keep.start, keep.end);
      for (const d of rescans) d.shift(e, delta, newText);
    } else xml.spans.length = 0;
    xml.shift(e, delta, newText);
    xml.replaceSubtree(at, part);
    errs.splice(i0, i1 - i0, ...part.errors);
    xml.issueCount += part.errors.length - (i1 - i0);
    if (kept) return { ok: true, doc: xmlParsed(newText, xml), why: OBJECT, kept };
  }
  return { ok: true, doc: xmlParsed(newText, xml), why: run ? ELEMENTS : ELEMENT, kept: false };
}

/**
 * Whether `part` (element `at` scanned again) has as many elements as `at` and its descendants: then
 * every element outside them keeps its index (what the model's nodes hold; none but the object made
 * again points inside).
 */
function sameCount(xml: XmlDoc, at: number, part: XmlDoc): boolean {
  return part.count === xml.subtreeEnd(at) - at;
}

/** Forgets the spans handed out inside [start, end) (an object made again records its own). */
function dropSpansIn(xml: XmlDoc, start: number, end: number): void {
  const sp = xml.spans;
  let w = 0;
  for (let r = 0; r < sp.length; r++) {
    const x = sp[r]!;
    if (x.start >= start && x.end <= end) continue;
    sp[w++] = x;
  }
  sp.length = w;
}

/**
 * The text [s, end) scanned as one element closed by its own clean end tag at `end`, its tags balanced
 * inside, or undefined. A scan of the whole text reads the same there, syntax errors inside included:
 * a construct left open inside would have run on to `end` and taken the end tag with it, and a broken
 * end tag is recovered from by reading on to the next '<', past the range (hence "clean").
 */
export function oneElement(text: string, s: number, end: number): XmlDoc | undefined {
  const part = parseXml(text, s, end);
  if (part.root !== 0 || part.start[0] !== s || part.end[0] !== end || (part.flags[0]! & XmlFlag.Unclosed) !== 0 || part.structural || part.doctype) return undefined;
  if (part.errors.some((x) => x.span.end >= part.closeStart[0]!)) return undefined;
  return part;
}

export const ELEMENT = 'an element re-scanned; model and policy rebuilt';
export const OBJECT = 'an address or service object or group re-scanned and made again; model and resolved names kept, policy evaluated again';
export const ELEMENTS = 'elements re-scanned among their siblings; model and policy rebuilt';

/**
 * The children of `at` just before and after the edit that it leaves whole (-1: none), and the old
 * text between them [lo, hi), blanks around the edit included; undefined if the edit touches the
 * element's own tags or there is no blank between the children it keeps (an offset both would share).
 */
function childrenAround(d: XmlDoc, at: number, edit: SpanEdit): { prev: number; next: number; lo: number; hi: number } | undefined {
  if (edit.start < d.openEnd[at]! || edit.oldEnd > d.closeStart[at]!) return undefined;
  let prev = -1;
  let next = -1;
  for (let c = d.firstChild[at]!; c >= 0; c = d.nextSibling[c]!) {
    if (d.end[c]! <= edit.start) prev = c;
    else if (d.start[c]! >= edit.oldEnd) {
      next = c;
      break;
    }
  }
  const lo = prev >= 0 ? d.end[prev]! : d.openEnd[at]!;
  const hi = next >= 0 ? d.start[next]! : d.closeStart[at]!;
  return lo < hi ? { prev, next, lo, hi } : undefined;
}

/**
 * Rules re-scanned by the rule path live in documents of their own while the whole document keeps
 * their old elements: put them back in, last first (an earlier one's change of count moves only
 * later elements).
 */
function foldRescans(prev: Analysis, xml: XmlDoc): boolean {
  const parts = prev.xmlDocs.filter((d) => d !== xml).sort((a, b) => b.replaces - a.replaces);
  if (parts.some((p) => p.replaces < 0)) return false;
  for (const p of parts) xml.replaceSubtree(p.replaces, p);
  return true;
}
