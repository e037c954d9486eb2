import { HttpRequest, InvocationContext, type HttpResponseInit, type Timer } from '@azure/functions';
import { EMULATOR_PRINCIPAL_ID, startAzureEmulator, type AzureEmulator } from '../../infra/local/azure';
import type { Policy } from '../../shared/policy/schema';
import { createAzureRuntime } from '../../shared/runtime/azure';
import { MemoryIdempotencyStore } from '../../shared/stores/idempotency';
import { MemoryAuditLog } from '../../shared/stores/memory';
import { FUNCTION_NAMES, registerFunctions, type FunctionRegistry } from '../../functions/azure/register';
import { deadLetterQueue, once, workQueue } from '../../functions/azure/support/deps';
import { runningClock, type TestClock } from '../support/clock';

export { EMULATOR_PRINCIPAL_ID };
export const API = '2024-05-01';

type AnyHandler = (input: unknown, context: InvocationContext) => Promise<unknown>;

/** A JWT-shaped bearer token whose `oid` the emulator stamps on its events (unsigned: the emulator verifies nothing). */
export function tokenFor(principalId: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: principalId, appid: principalId })}.sig`;
}

/** One invocation's context and what the handler logged and wrote to output bindings. */
export interface Invocation {
  context: InvocationContext;
  logs: { level: string; line: Record<string, unknown> }[];
}

/**
 * The ARM emulator, the REAL Azure function registrations (recorded instead of registered with a host),
 * and an inbox of the Event Grid events the emulator emitted, delivered on demand like a subscription
 * system topic would (one event per `app.eventGrid` invocation).
 */
export class AzureWorld {
  readonly delivered: unknown[] = [];
  readonly handlers = new Map<string, AnyHandler>();
  readonly audit = new MemoryAuditLog();
  readonly idempotency = new MemoryIdempotencyStore();
  readonly invocations: Invocation[] = [];
  runtimeBuilds = 0;
  private counter = 0;

  private constructor(
    readonly emu: AzureEmulator,
    readonly inbox: unknown[],
    private readonly clock: TestClock,
  ) {}

  /** The world's time: the emulator's and the functions' one clock (a fixed date; events carry it too). */
  now(): Date {
    return this.clock.now();
  }

  static async start(policy: Policy, clock: TestClock = runningClock()): Promise<AzureWorld> {
    const inbox: unknown[] = [];
    const emu = await startAzureEmulator({ now: clock.now, onEvent: (event) => inbox.push(event) });
    emu.state.lroPolls = 0;
    const w = new AzureWorld(emu, inbox, clock);
    const keep = (name: string, options: unknown) =>
      void w.handlers.set(name, (options as { handler: AnyHandler }).handler);
    const registry = { eventGrid: keep, http: keep, timer: keep, storageQueue: keep } as unknown as FunctionRegistry;
    registerFunctions(registry, {
      // The functions' clock measures elapsed time and sets deadlines, which adapters compare with the machine clock.
      clock: Date.now,
      runtime: once(() => {
        w.runtimeBuilds += 1;
        return createAzureRuntime({
          policy,
          env: { PEERKEEPER_AZURE_ENDPOINT: emu.url },
          audit: w.audit,
          idempotency: w.idempotency,
          now: clock.now,
        });
      }),
    });
    return w;
  }

  /** A fresh InvocationContext whose log lines (JSON) are kept. */
  context(functionName: string, triggerMetadata: Record<string, unknown> = {}): Invocation {
    const logs: Invocation['logs'] = [];
    const context = new InvocationContext({
      invocationId: `inv-${++this.counter}`,
      functionName,
      triggerMetadata,
      logHandler: (level, ...args) =>
        logs.push({ level, line: JSON.parse(String(args[0])) as Record<string, unknown> }),
    });
    const invocation = { context, logs };
    this.invocations.push(invocation);
    return invocation;
  }

  /** Invokes the registered `app.eventGrid` handler with one event. */
  async event(event: unknown): Promise<{ result: unknown; invocation: Invocation }> {
    const invocation = this.context(FUNCTION_NAMES.events);
    const result = await this.handlers.get(FUNCTION_NAMES.events)!(event, invocation.context);
    this.delivered.push(event);
    return { result, invocation };
  }

  /** Delivers every queued emulator event (and those they cause) until none is left; returns the results. */
  async drain(): Promise<unknown[]> {
    const results: unknown[] = [];
    for (let event = this.inbox.shift(); event !== undefined; event = this.inbox.shift())
      results.push((await this.event(event)).result);
    return results;
  }

  /** Invokes the registered `app.http` webhook with a body. */
  async http(body: string, method = 'POST', headers: Record<string, string> = {}): Promise<HttpResponseInit> {
    const request = new HttpRequest({
      method,
      url: 'http://127.0.0.1/api/events',
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'POST' ? { body: { string: body } } : {}),
    });
    return (await this.handlers.get(FUNCTION_NAMES.eventsHttp)!(
      request,
      this.context(FUNCTION_NAMES.eventsHttp).context,
    )) as HttpResponseInit;
  }

  /** Runs the timer sweep; returns the work messages it put on the queue output. */
  async sweep(): Promise<unknown[]> {
    const { context } = this.context(FUNCTION_NAMES.sweep);
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };
    await this.handlers.get(FUNCTION_NAMES.sweep)!(timer, context);
    return context.extraOutputs.get(workQueue) as unknown[];
  }

  /** Runs the queue worker on one message. */
  async work(message: unknown, id = `msg-${this.counter}`): Promise<{ result: unknown; invocation: Invocation }> {
    const invocation = this.context(FUNCTION_NAMES.sweepWorker, { id, dequeueCount: 1 });
    return { result: await this.handlers.get(FUNCTION_NAMES.sweepWorker)!(message, invocation.context), invocation };
  }

  /** An ARM call as someone other than peerkeeper (`principal` lands in the event's claims). */
  async arm(method: 'PUT' | 'DELETE', path: string, body: unknown, principal: string): Promise<number> {
    const response = await fetch(`${this.emu.url}${path}?api-version=${API}`, {
      method,
      headers: { authorization: `Bearer ${tokenFor(principal)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status;
  }

  close(): Promise<void> {
    return this.emu.close();
  }
}

/** What a handler put on the dead-letter queue binding. */
export function deadLettered(context: InvocationContext): unknown {
  return context.extraOutputs.get(deadLetterQueue);
}
