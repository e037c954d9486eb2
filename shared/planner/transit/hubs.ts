import type { Attachment, AttachmentRouting, Cloud, Observation, TransitHub, TransitHubRef } from '../../model';
import { isLiveAttachment, networkKey } from '../../model';
import { networksInGroup } from '../../policy/groups';
import type { Policy, TransitHubDecl } from '../../policy/schema';
import type { TransitConnection } from '../connections';
import { isTransitConnection } from '../connections';

/** A declared transit hub with what the observation holds of it. */
export interface HubView {
  name: string;
  decl: TransitHubDecl;
  ref: TransitHubRef;
  /** Absent when the hub's partition was read and it is not there, or was not read. */
  observed?: TransitHub;
  /** Every attachment to the hub (any state), as observed. */
  attachments: Attachment[];
}

const lastSegment = (id: string) => id.split('/').pop() ?? id;

/** The ref of a declared hub: the observed id when seen (full ids), else as declared. */
function refOf(decl: TransitHubDecl, observed: TransitHub | undefined): TransitHubRef {
  return observed?.ref ?? { cloud: decl.cloud, account: decl.account, region: decl.region, id: decl.id };
}

/** Keys a hub is found by: its full id, and (account, short name) for a policy naming a hub by its short name. */
function hubKeys(ref: TransitHubRef): string[] {
  const fold = (s: string) => (ref.cloud === 'azure' ? s.toLowerCase() : s);
  return [`${ref.cloud}|${fold(ref.id)}`, `${ref.cloud}|${fold(ref.account)}|${fold(lastSegment(ref.id))}`];
}

function declKey(decl: TransitHubDecl): string {
  const fold = (s: string) => (decl.cloud === 'azure' ? s.toLowerCase() : s);
  return decl.id.includes('/')
    ? `${decl.cloud}|${fold(decl.id)}`
    : `${decl.cloud}|${fold(decl.account)}|${fold(decl.id)}`;
}

/** Whether an observed hub is the declared one (a Virtual WAN or NCC hub may be declared by its short name). */
export function isDeclaredHub(decl: TransitHubDecl, ref: TransitHubRef): boolean {
  return hubKeys(ref).includes(declKey(decl));
}

/** Every declared hub with its observed state, in policy order. Indexed once: O(hubs + attachments). */
export function hubViews(policy: Policy, observation: Observation): HubView[] {
  const hubs = new Map<string, TransitHub>();
  for (const h of observation.transitHubs ?? []) for (const k of hubKeys(h.ref)) if (!hubs.has(k)) hubs.set(k, h);
  const attached = new Map<string, Attachment[]>();
  for (const a of observation.attachments ?? [])
    for (const k of hubKeys(a.hub)) {
      const list = attached.get(k);
      if (list) list.push(a);
      else attached.set(k, [a]);
    }
  return Object.entries(policy.transitHubs).map(([name, decl]) => {
    const key = declKey(decl);
    const observed = hubs.get(key);
    const attachments = attached.get(key) ?? [];
    return { name, decl, ref: refOf(decl, observed), ...(observed ? { observed } : {}), attachments };
  });
}

/** The routing a connection's spokes must have on a hub: associated as declared, propagating as declared. */
export function declaredRouting(decl: TransitHubDecl, connection: TransitConnection): AttachmentRouting {
  const exclude = connection.attachment?.excludeExportRanges;
  return {
    association: decl.associate,
    // NCC has no propagation: a spoke's ranges reach every spoke of the hub's route table.
    propagations: decl.cloud === 'gcp' ? [] : [...(decl.propagate ?? [decl.associate])].sort(),
    ...(decl.labels ? { labels: [...decl.labels].sort() } : {}),
    ...(exclude ? { exportFilters: { exclude: [...exclude].sort() } } : {}),
  };
}

/** The routing an attachment has, in the same shape (sorted), for comparison. */
export function observedRouting(a: Attachment): AttachmentRouting {
  return {
    ...(a.association ? { association: a.association } : {}),
    propagations: [...a.propagations].sort(),
    ...(a.labels ? { labels: [...a.labels].sort() } : {}),
    ...(a.exportFilters?.exclude ? { exportFilters: { exclude: [...a.exportFilters.exclude].sort() } } : {}),
  };
}

/** Whether an attachment's routing is as declared (only what the declaration names; Azure names without case). */
export function routingMatches(want: AttachmentRouting, have: AttachmentRouting, cloud: Cloud): boolean {
  const fold = (x: string | undefined) => (cloud === 'azure' ? x?.toLowerCase() : x);
  const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
    (a ?? []).map(fold).sort().join() === (b ?? []).map(fold).sort().join();
  return (
    fold(want.association) === fold(have.association) &&
    same(want.propagations, have.propagations) &&
    (want.labels === undefined || same(want.labels, have.labels)) &&
    (want.exportFilters === undefined || same(want.exportFilters.exclude, have.exportFilters?.exclude))
  );
}

/** The transit connections that attach spokes to a hub, in policy order. */
export function connectionsOfHub(policy: Policy, hubName: string): TransitConnection[] {
  return policy.connections.filter((c): c is TransitConnection => isTransitConnection(c) && c.hub === hubName);
}

/** The live attachment of a network to a hub, the active one first. */
export function liveAttachmentOf(view: HubView, networkRefKey: string): Attachment | undefined {
  const live = view.attachments.filter((a) => isLiveAttachment(a.state) && networkKey(a.network) === networkRefKey);
  return live.find((a) => a.state === 'active') ?? live[0];
}

/** The id an approval for attaching a network (before any attachment exists) is kept under. */
export function attachApprovalId(networkRefKey: string, hub: TransitHubRef): string {
  return `attach:${networkRefKey}@${hub.id}`;
}

/**
 * The approval ids the planner may ask about for transit links: each pending attachment, and each spoke of a
 * chat-approved transit connection that has no attachment yet (approved before it is created).
 */
export function attachApprovalKeys(
  policy: Policy,
  observation: Observation,
): { cloud: TransitHubRef['cloud']; id: string; state: 'requested' }[] {
  const out: { cloud: TransitHubRef['cloud']; id: string; state: 'requested' }[] = [];
  for (const view of hubViews(policy, observation)) {
    for (const a of view.attachments)
      if (a.state === 'requested') out.push({ cloud: a.cloud, id: a.id, state: 'requested' });
    for (const c of connectionsOfHub(policy, view.name)) {
      if (c.approval !== 'chat') continue;
      const group = policy.groups[c.spokes];
      for (const n of group ? networksInGroup(group, observation) : [])
        if (!liveAttachmentOf(view, networkKey(n.ref)))
          out.push({ cloud: view.ref.cloud, id: attachApprovalId(networkKey(n.ref), view.ref), state: 'requested' });
    }
  }
  return out;
}
