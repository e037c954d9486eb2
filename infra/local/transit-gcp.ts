import { computeAs } from './actors';
import type { LocalCloud } from './cloud';
import { TRANSIT_CAST } from './transit-estate';
import type { ScenarioStep } from './transit-scenario';

const T = TRANSIT_CAST.gcp;
const CIDRS = TRANSIT_CAST.cidrs;
const VENDING = 'vending@platform-prj.iam.gserviceaccount.com';
const NETOPS = 'netops@net-hub.iam.gserviceaccount.com';
const ROGUE = 'admin@rogue-prj.iam.gserviceaccount.com';

export interface GcpTransitIds {
  /** The VPC spoke peerkeeper proposed for shop-transit/shop (accepted as the hub project), and the rogue one. */
  spoke: string;
  strangerSpoke: string;
}

/** The NCC spokes linking a VPC network (any project, any hub), newest last. */
export function nccSpokesOf(cloud: LocalCloud, project: string, network: string) {
  return [...cloud.gcp.state.ncc.spokes.values()].filter(
    (s) => s.vpc?.project === project && s.vpc.network === network,
  );
}

/** An NCC REST call as `principal`; waits for its operation as gcloud does. */
async function nccAs(cloud: LocalCloud, principal: string, verb: 'POST' | 'PATCH', path: string, body: unknown) {
  const base = `${cloud.gcp.url}/networkconnectivity/v1`;
  const headers = { 'content-type': 'application/json', 'x-emulator-principal': principal };
  const res = await fetch(`${base}/${path}`, { method: verb, headers, body: JSON.stringify(body) });
  const op = (await res.json()) as { name?: string; done?: boolean };
  if (!res.ok) throw new Error(`${verb} ${path}: ${JSON.stringify(op)}`);
  for (let i = 0; i < 50 && !op.done; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    Object.assign(op, await (await fetch(`${base}/${op.name}`, { headers })).json());
  }
}

/** A project's network with one subnet, inserted over the wire (its subnet laid down before the events are handled). */
async function insertNetwork(cloud: LocalCloud, principal: string, project: string, name: string, cidr: string) {
  cloud.bus.pause();
  if (!cloud.gcp.state.projects.has(project)) cloud.gcp.state.createProject({ id: project });
  await computeAs(cloud.gcp.url, principal, 'POST', `projects/${project}/global/networks`, {
    name,
    autoCreateSubnetworks: false,
  });
  cloud.gcp.state.createSubnetwork({
    project,
    region: 'europe-west1',
    network: name,
    name: `${name}-ew1`,
    ipCidrRange: cidr,
  });
  await cloud.bus.resume();
}

/** The GCP transit story: a spoke proposed and accepted, a rogue spoke rejected, a group move put back, a hybrid route kept. */
export async function runGcpTransit(cloud: LocalCloud, step: ScenarioStep): Promise<GcpTransitIds> {
  const ncc = cloud.gcp.state.ncc;
  const describe = (project: string, network: string) => {
    const s = nccSpokesOf(cloud, project, network).pop();
    return s
      ? `${s.project}/${s.name} ${s.state}${s.reasons[0] ? ` (${s.reasons[0].code})` : ''} in group ${s.group}`
      : 'no spoke';
  };

  await step(
    'GCP transit: the pipeline inserts network shop in project shop-transit → peerkeeper proposes a VPC spoke to NCC hub core and accepts it as net-hub',
    () => insertNetwork(cloud, VENDING, T.spoke, 'shop', CIDRS.gcpSpoke),
    () => describe(T.spoke, 'shop'),
  );

  await step(
    'GCP transit: project rogue-prj (not in the policy) proposes a spoke to hub core → the sweep of net-hub finds it pending review → rejected',
    async () => {
      await insertNetwork(cloud, ROGUE, T.stranger, 'edge', CIDRS.gcpStranger);
      await nccAs(cloud, ROGUE, 'POST', `projects/${T.stranger}/locations/global/spokes?spokeId=edge`, {
        hub: T.hub,
        linkedVpcNetwork: { uri: `https://www.googleapis.com/compute/v1/projects/${T.stranger}/global/networks/edge` },
      });
      await cloud.settled();
      // CreateSpoke is logged in rogue-prj, whose scope peerkeeper does not read: the hub project's sweep unit decides.
      await cloud.functions.gcp.reconcile({
        scope: { kind: 'account', cloud: 'gcp', account: T.hubProject },
        kind: 'sweep',
        eventId: `sweep:${T.hubProject}:transit`,
        source: 'scheduled sweep',
      });
    },
    () => describe(T.stranger, 'edge'),
  );

  await step(
    "GCP transit: someone moves the shop spoke to group quarantine (UpdateSpoke); the route the hub learned over an on-premises VPN is someone else's",
    async () => {
      const s = nccSpokesOf(cloud, T.spoke, 'shop').pop()!;
      await nccAs(cloud, NETOPS, 'PATCH', `projects/${T.spoke}/locations/global/spokes/${s.name}?updateMask=group`, {
        group: `${T.hub}/groups/quarantine`,
      });
    },
    () => {
      const hybrid = ncc.hybridRoutes.find((r) => r.ipCidrRange === CIDRS.handRoute);
      return `put back: ${describe(T.spoke, 'shop')}; ${CIDRS.handRoute} over hybrid spoke ${hybrid?.spoke ?? 'gone'} in table ${hybrid?.routeTable ?? '-'} (left alone: not peerkeeper's)`;
    },
  );

  return {
    spoke: nccSpokesOf(cloud, T.spoke, 'shop').pop()?.name ?? 'none',
    strangerSpoke: nccSpokesOf(cloud, T.stranger, 'edge').pop()?.name ?? 'none',
  };
}
