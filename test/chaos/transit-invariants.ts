import type { Attachment, Estate, TransitRoute } from '../../shared/model';
import { networkKey } from '../../shared/model';
import type { Policy } from '../../shared/policy/schema';
import { rangesOverlap, TransitTruth, type DeclaredHub } from '../support/transit-truth';
import type { Violation } from './invariants';

const routing = (a: Attachment) => JSON.stringify([a.association ?? null, [...a.propagations].sort()]);
const staticRoutes = (routes: readonly TransitRoute[]) =>
  routes
    .filter((r) => r.origin === 'static')
    .map((r) => JSON.stringify([r.destination, r.target, r.state ?? 'active']))
    .sort()
    .join('\n');

/**
 * Attachments peerkeeper does not own keep their state and routing: only a request may be decided (accepted when a
 * transit connection wants its network, judged by `cameUp`; rejected otherwise). Never deleted, never re-routed.
 */
function foreignAttachments(before: Estate, after: Estate, out: Violation[]): void {
  const later = new Map((after.attachments ?? []).map((a) => [a.id, a]));
  for (const a of before.attachments ?? []) {
    if (TransitTruth.ours(a)) continue;
    const b = later.get(a.id);
    const what = `attachment ${a.id} of ${networkKey(a.network)} (not peerkeeper's, ${a.state})`;
    if (!b) out.push({ invariant: 'unmanaged-untouched', detail: `${what} was deleted` });
    else if (b.state !== a.state && !(a.state === 'requested' && (b.state === 'rejected' || b.state === 'active')))
      out.push({ invariant: 'unmanaged-untouched', detail: `${what} went ${a.state} → ${b.state}` });
    else if (a.state === 'active' && routing(a) !== routing(b))
      out.push({ invariant: 'unmanaged-untouched', detail: `${what} was re-routed: ${routing(a)} → ${routing(b)}` });
  }
}

/**
 * An attachment that came up during the scenario (active at the end, not at the start) joins a network a transit
 * connection of its hub wants, without a human only where the connection is `auto` (chaos has no approvers), and
 * overlaps nothing the hub routed at the start (but its own attachment's routes), nothing it reaches in another
 * cloud, and no other attachment that came up on the same hub.
 */
function cameUp(truth: TransitTruth, before: Estate, after: Estate, out: Violation[]): void {
  const wasActive = new Set((before.attachments ?? []).filter((a) => a.state === 'active').map((a) => a.id));
  const up: { a: Attachment; hub: DeclaredHub; ranges: string[] }[] = [];
  for (const a of after.attachments ?? []) {
    if (a.state !== 'active' || wasActive.has(a.id)) continue;
    const what = `attachment ${a.id} of ${networkKey(a.network)} came up`;
    const hub = truth.hubOf(a.hub);
    if (!hub) {
      out.push({ invariant: 'forbidden-attachment', detail: `${what} on undeclared hub ${a.hub.id}` });
      continue;
    }
    const wanting = truth.wanting(hub, a.network);
    if (wanting.length === 0)
      out.push({ invariant: 'forbidden-attachment', detail: `${what}, in no transit connection of ${hub.name}` });
    else if (!wanting.some((c) => c.approval === 'auto'))
      out.push({ invariant: 'forbidden-attachment', detail: `${what} without the approval its connection requires` });
    const ranges = truth.network(a.network)?.cidrs ?? [];
    for (const held of truth.hubRanges(hub, a.id)) {
      const hit = rangesOverlap(ranges, [held.range]);
      if (hit)
        out.push({ invariant: 'overlapping-links', detail: `${what}: ${hit} overlap ${held.to} on ${hub.name}` });
    }
    const reached = rangesOverlap(ranges, truth.reachedRanges(hub));
    if (reached)
      out.push({ invariant: 'overlapping-links', detail: `${what}: ${reached} overlap a range ${hub.name} reaches` });
    for (const other of up) {
      const hit = other.hub === hub ? rangesOverlap(ranges, other.ranges) : undefined;
      if (hit) out.push({ invariant: 'overlapping-links', detail: `${what} with ${other.a.id}: ${hit} overlap` });
    }
    up.push({ a, hub, ranges });
  }
}

/** No hub static route is written or removed; a route toward a hub is added only where the network is attached. */
function hubRoutes(truth: TransitTruth, before: Estate, after: Estate, out: Violation[]): void {
  for (const h of after.transitHubs ?? []) {
    const was = (before.transitHubs ?? []).find((x) => x.ref.id === h.ref.id);
    for (const t of h.routeTables) {
      const old = was?.routeTables.find((x) => x.id === t.id);
      if (staticRoutes(old?.routes ?? []) !== staticRoutes(t.routes))
        out.push({ invariant: 'hub-routes', detail: `static routes of ${h.ref.id} ${t.id} changed` });
    }
  }
  for (const n of after.networks) {
    const was = before.networks.find((x) => networkKey(x.ref) === networkKey(n.ref));
    for (const t of n.routeTables) {
      const old = new Set(
        (was?.routeTables.find((x) => x.id === t.id)?.routes ?? []).map(
          (r) => `${r.destination}>${JSON.stringify(r.target)}`,
        ),
      );
      for (const r of t.routes) {
        if (r.target.kind !== 'other' || old.has(`${r.destination}>${JSON.stringify(r.target)}`)) continue;
        const hub = truth.hubNamed(r.target.id);
        if (hub && !truth.activeOn(hub, n.ref, after.attachments ?? []))
          out.push({
            invariant: 'hub-routes',
            detail: `${networkKey(n.ref)} ${t.id}: ${r.destination} → ${hub.name} written with no active attachment to it`,
          });
      }
    }
  }
}

/** The transit invariants of one finished scenario (issue 17). */
export function transitInvariants(r: { policy: Policy; before: Estate; after: Estate }, out: Violation[]): void {
  if (!r.before.attachments?.length && !r.after.attachments?.length && !r.before.transitHubs?.length) return;
  const truth = new TransitTruth(r.policy, r.before);
  foreignAttachments(r.before, r.after, out);
  cameUp(truth, r.before, r.after, out);
  hubRoutes(truth, r.before, r.after, out);
}
