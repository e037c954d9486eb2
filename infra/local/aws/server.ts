import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CallCounter } from './calls';
import { describePeerings, describeRouteTables, describeVpcs } from './ec2/describe';
import { GATEWAY_READ_ACTIONS } from './ec2/gateways';
import { MUTATING_ACTIONS } from './ec2/mutate';
import { TRANSIT_READS, TRANSIT_WRITES } from './ec2/transit';
import { buildApiCallEvent, type EventBridgeEvent } from './events';
import type { FaultHooks } from './faults';
import { param, parseQuery, type QueryObject } from './query';
import type { AwsEmulatorState } from './state/state';
import { Ec2Error, type Caller } from './state/types';
import { StsError, type StsSessions } from './sts';
import { EC2_NAMESPACE, renderDocument, renderEc2Error, renderStsError, type XmlObject } from './xml';
import { readBody } from '../request-body';
import { handleOrganizations, ORGANIZATIONS_TARGET_PREFIX, type OrganizationsEvent } from './organizations/api';
import { OrganizationsError, type OrganizationState } from './organizations/state';

const READ_ACTIONS: Record<string, (state: AwsEmulatorState, caller: Caller, q: QueryObject) => XmlObject> = {
  DescribeVpcs: describeVpcs,
  DescribeRouteTables: describeRouteTables,
  DescribeVpcPeeringConnections: describePeerings,
  ...GATEWAY_READ_ACTIONS,
  ...TRANSIT_READS,
};

const WRITE_ACTIONS: Record<string, (state: AwsEmulatorState, caller: Caller, q: QueryObject) => XmlObject> = {
  ...MUTATING_ACTIONS,
  ...TRANSIT_WRITES,
};

const STS_ACTIONS = new Set(['AssumeRole', 'GetCallerIdentity']);

/** The parts of a SigV4 Authorization header the emulator uses: who signed, for which region and service. */
export function parseAuthorization(
  header: string | undefined,
): { accessKeyId: string; region: string; service: string } | undefined {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header ?? '');
  return m ? { accessKeyId: m[1]!, region: m[2]!, service: m[3]! } : undefined;
}

export interface ServerDeps {
  state: AwsEmulatorState;
  sessions: StsSessions;
  faults: FaultHooks;
  calls: CallCounter;
  onEvent: (event: EventBridgeEvent) => void;
  /** The organization behind the Organizations JSON 1.1 API (same port: the X-Amz-Target header names the operation). */
  organization?: OrganizationState;
  onOrganizationEvent?: (event: OrganizationsEvent) => void;
}

function send(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml;charset=UTF-8',
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** One node:http server for EC2 (Query/XML) and STS: the SigV4 credential scope names the service and region. */
export function createEmulatorServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    void handle(deps, req, res).catch((error: unknown) => {
      send(
        res,
        500,
        renderEc2Error('InternalError', error instanceof Error ? error.message : String(error), randomUUID()),
        randomUUID(),
      );
    });
  });
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const raw = await readBody(req);
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith(ORGANIZATIONS_TARGET_PREFIX))
    return organizations(deps, req, res, target.slice(ORGANIZATIONS_TARGET_PREFIX.length), raw, requestId);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const q = parseQuery(raw.length > 0 ? raw : url.search.slice(1));
  const action = param(q, 'Action') ?? '';
  const auth = parseAuthorization(req.headers.authorization);
  const region = auth?.region ?? 'us-east-1';
  const isSts = auth?.service === 'sts' || (auth === undefined && STS_ACTIONS.has(action));
  const caller = deps.sessions.callerFor(auth?.accessKeyId ?? 'anonymous', region);
  deps.calls.record(action);

  const delay = deps.faults.delayFor(action);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  const fault = deps.faults.decide(action);
  if (fault.kind === 'error') {
    const body = isSts
      ? renderStsError(fault.code, fault.message, requestId, 'Receiver')
      : renderEc2Error(fault.code, fault.message, requestId);
    send(res, fault.status, body, requestId);
    return;
  }
  if (isSts) {
    try {
      if (action === 'AssumeRole') send(res, 200, deps.sessions.assumeRole(caller, q, requestId), requestId);
      else if (action === 'GetCallerIdentity')
        send(res, 200, deps.sessions.getCallerIdentity(caller, requestId), requestId);
      else
        send(
          res,
          400,
          renderStsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`, requestId),
          requestId,
        );
    } catch (error) {
      if (!(error instanceof StsError)) throw error;
      send(res, error.status, renderStsError(error.code, error.message, requestId), requestId);
    }
    return;
  }
  const read = READ_ACTIONS[action];
  const mutate = WRITE_ACTIONS[action];
  if (!read && !mutate) {
    send(
      res,
      400,
      renderEc2Error('InvalidAction', `The action ${action} is not valid for this web service.`, requestId),
      requestId,
    );
    return;
  }
  const userAgent = String(req.headers['user-agent'] ?? 'unknown');
  try {
    const body = (read ?? mutate)!(deps.state, caller, q);
    send(res, 200, renderDocument(`${action}Response`, EC2_NAMESPACE, { requestId, ...body }), requestId);
    if (mutate)
      deps.onEvent(
        buildApiCallEvent({ caller, action, query: q, requestId, at: deps.state.now(), userAgent, response: body }),
      );
  } catch (error) {
    if (!(error instanceof Ec2Error)) throw error;
    send(res, error.status, renderEc2Error(error.code, error.message, requestId), requestId);
    if (mutate)
      deps.onEvent(buildApiCallEvent({ caller, action, query: q, requestId, at: deps.state.now(), userAgent, error }));
  }
}

/** AWS Organizations over JSON 1.1: errors are `{ __type, message }` with HTTP 400, as the SDK's awsJson1_1 protocol reads them. */
async function organizations(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  operation: string,
  raw: string,
  requestId: string,
): Promise<void> {
  const reply = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  deps.calls.record(operation);
  const fault = deps.faults.decide(operation);
  if (fault.kind === 'error') return reply(fault.status, { __type: fault.code, message: fault.message });
  if (!deps.organization)
    return reply(400, {
      __type: 'AWSOrganizationsNotInUseException',
      message: 'Your account is not a member of an organization.',
    });
  const auth = parseAuthorization(req.headers.authorization);
  const caller = deps.sessions.callerFor(auth?.accessKeyId ?? 'anonymous', 'us-east-1');
  try {
    const input = raw.length > 0 ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const answer = handleOrganizations(
      deps.organization,
      operation,
      input,
      caller,
      deps.state.now(),
      String(req.headers['user-agent'] ?? 'unknown'),
    );
    reply(200, answer.body);
    if (answer.event) deps.onOrganizationEvent?.(answer.event);
  } catch (error) {
    if (!(error instanceof OrganizationsError)) throw error;
    reply(error.status, { __type: error.code, message: error.message });
  }
}
