import type { AddressInfo } from 'node:net';
import { CallCounter } from './calls';
import type { EventBridgeEvent } from './events';
import { FaultHooks } from './faults';
import { createEmulatorServer } from './server';
import { AwsEmulatorState } from './state/state';
import { StsSessions } from './sts';
import type { OrganizationsEvent } from './organizations/api';
import { OrganizationState } from './organizations/state';

export type { EventBridgeEvent, CloudTrailRecord } from './events';
export { AwsEmulatorState, PEERING_REQUEST_TTL_MS } from './state/state';
export { FaultHooks, type FaultRule } from './faults';
export { createSubnet, createTransitGateway, createTransitRouteTable } from './state/transit';
export { seedInterconnectAttachment } from './state/transit-attachments';
export { seedSubnets, seedTransitHub, seedVpcAttachment } from './state/transit-seed';
export { CallCounter } from './calls';
export {
  OrganizationState,
  OrganizationsError,
  type OrgAccountRecord,
  type OrgAccountState,
} from './organizations/state';
export type { OrganizationsEvent } from './organizations/api';

/** Options of the local EC2/STS emulator. */
export interface AwsEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The emulator's base clock (expiry runs on it); `state.advanceClock` moves it further. */
  now?: () => Date;
  /** Receives the EventBridge event of every mutating EC2 call. */
  onEvent?: (event: EventBridgeEvent) => void;
  /** The account plain static credentials belong to (default 111111111111). */
  hubAccount?: string;
  /** Receives the organization's events (CreateAccountResult, MoveAccount) in its management account. */
  onOrganizationEvent?: (event: OrganizationsEvent) => void;
}

/** A running emulator. */
export interface AwsEmulator {
  /** `http://127.0.0.1:<port>`: set it as the SDK endpoint (or AWS_ENDPOINT_URL). */
  url: string;
  state: AwsEmulatorState;
  /** AWS Organizations, whose management account is the hub account (the same endpoint serves its JSON 1.1 API). */
  organization: OrganizationState;
  faults: FaultHooks;
  calls: CallCounter;
  /** Every event emitted so far, in order (also passed to onEvent). */
  events: EventBridgeEvent[];
  close(): Promise<void>;
}

/** Starts the wire-level EC2 Query/XML + STS emulator on 127.0.0.1. */
export async function startAwsEmulator(opts: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const state = new AwsEmulatorState(opts.now, opts.hubAccount);
  const faults = new FaultHooks((ms) => {
    state.visibilityDelayMs = ms;
  });
  const calls = new CallCounter();
  const events: EventBridgeEvent[] = [];
  const organization = new OrganizationState(state.hubAccount, () => state.now());
  const server = createEmulatorServer({
    state,
    faults,
    calls,
    sessions: new StsSessions(state),
    organization,
    onEvent: (event) => {
      events.push(event);
      opts.onEvent?.(event);
    },
    onOrganizationEvent: (event) => opts.onOrganizationEvent?.(event),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    organization,
    faults,
    calls,
    events,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
