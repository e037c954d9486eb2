import { networkKey, type Observation, type Peering } from '../model';

/**
 * Adds declared requests (peerings we cannot see) to an observation as `requested` peerings, so the planner
 * judges them like any other request. Only requests towards a network this observation holds count (the accept
 * happens there), and only while no observed peering joins the same two networks: once our half exists, or the
 * partner's half shows up, the real peering speaks for the pair.
 */
export function withDeclaredRequests(observation: Observation, declared: readonly Peering[]): Observation {
  const observed = new Set(observation.networks.map((n) => networkKey(n.ref)));
  const pair = (p: Peering) => [networkKey(p.requester), networkKey(p.accepter)].sort().join('|');
  const joined = new Set(observation.peerings.filter((p) => p.state === 'requested' || p.state === 'active').map(pair));
  const ids = new Set(observation.peerings.map((p) => `${p.cloud}:${p.id}`));
  const added = declared.filter(
    (p) => observed.has(networkKey(p.accepter)) && !joined.has(pair(p)) && !ids.has(`${p.cloud}:${p.id}`),
  );
  return added.length === 0 ? observation : { ...observation, peerings: [...observation.peerings, ...added] };
}
