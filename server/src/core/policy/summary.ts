/**
 * @fileoverview Panorama and Log Collector addresses as the config states them (no env file).
 */
import type { ConfigModel } from '../model/types';

export function analyzeEnvironmentSummary(m: ConfigModel): { panorama: string[]; logCollectors: string[] } {
  const panorama: string[] = [];
  const lcs: string[] = [];
  const add = (l: string[], v: string | undefined): void => {
    if (v && !l.includes(v)) l.push(v);
  };
  if (m.kind === 'panorama') {
    add(panorama, m.mgmt.ipAddress?.value);
    add(panorama, m.mgmt.ipv6Address?.value);
    for (const lc of m.logCollectors) add(lcs, lc.mgmt.ipAddress?.value);
  }
  for (const s of m.mgmt.panoramaServers) add(panorama, s.value);
  for (const t of m.templates) for (const s of t.mgmt.panoramaServers) add(panorama, s.value);
  return { panorama, logCollectors: lcs };
}
