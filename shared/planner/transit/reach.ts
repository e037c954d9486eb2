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
}

/** The reaches a hub declares, each with its observed interconnect and the networks of its groups. */
export function reachesOf(index: EstateIndex, view: HubView): Reach[] {
  return view.decl.reaches.map((r) => {
    const interconnect = view.observed?.interconnects.find((i) => i.id === r.through || i.name === r.through);
    const networks = [...new Set(r.groups.flatMap((g) => index.members.get(g) ?? []))].filter(
      (n) => n.ref.cloud !== view.decl.cloud,
    );
    return {
      through: r.through,
      ...(interconnect ? { interconnect } : {}),
      ...(r.via ? { farHub: r.via } : {}),
      groups: r.groups,
      networks,
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
