import { TerminalError } from '../../shared/errors';
import type { Action, Attachment, Cloud, NetworkRef, Observation, TransitHubRef } from '../../shared/model';
import { networkKey } from '../../shared/model';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../../shared/providers/port';

/** What a cloud (in-memory, or an emulator behind the real adapter) gives the transit contract suite. */
export interface TransitHarness {
  cloud: Cloud;
  provider: PeeringProvider;
  /** The hub's owner and a spoke's account: both governed, different. */
  hubAccount: string;
  spokeAccount: string;
  /** A hub in hubAccount with two route tables (AWS tgw-rtb ids, Azure table names, NCC group names). */
  seedHub(): Promise<{ ref: TransitHubRef; routeTables: [string, string] }>;
  /** A network in an account (AWS: with subnets in two Availability Zones). */
  seedNetwork(input: {
    account: string;
    name: string;
    cidrs: string[];
  }): Promise<{ ref: NetworkRef; routeTableId?: string }>;
  /** An attachment someone else made: no managed tag. */
  seedForeignAttachment(input: {
    hub: TransitHubRef;
    network: NetworkRef;
    state: 'requested' | 'active';
  }): Promise<string>;
  /** A console user's change to an attachment's routing. */
  setRoutingOutOfBand(
    hub: TransitHubRef,
    attachmentId: string,
    routing: { association?: string; propagations: string[] },
  ): Promise<void>;
  /** A static route someone wrote in a hub route table. */
  addStaticHubRoute(hub: TransitHubRef, routeTableId: string, destination: string): Promise<void>;
  partitions(accounts: readonly string[]): Partition[];
  /** A cross-account attachment waits for the hub's owner (AWS, NCC); on Azure the owner creates it. */
  acceptsRequests: boolean;
  /** Spokes get static routes toward the hub in their own tables (AWS only). */
  spokeRoutes: boolean;
  /** NCC has no propagation: only the association (group) is routing. */
  routingUpdatable: 'association-and-propagation' | 'association';
  now(): Date;
  close(): Promise<void>;
}

const MANAGED = { 'peerkeeper:managed': 'true', 'peerkeeper:connection': 'contract' };

