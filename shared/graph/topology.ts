import type { Action, Cloud, NetworkRef, Observation, PeeringState, Plan } from '../model';
import { CONNECTION_TAG, MANAGED_TAG, isAttachmentAction, networkKey } from '../model';
import { countChanges } from '../planner';

/** How an edge of the picture stands: a peering's state, or `planned` for one the plan would create. */
export type EdgeState = PeeringState | 'planned';

/** One network in the picture. */
export interface TopologyNode {
  key: string;
  cloud: Cloud;
  account: string;
  accountName?: string;
  region: string;
  label: string;
  cidrs: string[];
  /**
   * Not observed: the far side of a peering in an account peerkeeper does not read (a partner, a stranger). Its
   * CIDRs are the ones the peering announced.
   */
  external: boolean;
  /** Route changes the plan wants in this network's tables (drift: missing, replaced or stray routes). */
  routeDrift: number;
  /** A transit hub (TGW, Virtual WAN hub, NCC hub) rather than a network: attachments end here. */
  hub?: boolean;
}

/** One peering (or planned peering) between two networks. */
export interface TopologyEdge {
  id: string;
  cloud: Cloud;
  from: string;
  to: string;
  state: EdgeState;
  /** Ours: tagged by peerkeeper, or wanted by a connection of the policy. Anything else is drawn as unmanaged. */
  managed: boolean;
  /** The policy connection it serves (from its tag or the plan), when there is one. */
  connection?: string;
  /** What the plan would do to it (`create-peering`, `accept-peering`, `reject-peering`, …); empty when converged. */
  drift: string[];
  /** A chat approval is open for it. */
  pendingApproval: boolean;
  /** An attachment of a network to a transit hub, rather than a peering. */
  attachment?: boolean;
}

/** Accounts of one cloud, each with its networks, in a stable order. */
export interface TopologyAccount {
  cloud: Cloud;
  account: string;
  name?: string;
  nodes: TopologyNode[];
}

/** The whole picture: what the renderers (Mermaid, SVG) draw. */
export interface Topology {
  accounts: TopologyAccount[];
  edges: TopologyEdge[];
  /** Number of changes the plan holds, counted as `plan` counts them (0 = converged). */
  changes: number;
}

/** Input of `buildTopology`: the observation, the plan made from it, and where approvals stand by peering id. */
export interface TopologyInput {
  observation: Observation;
  plan?: Plan;
  approvals?: ReadonlyMap<string, string>;
}

const CLOUD_ORDER: Record<Cloud, number> = { aws: 0, azure: 1, gcp: 2 };

function shortId(ref: NetworkRef): string {
  // Azure ids are full resource ids; the last segment is the VNet name.
  const last = ref.id.split('/').filter(Boolean).pop();
  return last ?? ref.id;
}

