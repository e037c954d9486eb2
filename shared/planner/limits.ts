import type { Cloud, NetworkRef } from '../model';
import type { EstateIndex } from './estate-index';

/** The quotas the planner respects for one network. */
export interface NetworkLimits {
  peeringsPerNetwork: number;
  routesPerTable: number;
  /** Where the figures come from, for reasons: `AWS default: …`, `policy limits.aws`, `account quota`. */
  label: string;
}

/**
 * Cloud quotas by default (DESIGN §3). Defaults, not maxima: AWS raises active peerings per VPC to 125 and routes
 * per table to 1,000 on request; the policy's `limits.<cloud>` or the account's applied quota say so.
 */
export const CLOUD_LIMITS: Readonly<Record<Cloud, NetworkLimits>> = {
  // AWS: 50 active peerings per VPC by default (125 max), 50 routes per route table by default.
  aws: {
    peeringsPerNetwork: 50,
    routesPerTable: 50,
    label: 'AWS default: 50 active peerings per VPC, 50 routes per table',
  },
  // Azure: 500 peerings per VNet, 400 routes per route table.
  azure: {
    peeringsPerNetwork: 500,
    routesPerTable: 400,
    label: 'Azure: 500 peerings per VNet, 400 routes per route table',
  },
  // GCP: peerings per network is a project quota, 25 by default; routes are exchanged, not written.
  gcp: { peeringsPerNetwork: 25, routesPerTable: 250, label: 'GCP default quota: 25 peerings per network' },
};

/** AWS keeps a pending request for 7 days, then it expires (one figure, shared with the policy's ttl bound). */
export { AWS_PENDING_EXPIRY_MS } from '../policy/bounds';

/**
 * The limits for a network: the applied quota its account reports (AWS Service Quotas) first, then the policy's
 * `limits.<cloud>`, then the cloud's default.
 */
export function limitsFor(index: EstateIndex, ref: NetworkRef): NetworkLimits {
  const base = CLOUD_LIMITS[ref.cloud];
  const policy = index.policy.limits[ref.cloud];
  const account = index.accounts.get(`${ref.cloud}:${ref.account}`)?.quotas;
  if (!policy && !account) return base;
  const peerings = account?.peeringsPerNetwork ?? policy?.peeringsPerNetwork ?? base.peeringsPerNetwork;
  const routes = account?.routesPerTable ?? policy?.routesPerTable ?? base.routesPerTable;
  const from = account ? `quota of account ${ref.account}` : `policy limits.${ref.cloud}`;
  return {
    peeringsPerNetwork: peerings,
    routesPerTable: routes,
    label: `${from}: ${peerings} peerings per network, ${routes} routes per table`,
  };
}
