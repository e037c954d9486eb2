import { performance } from 'node:perf_hooks';
import { loadPolicy } from '../../shared/policy';

/**
 * A policy of `groups` groups, as an organization that names every team's VPCs would write it: one group per
 * team (an account and a tag each), a hub, and connections for one group in ten. The other nine in ten are
 * used by nothing, so every one of them is a located warning: the case that was quadratic (17 s at 20k).
 */
export function largePolicy(groups: number): string {
  const lines = [
    'version: 1',
    'approvals: { approvers: [U012AB3CD], ttl: 72h }',
    'groups:',
    '  hub: { cloud: aws, account: "100000000000", tags: { role: hub } }',
  ];
  for (let i = 0; i < groups; i++)
    lines.push(`  team-${i}: { cloud: aws, account: "${String(200000000000 + i)}", tags: { team: t${i} } }`);
  lines.push('connections:');
  for (let i = 0; i < groups; i += 10)
    lines.push(`  - { name: team-${i}-to-hub, topology: hub-spoke, hub: hub, spokes: team-${i}, approval: auto }`);
  return `${lines.join('\n')}\n`;
}

/** Median wall and CPU time of `runs` loads. CPU time is what the check uses: the machine is shared (2 cores). */
function measure(text: string, runs: number): { ms: number; cpuMs: number; warnings: number; located: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  let last = loadPolicy(text, 'policy.yaml');
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    last = loadPolicy(text, 'policy.yaml');
    const used = process.cpuUsage(cpuStart);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(runs / 2)]!);
  return {
    ms: median(wall),
    cpuMs: median(cpu),
    warnings: last.warnings.length,
    located: last.warnings.filter((w) => w.line > 0).length,
  };
}

/**
 * Times `loadPolicy` (parse, duplicate keys, schema, cross-references, every warning placed on its line) on a
 * 20k-group policy, and its growth from 2k: linear in the file's size means ~10× for 10× the groups (15× allowed
 * for noise on a shared machine; quadratic would be 100×). The YAML parser itself is most of the time (~1 MB/s).
 */
export function benchPolicy(): object[] {
  const small = largePolicy(2_000);
  const large = largePolicy(20_000);
  const a = measure(small, 5);
  const b = measure(large, 3);
  const ratio = Math.round((b.cpuMs / Math.max(a.cpuMs, 1)) * 10) / 10;
  return [
    {
      name: 'validate-20k-groups',
      ms: b.ms,
      cpuMs: b.cpuMs,
      bytes: large.length,
      warnings: b.warnings,
      located: b.located,
      target: 'CPU < 4000 ms (was 17 s), every warning on its line',
      pass: b.cpuMs < 4000 && b.located === b.warnings && b.warnings >= 18_000,
    },
    {
      name: 'validate-growth-2k-20k',
      cpuMs2k: a.cpuMs,
      cpuMs20k: b.cpuMs,
      ratio,
      target: 'CPU growth 2k→20k groups ≤ 15× (linear; quadratic is 100×)',
      pass: ratio <= 15,
    },
  ];
}
