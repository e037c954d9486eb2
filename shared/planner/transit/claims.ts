import { type Cidr, cidrsOverlap, tryParseCidr } from '../../cidr';
import type { Network } from '../../model';
import { networkKey } from '../../model';
import type { EstateIndex } from '../estate-index';
import { describeNetwork, groupsOfRef } from '../estate-index';
import { matchDeny } from '../connections';
import { isWholeSpace } from '../obstacles';
import type { HubView } from './hubs';

/** A range a hub already routes (or this plan gives a spoke), and who holds it: what a new spoke may not overlap. */
export interface RangeClaim {
  range: Cidr;
  text: string;
  /** In words, for reasons: `propagated route in tgw-rtb-1 to tgw-attach-9`, `spoke aws 2222…/vpc-b`. */
  holder: string;
  /** The attachment whose range it is (a spoke never conflicts with its own routes). */
  attachmentId?: string;
  /** The network whose range it is, when a spoke of this plan holds it. */
  network?: Network;
}

/** Everything the hub's route tables hold: propagated spoke ranges and static routes someone wrote (DESIGN §11). */
export function hubClaims(view: HubView): RangeClaim[] {
  const out: RangeClaim[] = [];
  for (const table of view.observed?.routeTables ?? []) {
    for (const route of table.routes) {
      const range = tryParseCidr(route.destination);
      if (!range || range.prefix === 0) continue;
      const to = route.target.kind === 'attachment' ? route.target.attachmentId : route.target.id;
      out.push({
        range,
        text: route.destination,
        holder: `${route.origin} route ${route.destination} in ${table.id} to ${to}`,
        ...(route.target.kind === 'attachment' ? { attachmentId: route.target.attachmentId } : {}),
      });
    }
  }
  return out;
}

/** Why a spoke may not be attached, or undefined when it may. */
export function attachRefusal(
  index: EstateIndex,
  network: Network,
  claims: readonly RangeClaim[],
  ownAttachment: string | undefined,
  admitted: readonly Network[],
): string | undefined {
  const name = describeNetwork(index, network.ref);
  if (network.cidrs.length === 0) return `${name} has no ranges`;
  for (const cidr of network.cidrs) {
    if (isWholeSpace(cidr)) return `${name} announces the whole address space ${cidr}`;
    const range = tryParseCidr(cidr);
    if (!range) return `${name} has a range that is not a CIDR: ${cidr}`;
    for (const claim of claims) {
      if (claim.attachmentId !== undefined && claim.attachmentId === ownAttachment) continue;
      if (claim.network && networkKey(claim.network.ref) === networkKey(network.ref)) continue;
      if (cidrsOverlap(range, claim.range)) return `${cidr} of ${name} overlaps ${claim.text} (${claim.holder})`;
    }
  }
  const groups = groupsOfRef(index, network.ref);
  for (const other of admitted) {
    if (networkKey(other.ref) === networkKey(network.ref)) continue;
    const deny = matchDeny(index.policy, groups, groupsOfRef(index, other.ref));
    if (deny)
      return `deny ${deny.between.join(' ↔ ')}: ${deny.reason} (${describeNetwork(index, other.ref)} is on the same hub)`;
  }
  return undefined;
}

/** The claims a spoke makes once admitted: its ranges, held by it. */
export function spokeClaims(index: EstateIndex, network: Network): RangeClaim[] {
  return network.cidrs.flatMap((text) => {
    const range = tryParseCidr(text);
    return range ? [{ range, text, holder: `spoke ${describeNetwork(index, network.ref)}`, network }] : [];
  });
}
