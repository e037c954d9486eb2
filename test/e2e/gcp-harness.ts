import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import { DEFAULT_PRINCIPAL, startGcpEmulator, type GcpEmulator } from '../../infra/local/gcp';
import { registerGcpFunctions } from '../../functions/gcp';
import type { HandlerOutcome } from '../../functions/gcp/support';
import { PolicySchema, type Policy } from '../../shared/policy/schema';
import { createGcpProvider, type GcpPeeringAdapter, type MessagePublisher } from '../../shared/providers/gcp';
import { createGcpRuntime, type GcpRuntime } from '../../shared/runtime/gcp';
import { runningClock, type TestClock } from '../support/clock';

/** JSON as the emulator emits it (a structured CloudEvent), loose enough for tests to edit copies. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const FOLDER = '123';
export const WORK_TOPIC = 'projects/peerkeeper-host/topics/peerkeeper-work';
export const DEAD_LETTER_TOPIC = 'projects/peerkeeper-host/topics/peerkeeper-dead-letter';

/** Hub-spoke in one folder (spokes by project label), a listed partner project, custom routes exchanged hub ⇄ spokes. */
export function e2ePolicy(): Policy {
  return PolicySchema.parse({
    version: 1,
    identities: [DEFAULT_PRINCIPAL],
    providers: { gcp: { folder: FOLDER } },
    groups: {
      hub: { cloud: 'gcp', account: 'hub-prj', name: 'hub' },
      spokes: { cloud: 'gcp', accountLabels: { tier: 'spoke' } },
      partners: { cloud: 'gcp', account: ['partner-prj'] },
    },
    connections: [
      {
        name: 'spokes-to-hub',
        topology: 'hub-spoke',
        hub: 'hub',
        spokes: 'spokes',
        options: { exportCustomRoutes: true, importCustomRoutes: true },
      },
      { name: 'partner-link', topology: 'pair', between: ['partners', 'hub'] },
    ],
    unmatchedRequests: 'reject',
  });
}

/** Everything one e2e run needs: the emulator, the events it emitted, the registered real handlers. */
export interface World {
  em: GcpEmulator;
  runtime: GcpRuntime;
  /** The real adapter the runtime uses (the same instance: one set of network locks). */
  provider: GcpPeeringAdapter;
  /** Audit-log CloudEvents the emulator emitted and no test has taken yet (Eventarc's backlog). */
  pending: Json[];
  published: { topic: string; data: unknown }[];
  event(e: Json): Promise<HandlerOutcome>;
  worker(e: Json): Promise<HandlerOutcome>;
  /** Compute REST as a person (`principal`) would call it; waits for the operation to finish. */
  rest(principal: string, verb: string, path: string, body?: unknown): Promise<Json>;
  /** Takes the pending events; `by` keeps only those whose caller matches. */
  take(by?: (principal: string) => boolean): Json[];
  /** The world's time: the emulator's and the runtime's one clock (a fixed date; events carry it too). */
  now(): Date;
}

export const principalOf = (e: Json): string => e.data?.protoPayload?.authenticationInfo?.principalEmail ?? '';
export const isLast = (e: Json): boolean => e.data?.operation?.last === true;

/** `policy`: the policy the runtime and provider read (the hub-spoke e2ePolicy unless a test brings its own). */
export async function startWorld(clock: TestClock = runningClock(), policy: Policy = e2ePolicy()): Promise<World> {
  const pending: Json[] = [];
  const em = await startGcpEmulator({ waitTimeoutMs: 200, now: clock.now, onEvent: (e) => pending.push(e as Json) });
  // Operations finish 10 ms after they start (wall clock): fast, but long enough to overlap if unserialized.
  em.state.timing.pendingMs = 2;
  em.state.timing.runningMs = 8;
  const env = {
    PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${em.url}/compute/v1`,
    CLOUDSDK_CONFIG: '/nonexistent',
    PEERKEEPER_WORK_TOPIC: WORK_TOPIC,
    PEERKEEPER_DEAD_LETTER_TOPIC: DEAD_LETTER_TOPIC,
    PEERKEEPER_TIMEOUT_SECONDS: '60',
  };
  const published: World['published'] = [];
  const publisher: MessagePublisher = {
    publish: async (topic, messages) => {
      published.push(...messages.map((m) => ({ topic, data: m.data })));
      return messages.length;
    },
  };
  const provider = createGcpProvider(policy, env, { attempts: 4, baseMs: 5, maxMs: 20 });
  const runtime = createGcpRuntime({ policy, env, publisher, providers: { gcp: provider }, now: clock.now });
  registerGcpFunctions(() => runtime);
  const call = (name: string) => getFunction(name) as unknown as (e: CloudEvent<unknown>) => Promise<HandlerOutcome>;
  return {
    em,
    runtime,
    provider,
    pending,
    published,
    now: clock.now,
    event: (e) => call('peerkeeperEvent')(e as CloudEvent<unknown>),
    worker: (e) => call('peerkeeperSweepWorker')(e as CloudEvent<unknown>),
    async rest(principal, verb, path, body) {
      const res = await fetch(`${em.url}/compute/v1/${path}`, {
        method: verb,
        headers: { 'content-type': 'application/json', 'x-emulator-principal': principal },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const op = (await res.json()) as Json;
      if (!res.ok) throw new Error(`${verb} ${path}: ${JSON.stringify(op)}`);
      const project = path.split('/')[1];
      const done = await fetch(`${em.url}/compute/v1/projects/${project}/global/operations/${op.name}/wait`, {
        method: 'POST',
      });
      return (await done.json()) as Json;
    },
    take(by) {
      const out = pending.filter((e) => !by || by(principalOf(e)));
      pending.splice(0, pending.length, ...pending.filter((e) => !out.includes(e)));
      return out;
    },
  };
}

/** A Pub/Sub `messagePublished` CloudEvent for one published message, as Eventarc's Pub/Sub trigger delivers it. */
export function pubsubEvent(id: string, data: unknown, at: Date): Json {
  return {
    specversion: '1.0',
    id,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/${WORK_TOPIC}`,
    time: at.toISOString(),
    data: {
      message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), messageId: id },
      subscription: 'projects/peerkeeper-host/subscriptions/eventarc-work',
    },
  };
}
