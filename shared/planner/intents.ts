import type { Network, NetworkRef, PeeringHandle } from '../model';
import type { Connection } from '../policy/schema';

/** A peering that is (or, after this plan, will be) active, and the routes each observed side needs through it. */
export interface RouteIntent {
  connection: Connection;
  handle: PeeringHandle;
  /** Observed sides and the peer ranges each must route through the peering. */
  sides: { network: Network; peer: NetworkRef; peerCidrs: readonly string[]; peerName: string }[];
}
