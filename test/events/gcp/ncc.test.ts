import { DEFAULT_PRINCIPAL, startGcpEmulator } from '../../../infra/local/gcp';
import { normalizeGcpEvent, PUBSUB_MESSAGE_PUBLISHED, WATCHED_GCP_METHODS } from '../../../shared/events/gcp';
import type { Scope } from '../../../shared/model';
import { anonymous, ComputeClient, GcpPeeringAdapter } from '../../../shared/providers/gcp';
import { runningClock } from '../../support/clock';
import { expectWork, loadFixture, type Json } from '../fixtures';

const PEERKEEPER = 'peerkeeper@ops-project.iam.gserviceaccount.com';
const opts = { identities: [PEERKEEPER] };
const SERVICE = 'networkconnectivity.googleapis.com';
const HUB_SERVICE = 'google.cloud.networkconnectivity.v1.HubService';
const HUB = 'projects/net-hub/locations/global/hubs/core';
const SPOKE = 'projects/payments-prod/locations/global/spokes/console-spoke';
const last = { id: 'projects/payments-prod/locations/global/operations/operation-1', producer: SERVICE, last: true };

/** The vendor structured CloudEvent (BigQuery's audit entry), re-pointed at an NCC call. */
function nccEvent(
  rpc: string,
  resourceName: string,
  extra: { request?: unknown; operation?: Json; status?: Json; principal?: string } = {},
): Json {
  const event = loadFixture('gcp-eventarc-auditlog-cloudevent-structured-bigquery.json');
  const methodName = `${HUB_SERVICE}.${rpc}`;
  Object.assign(event, { methodName, resourceName, serviceName: SERVICE, subject: `${SERVICE}/${resourceName}` });
  event.data.protoPayload = {
    ...event.data.protoPayload,
    methodName,
    resourceName,
    serviceName: SERVICE,
    serviceData: undefined,
    ...(extra.principal ? { authenticationInfo: { principalEmail: extra.principal } } : {}),
    ...(extra.request === undefined ? {} : { request: extra.request }),
    ...(extra.status ? { status: extra.status } : {}),
  };
  event.data.operation = extra.operation ?? last;
  return event;
}
const work = (result: ReturnType<typeof normalizeGcpEvent>, want: { scope: Scope; kind: string }): void => {
  expect(expectWork(result)).toMatchObject(want);
};
const account = (a: string): Scope => ({ kind: 'account', cloud: 'gcp', account: a });
const createRequest = (uri: string) => ({
  '@type': 'type.googleapis.com/google.cloud.networkconnectivity.v1.CreateSpokeRequest',
  parent: 'projects/payments-prod/locations/global',
  spokeId: 'console-spoke',
  spoke: { hub: HUB, linkedVpcNetwork: { uri } },
});