/** Runs the transit-attachment contract (issue 17) against one harness. */
export function transitContract(name: string, makeHarness: () => Promise<TransitHarness>): void {
  describe(`transit contract: ${name}`, () => {
    let h: TransitHarness;
    let hub: { ref: TransitHubRef; routeTables: [string, string] };
    const created = new Map<string, string>();
    const ctx = (): ApplyContext => ({
      now: h.now(),
      deadline: Date.now() + 20_000,
      resolvePeeringId: (a, b) => created.get(`${a}|${b}`),
    });
    const apply = (action: Action): Promise<ApplyOutcome> => h.provider.apply(action, ctx());
    const observe = (): Promise<Observation> => h.provider.observe(h.partitions([h.hubAccount, h.spokeAccount]));
    const attachmentOf = (obs: Observation, network: NetworkRef): Attachment | undefined =>
      (obs.attachments ?? []).find((a) => networkKey(a.network) === networkKey(network) && a.state !== 'deleted');
    const routingFor = (table: string) => ({
      association: table,
      propagations: h.routingUpdatable === 'association' ? [] : [table],
    });
    const handle = (network: NetworkRef, id?: string) => ({ ...(id ? { id } : {}), hub: hub.ref, network });
    let counter = 0;
    const spoke = (cidr: string, account = h.spokeAccount) => {
      counter += 1;
      return h.seedNetwork({ account, name: `spoke${counter}`, cidrs: [cidr] });
    };

    beforeAll(async () => {
      h = await makeHarness();
      hub = await h.seedHub();
    });
    afterAll(async () => {
      await h.close();
    });

    it('observes the hub with its route tables, completely, and no attachments yet', async () => {
      const obs = await observe();
      expect(obs.complete).toBe(true);
      const seen = (obs.transitHubs ?? []).find((x) => x.ref.id === hub.ref.id);
      expect(seen?.ref.account).toBe(h.hubAccount);
      expect(seen?.routeTables.map((t) => t.id)).toEqual(expect.arrayContaining(hub.routeTables));
      expect((obs.attachments ?? []).filter((a) => a.hub.id === hub.ref.id)).toEqual([]);
    });

    it('attaches a spoke (twice is converged), accepts it where the hub decides, and the hub learns its range', async () => {
      const s = await spoke('10.60.0.0/16');
      const create: Action = {
        action: 'create-attachment',
        cloud: h.cloud,
        reason: 'contract',
        connection: 'contract',
        target: handle(s.ref),
        after: { routing: routingFor(hub.routeTables[0]), tags: MANAGED },
      };
      const first = await apply(create);
      expect(first.status).toBe('done');
      expect(first.peeringId).toBeDefined();
      created.set(`${networkKey(s.ref)}|${networkKey(hub.ref)}`, first.peeringId!);
      expect(attachmentOf(await observe(), s.ref)?.state).toBe(h.acceptsRequests ? 'requested' : 'active');
      const again = await apply(create);
      expect(again).toMatchObject({ status: 'converged', peeringId: first.peeringId });

      const accept: Action = {
        action: 'accept-attachment',
        cloud: h.cloud,
        reason: 'contract',
        target: handle(s.ref, first.peeringId),
        after: { routing: routingFor(hub.routeTables[0]), tags: MANAGED },
      };
      const accepted = await apply(accept);
      expect(accepted.status).toBe(h.acceptsRequests ? 'done' : 'skipped');
      const obs = await observe();
      const active = attachmentOf(obs, s.ref);
      expect(active).toMatchObject({ state: 'active', association: hub.routeTables[0] });
      const table = obs.transitHubs
        ?.find((x) => x.ref.id === hub.ref.id)
        ?.routeTables.find((t) => t.id === hub.routeTables[0]);
      expect(table?.routes).toContainEqual(
        expect.objectContaining({
          destination: '10.60.0.0/16',
          origin: 'propagated',
          target: { kind: 'attachment', attachmentId: first.peeringId },
        }),
      );
      if (h.acceptsRequests) expect((await apply(accept)).status).toBe('converged');
    });

    it('puts back routing changed out of band, and skips an update whose precondition moved', async () => {
      const s = await spoke('10.61.0.0/16');
      const made = await apply({
        action: 'create-attachment',
        cloud: h.cloud,
        reason: 'contract',
        target: handle(s.ref),
        after: { routing: routingFor(hub.routeTables[0]), tags: MANAGED },
      });
      const id = made.peeringId!;
      if (h.acceptsRequests)
        await apply({
          action: 'accept-attachment',
          cloud: h.cloud,
          reason: 'contract',
          target: handle(s.ref, id),
          after: { routing: routingFor(hub.routeTables[0]), tags: MANAGED },
        });
      const drifted = routingFor(hub.routeTables[1]);
      await h.setRoutingOutOfBand(hub.ref, id, drifted);
      expect(attachmentOf(await observe(), s.ref)?.association).toBe(hub.routeTables[1]);
      const revert: Action = {
        action: 'update-attachment',
        cloud: h.cloud,
        reason: 'contract',
        target: handle(s.ref, id),
        before: drifted,
        after: routingFor(hub.routeTables[0]),
      };
      expect((await apply(revert)).status).toBe('done');
      const back = attachmentOf(await observe(), s.ref);
      expect(back?.association).toBe(hub.routeTables[0]);
      expect(back?.propagations).toEqual(routingFor(hub.routeTables[0]).propagations);
      expect((await apply(revert)).status).toBe('converged');
      // A plan made before someone else's second change must not overwrite it.
      const stale = { ...revert, before: { propagations: ['somewhere-else'] }, after: drifted } as Action;
      expect((await apply(stale)).status).toBe('skipped');
    });

    it('rejects a foreign request where the cloud has requests, and never deletes what it does not own', async () => {
      const s = await spoke('10.62.0.0/16');
      const id = await h.seedForeignAttachment({ hub: hub.ref, network: s.ref, state: 'requested' });
      const seen = attachmentOf(await observe(), s.ref);
      expect(seen?.tags['peerkeeper:managed']).toBeUndefined();
      const rejected = await apply({
        action: 'reject-attachment',
        cloud: h.cloud,
        reason: 'contract',
        target: handle(s.ref, id),
      });
      if (h.acceptsRequests) {
        expect(rejected.status).toBe('done');
        expect((await observe()).attachments?.find((a) => a.id === id)?.state ?? 'rejected').toBe('rejected');
      } else expect(rejected.status).toBe('skipped');

      const t = await spoke('10.63.0.0/16');
      const foreign = await h.seedForeignAttachment({ hub: hub.ref, network: t.ref, state: 'active' });
      const before = attachmentOf(await observe(), t.ref)!;
      await expect(
        apply({
          action: 'delete-attachment',
          cloud: h.cloud,
          reason: 'contract',
          target: handle(t.ref, foreign),
          before,
        }),
      ).rejects.toBeInstanceOf(TerminalError);
      expect(attachmentOf(await observe(), t.ref)?.state).toBe('active');
    });

    it('deletes its own attachment', async () => {
      const s = await spoke('10.64.0.0/16', h.hubAccount);
      const made = await apply({
        action: 'create-attachment',
        cloud: h.cloud,
        reason: 'contract',
        target: handle(s.ref),
        after: { routing: routingFor(hub.routeTables[0]), tags: MANAGED },
      });
      const before = attachmentOf(await observe(), s.ref)!;
      expect(before.id).toBe(made.peeringId);
      const del = await apply({
        action: 'delete-attachment',
        cloud: h.cloud,
        reason: 'contract',
        target: handle(s.ref, before.id),
        before,
      });
      expect(del.status).toBe('done');
      expect(attachmentOf(await observe(), s.ref)).toBeUndefined();
    });

    it("shows someone's static hub route as static, and routes a spoke toward the hub where spokes have tables", async () => {
      await h.addStaticHubRoute(hub.ref, hub.routeTables[1], '192.168.50.0/24');
      const table = (await observe()).transitHubs
        ?.find((x) => x.ref.id === hub.ref.id)
        ?.routeTables.find((t) => t.id === hub.routeTables[1]);
      expect(table?.routes).toContainEqual(
        expect.objectContaining({ destination: '192.168.50.0/24', origin: 'static' }),
      );
      if (!h.spokeRoutes) return expect(h.cloud).not.toBe('aws');
      const s = await spoke('10.65.0.0/16');
      const route: Action = {
        action: 'create-route',
        cloud: h.cloud,
        reason: 'contract',
        target: { network: s.ref, routeTableId: s.routeTableId!, destination: '10.60.0.0/16' },
        after: { kind: 'other', id: hub.ref.id },
      };
      expect((await apply(route)).status).toBe('done');
      const net = (await observe()).networks.find((n) => networkKey(n.ref) === networkKey(s.ref));
      const written = net?.routeTables.flatMap((t) => t.routes).find((r) => r.destination === '10.60.0.0/16');
      expect(written?.target).toEqual({ kind: 'other', id: hub.ref.id });
    });
  });
}
