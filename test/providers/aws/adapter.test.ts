import { startAwsEmulator, PEERING_REQUEST_TTL_MS, type AwsEmulator } from '../../../infra/local/aws';
import { TerminalError } from '../../../shared/errors';
import { networkKey, type Action, type Network, type NetworkRef, type Observation } from '../../../shared/model';
import type { ApplyContext } from '../../../shared/providers/port';
import { AwsPeeringAdapter, AWS_PERMISSIONS, type AwsOperation } from '../../../shared/providers/aws';
import { testClock } from '../../support/clock';

const HUB = '111111111111';
const SPOKE = '222222222222';
const STRANGER = '999999999999';
const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };

describe('AwsPeeringAdapter end to end through the EC2/STS emulator', () => {
  let emu: AwsEmulator;
  let adapter: AwsPeeringAdapter;
  const sent: { operation: AwsOperation; service: string; command: string }[] = [];
  const created = new Map<string, string>();
  const clock = testClock();
  const ctx = (): ApplyContext => ({
    now: clock.now(),
    deadline: Date.now() + 10_000,
    resolvePeeringId: (r, a) => created.get(`${r}|${a}`),
  });
  const ref = (account: string, region: string, id: string): NetworkRef => ({ cloud: 'aws', account, region, id });

  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
    emu.state.setRole(SPOKE, { roleName: 'peerkeeper-member', externalId: 'sesame' });
    adapter = new AwsPeeringAdapter({
      roleName: 'peerkeeper-member',
      externalId: 'sesame',
      regions: ['us-east-1', 'eu-west-1'],
      allowedAccounts: new Set([HUB, SPOKE]),
      hubAccount: HUB,
      endpoint: emu.url,
      credentials: STATIC,
      sdkMaxAttempts: 1,
      backoff: { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 200 },
      onCommand: (c) => sent.push(c),
    });
  });
  afterAll(async () => {
    adapter.close();
    await emu.close();
  });

  /** Seeds a hub VPC (v4 + v6, an igw default route, a custom table) and a spoke VPC in another account and region. */
  function seedPair(hubCidr: string, spokeCidr: string, hubV6: string, spokeV6: string) {
    const h = emu.state.createVpc({
      account: HUB,
      region: 'us-east-1',
      cidr: hubCidr,
      ipv6Cidr: hubV6,
      tags: { Name: 'hub', 'peerkeeper/role': 'hub' },
    });
    emu.state.addRoute({
      routeTableId: h.mainRouteTableId,
      destination: '0.0.0.0/0',
      target: { gatewayId: 'igw-0abc' },
    });
    const custom = emu.state.createRouteTable({ vpcId: h.vpcId, tags: { tier: 'private' } });
    const s = emu.state.createVpc({ account: SPOKE, region: 'eu-west-1', cidr: spokeCidr, ipv6Cidr: spokeV6 });
    return {
      hub: ref(HUB, 'us-east-1', h.vpcId),
      hubMain: h.mainRouteTableId,
      hubCustom: custom,
      spoke: ref(SPOKE, 'eu-west-1', s.vpcId),
      spokeMain: s.mainRouteTableId,
    };
  }

  async function observeAll(): Promise<Observation> {
    return adapter.observe([
      { cloud: 'aws', account: HUB, region: 'us-east-1' },
      { cloud: 'aws', account: SPOKE, region: 'eu-west-1' },
    ]);
  }

  function network(obs: Observation, r: NetworkRef): Network {
    return obs.networks.find((n) => networkKey(n.ref) === networkKey(r))!;
  }

  async function createAndAccept(p: ReturnType<typeof seedPair>): Promise<string> {
    const out = await adapter.apply(
      {
        action: 'create-peering',
        cloud: 'aws',
        reason: 'policy',
        connection: 'spokes-to-hub',
        target: { requester: p.hub, accepter: p.spoke },
        after: { options: {}, tags: {} },
      },
      ctx(),
    );
    expect(out.status).toBe('done');
    created.set(`${networkKey(p.hub)}|${networkKey(p.spoke)}`, out.peeringId!);
    const accepted = await adapter.apply(
      {
        action: 'accept-peering',
        cloud: 'aws',
        reason: 'policy',
        target: { requester: p.hub, accepter: p.spoke },
        after: { options: {} },
      },
      ctx(),
    );
    expect(accepted).toMatchObject({ status: 'done', peeringId: out.peeringId });
    return out.peeringId!;
  }

  function route(p: ReturnType<typeof seedPair>, side: 'hub' | 'spoke', table: string, destination: string): Action {
    return {
      action: 'create-route',
      cloud: 'aws',
      reason: 'peer range',
      target: { network: p[side], routeTableId: table, destination },
      after: { kind: 'peering', peering: { requester: p.hub, accepter: p.spoke } },
    };
  }

  it('observes VPCs with IPv4 and IPv6 CIDRs, main and custom tables, and unmanaged routes as "other"', async () => {
    const p = seedPair('10.0.0.0/16', '10.1.0.0/16', '2600:1f18:aa::/56', '2a05:d018:bb::/56');
    emu.calls.reset();
    const obs = await observeAll();
    // Fewest calls: 3 reads per account and region, plus one AssumeRole for the spoke.
    expect(emu.calls.snapshot()).toEqual({
      AssumeRole: 1,
      DescribeRouteTables: 2,
      DescribeVpcPeeringConnections: 2,
      DescribeVpcs: 2,
    });
    expect(obs.complete).toBe(true);
    const hub = network(obs, p.hub);
    expect(hub).toMatchObject({
      name: 'hub',
      cidrs: ['10.0.0.0/16', '2600:1f18:aa::/56'],
      tags: { 'peerkeeper/role': 'hub' },
    });
    const main = hub.routeTables.find((t) => t.id === p.hubMain)!;
    expect(main.main).toBe(true);
    expect(main.routes).toContainEqual({
      destination: '0.0.0.0/0',
      target: { kind: 'other', id: 'igw-0abc' },
      origin: 'static',
      state: 'active',
    });
    expect(main.routes).toContainEqual({
      destination: '10.0.0.0/16',
      target: { kind: 'other', id: 'local' },
      origin: 'system',
      state: 'active',
    });
    expect(hub.routeTables.find((t) => t.id === p.hubCustom)).toMatchObject({ main: false, tags: { tier: 'private' } });
    expect(network(obs, p.spoke).cidrs).toEqual(['10.1.0.0/16', '2a05:d018:bb::/56']);
  });

  it('creates, accepts (as the accepter, in its region) and routes IPv4 + IPv6 both ways; a second pass writes nothing', async () => {
    const p = seedPair('10.2.0.0/16', '10.3.0.0/16', '2600:1f18:cc::/56', '2a05:d018:dd::/56');
    emu.faults.delayVisibility(30); // EC2 is eventually consistent: the accept right after create must retry, not fail
    const id = await createAndAccept(p);
    emu.faults.clear();
    const routes = [
      route(p, 'hub', p.hubMain, '10.3.0.0/16'),
      route(p, 'hub', p.hubMain, '2a05:d018:dd::/56'),
      route(p, 'spoke', p.spokeMain, '10.2.0.0/16'),
      route(p, 'spoke', p.spokeMain, '2600:1f18:cc::/56'),
    ];
    for (const r of routes) expect((await adapter.apply(r, ctx())).status).toBe('done');
    const obs = await observeAll();
    const peering = obs.peerings.find((x) => x.id === id)!;
    expect(peering).toMatchObject({
      state: 'active',
      requester: p.hub,
      accepter: p.spoke,
      tags: { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'spokes-to-hub' },
    });
    const hubMain = network(obs, p.hub).routeTables.find((t) => t.id === p.hubMain)!;
    expect(hubMain.routes).toContainEqual({
      destination: '2a05:d018:dd::/56',
      target: { kind: 'peering', peeringId: id },
      origin: 'static',
      state: 'active',
    });
    emu.calls.reset();
    for (const r of routes) expect((await adapter.apply(r, ctx())).status).toBe('converged');
    expect(
      (
        await adapter.apply(
          {
            action: 'accept-peering',
            cloud: 'aws',
            reason: 'again',
            target: { id, requester: p.hub, accepter: p.spoke },
            after: { options: {} },
          },
          ctx(),
        )
      ).status,
    ).toBe('converged');
    expect(emu.calls.of('AcceptVpcPeeringConnection')).toBe(0);
  });

  it.each([
    {
      reason: "its tags go on the accepter's view too, so that account can see the link is ours",
      fault: false,
      detail: undefined,
      accepterTags: { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'spokes-to-hub' },
    },
    {
      reason: 'a failed tagging does not undo or fail the accept; the detail says so',
      fault: true,
      detail: expect.stringMatching(/tagging the accepter's side failed \(InternalError\)/),
      accepterTags: undefined,
    },
  ])('accepting a peering peerkeeper requested: $reason', async ({ fault, detail, accepterTags }) => {
    const p = seedPair(
      fault ? '10.60.0.0/16' : '10.62.0.0/16',
      fault ? '10.61.0.0/16' : '10.63.0.0/16',
      fault ? '2600:1f18:e0::/56' : '2600:1f18:e1::/56',
      fault ? '2a05:d018:e0::/56' : '2a05:d018:e1::/56',
    );
    const created = await adapter.apply(
      {
        action: 'create-peering',
        cloud: 'aws',
        reason: 'policy',
        connection: 'spokes-to-hub',
        target: { requester: p.hub, accepter: p.spoke },
        after: { options: {}, tags: { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'spokes-to-hub' } },
      },
      ctx(),
    );
    if (fault) emu.faults.serverError({ action: 'CreateTags' });
    const accepted = await adapter.apply(
      {
        action: 'accept-peering',
        cloud: 'aws',
        reason: 'policy',
        target: { id: created.peeringId!, requester: p.hub, accepter: p.spoke },
        after: { options: {}, tags: { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'spokes-to-hub' } },
      },
      ctx(),
    );
    emu.faults.clear();
    expect(accepted).toMatchObject({ status: 'done', peeringId: created.peeringId, ...(detail ? { detail } : {}) });
    expect(emu.state.peerings.get(created.peeringId!)?.status).toBe('active');
    expect(emu.state.peerings.get(created.peeringId!)?.tags.get(p.spoke.account)).toEqual(accepterTags);
  });

  it('sees a request between overlapping CIDRs end failed', async () => {
    const p = seedPair('10.4.0.0/16', '10.4.128.0/17', '2600:1f18:ee::/56', '2a05:d018:ff::/56');
    const out = await adapter.apply(
      {
        action: 'create-peering',
        cloud: 'aws',
        reason: 'policy',
        target: { requester: p.hub, accepter: p.spoke },
        after: { options: {}, tags: {} },
      },
      ctx(),
    );
    const obs = await observeAll();
    expect(obs.peerings.find((x) => x.id === out.peeringId)).toMatchObject({ state: 'failed' });
  });

  it('sees a request expire after 7 days on the emulator clock, and then skips accepting it', async () => {
    const p = seedPair('10.5.0.0/16', '10.6.0.0/16', '2600:1f18:1::/56', '2a05:d018:1::/56');
    const out = await adapter.apply(
      {
        action: 'create-peering',
        cloud: 'aws',
        reason: 'policy',
        target: { requester: p.hub, accepter: p.spoke },
        after: { options: {}, tags: {} },
      },
      ctx(),
    );
    expect((await observeAll()).peerings.find((x) => x.id === out.peeringId)).toMatchObject({ state: 'requested' });
    emu.state.advanceClock(PEERING_REQUEST_TTL_MS);
    expect((await observeAll()).peerings.find((x) => x.id === out.peeringId)).toMatchObject({ state: 'expired' });
    const accept = await adapter.apply(
      {
        action: 'accept-peering',
        cloud: 'aws',
        reason: 'late',
        target: { id: out.peeringId, requester: p.hub, accepter: p.spoke },
        after: { options: {} },
      },
      ctx(),
    );
    expect(accept.status).toBe('skipped');
  });

  it('never touches an unmanaged igw route: create over it is skipped, a stale delete is skipped', async () => {
    const p = seedPair('10.7.0.0/16', '10.8.0.0/16', '2600:1f18:2::/56', '2a05:d018:2::/56');
    await createAndAccept(p);
    const over = await adapter.apply(route(p, 'hub', p.hubMain, '0.0.0.0/0'), ctx());
    expect(over.status).toBe('skipped');
    const del = await adapter.apply(
      {
        action: 'delete-route',
        cloud: 'aws',
        reason: 'drift',
        target: { network: p.hub, routeTableId: p.hubMain, destination: '0.0.0.0/0' },
        before: { destination: '0.0.0.0/0', target: { kind: 'peering', peeringId: 'pcx-old' }, origin: 'static' },
      },
      ctx(),
    );
    expect(del.status).toBe('skipped');
    const main = network(await observeAll(), p.hub).routeTables.find((t) => t.id === p.hubMain)!;
    expect(main.routes).toContainEqual({
      destination: '0.0.0.0/0',
      target: { kind: 'other', id: 'igw-0abc' },
      origin: 'static',
      state: 'active',
    });
  });

  it('replaces and deletes its own routes, updates DNS options on both sides, and deletes the peering', async () => {
    const p = seedPair('10.9.0.0/16', '10.10.0.0/16', '2600:1f18:3::/56', '2a05:d018:3::/56');
    const id = await createAndAccept(p);
    const target = { network: p.hub, routeTableId: p.hubCustom, destination: '10.10.0.0/16' };
    expect((await adapter.apply(route(p, 'hub', p.hubCustom, '10.10.0.0/16'), ctx())).status).toBe('done');
    const replaced = await adapter.apply(
      {
        action: 'replace-route',
        cloud: 'aws',
        reason: 'via tgw',
        target,
        before: { destination: '10.10.0.0/16', target: { kind: 'peering', peeringId: id }, origin: 'static' },
        after: { kind: 'other', id: 'tgw-0123' },
      },
      ctx(),
    );
    expect(replaced.status).toBe('done');
    const deleted = await adapter.apply(
      {
        action: 'delete-route',
        cloud: 'aws',
        reason: 'gone',
        target,
        before: { destination: '10.10.0.0/16', target: { kind: 'other', id: 'tgw-0123' }, origin: 'static' },
      },
      ctx(),
    );
    expect(deleted.status).toBe('done');
    const handle = { id, requester: p.hub, accepter: p.spoke };
    expect(
      (
        await adapter.apply(
          {
            action: 'update-peering',
            cloud: 'aws',
            reason: 'dns',
            target: handle,
            before: { allowDnsResolution: false },
            after: { allowDnsResolution: true },
          },
          ctx(),
        )
      ).status,
    ).toBe('done');
    expect((await observeAll()).peerings.find((x) => x.id === id)?.options).toEqual({ allowDnsResolution: true });
    const before = (await observeAll()).peerings.find((x) => x.id === id)!;
    expect(
      (
        await adapter.apply(
          { action: 'delete-peering', cloud: 'aws', reason: 'unwanted', target: handle, before },
          ctx(),
        )
      ).status,
    ).toBe('done');
    expect(
      (
        await adapter.apply(
          { action: 'delete-peering', cloud: 'aws', reason: 'unwanted', target: handle, before },
          ctx(),
        )
      ).status,
    ).toBe('converged');
  });

  it('rejects an unwanted request as the accepter', async () => {
    const p = seedPair('10.11.0.0/16', '10.12.0.0/16', '2600:1f18:4::/56', '2a05:d018:4::/56');
    const out = await adapter.apply(
      {
        action: 'create-peering',
        cloud: 'aws',
        reason: 'x',
        target: { requester: p.hub, accepter: p.spoke },
        after: { options: {}, tags: {} },
      },
      ctx(),
    );
    const handle = { id: out.peeringId, requester: p.hub, accepter: p.spoke };
    expect(
      (await adapter.apply({ action: 'reject-peering', cloud: 'aws', reason: 'not in policy', target: handle }, ctx()))
        .status,
    ).toBe('done');
    expect(
      (await adapter.apply({ action: 'reject-peering', cloud: 'aws', reason: 'not in policy', target: handle }, ctx()))
        .status,
    ).toBe('converged');
  });

  it('retries RequestLimitExceeded with backoff and succeeds', async () => {
    const p = seedPair('10.13.0.0/16', '10.14.0.0/16', '2600:1f18:5::/56', '2a05:d018:5::/56');
    await createAndAccept(p);
    emu.calls.reset();
    emu.faults.throttle({ action: 'CreateRoute', times: 2 });
    expect((await adapter.apply(route(p, 'hub', p.hubMain, '10.14.0.0/16'), ctx())).status).toBe('done');
    emu.faults.clear();
    expect(emu.calls.of('CreateRoute')).toBe(3);
  });

  it('marks the observation incomplete when a 5xx hits mid-pagination, and still reports the other partition', async () => {
    const v = emu.state.createVpc({ account: HUB, region: 'eu-west-1', cidr: '10.20.0.0/16' });
    for (let i = 0; i < 120; i++) emu.state.createRouteTable({ vpcId: v.vpcId }); // > 100, the DescribeRouteTables page size
    emu.faults.serverError({ action: 'DescribeRouteTables', skip: 1 });
    const obs = await adapter.observe([
      { cloud: 'aws', account: HUB, region: 'eu-west-1' },
      { cloud: 'aws', account: SPOKE, region: 'eu-west-1' },
    ]);
    emu.faults.clear();
    expect(obs.complete).toBe(false);
    expect(obs.gaps).toEqual([
      `aws:${HUB}:eu-west-1: DescribeRouteTables failed (InternalError); observation incomplete`,
    ]);
    expect(obs.networks.some((n) => n.ref.account === SPOKE)).toBe(true);
  });

  it('refuses to assume a role in an account the policy does not list, before calling STS', async () => {
    emu.calls.reset();
    const obs = await adapter.observe([{ cloud: 'aws', account: STRANGER, region: 'us-east-1' }]);
    expect(obs.complete).toBe(false);
    expect(obs.gaps[0]).toContain('AccountNotAllowed');
    await expect(
      adapter.apply(
        {
          action: 'create-route',
          cloud: 'aws',
          reason: 'x',
          target: { network: ref(STRANGER, 'us-east-1', 'vpc-1'), routeTableId: 'rtb-1', destination: '10.0.0.0/8' },
          after: { kind: 'other', id: 'igw-1' },
        },
        ctx(),
      ),
    ).rejects.toBeInstanceOf(TerminalError);
    expect(emu.calls.total).toBe(0);
  });

  it('sent only commands that AWS_PERMISSIONS declares for the operation that sent them', () => {
    expect(sent.length).toBeGreaterThan(20);
    const undeclared = sent.filter((c) => {
      const iam = `${c.service}:${c.command.replace(/Command$/, '')}`;
      return !(AWS_PERMISSIONS[c.operation] as readonly string[]).includes(iam);
    });
    expect(undeclared).toEqual([]);
    const used = new Set(sent.map((c) => c.command));
    for (const cmd of [
      'AssumeRoleCommand',
      'CreateVpcPeeringConnectionCommand',
      'AcceptVpcPeeringConnectionCommand',
      'RejectVpcPeeringConnectionCommand',
      'DeleteVpcPeeringConnectionCommand',
      'ModifyVpcPeeringConnectionOptionsCommand',
      'CreateRouteCommand',
      'ReplaceRouteCommand',
      'DeleteRouteCommand',
    ]) {
      expect(used).toContain(cmd);
    }
  });
});
