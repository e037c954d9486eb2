import type { Cloud, Scope } from '../model';
import { CLOUDS } from '../model';
import type { Partition } from '../providers/port';
import type { Policy } from '../policy/schema';
import { governedAccounts, named } from '../policy/governed';

export { governedAccounts };

/** Accounts that anchor the topology (named explicitly by a group, e.g. the hub): every scope re-reads them. */
function anchorAccounts(policy: Policy, cloud: Cloud): string[] {
  const governed = new Set(governedAccounts(policy, cloud));
  return [...new Set(Object.values(policy.groups).filter((g) => g.cloud === cloud).flatMap((g) => named(g.account)))].filter((a) => governed.has(a)).sort();
}

function regionsOf(policy: Policy, cloud: Cloud): (string | undefined)[] {
  return cloud === 'aws' ? (policy.providers.aws?.regions ?? ['us-east-1']) : [undefined];
}

function partitionsOf(policy: Policy, cloud: Cloud, accounts: readonly string[], region?: string): Partition[] {
  const regions = region && region !== '*' && cloud !== 'gcp' ? [region] : regionsOf(policy, cloud);
  return accounts.flatMap((account) => regions.map((r) => (r === undefined ? { cloud, account } : { cloud, account, region: r })));
}

function scopeTarget(scope: Exclude<Scope, { kind: 'estate' }>): { cloud: Cloud; account: string; region?: string } {
  switch (scope.kind) {
    case 'account': return scope.region ? { cloud: scope.cloud, account: scope.account, region: scope.region } : { cloud: scope.cloud, account: scope.account };
    case 'network': return { cloud: scope.network.cloud, account: scope.network.account, region: scope.network.region };
    case 'peering': case 'route-table': return { cloud: scope.cloud, account: scope.account, region: scope.region };
  }
}

/**
 * What a scope's reconcile must observe: the scope's own account and region, plus the accounts that anchor
 * the topology (a spoke's plan needs its hub). The sweep observes every governed account.
 */
export function partitionsFor(scope: Scope, policy: Policy, clouds: readonly Cloud[] = CLOUDS): Partition[] {
  if (scope.kind === 'estate') return clouds.flatMap((cloud) => partitionsOf(policy, cloud, governedAccounts(policy, cloud)));
  const t = scopeTarget(scope);
  if (!clouds.includes(t.cloud)) return [];
  const own = partitionsOf(policy, t.cloud, [t.account], t.region);
  const anchors = partitionsOf(policy, t.cloud, anchorAccounts(policy, t.cloud).filter((a) => a !== t.account));
  return [...own, ...anchors];
}
