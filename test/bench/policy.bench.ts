import { performance } from 'node:perf_hooks';
import { loadPolicy } from '../../shared/policy';

/**
 * A policy of `groups` groups, as an organization that names every team's VPCs would write it: one group per
 * team (an account and a tag each), a hub, and connections for one group in ten. The other nine in ten are
 * used by nothing, so every one of them is a located warning: the case that was quadratic (17 s at 20k).
 */
export function largePolicy(groups: number): string {
  const lines = ['version: 1', 'approvals: { approvers: [U012AB3CD], ttl: 72h }', 'groups:', '  hub: { cloud: aws, account: "100000000000", tags: { role: hub } }'];
  for (let i = 0; i < groups; i++) lines.push(`  team-${i}: { cloud: aws, account: "${String(200000000000 + i)}", tags: { team: t${i} } }`);
  lines.push('connections:');
  for (let i = 0; i < groups; i += 10) lines.push(`  - { name: team-${i}-to-hub, topology: hub-spoke, hub: hub, spokes: team-${i}, approval: auto }`);
  return `${lines.join('\n')}\n`;
}

function medianMs(text: string, runs: number): { ms: number; warnings: number; located: number } {
  const times: number[] = [];
  let last = loadPolicy(text, 'policy.yaml');
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    last = loadPolicy(text, 'policy.yaml');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(runs / 2)]!), warnings: last.warnings.length, located: last.warnings.filter((w) => w.line > 0).length };
}

/**
 * Times `loadPolicy` (parse, duplicate keys, schema, cross-references, every warning placed on its line) on a
 * 20k-group policy, and its growth from 2k: linear in the file's size means ~10× for 10× the groups (15× allowed
 * for noise on a shared machine; quadratic would be 100×).
 */
export function benchPolicy(): object[] {
  const small = largePolicy(2_000);
  const large = largePolicy(20_000);
  const a = medianMs(small, 5);
  const b = medianMs(large, 3);
  const ratio = Math.round((b.ms / Math.max(a.ms, 1)) * 10) / 10;
  return [
    { name: 'validate-20k-groups', ms: b.ms, bytes: large.length, warnings: b.warnings, located: b.located, target: '< 3000 ms (was 17 s), every warning on its line',
      pass: b.ms < 3000 && b.located === b.warnings && b.warnings >= 18_000 },
    { name: 'validate-growth-2k-20k', ms2k: a.ms, ms20k: b.ms, ratio, target: 'growth 2k→20k groups ≤ 15× (linear)', pass: ratio <= 15 },
  ];
}
