import fc from 'fast-check';
import { startAwsEmulator, type AwsEmulator } from '../../infra/local/aws';
import { deleteGateway } from '../../infra/local/aws/state/gateways';
import { createGateway } from '../../infra/local/aws/state/gateways';
import { createPeering } from '../../infra/local/aws/state/peerings';
import type { Caller } from '../../infra/local/aws/state/types';
import type { Estate } from '../../shared/model';
import type { Policy } from '../../shared/policy/schema';
import { AwsPeeringAdapter } from '../../shared/providers/aws';
import { governedAccounts } from '../../shared/reconcile';
import { HUB, NOW, PARTNER, SPOKE_A, SPOKE_B, STRANGER } from '../support/estate-builder';
import { policyArb } from '../support/random-estate';
import { VirtualClock } from './chaos-provider';
import { Prng } from './prng';
import type { ChaosTarget } from './scenario';

// IPv4 only (a VPC's primary range is IPv4); a small pool so overlaps happen.
const RANGES = ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.2.128.0/20', '172.16.0.0/16'];
const caller = (account: string): Caller => ({ account, region: 'us-east-1', accessKeyId: `seed-${account}` });

/** Seeds a random estate into the emulator: a hub, 1–3 spokes (maybe overlapping), others, unmanaged routes, foreign requests. */
function seedEstate(emu: AwsEmulator, rng: Prng): void {
  const s = emu.state;
  const hub = s.createVpc({ account: HUB, region: 'us-east-1', cidr: '10.0.0.0/16', tags: { role: 'hub' } });
  if (rng.chance(0.5)) s.createRouteTable({ vpcId: hub.vpcId });
  s.addRoute({
    routeTableId: hub.mainRouteTableId,
    destination: '0.0.0.0/0',
    target: { gatewayId: 'igw-0123456789abcdef0' },
  });
  // What real hubs carry (issue 12): an S3 gateway endpoint's prefix-list route, a transit route over a spoke range.
  if (rng.chance(0.6))
    createGateway(s, {
      kind: 'endpoint',
      account: HUB,
      region: 'us-east-1',
      vpcId: hub.vpcId,
      service: 's3',
      routeTableIds: [hub.mainRouteTableId],
    });
  if (rng.chance(0.3))
    s.addRoute({
      routeTableId: hub.mainRouteTableId,
      destination: rng.pick(['10.2.0.0/16', '10.3.128.0/17']),
      target: { transitGatewayId: 'tgw-0fedcba9876543210' },
    });
  // Real hubs also route to gateways peerkeeper never touches: a transit gateway, and a NAT gateway since deleted (blackhole).
  const transit = s.createGateway({ kind: 'transit', account: HUB, region: 'us-east-1' });
  s.addRoute({
    routeTableId: hub.mainRouteTableId,
    destination: '172.31.0.0/16',
    target: { transitGatewayId: transit.id },
  });
  const nat = s.createGateway({ kind: 'nat', account: HUB, region: 'us-east-1', vpcId: hub.vpcId });
  s.addRoute({ routeTableId: hub.mainRouteTableId, destination: '100.64.0.0/10', target: { natGatewayId: nat.id } });
  deleteGateway(s, nat.id);
  const spokes: string[] = [];
  for (let i = 0, n = rng.int(1, 3); i < n; i++) {
    const vpc = s.createVpc({
      account: rng.pick([SPOKE_A, SPOKE_B, HUB]),
      region: 'us-east-1',
      cidr: rng.pick(RANGES),
      tags: { role: rng.pick(['spoke', 'spoke', 'other']) },
    });
    spokes.push(vpc.vpcId);
    if (rng.chance(0.5))
      s.addRoute({
        routeTableId: vpc.mainRouteTableId,
        destination: rng.pick(['0.0.0.0/0', '10.0.0.0/16', '192.168.0.0/16']),
        target: { natGatewayId: 'nat-0123456789abcdef0' },
      });
    if (rng.chance(0.3))
      s.addRoute({
        routeTableId: vpc.mainRouteTableId,
        destination: '172.31.0.0/16',
        target: { transitGatewayId: 'tgw-0123456789abcdef0' },
      });
  }
  // Requests peerkeeper must judge: a stranger's, a partner's, and one spoke asking another (denied).
  const outsider = (account: string) =>
    s.createVpc({ account, region: 'us-east-1', cidr: rng.pick([...RANGES, '192.168.0.0/16']) }).vpcId;
  if (rng.chance(0.5))
    createPeering(s, caller(STRANGER), { vpcId: outsider(STRANGER), peerVpcId: hub.vpcId, peerOwnerId: HUB });
  if (rng.chance(0.5))
    createPeering(s, caller(PARTNER), { vpcId: outsider(PARTNER), peerVpcId: hub.vpcId, peerOwnerId: HUB });
  if (spokes.length >= 2 && rng.chance(0.5)) {
    const [a, b] = [s.vpc(spokes[0]!), s.vpc(spokes[1]!)];
    createPeering(s, caller(a.account), { vpcId: a.id, peerVpcId: b.id, peerOwnerId: b.account });
  }
}

/** A seeded scenario over the EC2 emulator through the real AWS adapter (SigV4, XML, STS AssumeRole). */
export async function emulatorScenario(
  seed: number,
): Promise<{ rng: Prng; policy: Policy; target: ChaosTarget; clock: VirtualClock; close: () => Promise<void> }> {
  const rng = new Prng(seed);
  const [base] = fc.sample(policyArb, { seed: rng.fork(), numRuns: 1 });
  const policy: Policy = { ...base!, limits: { maxChangesPerRun: rng.chance(0.3) ? rng.int(3, 6) : 1000 } };
  const clock = new VirtualClock(NOW.getTime());
  const emu = await startAwsEmulator({ hubAccount: HUB, now: clock.now });
  for (const account of [SPOKE_A, SPOKE_B]) emu.state.setRole(account, { roleName: 'peerkeeper-member' });
  seedEstate(emu, rng);
  // Fast retries: the SDK's own retries off, ours at 1–5 ms, so throttling is felt by the executor, not hidden.
  const adapter = new AwsPeeringAdapter({
    roleName: 'peerkeeper-member',
    regions: ['us-east-1'],
    allowedAccounts: new Set([HUB, SPOKE_A, SPOKE_B, PARTNER]),
    hubAccount: HUB,
    endpoint: emu.url,
    credentials: { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' },
    sdkMaxAttempts: 1,
    backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, throttleFloorMs: 1 },
  });
  const partitions = governedAccounts(policy, 'aws').map((account) => ({
    cloud: 'aws' as const,
    account,
    region: 'us-east-1',
  }));
  const target: ChaosTarget = {
    provider: adapter,
    snapshot: async (): Promise<Estate> => {
      const seen = await adapter.observe(partitions);
      if (!seen.complete) throw new Error(`snapshot observation incomplete: ${seen.gaps.join('; ')}`);
      return { version: 1, observedAt: clock.now().toISOString(), ...seen };
    },
    throttleWrites: (n) => {
      emu.faults.throttle({ times: n });
    },
    clearFaults: () => {
      emu.faults.clear();
    },
    // A third of the seeds govern a spoke account that denies every call (its role never deployed).
    ...(rng.chance(0.3) ? { denying: [SPOKE_B] } : {}),
  };
  return {
    rng,
    policy,
    target,
    clock,
    close: async () => {
      adapter.close();
      await emu.close();
    },
  };
}
