import { tryParseCidr } from '../../cidr';
import type { Interconnect, Network } from '../../model';
import type { EstateIndex } from '../estate-index';
import { describeNetwork } from '../estate-index';
import { isWholeSpace } from '../obstacles';
import type { RangeClaim } from './claims';
import type { HubView } from './hubs';

/** Another cloud's networks reached from a hub over an interconnect that already exists (never created here). */
export interface Reach {
  through: string;
  /** The observed interconnect, when the hub has it. */
  interconnect?: Interconnect;
  /** The far side's transitHubs entry, for the path a reason names. */
  farHub?: string;
  groups: readonly string[];
  networks: readonly Network[];
  /**
   * The ranges the hub's associated table routes over the interconnect (learned over BGP or written there): what it
   * carries to the other cloud. A function of one cloud cannot read the other cloud's networks; these it can.
   */
  learned: readonly string[];
}

/** The reaches a hub declares, each with its observed interconnect and the networks of its groups. */
export function reachesOf(index: EstateIndex, view: HubView): Reach[] {
  return view.decl.reaches.map((r) => {
    const interconnect = view.observed?.interconnects.find((i) => i.id === r.through || i.name === r.through);
    const networks = [...new Set(r.groups.flatMap((g) => index.members.get(g) ?? []))].filter(
      (n) => n.ref.cloud !== view.decl.cloud,
    );
    const table = view.observed?.routeTables.find((t) => t.id === view.decl.associate);
    const learned = (table?.routes ?? [])
      .filter((route) => {
        const to = route.target.kind === 'attachment' ? route.target.attachmentId : route.target.id;
        return (
          to === (interconnect?.id ?? r.through) && route.state !== 'blackhole' && !isWholeSpace(route.destination)
        );
      })
      .map((route) => route.destination);
    return {
      through: r.through,
      ...(interconnect ? { interconnect } : {}),
      ...(r.via ? { farHub: r.via } : {}),
      groups: r.groups,
      networks,
      learned,
    };
  });
}

/** The other clouds' ranges a hub reaches: a spoke overlapping one is refused, across clouds too. */
export function reachClaims(index: EstateIndex, view: HubView): RangeClaim[] {
  return reachesOf(index, view).flatMap((reach) =>
    reach.networks.flatMap((network) =>
      network.cidrs.flatMap((text) => {
        const range = tryParseCidr(text);
        if (!range || isWholeSpace(text)) return [];
        const holder = `${network.ref.cloud} ${describeNetwork(index, network.ref)} reached through ${reach.through}`;
        return [{ range, text, holder, network }];
      }),
    ),
  );
}
