/**
 * @fileoverview PANO000: the config text could not be read (XML or set syntax).
 */
import type { Check } from './types';

export const check: Check = {
  meta: { code: 'PANO000', title: 'Config syntax error', category: 'syntax', severity: 'error', fix: 'none' },
  run(ctx) {
    for (const e of ctx.doc.errors) ctx.report({ message: e.message, span: e.span });
  },
};
