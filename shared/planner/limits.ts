import type { Cloud } from '../model';

/**
 * Cloud quotas the planner respects (DESIGN §3). Defaults, not maxima: AWS raises active peerings
 * per VPC to 125 on request; a plan that stops short says which limit stopped it.
 */
export const CLOUD_LIMITS: Readonly<Record<Cloud, { peeringsPerNetwork: number; routesPerTable: number; label: string }>> = {
  // AWS: 50 active peerings per VPC by default (125 max), 50 routes per route table by default.
  aws: { peeringsPerNetwork: 50, routesPerTable: 50, label: 'AWS default: 50 active peerings per VPC, 50 routes per table' },
  // Azure: 500 peerings per VNet, 400 routes per route table.
  azure: { peeringsPerNetwork: 500, routesPerTable: 400, label: 'Azure: 500 peerings per VNet, 400 routes per route table' },
  // GCP: peerings per network is a project quota, 25 by default; routes are exchanged, not written.
  gcp: { peeringsPerNetwork: 25, routesPerTable: 250, label: 'GCP default quota: 25 peerings per network' },
};

/** AWS keeps a pending request for 7 days, then it expires. */
export const AWS_PENDING_EXPIRY_MS = 7 * 24 * 3_600_000;
