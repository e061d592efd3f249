/**
 * @fileoverview PANO025: HTTP or Telnet management is enabled on Panorama or a Log Collector.
 */
import type { Mgmt } from '../model/types';
import type { Check } from './types';

export const check: Check = {
  meta: { code: 'PANO025', title: 'Clear-text management enabled', category: 'hygiene', severity: 'warning', fix: 'none' },
  run(ctx) {
    const m = ctx.model;
    if (m.kind !== 'panorama') return;
    const one = (who: string, mg: Mgmt): void => {
      for (const svc of ['http', 'telnet']) {
        const v = mg.serviceDisables.get(svc);
        if (v && v.value === 'no') {
          ctx.report({ message: `${who} has ${svc === 'http' ? 'HTTP' : 'Telnet'} management enabled (disable-${svc} no): credentials cross the network in clear text.`, span: v.span });
        }
      }
    };
    one('Panorama', m.mgmt);
    for (const lc of m.logCollectors) one(`Log Collector ${lc.serial}`, lc.mgmt);
  },
};
