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

/** The first connection (policy order) whose two sides hold the two networks' groups. */
export function matchConnection(
  policy: Policy,
  groupsA: ReadonlySet<string>,
  groupsB: ReadonlySet<string>,
): Connection | undefined {
  return policy.connections.find((c) => {
    const [x, y] = connectionSides(c);
    return joins(groupsA, groupsB, x, y);
  });
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