/** The observation's transit hubs as nodes and their attachments as edges (deleted ones are gone). */
function addTransit(
  observation: Observation,
  ensure: (ref: NetworkRef, name?: string, cidrs?: string[], external?: boolean) => string,
  edges: Map<string, TopologyEdge>,
  byPair: Map<string, TopologyEdge>,
): void {
  for (const hub of observation.transitHubs ?? []) ensure(hub.ref, hub.name, [], false);
  for (const a of observation.attachments ?? []) {
    if (a.state === 'deleted') continue;
    const connection = a.tags[CONNECTION_TAG];
    const edge: TopologyEdge = {
      id: a.id,
      cloud: a.cloud,
      from: ensure(a.network),
      to: ensure(a.hub),
      // Between requested and active there is no peering word: a pending attachment is drawn as requested.
      state: a.state === 'pending' ? 'requested' : a.state,
      managed: a.tags[MANAGED_TAG] === 'true',
      drift: [],
      pendingApproval: false,
      attachment: true,
      ...(connection ? { connection } : {}),
    };
    edges.set(`${a.cloud}:${a.id}`, edge);
    const pk = pairKey(edge.from, edge.to);
    if (!byPair.has(pk) || edge.state === 'active' || edge.state === 'requested') byPair.set(pk, edge);
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * Derives the picture from one observation and the plan made from it: networks grouped by cloud and account,
 * peerings with their state, drift from the plan's actions (a peering action marks its edge, a route action
 * its network) and open approvals. Pure: same inputs, same picture.
 */
export function buildTopology(input: TopologyInput): Topology {
  const { observation } = input;
  const actions: Action[] = input.plan?.actions ?? [];
  const accountNames = new Map(observation.accounts.map((a) => [`${a.cloud}:${a.account}`, a.name]));
  const nodes = new Map<string, TopologyNode>();
  const ensure = (ref: NetworkRef, name?: string, cidrs: string[] = [], external = true): string => {
    const key = networkKey(ref);
    const known = nodes.get(key);
    if (!known) {
      const accountName = accountNames.get(`${ref.cloud}:${ref.account}`);
      nodes.set(key, {
        key,
        cloud: ref.cloud,
        account: ref.account,
        region: ref.region,
        label: name ?? shortId(ref),
        cidrs: [...cidrs],
        external,
        routeDrift: 0,
        ...(accountName ? { accountName } : {}),
      });
    } else if (known.external) for (const c of cidrs) if (!known.cidrs.includes(c)) known.cidrs.push(c);
    return key;
  };
  for (const n of observation.networks) ensure(n.ref, n.name, n.cidrs, false);
  const hubKeys = new Set((observation.transitHubs ?? []).map((h) => networkKey(h.ref)));
  // Hubs the plan names but the observation does not hold (an approval asked before the hub was read) are hubs too.
  for (const a of actions) {
    if (isAttachmentAction(a)) hubKeys.add(networkKey(a.target.hub));
    if (a.action === 'request-approval' && a.link === 'attachment') hubKeys.add(networkKey(a.target.accepter));
  }

  const edges = new Map<string, TopologyEdge>();
  const byPair = new Map<string, TopologyEdge>();
  for (const p of observation.peerings) {
    if (p.state === 'deleted') continue;
    const connection = p.tags[CONNECTION_TAG];
    const edge: TopologyEdge = {
      id: p.id,
      cloud: p.cloud,
      from: ensure(p.requester, undefined, p.requesterCidrs),
      to: ensure(p.accepter, undefined, p.accepterCidrs),
      state: p.state,
      managed: p.tags[MANAGED_TAG] === 'true',
      drift: [],
      pendingApproval: input.approvals?.get(p.id) === 'pending',
      ...(connection ? { connection } : {}),
    };
    edges.set(`${p.cloud}:${p.id}`, edge);
    // A live peering speaks for the pair over a rejected or failed one.
    const pk = pairKey(edge.from, edge.to);
    if (!byPair.has(pk) || edge.state === 'active' || edge.state === 'requested') byPair.set(pk, edge);
  }

  addTransit(observation, ensure, edges, byPair);

  for (const action of actions) {
    if (action.action === 'report') continue;
    if ('routeTableId' in action.target) {
      const node = nodes.get(ensure(action.target.network));
      if (node) node.routeDrift += 1;
      continue;
    }
    const target = isAttachmentAction(action)
      ? { id: action.target.id, requester: action.target.network, accepter: action.target.hub }
      : action.target;
    const from = ensure(target.requester);
    const to = ensure(target.accepter);
    let edge = (target.id ? edges.get(`${action.cloud}:${target.id}`) : undefined) ?? byPair.get(pairKey(from, to));
    if (!edge) {
      edge = {
        id: target.id ?? `planned:${from}->${to}`,
        cloud: action.cloud,
        from,
        to,
        state: 'planned',
        managed: true,
        drift: [],
        pendingApproval: false,
        ...(isAttachmentAction(action) || (action.action === 'request-approval' && action.link === 'attachment')
          ? { attachment: true }
          : {}),
      };
      edges.set(`${action.cloud}:${edge.id}`, edge);
      byPair.set(pairKey(from, to), edge);
    }
    // A connection that acts on a peering (accepts it, fixes it, asks about it) wants it: the peering is ours.
    if (action.connection && !edge.connection) edge.connection = action.connection;
    if (
      action.connection &&
      !['reject-peering', 'delete-peering', 'reject-attachment', 'delete-attachment'].includes(action.action)
    )
      edge.managed = true;
    if (action.action === 'request-approval') edge.pendingApproval = true;
    else edge.drift.push(action.action);
  }

  // A request waiting for a human is peerkeeper's to decide: drawn like its own links, not as one it leaves alone.
  for (const edge of edges.values()) if (edge.pendingApproval) edge.managed = true;

  for (const key of hubKeys) {
    const node = nodes.get(key);
    if (node) node.hub = true;
  }
  const accounts = new Map<string, TopologyAccount>();
  for (const node of [...nodes.values()].sort(
    (a, b) =>
      CLOUD_ORDER[a.cloud] - CLOUD_ORDER[b.cloud] ||
      a.account.localeCompare(b.account) ||
      a.label.localeCompare(b.label),
  )) {
    const k = `${node.cloud}:${node.account}`;
    let account = accounts.get(k);
    if (!account) {
      account = {
        cloud: node.cloud,
        account: node.account,
        nodes: [],
        ...(node.accountName ? { name: node.accountName } : {}),
      };
      accounts.set(k, account);
    }
    account.nodes.push(node);
  }
  const sortedEdges = [...edges.values()].sort(
    (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.id.localeCompare(b.id),
  );
  return {
    accounts: [...accounts.values()],
    edges: sortedEdges,
    changes: input.plan ? countChanges(input.plan).changes : 0,
  };
}
