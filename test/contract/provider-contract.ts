import { ConvergedError, StaleActionError, TerminalError } from '../../shared/errors';
import type { Action, Cloud, NetworkRef, Observation, Peering } from '../../shared/model';
import { networkKey } from '../../shared/model';
import type { ApplyContext, ApplyOutcome, Partition, PeeringProvider } from '../../shared/providers/port';

/** What a cloud (in-memory or emulator + real adapter) must give the shared contract suite. */
export interface ContractHarness {
  cloud: Cloud;
  provider: PeeringProvider;
  /** Creates a network in an account (with a route table if the cloud has writable ones). */
  seedNetwork(input: {
    account: string;
    name: string;
    cidrs: string[];
  }): Promise<{ ref: NetworkRef; routeTableId?: string }>;
  /** Partitions that cover the given accounts. */
  partitions(accounts: readonly string[]): Partition[];
  /** Accounts to use: two peerkeeper governs. */
  accounts: readonly [string, string];
  /** Whether peerkeeper writes routes that target a peering in this cloud (AWS only). */
  peeringRoutes: boolean;
  /** The cloud's clock (the emulator's or the memory cloud's): actions are applied at its time, never the wall clock's. */
  now: () => Date;
  close(): Promise<void>;
}

const pairKey = (p: Pick<Peering, 'requester' | 'accepter'>) =>
  [networkKey(p.requester), networkKey(p.accepter)].sort().join('|');

