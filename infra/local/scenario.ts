import {
  CreateRouteCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import { CreateAccountCommand, MoveAccountCommand } from '@aws-sdk/client-organizations';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPROVE_ACTION_ID } from '../../shared/approvals';
import { runCli } from '../../shared/cli/main';
import { countChanges } from '../../shared/planner';
import { armAs, computeAs, controlTowerVended, ec2As, organizationsAsManagement, resourceManagerAs } from './actors';
import type { LocalCloud } from './cloud';
import { awsPeering, awsRoute, findMessage, waitFor } from './inspect';
import { LOCAL_ORGANIZATION } from './organization';
import { runTransitScenario, type TransitIds } from './transit-scenario';

/** The scenario's cast: accounts, subscriptions, projects and the people who act in them. */
export const CAST = {
  aws: { hub: '111111111111', spoke: '222222222222', partner: '999999999999', stranger: '666666666666' },
  azure: {
    dataA: '0b1f6471-1bf0-4dda-aec3-aaaaaaaaaaaa',
    dataB: '0b1f6471-1bf0-4dda-aec3-bbbbbbbbbbbb',
    corp: '0b1f6471-1bf0-4dda-aec3-cccccccccccc',
  },
  gcp: { hub: 'net-hub', spoke: 'app-spoke', apps: 'app-two' },
  /** The subscription-vending pipeline's principal (Azure) and service account (GCP). */
  vending: { azure: 'a11ce000-0000-4000-8000-000000000002', gcp: 'vending@platform-prj.iam.gserviceaccount.com' },
  cidrs: {
    hub: '10.0.0.0/16',
    spoke: '10.1.0.0/16',
    partner: '10.99.0.0/16',
    stranger: '10.66.0.0/16',
    dataA: '10.20.0.0/16',
    dataB: '10.21.0.0/16',
    gcpHub: '10.30.0.0/20',
    gcpSpoke: '10.31.0.0/20',
    checkout: '10.3.0.0/16',
    corp: '10.22.0.0/16',
    gcpApps: '10.32.0.0/20',
  },
} as const;

/** What the scenario did, for the summary and the tests. */
export interface ScenarioReport {
  steps: { title: string; ms: number; outcome: string }[];
  ids: {
    hubVpc: string;
    spokeVpc: string;
    partnerVpc: string;
    strangerVpc: string;
    hubTable: string;
    spokeTable: string;
    checkoutVpc: string;
    checkoutAccount: string;
    partnerPeering: string;
    strangerPeering: string;
    deletedPeering: string;
    recreatedPeering: string;
  };
  /** The transit steps' spokes, requests and attachments (transit-scenario.ts). */
  transit: TransitIds;
  /** Changes in the final plan of the whole estate (0 = converged). */
  finalChanges: number;
  totalMs: number;
}

const rgPath = (sub: string) => `/subscriptions/${sub}/resourceGroups/net`;
const vnetPath = (sub: string, name: string) => `${rgPath(sub)}/providers/Microsoft.Network/virtualNetworks/${name}`;

/**
 * The mission on one laptop, narrated step by step with timings: vending in three clouds, a partner approved
 * in chat, a stranger rejected, route and peering drift reverted, an unmanaged route left alone, and a final
 * plan with no changes. Every change is made over the wire by someone other than peerkeeper; peerkeeper only
 * ever acts through its real handlers reacting to the events (and the pending-request poll).
 */
