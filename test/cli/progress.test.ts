import { readFileSync } from 'node:fs';
import { withReadProgress } from '../../shared/cli/progress';
import type { Estate } from '../../shared/model';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import type { Partition } from '../../shared/providers/port';

const estate = JSON.parse(readFileSync('examples/estate.json', 'utf8')) as Estate;
const byKey = <T extends { ref?: { account: string; id: string }; id?: string }>(xs: T[]) =>
  [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('read progress for snapshot', () => {
  const awsAccounts = [...new Set(estate.networks.filter((n) => n.ref.cloud === 'aws').map((n) => n.ref.account))];
  const cases: { name: string; reason: string; partitions: Partition[]; lines: number; failing?: string }[] = [
    {
      name: 'one partition',
      reason: 'a single read has nothing to count, so the provider is called as it is',
      partitions: [{ cloud: 'aws', account: awsAccounts[0]! }],
      lines: 0,
    },
    {
      name: 'every AWS account',
      reason: 'a multi-account read reports each partition as it finishes',
      partitions: awsAccounts.map((account) => ({ cloud: 'aws' as const, account })),
      lines: awsAccounts.length,
    },
    {
      name: 'one account unreadable',
      reason: 'an unread partition stays unread in the merged observation, and its line says so',
      partitions: awsAccounts.map((account) => ({ cloud: 'aws' as const, account })),
      lines: awsAccounts.length,
      failing: awsAccounts[1],
    },
  ];

  it.each(cases)(
    '$name: the observation equals one plain call, with one line per partition ($reason)',
    async ({ partitions, lines, failing }) => {
      const memory = new MemoryCloud(estate, () => new Date(estate.observedAt));
      if (failing) memory.faults.failObserve.add(`aws:${failing}`);
      const plain = await memoryProviders(memory).aws!.observe(partitions);
      const printed: string[] = [];
      const shown = await withReadProgress(memoryProviders(memory), (l) => printed.push(l)).aws!.observe(partitions);
      expect(shown.complete).toBe(plain.complete);
      expect(byKey(shown.networks)).toEqual(byKey(plain.networks));
      expect(byKey(shown.peerings)).toEqual(byKey(plain.peerings));
      expect(shown.unread).toEqual(plain.unread);
      expect(printed).toHaveLength(lines);
      if (lines > 0) expect(printed.at(-1)).toMatch(new RegExp(`^aws: read ${lines}/${lines} partitions`));
      if (failing) expect(printed.filter((l) => l.includes('incomplete'))).toEqual([expect.stringContaining(failing)]);
    },
  );
});
