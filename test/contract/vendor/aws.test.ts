import {
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpnGatewaysCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { startAwsEmulator, type AwsEmulator } from '../../../infra/local/aws';
import { deleteGateway } from '../../../infra/local/aws/state/gateways';
import type { Action, NetworkRef } from '../../../shared/model';
import { AwsPeeringAdapter } from '../../../shared/providers/aws';
import { checkEc2Response } from './aws-model';
import { testClock } from '../../support/clock';
import { startRecorder } from './recorder';

// Issue 14: every EC2 response the emulator gives, element by element, against EC2's own model as
// @aws-sdk/client-ec2 ships it (the SDK's parser ignores unknown elements, so it cannot catch them itself).
const HUB = '111111111111';
const SPOKE = '222222222222';
const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };
const base = { cloud: 'aws' as const, reason: 'contract' };

describe("EC2 responses against @aws-sdk/client-ec2's model", () => {
  // A fixed date shared by emulator and adapter; deadlines stay elapsed-time budgets.
  const clock = testClock();
  let emu: AwsEmulator;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
    recorder = await startRecorder(emu.url);
    const s = emu.state;
    s.setRole(SPOKE, { roleName: 'peerkeeper-member' });
    const h = s.createVpc({
      account: HUB,
      region: 'us-east-1',
      cidr: '10.0.0.0/16',
      secondaryCidrs: ['100.64.0.0/20'],
      ipv6Cidr: '2600:1f18:4000:100::/56',
    });
    const sp = s.createVpc({ account: SPOKE, region: 'eu-west-1', cidr: '10.1.0.0/16', ipv6Cidr: '2a05:d018:1::/56' });
    s.createGateway({
      kind: 'endpoint',
      account: HUB,
      region: 'us-east-1',
      vpcId: h.vpcId,
      service: 's3',
      routeTableIds: [h.mainRouteTableId],
    });
    const nat = s.createGateway({ kind: 'nat', account: HUB, region: 'us-east-1', vpcId: h.vpcId }).id;
    for (const kind of ['internet', 'transit', 'vpn', 'egress-only'] as const)
      s.createGateway({ kind, account: HUB, region: 'us-east-1', ...(kind === 'transit' ? {} : { vpcId: h.vpcId }) });
    s.addRoute({ routeTableId: h.mainRouteTableId, destination: '0.0.0.0/0', target: { natGatewayId: nat } });
    s.addRoute({
      routeTableId: h.mainRouteTableId,
      destination: '203.0.113.0/24',
      target: { coreNetworkArn: 'arn:aws:networkmanager::111111111111:core-network/core-network-0f1' },
    });
    deleteGateway(s, nat);
    const hub: NetworkRef = { cloud: 'aws', account: HUB, region: 'us-east-1', id: h.vpcId };
    const spoke: NetworkRef = { cloud: 'aws', account: SPOKE, region: 'eu-west-1', id: sp.vpcId };
    const adapter = new AwsPeeringAdapter({
      roleName: 'peerkeeper-member',
      regions: ['us-east-1', 'eu-west-1'],
      allowedAccounts: new Set([HUB, SPOKE]),
      hubAccount: HUB,
      endpoint: recorder.url,
      credentials: STATIC,
      backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const created = new Map<string, string>();
    const ctx = () => ({ now: clock.now(), deadline: Date.now() + 10_000, resolvePeeringId: () => created.get('pcx') });
    const handle = { requester: hub, accepter: spoke };
    const slot = { network: hub, routeTableId: h.mainRouteTableId, destination: '10.1.0.0/16' };
    s.addRoute({ routeTableId: h.mainRouteTableId, destination: '10.1.0.0/16', target: { gatewayId: 'igw-0abc' } });
    const igw = {
      destination: slot.destination,
      origin: 'static' as const,
      target: { kind: 'other' as const, id: 'igw-0abc' },
    };
    const peered = () => ({
      destination: slot.destination,
      origin: 'static' as const,
      target: { kind: 'peering' as const, peeringId: created.get('pcx')! },
    });
    const live = () => ({ ...handle, id: created.get('pcx')! });
    const actions: (() => Action)[] = [
      () => ({
        ...base,
        action: 'create-peering',
        target: handle,
        after: { options: {}, tags: { 'peerkeeper:managed': 'true' } },
      }),
      () => ({
        ...base,
        action: 'accept-peering',
        target: live(),
        after: { options: {}, tags: { 'peerkeeper:managed': 'true' } },
      }),
      () => ({ ...base, action: 'update-peering', target: live(), before: {}, after: { allowDnsResolution: true } }),
      () => ({
        ...base,
        action: 'replace-route',
        target: slot,
        before: igw,
        after: { kind: 'peering', peering: live() },
      }),
      () => ({ ...base, action: 'delete-route', target: slot, before: peered() }),
      () => ({ ...base, action: 'create-route', target: slot, after: { kind: 'peering', peering: live() } }),
      () => ({
        ...base,
        action: 'delete-peering',
        target: live(),
        before: {
          id: created.get('pcx')!,
          cloud: 'aws',
          requester: hub,
          accepter: spoke,
          state: 'active',
          options: {},
          tags: {},
        },
      }),
    ];
    await adapter.observe([
      { cloud: 'aws', account: HUB, region: 'us-east-1' },
      { cloud: 'aws', account: SPOKE, region: 'eu-west-1' },
    ]);
    for (const next of actions) {
      const outcome = await adapter.apply(next(), ctx());
      expect(outcome.status).toBe('done');
      if (outcome.peeringId) created.set('pcx', outcome.peeringId);
    }
    await adapter.observe([
      { cloud: 'aws', account: HUB, region: 'us-east-1' },
      { cloud: 'aws', account: SPOKE, region: 'eu-west-1' },
    ]);
    adapter.close();
    const client = new EC2Client({ endpoint: recorder.url, region: 'us-east-1', credentials: STATIC, maxAttempts: 1 });
    for (const command of [
      new DescribeInternetGatewaysCommand({}),
      new DescribeNatGatewaysCommand({}),
      new DescribeTransitGatewaysCommand({}),
      new DescribeVpnGatewaysCommand({}),
      new DescribeEgressOnlyInternetGatewaysCommand({}),
      new DescribeVpcEndpointsCommand({}),
    ]) {
      await client.send(command as Parameters<typeof client.send>[0]);
    }
    client.destroy();
  });
  afterAll(async () => {
    await recorder.close();
    await emu.close();
  });

  const ec2Calls = () =>
    recorder.exchanges
      .map((e) => ({ ...e, action: new URLSearchParams(String(e.requestBody ?? '')).get('Action') ?? '' }))
      .filter((e) => e.status < 400 && e.action !== '' && e.action !== 'AssumeRole');

  it('drives every EC2 action the adapter uses, and the gateway listings', () => {
    expect([...new Set(ec2Calls().map((e) => e.action))].sort()).toEqual([
      'AcceptVpcPeeringConnection',
      'CreateRoute',
      'CreateTags',
      'CreateVpcPeeringConnection',
      'DeleteRoute',
      'DeleteVpcPeeringConnection',
      'DescribeEgressOnlyInternetGateways',
      'DescribeInternetGateways',
      'DescribeNatGateways',
      'DescribeRouteTables',
      'DescribeTransitGateways',
      'DescribeVpcEndpoints',
      'DescribeVpcPeeringConnections',
      'DescribeVpcs',
      'DescribeVpnGateways',
      'ModifyVpcPeeringConnectionOptions',
      'ReplaceRoute',
    ]);
  });

  it("answers with no element EC2's model does not have, and every scalar of its type", () => {
    expect(ec2Calls().flatMap((e) => checkEc2Response(e.action, String(e.responseBody)))).toEqual([]);
  });

  it('would catch an element EC2 does not have, as the vpcEndpointId it once wrote in routeSet', () => {
    const table = ec2Calls().find((e) => e.action === 'DescribeRouteTables')!;
    const mutated = String(table.responseBody).replace('<origin>', '<vpcEndpointId>vpce-1</vpcEndpointId><origin>');
    expect(checkEc2Response('DescribeRouteTables', mutated)).toContainEqual(
      expect.stringMatching(/routeSet\/item\/vpcEndpointId: not in Route$/),
    );
  });
});
