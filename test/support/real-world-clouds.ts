import type { NetworkRef, Route, RouteTable } from '../../shared/model';
import { networkKey } from '../../shared/model';
import { route, type WorldBuilder } from './real-world-routes';

/** The Azure subscription and GCP project of the generated worlds' other clouds. */
export const SUBSCRIPTION = '5f1c2d3e-0000-4000-8000-00000000da7a';
export const PROJECT = 'pk-net-prod';

/** The Azure next hop peerkeeper writes for the data mesh (the appliance in the first VNet). */
export const AZURE_HOP = '10.60.0.4';

/**
 * UDRs a real Azure route table carries: the default route to the Internet or to a firewall appliance someone else
 * runs, service tags (not CIDRs), a VPN range to the VNet gateway, a black-holed range (next hop None), and
 * sometimes peerkeeper's own route to a peer range through its appliance.
 */
function azureRoutes(w: WorldBuilder, peerRange: string | undefined): Route[] {
  const { rng } = w;
  const out: Route[] = [route('0.0.0.0/0', rng.chance(0.5) ? 'Internet' : 'VirtualAppliance:10.70.0.4')];
  if (rng.chance(0.5)) out.push(route('Storage', 'Internet'));
  if (rng.chance(0.3)) out.push(route('AzureCloud.westeurope', 'Internet'));
  if (rng.chance(0.4)) out.push(route('10.90.0.0/16', 'VirtualNetworkGateway'));
  if (rng.chance(0.2)) out.push(route('10.91.0.0/16', 'None'));
  if (peerRange && rng.chance(0.5)) out.push(route(peerRange, `VirtualAppliance:${AZURE_HOP}`));
  return out;
}

/** Routes of a GCP network: the default internet gateway, an internal load balancer, an instance, a VPN tunnel, a next-hop IP. */
function gcpRoutes(w: WorldBuilder, project: string): Route[] {
  const { rng } = w;
  const out: Route[] = [route('0.0.0.0/0', `gateway:projects/${project}/global/gateways/default-internet-gateway`)];
  if (rng.chance(0.4))
    out.push(route('10.80.0.0/16', `ilb:projects/${project}/regions/europe-west1/forwardingRules/ilb-1`));
  if (rng.chance(0.3))
    out.push(route('10.81.0.0/16', `instance:projects/${project}/zones/europe-west1-b/instances/nva-1`));
  if (rng.chance(0.4))
    out.push(route('192.168.50.0/24', `vpnTunnel:projects/${project}/regions/europe-west1/vpnTunnels/onprem-1`));
  if (rng.chance(0.2)) out.push(route('10.82.0.0/16', 'ip:10.70.0.10'));
  return out;
}

/**
 * Azure VNets of a data mesh whose UDRs peerkeeper writes through an appliance (service tags, the VNet gateway,
 * None, someone else's firewall beside them), and GCP networks of a mesh with every next-hop kind Compute returns.
 * No peerings yet: the plan creates them, so the clouds' halves never need modelling in a partial read.
 */
export function otherClouds(w: WorldBuilder): void {
  const ranges = w.rng
    .shuffle(['10.60.0.0/16', '10.61.0.0/16', '10.62.0.0/16', '10.61.0.0/20'])
    .slice(0, w.rng.int(2, 3));
  ranges.forEach((cidr, i) => {
    const base = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-data/providers/Microsoft.Network`;
    const ref: NetworkRef = {
      cloud: 'azure',
      account: SUBSCRIPTION,
      region: 'westeurope',
      id: `${base}/virtualNetworks/vnet-data-${i}`,
    };
    const peer = ranges.find((r) => r !== cidr);
    const local: Route[] = [{ destination: cidr, target: { kind: 'other', id: 'VnetLocal' }, origin: 'system' }];
    const table: RouteTable = {
      id: `${base}/routeTables/rt-data-${i}`,
      network: ref,
      tags: {},
      routes: [...local, ...azureRoutes(w, peer)],
    };
    w.networks.push({ ref, name: `vnet-data-${i}`, cidrs: [cidr], tags: { tier: 'data' }, routeTables: [table] });
    w.truth.ranges.set(networkKey(ref), [cidr]);
  });
  for (const [i, cidr] of w.rng
    .shuffle(['10.70.0.0/20', '10.71.0.0/20', '10.70.8.0/21'])
    .slice(0, w.rng.int(2, 3))
    .entries()) {
    const ref: NetworkRef = {
      cloud: 'gcp',
      account: PROJECT,
      region: 'global',
      id: `mesh-${String.fromCharCode(97 + i)}`,
    };
    const table: RouteTable = { id: 'routes', network: ref, main: true, tags: {}, routes: gcpRoutes(w, PROJECT) };
    w.networks.push({ ref, name: ref.id, cidrs: [cidr], tags: {}, routeTables: [table] });
    w.truth.ranges.set(networkKey(ref), [cidr]);
  }
}
