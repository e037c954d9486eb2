import type { Action, Network } from '../../model';
import type { EstateIndex } from '../estate-index';
import { describeNetwork, selectTables } from '../estate-index';
import { limitsFor } from '../limits';

/** The share of a quota past which `plan` says how close a connection is (and suggests a transit hub beyond it). */
const NEAR = 0.8;

function advise(
  c: { name: string },
  hub: Network,
  what: string,
  needed: number,
  limit: number,
  label: string,
  index: EstateIndex,
): Action | undefined {
  if (needed < limit * NEAR) return undefined;
  const over = needed > limit;
  return {
    action: 'report',
    cloud: hub.ref.cloud,
    severity: over ? 'warning' : 'info',
    connection: c.name,
    target: { subject: `${c.name} quota ${what}`, networks: [hub.ref] },
    reason: over
      ? `${c.name}: needs ${needed} ${what} on hub ${describeNetwork(index, hub.ref)}, over the quota of ${limit} (${label}); move it to a transit hub (via: transit)`
      : `${c.name}: uses ${needed} of ${limit} ${what} on hub ${describeNetwork(index, hub.ref)} (${label}); a transit hub (via: transit) lifts the limit`,
  };
}

/**
 * When to move (issue 17): per hub-spoke connection by peering, how close each hub network comes to the peering and
 * route quotas, and a suggestion to attach the spokes to a transit hub when the connection would exceed them.
 */
export function transitAdvice(index: EstateIndex): Action[] {
  const out: Action[] = [];
  for (const c of index.policy.connections) {
    if (c.topology !== 'hub-spoke' || c.via === 'transit') continue;
    const spokes = index.members.get(c.spokes) ?? [];
    for (const hub of index.members.get(c.hub) ?? []) {
      const peers = spokes.filter((s) => s !== hub && s.ref.cloud === hub.ref.cloud);
      if (peers.length === 0) continue;
      const limits = limitsFor(index, hub.ref);
      const peerings = advise(c, hub, 'peerings', peers.length, limits.peeringsPerNetwork, limits.label, index);
      if (peerings) out.push(peerings);
      if (hub.ref.cloud === 'gcp') continue; // GCP exchanges routes itself
      const ranges = peers.reduce((n, s) => n + s.cidrs.length, 0);
      const others = Math.max(
        0,
        ...selectTables(hub, c.routes.tables).map((t) => t.routes.filter((r) => r.target.kind !== 'peering').length),
      );
      const routes = advise(c, hub, 'routes per table', others + ranges, limits.routesPerTable, limits.label, index);
      if (routes) out.push(routes);
    }
  }
  return out;
}
