/**
 * A wire-level Azure Resource Manager emulator on 127.0.0.1 for the subset peerkeeper uses: subscriptions,
 * resource groups, virtual networks and their peering halves, route tables and routes, Virtual WAN hubs with their
 * route tables and VNet connections (seeded through `state.wan`), LROs; it emits
 * Event Grid ResourceWriteSuccess / ResourceDeleteSuccess events and can inject faults (DESIGN §9).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkApiVersion } from './apiVersions';
import { ArmError } from './armError';
import { callerFromAuthorization, resourceEvent, type ResourceEvent } from './events';
import type { Answer, Exchange } from './exchange';
import { CallCounter, FaultHooks } from './faults';
import { matchRoute } from './router';
import { AzureEmulatorState } from './state';
import { readBody } from '../request-body';

export { AzureEmulatorState } from './state';
export { CallCounter, FaultHooks } from './faults';
export type { ResourceEvent } from './events';
export { MAX_PEERINGS_PER_VNET } from './peerings';
export { MAX_ROUTES_PER_TABLE } from './state';

export interface AzureEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  now?: () => Date;
  /** Receives every Event Grid event, as a subscription system topic would deliver it. */
  onEvent?: (event: unknown) => void;
  /** The caller's principal id when the bearer token is not a JWT. */
  principalId?: string;
}

export interface AzureEmulator {
  /** `http://127.0.0.1:<port>` — use as the ARM endpoint. */
  url: string;
  state: AzureEmulatorState;
  faults: FaultHooks;
  calls: CallCounter;
  /** The last 1,000 events emitted (also delivered to `onEvent`). */
  events: ResourceEvent[];
  close(): Promise<void>;
}

/** The principal the emulator reports when the token carries none. */
export const EMULATOR_PRINCIPAL_ID = '0b9a5e1c-7e57-4c0d-9e11-00000000beef';

function send(res: ServerResponse, answer: Answer, requestHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...requestHeaders, ...answer.headers };
  if (answer.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(answer.status, headers);
  res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
}

/** Starts the emulator; close() it when done. */
export async function startAzureEmulator(opts: AzureEmulatorOptions = {}): Promise<AzureEmulator> {
  const now = opts.now ?? (() => new Date());
  const state = new AzureEmulatorState(now);
  const faults = new FaultHooks(state);
  const calls = new CallCounter();
  const events: ResourceEvent[] = [];
  let baseUrl = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const correlationId =
      typeof req.headers['x-ms-correlation-request-id'] === 'string'
        ? req.headers['x-ms-correlation-request-id']
        : randomUUID();
    const clientRequestId =
      typeof req.headers['x-ms-client-request-id'] === 'string' ? req.headers['x-ms-client-request-id'] : randomUUID();
    const echo = {
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': correlationId,
      'x-ms-client-request-id': clientRequestId,
    };
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      const raw = await readBody(req);
      const auth = req.headers.authorization;
      if (!auth || !/^Bearer\s+\S+/i.test(auth))
        throw new ArmError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing.",
        );
      if (!url.searchParams.get('api-version'))
        throw new ArmError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      const path = decodeURIComponent(url.pathname);
      const matched = matchRoute(method, url.pathname);
      if (!matched)
        throw new ArmError(404, 'InvalidResourceType', `The resource type could not be found for ${method} ${path}.`);
      const operation = matched.entry.operation;
      checkApiVersion(operation, url.searchParams.get('api-version'));
      calls.record(operation);
      const fault = faults.check({ method, operation, path: `${path}${decodeURIComponent(url.search)}` });
      if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (fault.error) throw fault.error;
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        throw new ArmError(
          400,
          'InvalidRequestContent',
          'The request content was invalid and could not be deserialized.',
        );
      }
      const exchange: Exchange = { method, path, query: url.searchParams, body, baseUrl, params: matched.params };
      const answer = matched.entry.handler(exchange, { state, faults });
      send(res, answer, echo);
      if (answer.change) {
        const event = resourceEvent({
          ...answer.change,
          caller: callerFromAuthorization(auth, opts.principalId ?? EMULATOR_PRINCIPAL_ID, state.tenantId),
          method,
          url: `${baseUrl}${url.pathname}${url.search}`,
          clientIp: req.socket.remoteAddress ?? '127.0.0.1',
          clientRequestId,
          correlationId,
          now: now(),
        });
        events.push(event);
        if (events.length > 1000) events.shift();
        opts.onEvent?.(event);
      }
    } catch (error) {
      const armError =
        error instanceof ArmError
          ? error
          : new ArmError(
              500,
              'InternalServerError',
              `emulator failure: ${error instanceof Error ? error.message : String(error)}`,
            );
      send(res, { status: armError.status, body: armError.body(), headers: armError.headers }, echo);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    state,
    faults,
    calls,
    events,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
