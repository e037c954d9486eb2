import type { Network, NetworkRef, PeeringHandle } from '../model';
import type { Connection } from '../policy/schema';

/** A peering that is (or, after this plan, will be) active, and the routes each observed side needs through it. */
export interface RouteIntent {
  connection: Connection;
  handle: PeeringHandle;
  /** Observed sides and the peer ranges each must route through the peering. */
  sides: {
    network: Network;
    peer: NetworkRef;
    peerCidrs: readonly string[];
    /** The observed network behind `peer`, if any: reasons name the peer by it (`describeObserved`). */
    peerNetwork: Network | undefined;
  }[];
  /**
   * Judged from one side only (a route-table scope that did not read the far side): an existing static route
   * to one of its ranges is repointed back to it, but no route is created, and its routes count as neither
   * ours to delete nor judged (near-side.ts).
   */
  restoreOnly?: boolean;
}
