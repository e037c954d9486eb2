import { NccError } from '../../../infra/local/gcp/ncc-records';
import type { Action } from '../../../shared/model';
import { GCP_PERMISSIONS, GcpPeeringAdapter, writeAutoAccept } from '../../../shared/providers/gcp';
import { observeNcc } from '../../../shared/providers/gcp/observeNcc';
import { HUB, HUB_PROJECT, MANAGED, nccWorld, SPOKE_PROJECT, type NccWorld } from './ncc-setup';

const NCC = 'networkconnectivity.projects.locations.';
/** The IAM permission Network Connectivity checks for each method the emulator counts. */
const PERMISSION: Record<string, string> = {
  'global.hubs.list': 'networkconnectivity.hubs.list',
  'global.hubs.listSpokes': 'networkconnectivity.hubs.listSpokes',
  'global.hubs.acceptSpoke': 'networkconnectivity.groups.acceptSpoke',
  'global.hubs.rejectSpoke': 'networkconnectivity.groups.rejectSpoke',
  'global.hubs.groups.list': 'networkconnectivity.groups.list',
  'global.hubs.groups.get': 'networkconnectivity.groups.get',
  'global.hubs.groups.patch': 'networkconnectivity.groups.update',
  'global.hubs.routeTables.routes.list': 'networkconnectivity.hubRoutes.list',
  'spokes.list': 'networkconnectivity.spokes.list',
  'spokes.get': 'networkconnectivity.spokes.get',
  'spokes.create': 'networkconnectivity.spokes.create',
  'spokes.patch': 'networkconnectivity.spokes.update',
  'spokes.delete': 'networkconnectivity.spokes.delete',
  'operations.get': 'networkconnectivity.operations.get',
};
const disabled = () =>
  new NccError(
    403,
    'PERMISSION_DENIED',
    'Network Connectivity API has not been used in project 4155 before or it is disabled. Enable it by visiting … SERVICE_DISABLED',
  );

