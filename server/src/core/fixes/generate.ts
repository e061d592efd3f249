/**
 * @fileoverview `panos-guard generate`: the catalog-derived Panorama rule set for an environment,
 * printed in XML (entries to paste, each group under a comment naming its container) or in set form
 * (complete lines with the right prefix). The same planner as the quick-fixes.
 */
import type { EnvFile } from '../env/envFile';
import { buildEnvironment, type CliEnv } from '../policy/environment';
import { requiredFlows } from '../policy/flows';
import { Zoner } from '../policy/zones';
import { planRuleSet } from './plan';
import { OBJECT_PATH, objectSet, objectXml, ruleSet, ruleXml, setQuote, xmlEscape, type ObjectDraft } from './render';

export type GenerateOptions = {
  format: 'xml' | 'set';
  kind: 'firewall' | 'panorama';
  deviceGroup?: string | undefined;
  vsys?: string;
  env: EnvFile;
  cli?: CliEnv;
};


export function generateRuleSet(o: GenerateOptions): string {
  const env = buildEnvironment(undefined, o.env, o.cli);
  const { flows } = requiredFlows(env);
  if (flows.length === 0) {
    return o.format === 'xml'
      ? '<!-- panos-guard: no Panorama address is known; give one with --panorama IP or .panos-guard.json "panorama" -->\n'
      : '# panos-guard: no Panorama address is known; give one with --panorama IP or .panos-guard.json "panorama"\n';
  }
  const zoner = new Zoner([], env, undefined);
  // A fresh config has no profile group or log forwarding profile: the rule set brings its own, built on
  // the predefined `default` security profiles and forwarding traffic logs to Panorama.
  const profiles: ObjectDraft[] = [
    { type: 'profile-group', name: 'panos-guard-profiles', profiles: { virus: 'default', spyware: 'default', vulnerability: 'default', 'wildfire-analysis': 'default' } },
    { type: 'log-forwarding', name: 'panos-guard-logs', matchLists: [{ name: 'traffic-to-panorama', logType: 'traffic', filter: 'All Logs', sendToPanorama: true }] },
  ];
  const plan = planRuleSet({ model: undefined, env, resolver: undefined, zoner, scope: undefined, flows, denies: ['to', 'from'], profiles: { profileGroup: 'panos-guard-profiles', logSetting: 'panos-guard-logs' } });
  plan.objects.unshift(...profiles.map((p) => ({ ...p, scope: undefined })));
  const rules = [...plan.allows, ...plan.denies];
  const vsys = o.vsys ?? 'vsys1';
  const header = `panos-guard rule set for ${flows.length} required flows (catalog: securing Panorama and Log Collector communications)${plan.notes.length ? `; ${plan.notes.join('; ')}` : ''}`;
  if (o.format === 'set') {
    const container = o.kind === 'panorama' ? (o.deviceGroup ? `set device-group ${setQuote(o.deviceGroup)}` : 'set shared') : vsys === 'vsys1' ? 'set' : `set vsys ${setQuote(vsys)}`;
    const rulePrefix = o.kind === 'panorama' ? `${container} pre-rulebase security rules` : `${container} rulebase security rules`;
    const lines = [`# ${header}`];
    for (const ob of plan.objects) lines.push(...objectSet(container, ob));
    for (const r of rules) lines.push(...ruleSet(rulePrefix, r));
    return lines.join('\n') + '\n';
  }
  const base =
    o.kind === 'panorama'
      ? o.deviceGroup
        ? `/config/devices/entry[@name='localhost.localdomain']/device-group/entry[@name='${xmlEscape(o.deviceGroup)}']`
        : '/config/shared'
      : `/config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='${xmlEscape(vsys)}']`;
  const rulesPath = o.kind === 'panorama' ? `${base}/pre-rulebase/security/rules` : `${base}/rulebase/security/rules`;
  const st = { indent: '', unit: '  ', eol: '\n' };
  const out = [`<!-- ${header.replace(/--/g, '-')} -->`];
  const byType = new Map<string, ObjectDraft[]>();
  for (const ob of plan.objects) byType.set(OBJECT_PATH[ob.type].join('/'), [...(byType.get(OBJECT_PATH[ob.type].join('/')) ?? []), ob]);
  for (const [tag, list] of byType) {
    out.push(`<!-- into ${base}/${tag} -->`);
    for (const ob of list) out.push(objectXml(ob, st).replace(/\n$/, ''));
  }
  out.push(`<!-- into ${rulesPath}, before rules that would block this traffic -->`);
  for (const r of rules) out.push(ruleXml(r, st).replace(/\n$/, ''));
  return out.join('\n') + '\n';
}
