import { tryParseCidr } from '../cidr';
import type { NetworkRef, Observation, Peering, Scope } from '../model';
import { networkKey } from '../model';
import type { Partition } from '../providers/port';

const norm = (cidr: string) => tryParseCidr(cidr)?.text ?? cidr;

/** The live peerings of the first observation that the scope is about. */
function relevantPeerings(
  scope: Exclude<Scope, { kind: 'estate' }>,
  observation: Observation,
  nearSide: ReadonlySet<string>,
): Peering[] {
  const live = observation.peerings.filter((p) => p.state === 'active' || p.state === 'requested');
  switch (scope.kind) {
    case 'peering':
      return live.filter((p) => p.id === scope.peeringId);
    case 'network': {
      const id = scope.network.id.toLowerCase();
      const touches = (r: NetworkRef) => r.account === scope.network.account && r.id.toLowerCase() === id;
      return live.filter((p) => touches(p.requester) || touches(p.accepter));
    }
    case 'account':
      return live.filter((p) => [p.requester, p.accepter].some((r) => r.account === scope.account));
    case 'route-table': {
      const table = observation.networks
        .flatMap((n) => n.routeTables)
        .find((t) => t.id.toLowerCase() === scope.routeTableId.toLowerCase());
      if (!table) return [];
      const owner = networkKey(table.network);
      const via = new Map(
        table.routes.map((r) => [norm(r.destination), r.target.kind === 'peering' ? r.target.peeringId : undefined]),
      );
      // Only links whose routes in this table are not as they should be: a converged link needs no far-side read.
      // Nor does a link the planner restores from this side alone (near-side.ts) when its only drift is a route
      // pointed elsewhere: a missing route (to create) or a stale one (to delete) still needs both sides.
      return live.filter((p) => {
        const mine =
          networkKey(p.requester) === owner ? 'requester' : networkKey(p.accepter) === owner ? 'accepter' : undefined;
        if (!mine) return false;
        const far = (mine === 'requester' ? p.accepterCidrs : p.requesterCidrs) ?? [];
        // The half says nothing of the far ranges (Azure and GCP halves): only a read of the far side can judge.
        if (far.length === 0) return true;
        const repointed = far.some((c) => via.has(norm(c)) && via.get(norm(c)) !== p.id);
        const missing = far.some((c) => !via.has(norm(c)));
        const stale = table.routes.some(
          (r) =>
            r.target.kind === 'peering' &&
            r.target.peeringId === p.id &&
            !far.some((c) => norm(c) === norm(r.destination)),
        );
        if (nearSide.has(p.id) && !missing && !stale) return false;
        return repointed || missing || stale;
      });
    }
  }
}

/**
 * The governed accounts on the far side of the scope's peerings that the first observation did not read.
 * A scoped reconcile reads them too, so it judges a drifted route or a peering with both sides in view
 * (DESIGN §1: re-read live state for the scope) instead of leaving it to the sweep. `nearSide` names the links a
 * route-table plan restores from the near side alone (planner `linksRestoredFromNearSide`): their far side is
 * read only when a route of theirs is missing or stale, which one side cannot judge.
 */
export function farSidePartitions(
  scope: Scope,
  observation: Observation,
  observed: readonly Partition[],
  isGoverned: (cloud: NetworkRef['cloud'], account: string) => boolean,
  nearSide: ReadonlySet<string> = new Set(),
): Partition[] {
  if (scope.kind === 'estate') return [];
  const seen = new Set(observation.networks.map((n) => networkKey(n.ref)));
  const covered = (r: NetworkRef) =>
    observed.some(
      (p) =>
        p.cloud === r.cloud &&
        p.account.toLowerCase() === r.account.toLowerCase() &&
        (!p.region || p.region === r.region),
    );
  const out = new Map<string, Partition>();
  for (const p of relevantPeerings(scope, observation, nearSide)) {
    for (const side of [p.requester, p.accepter]) {
      if (seen.has(networkKey(side)) || covered(side) || !isGoverned(side.cloud, side.account)) continue;
      const part: Partition =
        side.cloud === 'gcp' || side.region === '*' || side.region === 'unknown'
          ? { cloud: side.cloud, account: side.account }
          : { cloud: side.cloud, account: side.account, region: side.region };
      out.set(`${part.cloud}:${part.account}:${part.region ?? '*'}`, part);
    }
  }
  return [...out.values()];
}
