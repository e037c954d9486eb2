import type { Connection, Deny, Policy } from '../policy/schema';

/** A hub-spoke connection that attaches spokes to a transit hub instead of peering them with hub networks. */
export type TransitConnection = Extract<Connection, { topology: 'hub-spoke' }> & { via: 'transit' };
export function isTransitConnection(c: Connection): c is TransitConnection {
  return c.topology === 'hub-spoke' && c.via === 'transit';
}

/** The two group names a connection joins (the hub first; for a mesh, the same group twice). */
export function connectionSides(c: Connection): [string, string] {
  switch (c.topology) {
    case 'hub-spoke':
      return [c.hub, c.spokes];
    case 'mesh':
      return [c.members, c.members];
    case 'pair':
      return c.between;
  }
}

function joins(a: ReadonlySet<string>, b: ReadonlySet<string>, x: string, y: string): boolean {
  return (a.has(x) && b.has(y)) || (a.has(y) && b.has(x));
}

const connectionsOfGroup = new WeakMap<Policy, Map<string, number[]>>();

/** Group name → the positions (policy order) of the connections with that group on a side; built once per policy. */
function connectionIndex(policy: Policy): Map<string, number[]> {
  let index = connectionsOfGroup.get(policy);
  if (!index) {
    index = new Map();
    policy.connections.forEach((c, i) => {
      for (const g of new Set(connectionSides(c))) {
        const list = index!.get(g);
        if (list) list.push(i);
        else index!.set(g, [i]);
      }
    });
    connectionsOfGroup.set(policy, index);
  }
  return index;
}

/**
 * The first connection (policy order) whose two sides hold the two networks' groups. Only the connections naming
 * one of the first network's groups are tried: asked once per peering, a scan of every connection was
 * O(peerings × connections) (a 1M-network organization has ~50k connections).
 */
export function matchConnection(
  policy: Policy,
  groupsA: ReadonlySet<string>,
  groupsB: ReadonlySet<string>,
): Connection | undefined {
  const index = connectionIndex(policy);
  let first = -1;
  for (const g of groupsA) {
    for (const i of index.get(g) ?? []) {
      if (first >= 0 && i >= first) break; // each list is in policy order
      const [x, y] = connectionSides(policy.connections[i]!);
      if (joins(groupsA, groupsB, x, y)) first = i;
    }
  }
  return first < 0 ? undefined : policy.connections[first];
}

/** The first deny rule covering the two networks' groups. */
export function matchDeny(
  policy: Policy,
  groupsA: ReadonlySet<string>,
  groupsB: ReadonlySet<string>,
): Deny | undefined {
  return policy.deny.find((d) => joins(groupsA, groupsB, d.between[0], d.between[1]));
}

/**
 * Which of two networks requests and which accepts when peerkeeper creates the peering:
 * the spoke asks the hub; a pair's first group asks the second; a mesh's smaller key asks.
 */
export function isRequesterFirst(c: Connection, groupsA: ReadonlySet<string>, keyA: string, keyB: string): boolean {
  switch (c.topology) {
    case 'hub-spoke': {
      const aSpoke = groupsA.has(c.spokes);
      return aSpoke !== groupsA.has(c.hub) ? aSpoke : keyA < keyB;
    }
    case 'pair':
      return groupsA.has(c.between[0]);
    case 'mesh':
      return keyA < keyB;
  }
}
