import { startGcpEmulator } from '../../infra/local/gcp';
import { anonymous, ComputeClient, GcpPeeringAdapter } from '../../shared/providers/gcp';
import { runningClock } from '../support/clock';
import { transitContract, type TransitHarness } from './transit-contract';

const HUB_PROJECT = 'net-hub-prod';
const SPOKE_PROJECT = 'payments-prod';
const HUB = `projects/${HUB_PROJECT}/locations/global/hubs/core`;

/**
 * The real GCP adapter (its REST client) against the emulator's Network Connectivity Center subset. `byNumber`: the
 * emulator names projects by number, as NCC documents its resource names; the adapter must still speak project ids.
 */
const harness = (byNumber: boolean) => async (): Promise<TransitHarness> => {
  const clock = runningClock();
  const emu = await startGcpEmulator({ waitTimeoutMs: 200, now: clock.now });
  emu.state.ncc.namesByNumber = byNumber;
  // Operations finish in 10 ms so the suite spends its time on behaviour, not waiting.
  emu.state.timing.pendingMs = 2;
  emu.state.timing.runningMs = 8;
  for (const id of [HUB_PROJECT, SPOKE_PROJECT]) emu.state.createProject({ id });
  const client = new ComputeClient({
    endpoint: `${emu.url}/compute/v1`,
    resourceManagerEndpoint: `${emu.url}/v1`,
    auth: anonymous,
    retry: { attempts: 3, baseMs: 5, maxMs: 20 },
    operationPollMs: 5,
  });
  const ncc = emu.state.ncc;
  let seeded = 0;
  return {
    cloud: 'gcp',
    provider: new GcpPeeringAdapter({ client, projects: [HUB_PROJECT, SPOKE_PROJECT] }),
    hubAccount: HUB_PROJECT,
    spokeAccount: SPOKE_PROJECT,
    acceptsRequests: true,
    spokeRoutes: false,
    routingUpdatable: 'association',
    now: clock.now,
    partitions: (accounts) => accounts.map((account) => ({ cloud: 'gcp' as const, account, region: 'global' })),
    // A hub with two groups (custom routing): each routes through the route table of its own name.
    seedHub: async () => {
      ncc.createHub({ project: HUB_PROJECT, name: 'core', groups: ['default', 'center'] });
      return {
        ref: { cloud: 'gcp', account: HUB_PROJECT, region: 'global', id: HUB },
        routeTables: ['default', 'center'],
      };
    },
    seedNetwork: async ({ account, name, cidrs }) => {
      emu.state.createNetwork({ project: account, name });
      cidrs.forEach((cidr, i) =>
        emu.state.createSubnetwork({
          project: account,
          region: 'europe-west1',
          network: name,
          name: `${name}-${i}`,
          ipCidrRange: cidr,
        }),
      );
      return { ref: { cloud: 'gcp', account, region: 'global', id: name } };
    },
    seedForeignAttachment: async ({ hub, network, state }) => {
      seeded += 1;
      const spoke = ncc.seedSpoke({
        project: network.account,
        name: `console-spoke-${seeded}`,
        hub: hub.id,
        network: { project: network.account, network: network.id },
        state: state === 'requested' ? 'PENDING_REVIEW' : 'ACTIVE',
      });
      return `projects/${spoke.project}/locations/global/spokes/${spoke.name}`;
    },
    setRoutingOutOfBand: async (_hub, attachmentId, routing) => {
      if (routing.association) ncc.spokes.get(attachmentId)!.group = routing.association;
    },
    // A route learned over a VPN spoke (BGP from on-premises) in the group's route table.
    addStaticHubRoute: async (hub, routeTableId, destination) => {
      const vpn = ncc.seedSpoke({
        project: HUB_PROJECT,
        name: 'onprem-vpn',
        hub: hub.id,
        group: routeTableId,
        hybrid: {
          kind: 'vpn',
          region: 'europe-west1',
          uris: [`https://www.googleapis.com/compute/v1/projects/${HUB_PROJECT}/regions/europe-west1/vpnTunnels/t1`],
          vpcNetwork: `https://www.googleapis.com/compute/v1/projects/${HUB_PROJECT}/global/networks/transit`,
        },
      });
      ncc.addHybridRoute({
        hub: hub.id,
        routeTable: routeTableId,
        ipCidrRange: destination,
        spoke: `projects/${HUB_PROJECT}/locations/europe-west1/spokes/${vpn.name}`,
      });
    },
    close: () => emu.close(),
  };
};

transitContract('GCP adapter against the NCC emulator (VPC spokes)', harness(false));
transitContract('GCP adapter against the NCC emulator naming projects by number', harness(true));
