import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { Policy } from '../../shared/policy/schema';
import { runningClock, type TestClock } from '../support/clock';
import { pubsubEvent, startWorld, WORK_TOPIC, type Json, type World } from './gcp-harness';

/** The GCP e2e world (gcp-harness.ts) with what NCC tests need: people's NCC calls, audit-log delivery, the sweep. */
export interface NccE2e {
  w: World;
  clock: TestClock;
  /** Every audit-log event handed to the event function so far, in order (for the replay). */
  delivered: Json[];
  /** Emulator writes (Compute, NCC, Resource Manager) made while `work` runs. */
  writes(work: () => Promise<unknown>): Promise<number>;
  /** An NCC call as a person; the world's clock moves past its operation, which is returned finished. */
  asPerson(principal: string, verb: string, path: string, body?: unknown): Promise<Json>;
  /** Delivers every audit-log event emitted so far (people's and peerkeeper's, and those they cause), as the sink would. */
  deliverAll(): Promise<Json[]>;
  /** The scheduled sweep through its HTTP function, then the worker on each work message it published. */
  sweep(): Promise<Json[]>;
  /** The ranges NCC routes in one of the hub's route tables (groups), sorted. */
  routesIn(table: string): Promise<string[]>;
}

/** `hub`: the NCC hub's name (projects/p/locations/global/hubs/h); created by the caller. */
export async function startNccE2e(policy: Policy, hub: string, clock: TestClock = runningClock()): Promise<NccE2e> {
  const w = await startWorld(clock, policy);
  const api = `${w.em.url}/networkconnectivity/v1`;
  const delivered: Json[] = [];
  let ticks = 0;
  return {
    w,
    clock,
    delivered,
    async writes(work) {
      const before = w.em.calls.writes;
      await work();
      return w.em.calls.writes - before;
    },
    async asPerson(principal, verb, path, body) {
      const res = await fetch(`${api}/${path}`, {
        method: verb,
        headers: { 'content-type': 'application/json', 'x-emulator-principal': principal },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const op = (await res.json()) as Json;
      if (!res.ok) throw new Error(`${verb} ${path}: ${JSON.stringify(op)}`);
      clock.advance(1_000);
      return (await (await fetch(`${api}/${op.name}`)).json()) as Json;
    },
    async deliverAll() {
      clock.advance(1_000);
      await fetch(`${api}/${hub}`); // any NCC request finishes the operations whose time has come
      const out: Json[] = [];
      for (let batch = w.take(); batch.length > 0; batch = w.take())
        for (const e of batch) {
          delivered.push(e);
          out.push((await w.event(e)) as unknown as Json);
        }
      return out;
    },
    async sweep() {
      const server = getTestServer('peerkeeperSweep');
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const from = w.published.length;
      try {
        await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
          method: 'POST',
          headers: {
            'x-cloudscheduler-jobname': 'projects/h/locations/l/jobs/peerkeeper-sweep',
            'x-cloudscheduler-scheduletime': new Date(clock.now().getTime() + ++ticks * 60_000).toISOString(),
          },
        });
      } finally {
        await new Promise((r) => server.close(r));
      }
      const out: Json[] = [];
      for (const [i, m] of w.published.slice(from).entries())
        if (m.topic === WORK_TOPIC)
          out.push((await w.worker(pubsubEvent(`sweep-${ticks}-${i}`, m.data, w.now()))) as unknown as Json);
      return out;
    },
    async routesIn(table) {
      const body = (await (await fetch(`${api}/${hub}/routeTables/${table}/routes`)).json()) as {
        routes?: { ipCidrRange: string }[];
      };
      return (body.routes ?? []).map((r) => r.ipCidrRange).sort();
    },
  };
}
