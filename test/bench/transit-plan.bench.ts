import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Attachment, Estate, Network, TransitHub } from '../../shared/model';
import { EstateSchema, isMutating } from '../../shared/model';
import { planScope } from '../../shared/planner';
import type { PolicyInput } from '../../shared/policy/schema';
import { PolicySchema } from '../../shared/policy/schema';
import { generateEstate } from './estate-generator';

const OURS = { 'peerkeeper:managed': 'true' };
const SUMMARIES = ['10.0.0.0/8', '2600:1f18::/32'];

/**
 * The generated estate with AWS hub-spoke sets moved to Transit Gateways until about half of all networks sit on a
 * transit hub (issue 17): each moved set's hub VPC becomes a TGW in the same account, its spokes active attachments
 * (ours, associated and propagating into the spokes table, 1 % drifted, 1 % not yet attached), the TGW's table holds
 * their propagated ranges, and the spokes' tables route the policy's summaries toward the TGW.
 */
export function transitEstate(size: number): { estate: Estate; policy: PolicyInput; onTransit: number } {
  const { estate, policy } = generateEstate(size);
  const connections = policy.connections ?? [];
  const target = Math.floor(size / 2);
  const bySet = new Map<string, Network[]>();
  for (const n of estate.networks)
    if (n.ref.cloud === 'aws') bySet.set(n.tags.set!, [...(bySet.get(n.tags.set!) ?? []), n]);
  const moved = new Set<string>();
  let onTransit = 0;
  for (const [set, members] of bySet) {
    if (onTransit >= target) break;
    moved.add(set);
    onTransit += members.length;
  }
  const transitHubs: TransitHub[] = [];
  const attachments: Attachment[] = [];
  const hubsDecl: NonNullable<PolicyInput['transitHubs']> = {};
  const movedSpokes = new Set<string>();
  for (const set of moved) {
    const members = bySet.get(set)!;
    const hub = members.find((n) => n.tags.role === 'hub')!;
    const tgw = `tgw-${Number(set).toString(16).padStart(8, '0')}`;
    const ref = { ...hub.ref, id: tgw };
    hubsDecl[`tgw${set}`] = {
      cloud: 'aws',
      account: ref.account,
      region: ref.region,
      id: tgw,
      associate: `tgw-rtb-${set}`,
    };
    const routes: TransitHub['routeTables'][number]['routes'] = [];
    for (const spoke of members.filter((n) => n.tags.role === 'spoke')) {
      const i = Number(spoke.ref.id.slice(5));
      movedSpokes.add(spoke.ref.id);
      if (i % 100 === 11) continue; // not yet attached
      const id = `tgw-attach-${i.toString(16).padStart(8, '0')}`;
      const drifted = i % 100 === 13;
      attachments.push({
        id,
        cloud: 'aws',
        hub: ref,
        network: spoke.ref,
        state: 'active',
        association: drifted ? 'tgw-rtb-other' : `tgw-rtb-${set}`,
        propagations: [`tgw-rtb-${set}`],
        tags: OURS,
      });
      for (const c of spoke.cidrs)
        routes.push({
          destination: c,
          target: { kind: 'attachment', attachmentId: id },
          origin: 'propagated',
          state: 'active',
        });
      for (const t of spoke.routeTables) {
        t.routes = t.routes.filter((r) => r.target.kind !== 'peering');
        for (const s of SUMMARIES)
          t.routes.push({ destination: s, target: { kind: 'other', id: tgw }, origin: 'static', state: 'active' });
      }
    }
    transitHubs.push({ ref, tags: {}, interconnects: [], routeTables: [{ id: `tgw-rtb-${set}`, tags: {}, routes }] });
  }
  const hubIds = new Set([...moved].map((set) => bySet.get(set)!.find((n) => n.tags.role === 'hub')!.ref.id));
  const next: Estate = {
    ...estate,
    networks: estate.networks.filter((n) => !hubIds.has(n.ref.id)),
    peerings: estate.peerings.filter((p) => !movedSpokes.has(p.requester.id)),
    transitHubs,
    attachments,
  };
  const nextPolicy: PolicyInput = {
    ...policy,
    transitHubs: hubsDecl,
    connections: connections.map((c) => {
      const set = c.name.startsWith('set-') ? c.name.slice(4) : undefined;
      if (!set || !moved.has(set) || c.topology !== 'hub-spoke') return c;
      return {
        ...c,
        via: 'transit' as const,
        hub: `tgw${set}`,
        routes: { tables: 'all' as const, destinations: SUMMARIES },
      };
    }),
    groups: Object.fromEntries(
      Object.entries(policy.groups).filter(([name]) => !(name.startsWith('hub') && moved.has(name.slice(3)))),
    ),
  };
  return { estate: next, policy: nextPolicy, onTransit };
}

/** Plans the half-transit estate: time (best of three), actions, peak RSS. */
export function measureTransitPlan(size: number): Record<string, number | string | boolean> {
  const { estate, policy, onTransit } = transitEstate(size);
  const observation = EstateSchema.parse(JSON.parse(JSON.stringify(estate)));
  const parsed = PolicySchema.parse(policy);
  const now = new Date(estate.observedAt);
  let planMs = Infinity;
  let plan = planScope({ policy: parsed, observation, now });
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    plan = planScope({ policy: parsed, observation, now });
    planMs = Math.min(planMs, performance.now() - t);
  }
  const count = (kind: string) => plan.actions.filter((a) => a.action === kind).length;
  return {
    name: `plan-transit-${size}`,
    networks: observation.networks.length,
    onTransit,
    hubs: observation.transitHubs?.length ?? 0,
    attachments: observation.attachments?.length ?? 0,
    planMs: Math.round(planMs),
    actions: plan.actions.filter(isMutating).length,
    createAttachment: count('create-attachment'),
    updateAttachment: count('update-attachment'),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    target: 'plan < 2000 ms, RSS < 1024 MiB at 10k networks with half on transit hubs (the planner targets)',
    pass: planMs < 2000 && process.resourceUsage().maxRSS / 1024 < 1024,
  };
}

/** Runs in a fresh process for a clean peak RSS. */
export function benchTransitPlan(sizes = [10000]): Record<string, number | string | boolean>[] {
  return sizes.map((size) => {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, String(size)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`transit plan bench ${size} failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number | string | boolean>;
  });
}

if (require.main === module) {
  const size = Number(process.argv[2] ?? 10000);
  console.log(JSON.stringify(measureTransitPlan(size > 0 ? size : 10000)));
}
