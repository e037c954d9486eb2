import type { Cloud, Observation } from '../model';
import { mergeObservations } from '../model';
import type { Partition, PeeringProvider } from '../providers/port';

/** How many partitions one cloud reads at once while progress is shown (the sweep's fan-out is per partition too). */
const READS_AT_ONCE = 4;

/**
 * Providers that report each partition they finish reading, for `snapshot` on a terminal: a multi-account read
 * takes seconds to minutes (EC2 allows 20 reads/s per account), and a silent prompt looks hung. A provider asked
 * for several partitions reads them one per call, at most READS_AT_ONCE at a time, and the merged observation is
 * what one call would have returned. One partition, or no terminal: the providers are returned unchanged.
 */
export function withReadProgress(
  providers: Partial<Record<Cloud, PeeringProvider>>,
  line: (text: string) => void,
): Partial<Record<Cloud, PeeringProvider>> {
  const wrapped: Partial<Record<Cloud, PeeringProvider>> = {};
  for (const [cloud, provider] of Object.entries(providers) as [Cloud, PeeringProvider][]) {
    wrapped[cloud] = {
      cloud: provider.cloud,
      apply: (action, context) => provider.apply(action, context),
      ...(provider.partitions ? { partitions: () => provider.partitions!() } : {}),
      observe: async (partitions) =>
        partitions.length <= 1 ? provider.observe(partitions) : readEach(provider, partitions, line),
    };
  }
  return wrapped;
}

async function readEach(
  provider: PeeringProvider,
  partitions: readonly Partition[],
  line: (text: string) => void,
): Promise<Observation> {
  // Kept in partition order, so the merged observation does not depend on which read finished first.
  const parts: Observation[] = new Array<Observation>(partitions.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < partitions.length) {
      const index = next++;
      const partition = partitions[index]!;
      const part = await provider.observe([partition]);
      parts[index] = part;
      done += 1;
      const where = `${partition.account}${partition.region ? ` ${partition.region}` : ''}`;
      line(
        `${provider.cloud}: read ${done}/${partitions.length} partitions (${where}${part.complete ? '' : ', incomplete'})`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, partitions.length) }, worker));
  return mergeObservations(parts);
}
