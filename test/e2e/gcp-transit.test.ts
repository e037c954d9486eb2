import { DEFAULT_PRINCIPAL } from '../../infra/local/gcp';
import { PolicySchema } from '../../shared/policy/schema';
import type { Json, World } from './gcp-harness';
import { startNccE2e, type NccE2e } from './gcp-transit-harness';

// Issue 17 end to end on GCP: the real functions link governed VPCs to an NCC hub as spokes (created in the spoke's
// project, accepted in the hub's), in the declared group with the declared export filter, put back what a person
// changes, reject a stranger's spoke, and never touch a spoke or a route that is not theirs.
const HUB_PROJECT = 'net-hub-prod';
const SPOKE_PROJECTS = ['payments-prod', 'shop-prod'] as const;
const STRANGER = 'stranger-prod'; // no group lists it
const LEGACY = 'legacy-prod'; // governed, its VPC linked by hand before peerkeeper (unlabeled, in 'default')
const ALICE = 'alice@example.com';
const HUB = `projects/${HUB_PROJECT}/locations/global/hubs/core`;
/** Each spoke's private subnet: the declared export filter keeps it out of the hub. */
const PRIVATE = (i: number) => `10.${20 + i}.128.0/20`;

const policy = PolicySchema.parse({
  version: 1,
  identities: [DEFAULT_PRINCIPAL],
  providers: { gcp: { projects: [HUB_PROJECT, ...SPOKE_PROJECTS, LEGACY] } },
  groups: { spokes: { cloud: 'gcp', account: [...SPOKE_PROJECTS, LEGACY] } },
  transitHubs: { core: { cloud: 'gcp', account: HUB_PROJECT, id: HUB, associate: 'center' } },
  connections: [
    {
      name: 'spokes-via-ncc',
      topology: 'hub-spoke',
      hub: 'core',
      spokes: 'spokes',
      via: 'transit',
      approval: 'auto',
      attachment: { excludeExportRanges: SPOKE_PROJECTS.map((_, i) => PRIVATE(i)) },
    },
  ],
  unmatchedRequests: 'reject',
});