describe('GCP adapter: observing NCC', () => {
  let w: NccWorld;
  beforeEach(async () => {
    w = await nccWorld();
  });
  afterEach(async () => {
    await w.close();
  });
  const both = [
    { cloud: 'gcp' as const, account: HUB_PROJECT },
    { cloud: 'gcp' as const, account: SPOKE_PROJECT },
  ];

  it('maps spoke states and hybrid spokes, and shows labels only through the spoke project’s own view', async () => {
    const ncc = w.emu.state.ncc;
    for (const [name, state] of [
      ['a', 'ACTIVE'],
      ['b', 'PENDING_REVIEW'],
      ['c', 'REJECTED'],
    ] as const) {
      w.network(SPOKE_PROJECT, name, [`10.4${name.charCodeAt(0) - 97}.0.0/16`]);
      ncc.seedSpoke({
        project: SPOKE_PROJECT,
        name,
        hub: HUB.id,
        network: { project: SPOKE_PROJECT, network: name },
        state,
        labels: { 'peerkeeper-managed': 'true' },
      });
    }
    const vcn = (kind: 'vpn' | 'interconnect' | 'router-appliance', name: string) =>
      ncc.seedSpoke({
        project: HUB_PROJECT,
        name,
        hub: HUB.id,
        hybrid: { kind, region: 'europe-west1', uris: [`uri-${name}`], vpcNetwork: 'transit' },
      });
    vcn('vpn', 'vpn-1');
    vcn('interconnect', 'ic-1');
    vcn('router-appliance', 'ra-1');
    const obs = await w.adapter.observe(both);
    expect(Object.fromEntries((obs.attachments ?? []).map((a) => [a.network.id, a.state]))).toEqual({
      a: 'active',
      b: 'requested',
      c: 'rejected',
    });
    expect(obs.attachments?.every((a) => a.tags['peerkeeper:managed'] === 'true' && a.association === 'default')).toBe(
      true,
    );
    expect(obs.transitHubs?.[0]?.interconnects.map((i) => [i.name, i.kind]).sort()).toEqual([
      ['ic-1', 'interconnect'],
      ['ra-1', 'hybrid-spoke'],
      ['vpn-1', 'vpn'],
    ]);
    // Seen by the hub's project and by the spoke's: one attachment each, with the spoke project's labels.
    const direct = await observeNcc(w.client, [HUB_PROJECT, SPOKE_PROJECT]);
    expect(direct.attachments?.map((a) => a.tags['peerkeeper:managed'])).toEqual(['true', 'true', 'true']);
    const hubOnly = await w.adapter.observe([both[0]!]);
    expect(hubOnly.attachments?.map((a) => a.tags)).toEqual([{}, {}, {}]);
  });

  it('speaks project ids where NCC names projects by number', async () => {
    w.emu.state.ncc.namesByNumber = true;
    const number = w.emu.state.projects.get(SPOKE_PROJECT)!.number;
    w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    w.emu.state.ncc.seedSpoke({
      project: SPOKE_PROJECT,
      name: 'pay',
      hub: HUB.id,
      network: { project: SPOKE_PROJECT, network: 'pay' },
    });
    const raw = (await (
      await fetch(`${w.emu.url}/networkconnectivity/v1/projects/${SPOKE_PROJECT}/locations/global/spokes`)
    ).json()) as { spokes: { name: string }[] };
    expect(raw.spokes[0]!.name).toBe(`projects/${number}/locations/global/spokes/pay`);
    const obs = await w.adapter.observe(both);
    expect(obs.attachments?.map((a) => [a.id, a.hub.id, a.hub.account])).toEqual([
      [`projects/${SPOKE_PROJECT}/locations/global/spokes/pay`, HUB.id, HUB_PROJECT],
    ]);
    expect(obs.transitHubs?.map((h) => h.ref)).toEqual([HUB]);
  });

  it('reads every page of hubs, groups, spokes and routes', async () => {
    w.emu.state.ncc.pageSize = 1;
    for (const name of ['a', 'b', 'c']) {
      w.network(HUB_PROJECT, name, [`10.5${name.charCodeAt(0) - 97}.0.0/16`]);
      w.emu.state.ncc.seedSpoke({
        project: HUB_PROJECT,
        name,
        hub: HUB.id,
        network: { project: HUB_PROJECT, network: name },
      });
    }
    const obs = await w.adapter.observe(both);
    expect(obs.attachments?.map((a) => a.network.id).sort()).toEqual(['a', 'b', 'c']);
    expect(obs.transitHubs?.[0]?.routeTables.map((t) => t.id)).toEqual(['default', 'center']);
    expect(obs.transitHubs?.[0]?.routeTables[0]?.routes.map((r) => r.destination).sort()).toEqual([
      '10.50.0.0/16',
      '10.51.0.0/16',
      '10.52.0.0/16',
    ]);
    // Three pages of VPC spokes (DETAILED, global) and three of every spoke (BASIC).
    expect(w.emu.calls.count(`${NCC}global.hubs.listSpokes`)).toBe(6);
  });

  it('marks a project unread when its NCC reads fail, and keeps what the other project showed', async () => {
    const adapter = new GcpPeeringAdapter({ client: w.client, projects: [HUB_PROJECT, SPOKE_PROJECT], concurrency: 1 });
    w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    w.emu.state.ncc.seedSpoke({
      project: SPOKE_PROJECT,
      name: 'pay',
      hub: HUB.id,
      network: { project: SPOKE_PROJECT, network: 'pay' },
    });
    w.emu.faults.serverError({ method: `${NCC}global.hubs.list`, times: 3 });
    const obs = await adapter.observe(both);
    expect(obs.complete).toBe(false);
    expect(obs.unread).toEqual([
      expect.objectContaining({
        cloud: 'gcp',
        account: HUB_PROJECT,
        reason: expect.stringContaining('NCC read failed'),
      }),
    ]);
    expect(obs.transitHubs).toBeUndefined();
    expect(obs.attachments?.map((a) => a.network.id)).toEqual(['pay']);
  });

  it('reads a project where the Network Connectivity API is disabled as holding no hubs or spokes', async () => {
    w.emu.faults.fail({ method: `${NCC}spokes.list`, times: 2 }, disabled);
    const obs = await w.adapter.observe(both);
    expect(obs.complete).toBe(true);
    expect(obs.unread).toEqual([]);
  });

  it('uses only the permissions it declares for observe and for each attachment action', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    const used = (): string[] =>
      [...w.emu.calls.byMethod.keys()]
        .filter((m) => m.startsWith(NCC))
        .map((m) => PERMISSION[m.slice(NCC.length)] ?? m);
    const declared = (key: keyof typeof GCP_PERMISSIONS): string[] => [...GCP_PERMISSIONS[key]];
    const check = async (key: keyof typeof GCP_PERMISSIONS, run: () => Promise<unknown>) => {
      w.emu.calls.reset();
      await run();
      expect(used().length).toBeGreaterThan(0);
      expect(used().filter((p) => !declared(key).includes(p))).toEqual([]);
    };
    const target = { id: `projects/${SPOKE_PROJECT}/locations/global/spokes/peerkeeper-pay`, hub: HUB, network: pay };
    const routing = (association: string) => ({ association, propagations: [] });
    const act = (a: Action) => () => w.apply(a);
    await check('observe', () => w.adapter.observe(both));
    await check('create-attachment', act(w.create(pay)));
    await check(
      'accept-attachment',
      act({
        action: 'accept-attachment',
        cloud: 'gcp',
        reason: 't',
        target,
        after: { routing: routing('default'), tags: MANAGED },
      }),
    );
    await check(
      'update-attachment',
      act({
        action: 'update-attachment',
        cloud: 'gcp',
        reason: 't',
        target,
        before: routing('default'),
        after: routing('center'),
      }),
    );
    await check('reject-attachment', act({ action: 'reject-attachment', cloud: 'gcp', reason: 't', target }));
    const before = {
      id: target.id,
      cloud: 'gcp' as const,
      hub: HUB,
      network: pay,
      state: 'rejected' as const,
      propagations: [],
      tags: MANAGED,
    };
    await check('delete-attachment', act({ action: 'delete-attachment', cloud: 'gcp', reason: 't', target, before }));
    await check('group-auto-accept', () =>
      writeAutoAccept(w.client, HUB, 'default', [SPOKE_PROJECT], Date.now() + 5_000),
    );
  });
});

describe('GCP adapter: NCC reads only when the policy has a GCP transit hub', () => {
  it('transit: false (createGcpProvider for a peering-only policy) makes no Network Connectivity call', async () => {
    const w = await nccWorld();
    try {
      const adapter = new GcpPeeringAdapter({
        client: w.client,
        projects: [HUB_PROJECT, SPOKE_PROJECT],
        transit: false,
      });
      const obs = await adapter.observe([
        { cloud: 'gcp', account: HUB_PROJECT },
        { cloud: 'gcp', account: SPOKE_PROJECT },
      ]);
      expect(obs.transitHubs ?? []).toEqual([]);
      expect([...w.emu.calls.byMethod.keys()].filter((m) => m.startsWith('networkconnectivity'))).toEqual([]);
      // The same adapter with transit on reads the hub the world seeded.
      const withTransit = new GcpPeeringAdapter({ client: w.client, projects: [HUB_PROJECT, SPOKE_PROJECT] });
      await withTransit.observe([{ cloud: 'gcp', account: HUB_PROJECT }]);
      expect([...w.emu.calls.byMethod.keys()].some((m) => m.startsWith('networkconnectivity'))).toBe(true);
    } finally {
      await w.close();
    }
  });
});
