import { DEFAULT_PRINCIPAL } from '../../infra/local/gcp';
import { PolicySchema } from '../../shared/policy/schema';
import { runningClock } from '../support/clock';
import { AzureWorld, EMULATOR_PRINCIPAL_ID, tokenFor } from '../e2e/azure-harness';
import { startWorld, type Json } from '../e2e/gcp-harness';
import { diff, rows, type Measured, type Row } from './transit-calls-support';

/** Azure: a person re-associates peerkeeper's hub connection; the Event Grid connection write reaches the functions. */
export async function azureRows(): Promise<Row[]> {
  const [HUB_SUB, SPOKE_SUB, LOCATION] = [
    '0b1f6471-1bf0-4dda-aec3-111111111111',
    '0b1f6471-1bf0-4dda-aec3-222222222222',
    'westeurope',
  ];
  const HUB = `/subscriptions/${HUB_SUB}/resourceGroups/wan/providers/Microsoft.Network/virtualHubs/hub-we`;
  const policy = PolicySchema.parse({
    version: 1,
    identities: [EMULATOR_PRINCIPAL_ID],
    providers: { azure: { subscriptions: [HUB_SUB, SPOKE_SUB] } },
    groups: { spokes: { cloud: 'azure', account: [HUB_SUB, SPOKE_SUB], tags: { role: 'spoke' } } },
    transitHubs: { core: { cloud: 'azure', account: HUB_SUB, region: LOCATION, id: HUB, associate: 'spokes' } },
    connections: [
      { name: 'spokes', topology: 'hub-spoke', hub: 'core', spokes: 'spokes', via: 'transit', approval: 'auto' },
    ],
    unmatchedRequests: 'reject',
  });
  const world = await AzureWorld.start(policy);
  try {
    const state = world.emu.state;
    for (const sub of [HUB_SUB, SPOKE_SUB]) state.createSubscription(sub);
    const wan = state.wan.createVirtualWan({
      subscription: HUB_SUB,
      resourceGroup: 'wan',
      name: 'wan',
      location: LOCATION,
    });
    state.wan.createVirtualHub({
      ...{ subscription: HUB_SUB, resourceGroup: 'wan', name: 'hub-we', location: LOCATION },
      ...{ virtualWanId: wan.id, addressPrefix: '10.100.0.0/23' },
    });
    state.wan.putRouteTable(HUB, 'spokes', { routes: [], labels: [] });
    const vnets = [HUB_SUB, SPOKE_SUB].map(
      (subscription, i) =>
        state.createVnet({
          ...{ subscription, resourceGroup: 'net', name: `spoke-${i}`, location: LOCATION },
          ...{ addressPrefixes: [`10.${20 + i}.0.0/16`], tags: { role: 'spoke' } },
        }).record.id,
    );
    for (const message of await world.sweep()) await world.work(message);
    await world.drain();
    const connection = state.wan.connectionOf(vnets[1]!)!.connection;
    const table = (t: string) => ({ id: `${HUB}/hubRouteTables/${t}` });
    // A person re-associates it with the default route table: the write's event waits in the inbox.
    const res = await fetch(
      `${world.emu.url}${HUB}/hubVirtualNetworkConnections/${connection.name}?api-version=2024-05-01`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${tokenFor('a11ce000-0000-4000-8000-000000000001')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          properties: {
            remoteVirtualNetwork: { id: vnets[1] },
            routingConfiguration: {
              associatedRouteTable: table('defaultRouteTable'),
              propagatedRouteTables: { ids: [table('spokes')], labels: [] },
            },
          },
        }),
      },
    );
    if (res.status >= 300) throw new Error(`connection PUT: ${res.status}`);
    const [written] = world.inbox.splice(0) as Json[];
    const measure = async (run: () => Promise<unknown>): Promise<Measured> => {
      const [reads, writes, before] = [world.emu.calls.reads(), world.emu.calls.writes(), world.emu.calls.snapshot()];
      await run();
      return {
        reads: world.emu.calls.reads() - reads,
        writes: world.emu.calls.writes() - writes,
        calls: diff(world.emu.calls.snapshot(), before),
      };
    };
    const event = await measure(async () => {
      await world.event(written!);
      await world.drain();
    });
    if (!/hubRouteTables\/spokes$/.test(state.wan.connectionOf(vnets[1]!)!.connection.associatedRouteTableId))
      throw new Error('the connection was not put back');
    const replay = await measure(() => world.event({ ...written!, id: `${String(written!.id)}-replay` }));
    return rows(
      'azure',
      event,
      replay,
      'hubVirtualNetworkConnections/write by a person (Event Grid → events function): re-read the hub subscription, PUT the connection back to the declared routing, poll its operation',
    );
  } finally {
    await world.close();
  }
}