let e: NccE2e;
let w: World;
const ncc = () => w.em.state.ncc;
const spokeOf = (project: string) => [...ncc().spokes.values()].find((s) => s.vpc?.project === project);
/** What peerkeeper must never touch: the network team's spokes (a VPC and a hybrid one) and the routes they bring. */
const notOurs = () => ({
  spokes: [...ncc().spokes.values()]
    .filter((s) => s.project === HUB_PROJECT || s.project === LEGACY)
    .map((s) => structuredClone(s)),
  hybridRoutes: structuredClone(ncc().hybridRoutes),
});
let baseline: ReturnType<typeof notOurs>;
/** The stranger's audit-log events, never delivered (outside the sink), replayed at the end. */
const undelivered: Json[] = [];
/** A project's VPC made by a person (audit-logged), with a main and a private subnet. */
async function vpc(project: string, i: number): Promise<void> {
  w.em.state.createProject({ id: project });
  await w.rest(ALICE, 'POST', `projects/${project}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false });
  for (const [name, ipCidrRange] of [
    ['main', `10.${20 + i}.0.0/20`],
    ['private', PRIVATE(i)],
  ] as const)
    w.em.state.createSubnetwork({ project, region: 'europe-west1', network: 'vpc', name, ipCidrRange });
}
beforeAll(async () => {
  e = await startNccE2e(policy, HUB);
  w = e.w;
  w.em.state.createProject({ id: HUB_PROJECT });
  ncc().createHub({ project: HUB_PROJECT, name: 'core', groups: ['default', 'center'] });
  // The network team's own spokes: a shared-services VPC and a VPN whose learned route sits in 'center'.
  w.em.state.createNetwork({ project: HUB_PROJECT, name: 'shared' });
  w.em.state.createSubnetwork({
    project: HUB_PROJECT,
    region: 'europe-west1',
    network: 'shared',
    name: 's',
    ipCidrRange: '10.40.0.0/16',
  });
  ncc().seedSpoke({
    project: HUB_PROJECT,
    name: 'shared',
    hub: HUB,
    group: 'default',
    network: { project: HUB_PROJECT, network: 'shared' },
  });
  ncc().seedSpoke({
    project: HUB_PROJECT,
    name: 'vpn-onprem',
    hub: HUB,
    group: 'center',
    hybrid: { kind: 'vpn', region: 'europe-west1', uris: ['vpn-tunnel-1'], vpcNetwork: 'shared' },
  });
  ncc().addHybridRoute({
    hub: HUB,
    routeTable: 'center',
    ipCidrRange: '192.168.0.0/16',
    spoke: `projects/${HUB_PROJECT}/locations/europe-west1/spokes/vpn-onprem`,
  });
  w.em.state.createProject({ id: LEGACY });
  w.em.state.createNetwork({ project: LEGACY, name: 'vpc' });
  w.em.state.createSubnetwork({
    ...{ project: LEGACY, region: 'europe-west1', network: 'vpc', name: 'm', ipCidrRange: '10.45.0.0/16' },
  });
  ncc().seedSpoke({
    project: LEGACY,
    name: 'legacy',
    hub: HUB,
    group: 'default',
    network: { project: LEGACY, network: 'vpc' },
  });
  baseline = notOurs();
  expect(baseline.spokes.map((s) => [s.name, s.group, s.state])).toEqual([
    ['shared', 'default', 'ACTIVE'],
    ['vpn-onprem', 'center', 'ACTIVE'],
    ['legacy', 'default', 'ACTIVE'],
  ]);
});
// Every reconcile below leaves the network team's spokes and the route their VPN brings exactly as they were.
afterEach(() => {
  expect(notOurs()).toEqual(baseline);
});
afterAll(() => w.em.close());

describe('GCP Network Connectivity Center end to end with the real functions', () => {
  it("links each governed VPC from its creation event: spoke created in its project, accepted in the hub's, in 'center' with the declared export filter", async () => {
    for (const [i, project] of SPOKE_PROJECTS.entries()) await vpc(project, i);
    const outcomes = await e.deliverAll();
    expect(outcomes.filter((o) => o.status === 'reconciled').length).toBeGreaterThanOrEqual(2);
    for (const project of SPOKE_PROJECTS)
      expect(spokeOf(project)).toMatchObject({
        hub: HUB,
        group: 'center',
        state: 'ACTIVE',
        labels: { 'peerkeeper-managed': 'true' },
        vpc: { excludeExportRanges: [PRIVATE(0), PRIVATE(1)] },
      });
    // NCC routes between them through 'center': each main subnet, no private one, and the VPN's learned range.
    expect(await e.routesIn('center')).toEqual(['10.20.0.0/20', '10.21.0.0/20', '192.168.0.0/16']);
  });

  it("rejects a spoke proposed from a project no group lists, found by the hub project's sweep", async () => {
    w.em.state.createProject({ id: STRANGER });
    w.em.state.createNetwork({ project: STRANGER, name: 'vpc' });
    w.em.state.createSubnetwork({
      project: STRANGER,
      region: 'europe-west1',
      network: 'vpc',
      name: 'm',
      ipCidrRange: '10.60.0.0/16',
    });
    await e.asPerson('mallory@stranger.example', 'POST', `projects/${STRANGER}/locations/global/spokes?spokeId=sneak`, {
      hub: HUB,
      group: 'center',
      linkedVpcNetwork: { uri: `https://www.googleapis.com/compute/v1/projects/${STRANGER}/global/networks/vpc` },
    });
    expect(spokeOf(STRANGER)).toMatchObject({ state: 'INACTIVE', reasons: [{ code: 'PENDING_REVIEW' }] });
    undelivered.push(...w.take()); // logged in the stranger's project, outside the folder's sink
    const during = await e.writes(async () => {
      expect((await e.sweep()).every((o) => o.status === 'reconciled')).toBe(true);
      await e.deliverAll();
    });
    expect(during).toBe(1); // the rejection
    expect(spokeOf(STRANGER)).toMatchObject({ state: 'INACTIVE', reasons: [{ code: 'REJECTED' }] });
    expect(await e.routesIn('center')).not.toContain('10.60.0.0/16');
  });

  it("puts back a spoke's group changed by hand, from its UpdateSpoke audit entry", async () => {
    const spoke = spokeOf(SPOKE_PROJECTS[0])!;
    const during = await e.writes(async () => {
      await e.asPerson(
        ALICE,
        'PATCH',
        `projects/${spoke.project}/locations/global/spokes/${spoke.name}?updateMask=group`,
        {
          group: `${HUB}/groups/default`,
        },
      );
      expect(spokeOf(SPOKE_PROJECTS[0])?.group).toBe('default');
      await e.deliverAll();
    });
    expect(during).toBe(2); // Alice's patch and peerkeeper's
    expect(spokeOf(SPOKE_PROJECTS[0])).toMatchObject({ group: 'center', state: 'ACTIVE' });
  });

  it("puts back a spoke's export filter changed by hand (what the hub learns from it), from its UpdateSpoke audit entry", async () => {
    const spoke = spokeOf(SPOKE_PROJECTS[1])!;
    const during = await e.writes(async () => {
      await e.asPerson(
        ALICE,
        'PATCH',
        `projects/${spoke.project}/locations/global/spokes/${spoke.name}?updateMask=linkedVpcNetwork.excludeExportRanges`,
        { linkedVpcNetwork: { excludeExportRanges: [] } },
      );
      expect(await e.routesIn('center')).toContain(PRIVATE(1));
      await e.deliverAll();
    });
    expect(during).toBe(2);
    expect(spokeOf(SPOKE_PROJECTS[1])?.vpc?.excludeExportRanges).toEqual([PRIVATE(0), PRIVATE(1)]);
    expect(await e.routesIn('center')).toEqual(['10.20.0.0/20', '10.21.0.0/20', '192.168.0.0/16']);
  });

  it('makes no writes on a sweep of the converged estate', async () => {
    const during = await e.writes(async () => {
      const outcomes = await e.sweep();
      expect(outcomes.length).toBeGreaterThanOrEqual(3);
      for (const o of outcomes) expect(o).toMatchObject({ status: 'reconciled', writes: 0 });
    });
    expect(during).toBe(0);
  });

  it('changes nothing when every event delivered so far is replayed (same ids: no calls; new ids: re-read, no writes)', async () => {
    expect(w.take()).toEqual([]);
    const events = [...e.delivered];
    expect(events.length).toBeGreaterThanOrEqual(6);
    const reads = w.em.calls.reads;
    const same = await e.writes(async () => {
      for (const ev of events)
        expect(await w.event(ev)).toMatchObject({ status: expect.stringMatching(/^(duplicate|ignored)$/) as unknown });
    });
    expect({ writes: same, reads: w.em.calls.reads - reads }).toEqual({ writes: 0, reads: 0 });
    const fresh = await e.writes(async () => {
      for (const [i, ev] of events.entries()) await w.event({ ...ev, id: `replay-${i}` });
    });
    expect(fresh).toBe(0);
    expect(w.em.calls.reads).toBeGreaterThan(reads);
    // The stranger's own entries too, as if its project's log reached the sink.
    expect(undelivered.length).toBeGreaterThan(0);
    const strangers = await e.writes(async () => {
      for (const [i, ev] of undelivered.entries()) await w.event({ ...ev, id: `stranger-${i}` });
    });
    expect(strangers).toBe(0);
  });
});
