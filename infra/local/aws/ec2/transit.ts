import type { QueryObject } from '../query';
import type { AwsEmulatorState } from '../state/state';
import type { Caller } from '../state/types';
import type { XmlObject } from '../xml';
import { TRANSIT_READ_ACTIONS } from './transit-read';
import { TRANSIT_WRITE_ACTIONS } from './transit-write';

type Handler = (state: AwsEmulatorState, caller: Caller, q: QueryObject) => XmlObject;

/** Every TGW call first moves transient attachment states one call closer to settled (TransitStore.settle). */
function settling(actions: Record<string, Handler>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(actions).map(([name, handler]) => [
      name,
      (state: AwsEmulatorState, caller: Caller, q: QueryObject): XmlObject => {
        state.transit.settle(state);
        return handler(state, caller, q);
      },
    ]),
  );
}

/** Transit Gateway reads (Describe*, Get*, SearchTransitGatewayRoutes) and DescribeSubnets. */
export const TRANSIT_READS = settling(TRANSIT_READ_ACTIONS);
/** Transit Gateway writes: CloudTrail events are emitted for these, as for every mutating call. */
export const TRANSIT_WRITES = settling(TRANSIT_WRITE_ACTIONS);
