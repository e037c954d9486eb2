import { startGcpEmulator, type GcpEmulator, type GcpEmulatorOptions } from '../../../../infra/local/gcp';

/** A clock tests move by hand: operations advance only when the test says so. */
export function manualClock(start = Date.UTC(2025, 0, 15, 12, 0, 0)): { now: () => Date; advance(ms: number): void } {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
}

/** JSON over loopback, returning status and parsed body. */
export async function call(
  em: GcpEmulator,
  verb: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${em.url}${path}`, {
    method: verb,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Two projects, two networks each with a subnet; `hub` and `spoke` do not overlap, `clash` overlaps `hub`. */
export async function seededEmulator(opts: GcpEmulatorOptions = {}): Promise<GcpEmulator> {
  const em = await startGcpEmulator(opts);
  const s = em.state;
  s.createProject({ id: 'hub-prj', labels: { env: 'prod', role: 'hub' } });
  s.createProject({ id: 'spoke-prj', labels: { env: 'prod' }, parent: { type: 'folder', id: '123' } });
  s.createNetwork({ project: 'hub-prj', name: 'hub', description: 'hub network' });
  s.createNetwork({ project: 'spoke-prj', name: 'spoke' });
  s.createNetwork({ project: 'spoke-prj', name: 'clash' });
  s.createSubnetwork({
    project: 'hub-prj',
    region: 'us-central1',
    network: 'hub',
    name: 'hub-a',
    ipCidrRange: '10.0.0.0/20',
    secondaryIpRanges: [{ rangeName: 'pods', ipCidrRange: '10.4.0.0/14' }],
  });
  s.createSubnetwork({
    project: 'spoke-prj',
    region: 'europe-west1',
    network: 'spoke',
    name: 'spoke-a',
    ipCidrRange: '10.16.0.0/20',
    ipv6CidrRange: 'fd20:1:2:0:0:0:0:0/64',
  });
  s.createSubnetwork({
    project: 'spoke-prj',
    region: 'europe-west1',
    network: 'clash',
    name: 'clash-a',
    ipCidrRange: '10.0.8.0/24',
  });
  s.addRoute({
    project: 'hub-prj',
    network: 'hub',
    name: 'default-route-hub',
    destRange: '0.0.0.0/0',
    nextHop: {
      nextHopGateway: 'https://www.googleapis.com/compute/v1/projects/hub-prj/global/gateways/default-internet-gateway',
    },
  });
  s.addRoute({
    project: 'hub-prj',
    network: 'hub',
    name: 'onprem',
    destRange: '192.168.0.0/16',
    priority: 900,
    nextHop: { nextHopIp: '10.0.0.5' },
  });
  return em;
}