describe('normalizeGcpEvent: Network Connectivity Center', () => {
  const cases: Record<string, { reason: string; event: Json; scope: Scope }> = {
    'CreateSpoke naming its VPC': {
      reason: 'a spoke concerns its network: the network scope reads it and the hub it joins',
      event: nccEvent('CreateSpoke', SPOKE, {
        request: createRequest('https://www.googleapis.com/compute/v1/projects/payments-prod/global/networks/pay'),
      }),
      scope: { kind: 'network', network: { cloud: 'gcp', account: 'payments-prod', region: 'global', id: 'pay' } },
    },
    'DeleteSpoke (no network in the request)': {
      reason: "the spoke's project is re-read",
      event: nccEvent('DeleteSpoke', SPOKE, { request: { name: SPOKE } }),
      scope: account('payments-prod'),
    },
    'UpdateSpoke (group moved by hand)': {
      reason: 'a routing change out of band is drift to put back',
      event: nccEvent('UpdateSpoke', SPOKE),
      scope: account('payments-prod'),
    },
    AcceptHubSpoke: {
      reason: "the hub owner's decision: the hub's project is re-read",
      event: nccEvent('AcceptHubSpoke', HUB, { request: { name: HUB, spokeUri: SPOKE } }),
      scope: account('net-hub'),
    },
    RejectHubSpoke: {
      reason: 'a rejected spoke of ours may have to be reported',
      event: nccEvent('RejectHubSpoke', HUB),
      scope: account('net-hub'),
    },
    'UpdateGroup (auto-accept list)': {
      reason: 'who is accepted without review changed',
      event: nccEvent('UpdateGroup', `${HUB}/groups/default`),
      scope: account('net-hub'),
    },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    work(normalizeGcpEvent(c.event, opts), { scope: c.scope, kind: 'peering' });
  });

  const ignored: Record<string, { reason: string; event: Json; says: RegExp }> = {
    'first entry of the operation': {
      reason: 'the spoke is read once its operation ends',
      event: nccEvent('CreateSpoke', SPOKE, { operation: { id: 'op', producer: SERVICE, first: true } }),
      says: /not finished/,
    },
    'peerkeeper itself': {
      reason: 'our own writes produce no work',
      event: nccEvent('CreateSpoke', SPOKE, { principal: PEERKEEPER }),
      says: /peerkeeper itself/,
    },
    'failed call': {
      reason: 'FAILED_PRECONDITION (overlapping ranges): nothing changed',
      event: nccEvent('CreateSpoke', SPOKE, { status: { code: 9, message: 'overlap' } }),
      says: /failed \(code 9/,
    },
    'a read': {
      reason: 'data-access entries never cause work',
      event: nccEvent('ListSpokes', 'projects/payments-prod/locations/global'),
      says: /does not watch/,
    },
  };
  it.each(Object.entries(ignored))('ignores %s', (_name, c) => {
    const result = normalizeGcpEvent(c.event, opts);
    expect(result.kind).toBe('ignore');
    expect(result.kind === 'ignore' && result.reason).toMatch(c.says);
  });

  it('sweeps the estate when only a project number names the project', () => {
    const event = nccEvent('AcceptHubSpoke', 'projects/4155800000/locations/global/hubs/core');
    (event.data.resource as Json).labels = { project_id: '4155800000' };
    work(normalizeGcpEvent(event, opts), { scope: { kind: 'estate' }, kind: 'peering' });
  });

  it('reads the same entry delivered by the organization log sink', () => {
    const event = nccEvent('AcceptHubSpoke', HUB);
    const viaSink = {
      specversion: '1.0',
      id: 'msg-1',
      type: PUBSUB_MESSAGE_PUBLISHED,
      source: '//pubsub.googleapis.com/projects/net-hub/topics/peerkeeper-audit',
      data: { message: { data: Buffer.from(JSON.stringify(event.data)).toString('base64'), messageId: 'msg-1' } },
    };
    work(normalizeGcpEvent(viaSink, opts), { scope: account('net-hub'), kind: 'peering' });
  });

  it('watches every NCC write the normalizer turns into work, by its exact method name', () => {
    expect(WATCHED_GCP_METHODS.filter((m) => m.serviceName === SERVICE).map((m) => m.methodName)).toEqual(
      expect.arrayContaining(
        ['CreateSpoke', 'UpdateSpoke', 'DeleteSpoke', 'AcceptHubSpoke', 'RejectHubSpoke', 'UpdateGroup'].map(
          (rpc) => `${HUB_SERVICE}.${rpc}`,
        ),
      ),
    );
  });
});

describe('the NCC emulator audit log, normalized', () => {
  it('turns a console user’s spoke into work once its operation ends, and peerkeeper’s own into nothing', async () => {
    const clock = runningClock();
    const events: Json[] = [];
    const emu = await startGcpEmulator({ now: clock.now, onEvent: (e) => events.push(e as Json) });
    emu.state.timing.pendingMs = 1;
    emu.state.timing.runningMs = 2;
    try {
      emu.state.ncc.createHub({ project: 'net-hub', name: 'core' });
      emu.state.createNetwork({ project: 'payments-prod', name: 'pay' });
      const client = new ComputeClient({
        endpoint: `${emu.url}/compute/v1`,
        resourceManagerEndpoint: `${emu.url}/v1`,
        auth: anonymous,
        operationPollMs: 2,
      });
      const adapter = new GcpPeeringAdapter({ client, projects: ['net-hub', 'payments-prod'] });
      const network = { cloud: 'gcp' as const, account: 'payments-prod', region: 'global', id: 'pay' };
      const hub = { cloud: 'gcp' as const, account: 'net-hub', region: 'global', id: `${HUB}` };
      const outcome = await adapter.apply(
        {
          action: 'create-attachment',
          cloud: 'gcp',
          reason: 'test',
          target: { hub, network },
          after: { routing: { association: 'default', propagations: [] }, tags: {} },
        },
        { now: clock.now(), deadline: Date.now() + 5_000, resolvePeeringId: () => undefined },
      );
      expect(outcome.status).toBe('done');
      const results = events.map((e) => normalizeGcpEvent(e, { identities: [] }));
      expect(results.map((r) => r.kind)).toEqual(['ignore', 'work']);
      // The last entry carries no request (as Compute's do not): the spoke's project is re-read.
      work(results[1]!, { scope: account('payments-prod'), kind: 'peering' });
      expect(events.map((e) => normalizeGcpEvent(e, { identities: [DEFAULT_PRINCIPAL] }).kind)).toEqual([
        'ignore',
        'ignore',
      ]);
    } finally {
      await emu.close();
    }
  });
});
