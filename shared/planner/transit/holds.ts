import type { Action, TransitHubRef, UnreadPartition } from '../../model';
import type { EstateIndex } from '../estate-index';
import type { Knowledge } from '../knowledge';
import type { TransitHubDecl } from '../../policy/schema';

/** Whether a ref names a declared hub: its id, or (same account) the short name a policy may use (Azure: any case). */
function isHub(decl: TransitHubDecl, ref: TransitHubRef): boolean {
  if (ref.cloud !== decl.cloud) return false;
  const fold = (s: string) => (decl.cloud === 'azure' ? s.toLowerCase() : s);
  if (fold(ref.id) === fold(decl.id)) return true;
  return (
    !decl.id.includes('/') &&
    fold(ref.id.split('/').pop()!) === fold(decl.id) &&
    fold(ref.account) === fold(decl.account)
  );
}

/** The declared hubs a ref names (a Virtual WAN or NCC hub may be declared by its short name). */
function hubsNamed(index: EstateIndex, ref: TransitHubRef) {
  return Object.entries(index.policy.transitHubs).filter(([, decl]) => isHub(decl, ref));
}

/** Unread partitions of the groups a hub reaches in other clouds: a spoke may not overlap what they hold. */
function reachedUnread(index: EstateIndex, knowledge: Knowledge, name: string): UnreadPartition[] {
  const decl = index.policy.transitHubs[name];
  return (decl?.reaches ?? []).flatMap((r) => r.groups.flatMap((g) => knowledge.unreadInGroup(index.policy.groups[g])));
}

/**
 * What a transit decision reads beyond its network, its hub and its own spokes group (holds.ts), DESIGN §11:
 * - attaching, accepting, rejecting or deleting reads the groups the hub reaches in other clouds (their ranges are
 *   claims a spoke may not overlap);
 * - a route toward a hub reads the hub (which ranges it routes, over which interconnect), every spokes group of
 *   the hub and every reached group: they decide the destinations, and which of them gets a table's last slots.
 */
export function transitDependencies(action: Action, index: EstateIndex, knowledge: Knowledge): UnreadPartition[] {
  switch (action.action) {
    case 'create-attachment':
    case 'accept-attachment':
    case 'reject-attachment':
    case 'delete-attachment': {
      return hubsNamed(index, action.target.hub).flatMap(([name]) => reachedUnread(index, knowledge, name));
    }
    case 'create-route':
    case 'replace-route': {
      if (action.after.kind !== 'other') return [];
      // The next hop names the hub by the id the cloud returns (a full id where the policy may use a short name).
      const id = action.after.id;
      const cloud = action.target.network.cloud;
      const hubs = Object.entries(index.policy.transitHubs).filter(([, decl]) => isHub(decl, { ...decl, cloud, id }));
      return hubs.flatMap(([name, decl]) => [
        ...knowledge.unreadAt({ cloud: decl.cloud, account: decl.account, region: decl.region }),
        ...index.policy.connections.flatMap((c) =>
          c.topology === 'hub-spoke' && c.via === 'transit' && c.hub === name
            ? knowledge.unreadInGroup(index.policy.groups[c.spokes])
            : [],
        ),
        ...reachedUnread(index, knowledge, name),
      ]);
    }
    default:
      return [];
  }
}
