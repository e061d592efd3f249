/**
 * @fileoverview PANO027: on Panorama, no device group is known to sit in front of Panorama, so no
 * rulebase can be checked for its flows.
 */
import { addrToString } from '../policy/sets';
import type { Check } from './types';

export const check: Check = {
  meta: { code: 'PANO027', title: 'No device group known to protect Panorama', category: 'hygiene', severity: 'information', fix: 'safe' },
  run(ctx) {
    const m = ctx.model;
    if (m.kind !== 'panorama') return;
    const shared = ctx.policy.contexts.find((c) => c.id === 'shared' && !c.inPath);
    if (!shared) return;
    const blocked = ctx.policy.results.filter((r) => r.ctx === shared && r.verdict !== 'allowed' && r.verdict !== 'not-crossing').length;
    const named = ctx.policy.env.deviceGroups ?? [];
    const why = named.length
      ? `.panos-guard.json "deviceGroups" names ${named.map((n) => `'${n}'`).join(', ')}, which ${named.length === 1 ? 'is not a device group' : 'are not device groups'} of this file`
      : 'no device-group rule references them and .panos-guard.json names no "deviceGroups"';
    ctx.report({
      message: `No device group is known to protect Panorama/Log Collectors (${addrToString(ctx.policy.env.mgmtHosts, 3)}): ${why}. ${blocked} of ${ctx.policy.flows.length} required flows are not allowed by the shared rulebases.`,
      span: m.mgmt.ipAddress?.span ?? m.rootSpan,
      rulebase: shared.insertion.location,
    });
  },
};
