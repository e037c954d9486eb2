import type { Cloud } from '../model';
import type { Policy } from './schema';

/** A group field that may be one value or several, as a list. */
export function named(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Accounts peerkeeper observes for a cloud: the provider's explicit list when the policy has one,
 * otherwise every account the cloud's groups name (plus the AWS hub account).
 */
export function governedAccounts(policy: Policy, cloud: Cloud): string[] {
  const p = policy.providers;
  const explicit = cloud === 'aws' ? p.aws?.accounts : cloud === 'azure' ? p.azure?.subscriptions : p.gcp?.projects;
  const accounts = new Set(
    explicit ??
      Object.values(policy.groups)
        .filter((g) => g.cloud === cloud)
        .flatMap((g) => named(g.account)),
  );
  if (cloud === 'aws' && p.aws?.hubAccount) accounts.add(p.aws.hubAccount);
  return [...accounts].sort();
}