/** GCP: a person proposes a spoke for a governed VPC in its project; the audit-log CreateSpoke reaches the functions. */
export async function gcpRows(): Promise<Row[]> {
  const [HUB_PROJECT, SPOKE_PROJECT] = ['net-hub-prod', 'payments-prod'];
  const HUB = `projects/${HUB_PROJECT}/locations/global/hubs/core`;
  const policy = PolicySchema.parse({
    version: 1,
    identities: [DEFAULT_PRINCIPAL],
    providers: { gcp: { projects: [HUB_PROJECT, SPOKE_PROJECT] } },
    groups: { spokes: { cloud: 'gcp', account: [SPOKE_PROJECT] } },
    transitHubs: { core: { cloud: 'gcp', account: HUB_PROJECT, id: HUB, associate: 'center' } },
    connections: [
      { name: 'spokes', topology: 'hub-spoke', hub: 'core', spokes: 'spokes', via: 'transit', approval: 'auto' },
    ],
    unmatchedRequests: 'reject',
  });
  const clock = runningClock();
  const w = await startWorld(clock, policy);
  try {
    const state = w.em.state;
    for (const id of [HUB_PROJECT, SPOKE_PROJECT]) state.createProject({ id });
    state.ncc.createHub({ project: HUB_PROJECT, name: 'core', groups: ['default', 'center'] });
    state.createNetwork({ project: SPOKE_PROJECT, name: 'vpc' });
    state.createSubnetwork({
      project: SPOKE_PROJECT,
      region: 'europe-west1',
      network: 'vpc',
      name: 'm',
      ipCidrRange: '10.20.0.0/16',
    });
    const res = await fetch(
      `${w.em.url}/networkconnectivity/v1/projects/${SPOKE_PROJECT}/locations/global/spokes?spokeId=payments`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-emulator-principal': 'alice@example.com' },
        body: JSON.stringify({
          hub: HUB,
          group: 'center',
          linkedVpcNetwork: {
            uri: `https://www.googleapis.com/compute/v1/projects/${SPOKE_PROJECT}/global/networks/vpc`,
          },
        }),
      },
    );
    if (!res.ok) throw new Error(`CreateSpoke: ${res.status}`);
    clock.advance(1_000); // the operation ends; its last audit entry is emitted on the next NCC request
    await fetch(`${w.em.url}/networkconnectivity/v1/${HUB}`);
    const created = w.take().find((e) => e.data?.operation?.last === true)!;
    const measure = async (run: () => Promise<unknown>): Promise<Measured> => {
      const [reads, writes, before] = [w.em.calls.reads, w.em.calls.writes, new Map(w.em.calls.byMethod)];
      await run();
      const calls = diff(Object.fromEntries(w.em.calls.byMethod), Object.fromEntries(before));
      return { reads: w.em.calls.reads - reads, writes: w.em.calls.writes - writes, calls };
    };
    const event = await measure(async () => {
      await w.event(created);
      for (let batch = w.take(); batch.length > 0; batch = w.take()) for (const e of batch) await w.event(e);
    });
    const spoke = state.ncc.spokes.get(`projects/${SPOKE_PROJECT}/locations/global/spokes/payments`);
    if (spoke?.state !== 'ACTIVE') throw new Error(`the spoke was not accepted (${spoke?.state})`);
    const replay = await measure(() => w.event({ ...created, id: `${String(created.id)}-replay` }));
    return rows(
      'gcp',
      event,
      replay,
      "CreateSpoke by a person in a governed spoke project (audit log → event function): accept it in the hub's project",
    );
  } finally {
    await w.em.close();
  }
}
