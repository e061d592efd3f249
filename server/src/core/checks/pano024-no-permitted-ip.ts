/**
 * @fileoverview PANO024: Panorama or a Log Collector accepts management connections from any
 * address (no permitted-ip).
 */
import type { Check } from './types';

export const check: Check = {
  meta: { code: 'PANO024', title: 'Panorama management without permitted-ip', category: 'hygiene', severity: 'warning', fix: 'none' },
  run(ctx) {
    const m = ctx.model;
    if (m.kind !== 'panorama') return;
    if (m.mgmt.node && m.mgmt.keySpan && m.mgmt.permittedIps.length === 0) {
      ctx.report({
        message: `Panorama's management interface${m.mgmt.ipAddress ? ` (${m.mgmt.ipAddress.value})` : ''} has no permitted-ip list: any address that can route to it may try to log in.`,
        span: m.mgmt.keySpan,
      });
    }
    for (const lc of m.logCollectors) {
      if (lc.mgmt.node && lc.mgmt.keySpan && lc.mgmt.permittedIps.length === 0) {
        ctx.report({
          message: `Log Collector ${lc.serial}${lc.mgmt.ipAddress ? ` (${lc.mgmt.ipAddress.value})` : ''} has no permitted-ip list for its management interface.`,
          span: lc.mgmt.keySpan,
        });
      }
    }
  },
};