/** Runs the provider port contract (DESIGN §1, STYLE Crossplane) against one harness. */
export function providerContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`provider contract: ${name}`, () => {
    let h: ContractHarness;
    const created = new Map<string, string>();
    // The deadline is a budget of elapsed time (adapters compare it with the machine clock); the time is the cloud's.
    const ctx = (): ApplyContext => ({
      now: h.now(),
      deadline: Date.now() + 20_000,
      resolvePeeringId: (r, a) => created.get(`${r}|${a}`),
    });
    const observe = (): Promise<Observation> => h.provider.observe(h.partitions(h.accounts));
    const apply = async (action: Action): Promise<ApplyOutcome | 'converged'> => {
      try {
        return await h.provider.apply(action, ctx());
      } catch (e) {
        if (e instanceof ConvergedError) return 'converged';
        throw e;
      }
    };
    const find = (obs: Observation, a: NetworkRef, b: NetworkRef) =>
      obs.peerings.find((p) => pairKey(p) === pairKey({ requester: a, accepter: b }) && p.state !== 'deleted');
    let counter = 0;
    const seedPair = async (cidrA: string, cidrB: string) => {
      counter += 1;
      const a = await h.seedNetwork({ account: h.accounts[0], name: `net-a${counter}`, cidrs: [cidrA] });
      const b = await h.seedNetwork({ account: h.accounts[1], name: `net-b${counter}`, cidrs: [cidrB] });
      return { a, b, handle: { requester: a.ref, accepter: b.ref } };
    };
    const cloud = () => h.cloud;

    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    it('observes seeded networks with their ranges, completely, without writing', async () => {
      const { a, b } = await seedPair('10.10.0.0/16', '10.11.0.0/16');
      const obs = await observe();
      expect(obs.complete).toBe(true);
      const keys = obs.networks.map((n) => networkKey(n.ref));
      expect(keys).toEqual(expect.arrayContaining([networkKey(a.ref), networkKey(b.ref)]));
      expect(obs.networks.find((n) => networkKey(n.ref) === networkKey(a.ref))!.cidrs).toContain('10.10.0.0/16');
    });

    it('creates a request, is safe to create twice, accepts it (also twice), then deletes it (also twice)', async () => {
      const { a, b, handle } = await seedPair('10.20.0.0/16', '10.21.0.0/16');
      const create: Action = {
        action: 'create-peering',
        cloud: cloud(),
        reason: 'contract',
        connection: 'contract',
        target: handle,
        after: { options: {}, tags: { 'peerkeeper:managed': 'true' } },
      };
      const first = await apply(create);
      expect(first).toMatchObject({ status: 'done' });
      if (first !== 'converged' && first.peeringId)
        created.set(`${networkKey(a.ref)}|${networkKey(b.ref)}`, first.peeringId);
      expect(find(await observe(), a.ref, b.ref)?.state).toBe('requested');
      const again = await apply(create);
      expect(again === 'converged' || again.status === 'converged').toBe(true);

      const accept: Action = {
        action: 'accept-peering',
        cloud: cloud(),
        reason: 'contract',
        target: handle,
        after: { options: {} },
      };
      expect(await apply(accept)).toMatchObject({ status: 'done' });
      const active = find(await observe(), a.ref, b.ref);
      expect(active?.state).toBe('active');
      const twice = await apply(accept);
      expect(twice === 'converged' || twice.status === 'converged').toBe(true);

      const del: Action = {
        action: 'delete-peering',
        cloud: cloud(),
        reason: 'contract',
        target: { id: active!.id, requester: active!.requester, accepter: active!.accepter },
        before: active!,
      };
      expect(await apply(del)).toMatchObject({ status: 'done' });
      expect(find(await observe(), a.ref, b.ref)).toBeUndefined();
      const gone = await apply(del);
      expect(gone === 'converged' || gone.status === 'converged' || gone.status === 'skipped').toBe(true);
    });

    it('writes, repeats and removes a route through an active peering (where the cloud has such routes)', async () => {
      if (!h.peeringRoutes) return expect(h.cloud).not.toBe('aws');
      const { a, b, handle } = await seedPair('10.30.0.0/16', '10.31.0.0/16');
      const made = await apply({
        action: 'create-peering',
        cloud: cloud(),
        reason: 'contract',
        target: handle,
        after: { options: {}, tags: {} },
      });
      if (made !== 'converged' && made.peeringId)
        created.set(`${networkKey(a.ref)}|${networkKey(b.ref)}`, made.peeringId);
      await apply({
        action: 'accept-peering',
        cloud: cloud(),
        reason: 'contract',
        target: handle,
        after: { options: {} },
      });
      const route: Action = {
        action: 'create-route',
        cloud: cloud(),
        reason: 'contract',
        target: { network: a.ref, routeTableId: a.routeTableId!, destination: '10.31.0.0/16' },
        after: { kind: 'peering', peering: handle },
      };
      expect(await apply(route)).toMatchObject({ status: 'done' });
      const table = (await observe()).networks
        .find((n) => networkKey(n.ref) === networkKey(a.ref))!
        .routeTables.find((t) => t.id === a.routeTableId)!;
      const written = table.routes.find((r) => r.destination === '10.31.0.0/16')!;
      expect(written).toMatchObject({ target: { kind: 'peering' }, origin: 'static', state: 'active' });
      const repeat = await apply(route);
      expect(repeat === 'converged' || repeat.status === 'converged').toBe(true);
      const remove: Action = {
        action: 'delete-route',
        cloud: cloud(),
        reason: 'contract',
        target: { network: a.ref, routeTableId: a.routeTableId!, destination: '10.31.0.0/16' },
        before: written,
      };
      expect(await apply(remove)).toMatchObject({ status: 'done' });
      const again = await apply(remove);
      expect(again === 'converged' || again.status === 'converged').toBe(true);
    });

    it('never makes overlapping networks active', async () => {
      const { a, b, handle } = await seedPair('10.40.0.0/16', '10.40.128.0/20');
      let refused = false;
      try {
        const made = await apply({
          action: 'create-peering',
          cloud: cloud(),
          reason: 'contract',
          target: handle,
          after: { options: {}, tags: {} },
        });
        if (made !== 'converged' && made.peeringId)
          created.set(`${networkKey(a.ref)}|${networkKey(b.ref)}`, made.peeringId);
        await apply({
          action: 'accept-peering',
          cloud: cloud(),
          reason: 'contract',
          target: handle,
          after: { options: {} },
        });
      } catch (e) {
        // Refused outright (Azure, GCP) or the accept found nothing pending (AWS: the request failed).
        expect(e instanceof TerminalError || e instanceof StaleActionError).toBe(true);
        refused = true;
      }
      const p = find(await observe(), a.ref, b.ref);
      expect(refused || p?.state === 'failed' || p === undefined).toBe(true);
      expect(p?.state).not.toBe('active');
    });
  });
}