export async function runScenario(
  cloud: LocalCloud,
  say: (line: string) => void = () => undefined,
): Promise<ScenarioReport> {
  const started = Date.now();
  const steps: ScenarioReport['steps'] = [];
  const step = async <T>(title: string, work: () => Promise<T>, outcome: (value: T) => string): Promise<T> => {
    const t0 = Date.now();
    say(`\n▶ ${title}`);
    const value = await work();
    await cloud.settled();
    const line = outcome(value);
    const ms = Date.now() - t0;
    steps.push({ title, ms, outcome: line });
    say(`  ✓ ${line}  (${ms} ms)`);
    return value;
  };
  const aws = cloud.aws.state;

  // The estate before the story: a hub in each cloud and the first data VNet (no events: it was always there).
  const hub = aws.createVpc({
    account: CAST.aws.hub,
    region: 'us-east-1',
    cidr: CAST.cidrs.hub,
    tags: { Name: 'hub', 'peerkeeper/role': 'hub' },
  });
  // Real hubs route to more than peerings: an S3 gateway endpoint's prefix list and a transit gateway, never peerkeeper's to touch.
  aws.createGateway({
    kind: 'endpoint',
    account: CAST.aws.hub,
    region: 'us-east-1',
    vpcId: hub.vpcId,
    service: 's3',
    routeTableIds: [hub.mainRouteTableId],
  });
  const transit = aws.createGateway({ kind: 'transit', account: CAST.aws.hub, region: 'us-east-1' });
  aws.addRoute({
    routeTableId: hub.mainRouteTableId,
    destination: '172.16.0.0/12',
    target: { transitGatewayId: transit.id },
  });
  cloud.azure.state.ensureResourceGroup(CAST.azure.dataA, 'net', 'westeurope');
  cloud.azure.state.createVnet({
    subscription: CAST.azure.dataA,
    resourceGroup: 'net',
    name: 'data-a',
    location: 'westeurope',
    addressPrefixes: [CAST.cidrs.dataA],
    tags: { tier: 'data' },
  });
  // Project net-hub is seeded with its NCC hub (transit-estate.ts).
  cloud.gcp.state.createNetwork({ project: CAST.gcp.hub, name: 'hub' });
  cloud.gcp.state.createSubnetwork({
    project: CAST.gcp.hub,
    region: 'europe-west1',
    network: 'hub',
    name: 'hub-ew1',
    ipCidrRange: CAST.cidrs.gcpHub,
  });
  // The organizations (LOCAL_ORGANIZATION): OU Workloads/Prod, management groups corp › corp-online, folders Apps › Prod.
  const org = cloud.aws.organization;
  org.addAccount({ id: CAST.aws.spoke, name: 'payments', parentId: org.rootId, joinedMethod: 'CREATED' });
  const prodOu = org.ouByPath(LOCAL_ORGANIZATION.aws.prod)!;
  say(
    `Estate: AWS hub ${hub.vpcId} (${CAST.cidrs.hub}), Azure VNet data-a (${CAST.cidrs.dataA}), GCP network net-hub/hub (${CAST.cidrs.gcpHub}).`,
  );

  const spoke = await step(
    "Vend AWS account 222222222222 (its baseline VPC, then Control Tower's CreateManagedAccount)",
    async () => {
      const vpc = aws.createVpc({
        account: CAST.aws.spoke,
        region: 'us-east-1',
        cidr: CAST.cidrs.spoke,
        tags: { Name: 'payments', 'peerkeeper/role': 'spoke' },
      });
      cloud.bus.publish('aws', controlTowerVended(CAST.aws.hub, CAST.aws.spoke, 'payments', new Date()));
      return vpc;
    },
    (vpc) => {
      const p = awsPeering(cloud, hub.vpcId, vpc.vpcId);
      return `hub-spoke peering ${p?.id} ${p?.status}; routes: spoke→hub ${awsRoute(cloud, vpc.mainRouteTableId, CAST.cidrs.hub)?.vpcPeeringConnectionId ?? 'missing'}, hub→spoke ${awsRoute(cloud, hub.mainRouteTableId, CAST.cidrs.spoke)?.vpcPeeringConnectionId ?? 'missing'}`;
    },
  );

  await step(
    'The scheduled sweep runs once (it repairs whatever events missed)',
    async () => {
      const before = cloud.aws.events.length;
      await cloud.functions.aws.sweep();
      return before;
    },
    (before) =>
      `${cloud.aws.events.length - before} AWS write(s); hub→spoke via ${awsRoute(cloud, hub.mainRouteTableId, CAST.cidrs.spoke)?.vpcPeeringConnectionId ?? 'missing'}`,
  );

  await step(
    'Vend Azure subscription …bbbbbbbbbbbb (the pipeline creates VNet data-b)',
    async () => {
      cloud.azure.state.createSubscription(CAST.azure.dataB, { displayName: 'analytics' });
      cloud.azure.state.ensureResourceGroup(CAST.azure.dataB, 'net', 'westeurope');
      await armAs(cloud.azure.url, CAST.vending.azure, 'PUT', vnetPath(CAST.azure.dataB, 'data-b'), {
        location: 'westeurope',
        tags: { tier: 'data' },
        properties: { addressSpace: { addressPrefixes: [CAST.cidrs.dataB] } },
      });
    },
    () => {
      const a = cloud.azure.state.vnet(vnetPath(CAST.azure.dataA, 'data-a'));
      const b = cloud.azure.state.vnet(vnetPath(CAST.azure.dataB, 'data-b'));
      return `data-mesh halves: data-a ${a?.peerings.size ?? 0}, data-b ${b?.peerings.size ?? 0} (both halves → Connected)`;
    },
  );

  await step(
    'Vend GCP project app-spoke (the pipeline inserts network app and its subnet)',
    async () => {
      cloud.bus.pause();
      cloud.gcp.state.createProject({ id: CAST.gcp.spoke, name: 'App spoke' });
      await computeAs(cloud.gcp.url, CAST.vending.gcp, 'POST', `projects/${CAST.gcp.spoke}/global/networks`, {
        name: 'app',
        autoCreateSubnetworks: false,
      });
      cloud.gcp.state.createSubnetwork({
        project: CAST.gcp.spoke,
        region: 'europe-west1',
        network: 'app',
        name: 'app-ew1',
        ipCidrRange: CAST.cidrs.gcpSpoke,
      });
      await cloud.bus.resume();
    },
    () => {
      const hubNet = cloud.gcp.state.network(CAST.gcp.hub, 'hub');
      const app = cloud.gcp.state.network(CAST.gcp.spoke, 'app');
      const states = [
        hubNet && app && hubNet.peerings[0] ? cloud.gcp.state.peeringState(hubNet, hubNet.peerings[0]) : 'none',
        hubNet && app && app.peerings[0] ? cloud.gcp.state.peeringState(app, app.peerings[0]) : 'none',
      ];
      return `gcp-shared-services halves: hub ${states[0]}, app ${states[1]}`;
    },
  );

  const checkout = await step(
    'Vend an AWS account into OU Workloads/Prod (Organizations CreateAccount, MoveAccount; no policy change)',
    async () => {
      cloud.bus.pause();
      const orgs = organizationsAsManagement(cloud.aws.url);
      const created = await orgs.send(
        new CreateAccountCommand({ AccountName: 'checkout', Email: 'checkout@example.com' }),
      );
      const account = created.CreateAccountStatus!.AccountId!;
      await orgs.send(
        new MoveAccountCommand({ AccountId: account, SourceParentId: org.rootId, DestinationParentId: prodOu.id }),
      );
      orgs.destroy();
      // The account baseline (Account Factory, the member StackSet) lays down its VPC before the events are handled.
      const vpc = aws.createVpc({
        account,
        region: 'us-east-1',
        cidr: CAST.cidrs.checkout,
        tags: { Name: 'checkout', 'peerkeeper/role': 'spoke' },
      });
      await cloud.bus.resume();
      return { account, vpc };
    },
    ({ account, vpc }) => {
      const p = awsPeering(cloud, hub.vpcId, vpc.vpcId);
      return `account ${account} (Workloads/Prod): workloads-to-hub peering ${p?.id} ${p?.status}; routes: spoke→hub ${awsRoute(cloud, vpc.mainRouteTableId, CAST.cidrs.hub)?.vpcPeeringConnectionId ?? 'missing'}, hub→spoke ${awsRoute(cloud, hub.mainRouteTableId, CAST.cidrs.checkout)?.vpcPeeringConnectionId ?? 'missing'}`;
    },
  );

  await step(
    'Vend Azure subscription …cccccccccccc under management group corp › corp-online (a subscription alias; no policy change)',
    async () => {
      cloud.bus.pause();
      await armAs(
        cloud.azure.url,
        CAST.vending.azure,
        'PUT',
        '/providers/Microsoft.Subscription/aliases/checkout-prod',
        {
          properties: {
            displayName: 'checkout-prod',
            workload: 'Production',
            subscriptionId: CAST.azure.corp,
            additionalProperties: { managementGroupId: '/providers/Microsoft.Management/managementGroups/corp-online' },
          },
        },
        '2021-10-01',
      );
      cloud.azure.state.ensureResourceGroup(CAST.azure.corp, 'net', 'westeurope');
      await armAs(cloud.azure.url, CAST.vending.azure, 'PUT', vnetPath(CAST.azure.corp, 'checkout'), {
        location: 'westeurope',
        tags: { tier: 'corp' },
        properties: { addressSpace: { addressPrefixes: [CAST.cidrs.corp] } },
      });
      await cloud.bus.resume();
    },
    () => {
      const corp = cloud.azure.state.vnet(vnetPath(CAST.azure.corp, 'checkout'));
      return `corp-to-data halves on checkout: ${corp?.peerings.size ?? 0} (to data-a and data-b → Connected)`;
    },
  );

  await step(
    'Vend GCP project app-two into folder Apps › Prod (CreateProject; no policy change)',
    async () => {
      cloud.bus.pause();
      await resourceManagerAs(cloud.gcp.url, CAST.vending.gcp, 'projects', {
        projectId: CAST.gcp.apps,
        parent: `folders/${LOCAL_ORGANIZATION.gcp.appsProd}`,
        displayName: 'App two',
      });
      await computeAs(cloud.gcp.url, CAST.vending.gcp, 'POST', `projects/${CAST.gcp.apps}/global/networks`, {
        name: 'app',
        autoCreateSubnetworks: false,
      });
      cloud.gcp.state.createSubnetwork({
        project: CAST.gcp.apps,
        region: 'europe-west1',
        network: 'app',
        name: 'app-ew1',
        ipCidrRange: CAST.cidrs.gcpApps,
      });
      await cloud.bus.resume();
    },
    () => {
      const hubNet = cloud.gcp.state.network(CAST.gcp.hub, 'hub')!;
      const app = cloud.gcp.state.network(CAST.gcp.apps, 'app');
      const toApps = hubNet.peerings.find((h) => h.peerProject === CAST.gcp.apps);
      return `apps-to-hub halves: hub ${toApps ? cloud.gcp.state.peeringState(hubNet, toApps) : 'none'}, app ${app?.peerings[0] && app ? cloud.gcp.state.peeringState(app, app.peerings[0]) : 'none'}`;
    },
  );

  const partnerVpc = aws.createVpc({
    account: CAST.aws.partner,
    region: 'us-east-1',
    cidr: CAST.cidrs.partner,
    tags: { Name: 'partner-edge' },
  });
  const partnerPeering = await step(
    'A partner (999999999999, listed) requests peering with the hub → the pending poll finds it → chat approval',
    async () => {
      const ec2 = await ec2As(cloud.aws.url, CAST.aws.partner, 'partner-netops');
      const out = await ec2.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: partnerVpc.vpcId,
          PeerVpcId: hub.vpcId,
          PeerOwnerId: CAST.aws.hub,
          PeerRegion: 'us-east-1',
        }),
      );
      ec2.destroy();
      await cloud.functions.aws.pendingPoll();
      await waitFor(
        () =>
          cloud
            .settled()
            .then(() => findMessage(cloud, out.VpcPeeringConnection!.VpcPeeringConnectionId!) !== undefined),
        10_000,
        'the approval message',
      );
      return out.VpcPeeringConnection!.VpcPeeringConnectionId!;
    },
    (id) => `approval message posted in #networks for ${id} (state ${aws.peerings.get(id)?.status})`,
  );

  await step(
    'An approver clicks Approve in the chat stand-in (signed block_actions payload → approval endpoint)',
    async () => {
      const message = findMessage(cloud, partnerPeering)!;
      const res = await cloud.chat.click(message.ts, APPROVE_ACTION_ID);
      if (res.status !== 200) throw new Error(`the approval endpoint answered ${res.status}: ${res.body}`);
    },
    () =>
      `partner peering ${partnerPeering} ${aws.peerings.get(partnerPeering)?.status}; hub→partner route ${awsRoute(cloud, hub.mainRouteTableId, CAST.cidrs.partner)?.vpcPeeringConnectionId ?? 'missing'}`,
  );

  const strangerVpc = aws.createVpc({
    account: CAST.aws.stranger,
    region: 'us-east-1',
    cidr: CAST.cidrs.stranger,
    tags: { Name: 'unknown' },
  });
  const strangerPeering = await step(
    'A stranger (666666666666, not in the policy) requests peering → rejected',
    async () => {
      const ec2 = await ec2As(cloud.aws.url, CAST.aws.stranger, 'admin');
      const out = await ec2.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: strangerVpc.vpcId,
          PeerVpcId: hub.vpcId,
          PeerOwnerId: CAST.aws.hub,
          PeerRegion: 'us-east-1',
        }),
      );
      ec2.destroy();
      await cloud.functions.aws.pendingPoll();
      return out.VpcPeeringConnection!.VpcPeeringConnectionId!;
    },
    (id) => `stranger peering ${id} ${aws.peerings.get(id)?.status}`,
  );

  const spokePeering = awsPeering(cloud, hub.vpcId, spoke.vpcId)!.id;
  await step(
    'Someone deletes a managed route (spoke → hub) and replaces another (hub → spoke now points at an internet gateway)',
    async () => {
      const spokeAdmin = await ec2As(cloud.aws.url, CAST.aws.spoke, 'network-admin');
      await spokeAdmin.send(
        new DeleteRouteCommand({ RouteTableId: spoke.mainRouteTableId, DestinationCidrBlock: CAST.cidrs.hub }),
      );
      spokeAdmin.destroy();
      const hubAdmin = await ec2As(cloud.aws.url, CAST.aws.hub, 'network-admin');
      await hubAdmin.send(
        new ReplaceRouteCommand({
          RouteTableId: hub.mainRouteTableId,
          DestinationCidrBlock: CAST.cidrs.spoke,
          GatewayId: 'igw-0a1b2c3d4e5f60718',
        }),
      );
      hubAdmin.destroy();
    },
    () =>
      `spoke→hub via ${awsRoute(cloud, spoke.mainRouteTableId, CAST.cidrs.hub)?.vpcPeeringConnectionId ?? 'missing'}, hub→spoke via ${awsRoute(cloud, hub.mainRouteTableId, CAST.cidrs.spoke)?.vpcPeeringConnectionId ?? 'not a peering'} (both reverted)`,
  );

  const recreated = await step(
    'Someone deletes the managed hub–spoke peering',
    async () => {
      const spokeAdmin = await ec2As(cloud.aws.url, CAST.aws.spoke, 'network-admin');
      await spokeAdmin.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: spokePeering }));
      spokeAdmin.destroy();
      await cloud.settled();
      if (awsPeering(cloud, hub.vpcId, spoke.vpcId)) return 'the DeleteVpcPeeringConnection event';
      // The event names the deleted peering only; when its scope does not reach the replacement, the sweep does.
      await cloud.functions.aws.sweep();
      return "the sweep (the event's peering scope did not cover the replacement)";
    },
    (by) => {
      const p = awsPeering(cloud, hub.vpcId, spoke.vpcId);
      return `${spokePeering} ${aws.peerings.get(spokePeering)?.status}; recreated by ${by} as ${p?.id} ${p?.status}; spoke→hub via ${awsRoute(cloud, spoke.mainRouteTableId, CAST.cidrs.hub)?.vpcPeeringConnectionId ?? 'missing'}`;
    },
  ).then(() => awsPeering(cloud, hub.vpcId, spoke.vpcId)?.id ?? 'none');

  await step(
    'Someone adds an unmanaged route (0.0.0.0/0 → internet gateway) in the spoke',
    async () => {
      const spokeAdmin = await ec2As(cloud.aws.url, CAST.aws.spoke, 'network-admin');
      await spokeAdmin.send(
        new CreateRouteCommand({
          RouteTableId: spoke.mainRouteTableId,
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: 'igw-0f1e2d3c4b5a69788',
        }),
      );
      spokeAdmin.destroy();
    },
    () =>
      `0.0.0.0/0 → ${awsRoute(cloud, spoke.mainRouteTableId, '0.0.0.0/0')?.gatewayId ?? 'gone'} (left alone: not peerkeeper's)`,
  );

  const transitIds = await runTransitScenario(cloud, step);

  const finalChanges = await step(
    'Final `peerkeeper plan --provider local` of the whole estate (the real CLI, all three clouds)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-local-'));
      writeFileSync(join(dir, 'local.json'), JSON.stringify(cloud.endpoints));
      let printed = '';
      const io = {
        out: (t: string) => {
          printed += t;
        },
        err: (t: string) => {
          printed += t;
        },
        color: false,
      };
      const code = await runCli(
        ['plan', '--policy', cloud.endpoints.policy, '--provider', 'local', '--state-dir', dir],
        io,
      );
      rmSync(dir, { recursive: true, force: true });
      for (const line of printed.trimEnd().split('\n')) say(`    ${line}`);
      if (code === 1) throw new Error(`peerkeeper plan failed:\n${printed}`);
      return code === 0 ? 0 : countChanges((await cloud.plan()).plan).changes;
    },
    (changes) =>
      changes === 0
        ? 'No changes (exit 0). The estate is as the policy declares.'
        : `${changes} change(s) left (exit 2)`,
  );

  return {
    steps,
    transit: transitIds,
    finalChanges,
    totalMs: Date.now() - started,
    ids: {
      hubVpc: hub.vpcId,
      spokeVpc: spoke.vpcId,
      partnerVpc: partnerVpc.vpcId,
      strangerVpc: strangerVpc.vpcId,
      hubTable: hub.mainRouteTableId,
      spokeTable: spoke.mainRouteTableId,
      checkoutVpc: checkout.vpc.vpcId,
      checkoutAccount: checkout.account,
      partnerPeering,
      strangerPeering,
      deletedPeering: spokePeering,
      recreatedPeering: recreated,
    },
  };
}
