import type { Attachment, NetworkRef, Observation, TransitHub } from '../../shared/model';
import type { Partition } from '../../shared/providers/port';
import type { ReadFault } from './partial-reads';

const covers = (p: Partition, ref: NetworkRef) =>
  p.cloud === ref.cloud &&
  (p.account === '*' || p.account === ref.account) &&
  (p.region === undefined || p.region === ref.region);

/** Keeps the first `share` of a list: page 1 arrived, page 2 did not. */
function prefix<T>(items: readonly T[], share: number | undefined): Set<T> {
  return new Set(items.slice(0, Math.floor(items.length * (share ?? 0.5))));
}

/**
 * The transit part of an observation with these reads failed, as the adapters return it (issue 17). A hub is listed
 * by its own partition (DescribeTransitGateways and its route tables): a failed read loses it, a truncated one keeps
 * a prefix of its route tables. An attachment is listed by the hub's partition (the owner's view, with its
 * association and propagations) and by its network's partition (the spoke's view, without them): it is seen when one
 * of those listings arrived, and seen from the spoke's side alone it comes without routing.
 */
export function transitWithFaults(
  full: Observation,
  faults: readonly ReadFault[],
  governed: readonly Partition[],
): Pick<Observation, 'transitHubs' | 'attachments'> {
  const failing = (ref: NetworkRef, call: ReadFault['call']) =>
    faults.filter((f) => (f.call === call || f.call === 'AssumeRole') && covers(f.partition, ref));
  const transitHubs = (full.transitHubs ?? []).flatMap((h): TransitHub[] => {
    const f = failing(h.ref, 'DescribeTransitGateways');
    if (f.length === 0) return [h];
    if (!f.every((x) => x.kind === 'truncated' && x.call !== 'AssumeRole')) return [];
    const kept = prefix(h.routeTables, Math.min(...f.map((x) => x.keep ?? 0.5)));
    return [{ ...h, routeTables: h.routeTables.filter((t) => kept.has(t)) }];
  });
  const all = full.attachments ?? [];
  const listedBy = (a: Attachment) => [a.hub, a.network].filter((ref) => governed.some((g) => covers(g, ref)));
  const seenFrom = (a: Attachment, ref: NetworkRef) =>
    failing(ref, 'DescribeTransitGatewayAttachments').every(
      (f) =>
        f.kind === 'truncated' &&
        f.call !== 'AssumeRole' &&
        prefix(
          all.filter((b) => listedBy(b).some((r) => covers(f.partition, r))),
          f.keep,
        ).has(a),
    );
  const attachments = all.flatMap((a): Attachment[] => {
    if (seenFrom(a, a.hub) || !listedBy(a).includes(a.hub)) return listedBy(a).some((r) => seenFrom(a, r)) ? [a] : [];
    if (!seenFrom(a, a.network)) return [];
    // The spoke's account sees its attachment, not the hub owner's route tables.
    const { association: _owner, ...spokeView } = a;
    return [{ ...spokeView, propagations: [] }];
  });
  return {
    ...(transitHubs.length ? { transitHubs } : {}),
    ...(attachments.length ? { attachments } : {}),
  };
}
