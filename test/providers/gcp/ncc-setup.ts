import { startGcpEmulator, type GcpEmulator } from '../../../infra/local/gcp';
import type { Action, ActionOf, NetworkRef, TransitHubRef } from '../../../shared/model';
import { anonymous, ComputeClient, GcpPeeringAdapter } from '../../../shared/providers/gcp';
import type { ApplyContext, ApplyOutcome } from '../../../shared/providers/port';
import { runningClock, type TestClock } from '../../support/clock';

export const HUB_PROJECT = 'net-hub';
export const SPOKE_PROJECT = 'payments-prod';
export const HUB: TransitHubRef = {
  cloud: 'gcp',
  account: HUB_PROJECT,
  region: 'global',
  id: `projects/${HUB_PROJECT}/locations/global/hubs/core`,
};
export const MANAGED = { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'pay-mesh' };

/** An emulator with a hub (groups default and center) and the real adapter governing both projects. */
export interface NccWorld {
  emu: GcpEmulator;
  clock: TestClock;
  client: ComputeClient;
  adapter: GcpPeeringAdapter;
  network(account: string, name: string, cidrs: string[]): NetworkRef;
  apply(action: Action, deadlineMs?: number): Promise<ApplyOutcome>;
  create(
    network: NetworkRef,
    extra?: Partial<ActionOf<'create-attachment'>['after']['routing']>,
  ): ActionOf<'create-attachment'>;
  close(): Promise<void>;
}

export async function nccWorld(): Promise<NccWorld> {
  const clock = runningClock();
  const emu = await startGcpEmulator({ waitTimeoutMs: 100, now: clock.now });
  emu.state.timing.pendingMs = 1;
  emu.state.timing.runningMs = 4;
  for (const id of [HUB_PROJECT, SPOKE_PROJECT]) emu.state.createProject({ id });
  emu.state.ncc.createHub({ project: HUB_PROJECT, name: 'core', groups: ['default', 'center'] });
  const client = new ComputeClient({
    endpoint: `${emu.url}/compute/v1`,
    resourceManagerEndpoint: `${emu.url}/v1`,
    auth: anonymous,
    retry: { attempts: 3, baseMs: 1, maxMs: 5 },
    operationPollMs: 2,
  });
  const adapter = new GcpPeeringAdapter({ client, projects: [HUB_PROJECT, SPOKE_PROJECT] });
  const ctx = (deadlineMs: number): ApplyContext => ({
    now: clock.now(),
    deadline: Date.now() + deadlineMs,
    resolvePeeringId: () => undefined,
  });
  return {
    emu,
    clock,
    client,
    adapter,
    network: (account, name, cidrs) => {
      emu.state.createNetwork({ project: account, name });
      cidrs.forEach((ipCidrRange, i) =>
        emu.state.createSubnetwork({
          project: account,
          region: 'europe-west1',
          network: name,
          name: `${name}-${i}`,
          ipCidrRange,
        }),
      );
      return { cloud: 'gcp', account, region: 'global', id: name };
    },
    apply: (action, deadlineMs = 5_000) => adapter.apply(action, ctx(deadlineMs)),
    create: (network, extra = {}) => ({
      action: 'create-attachment',
      cloud: 'gcp',
      reason: 'test',
      target: { hub: HUB, network },
      after: { routing: { association: 'default', propagations: [], ...extra }, tags: MANAGED },
    }),
    close: () => emu.close(),
  };
}
