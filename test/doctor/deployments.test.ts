import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { ec2Pattern, sweepRequestedPattern, vendingPattern } from '../../infra/aws/patterns';
import { policyHash, runDoctor, type DoctorTarget } from '../../shared/doctor/checks';
import { AwsDeploymentProbe } from '../../shared/providers/aws/deployment';
import { WATCHED_GCP_METHODS } from '../../shared/events/gcp';
import { StaticTokenCredential } from '../../shared/providers/azure/connect';
import { AzureDeploymentProbe } from '../../shared/providers/azure/deployment';
import { staticToken } from '../../shared/providers/gcp/connect';
import { GcpDeploymentProbe } from '../../shared/providers/gcp/deployment';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import { estate, hubSpokePolicy, NOW } from '../support/estate-builder';

/** A fetch over a table of `METHOD url-path` → JSON body (absent = 404), recording what was asked. */
function fakeApi(routes: Record<string, unknown>) {
  const asked: string[] = [];
  const fn = (async (url: string, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${new URL(url).pathname}`;
    asked.push(key);
    return key in routes
      ? new Response(JSON.stringify(routes[key]), { status: 200 })
      : new Response('{"error":"not found"}', { status: 404 });
  }) as unknown as typeof fetch;
  return { fn, asked };
}

const policy = hubSpokePolicy();
const provider = memoryProviders(new MemoryCloud(estate([], []), () => NOW)).aws!;
const problems = async (target: DoctorTarget) =>
  (await runDoctor(policy, target)).filter((r) => r.status === 'problem').map((r) => `${r.check}: ${r.detail}`);

describe('doctor against a GCP deployment (Logging and Cloud Functions APIs)', () => {
  const fullFilter = `logName:"/logs/cloudaudit.googleapis.com%2Factivity" AND (${WATCHED_GCP_METHODS.map((m) => `(protoPayload.serviceName="${m.serviceName}" AND protoPayload.methodName="${m.methodName}")`).join(' OR ')})`;
  const fn = {
    'GET /v2/projects/host/locations/us-central1/functions/peerkeeper-event': {
      serviceConfig: { environmentVariables: { PEERKEEPER_POLICY_SHA256: policyHash(policy) } },
    },
  };
  const cases: { reason: string; sink?: unknown; want: RegExp[] }[] = [
    {
      reason: 'the sink exports every watched method from every project: no problem',
      sink: { includeChildren: true, filter: fullFilter },
      want: [],
    },
    {
      reason: 'no sink: changes in projects reach peerkeeper only at the sweep',
      want: [/organization log sink peerkeeper-audit: missing/],
    },
    {
      reason: "a sink without include_children sees only the organization's own entries",
      sink: { includeChildren: false, filter: fullFilter },
      want: [/without include_children/],
    },
    {
      reason: 'a sink whose filter misses a method',
      sink: {
        includeChildren: true,
        filter: fullFilter.replace('"v1.compute.routes.delete"', '"v1.compute.routes.remove"'),
      },
      want: [/filter misses v1\.compute\.routes\.delete/],
    },
  ];
  it.each(cases)('$reason', async ({ sink, want }) => {
    const api = fakeApi({ ...fn, ...(sink ? { 'GET /v2/organizations/42/sinks/peerkeeper-audit': sink } : {}) });
    const probe = new GcpDeploymentProbe({
      project: 'host',
      region: 'us-central1',
      organization: '42',
      tokens: staticToken('t'),
      fetch: api.fn,
      loggingEndpoint: 'https://logging.test',
      functionsEndpoint: 'https://functions.test',
    });
    const found = await problems({
      cloud: 'gcp',
      provider,
      accessFix: 'x',
      eventRoutes: () => probe.eventRoutes(),
      deployedPolicyHash: () => probe.deployedPolicyHash(),
    });
    expect(found).toHaveLength(want.length);
    want.forEach((w, i) => expect(found[i]).toMatch(w));
  });
});

describe('doctor against an Azure deployment (ARM: app settings, Event Grid subscriptions)', () => {
  const app = '/subscriptions/dep/resourceGroups/peerkeeper/providers/Microsoft.Web/sites/peerkeeper-abc123-functions';
  const subscription = (sub: string) => ({
    value: [{ properties: { destination: { properties: { resourceId: `${app}/functions/peerkeeper-events` } } } }],
    sub,
  });
  const cases: { reason: string; routes: Record<string, unknown>; want: RegExp[] }[] = [
    {
      reason: 'both managed subscriptions deliver to the app, and the app runs this policy',
      want: [],
      routes: {
        'GET /subscriptions/sub-a/providers/Microsoft.EventGrid/eventSubscriptions': subscription('a'),
        'GET /subscriptions/sub-b/providers/Microsoft.EventGrid/eventSubscriptions': subscription('b'),
        [`POST ${app}/config/appsettings/list`]: { properties: { PEERKEEPER_POLICY_SHA256: policyHash(policy) } },
      },
    },
    {
      reason: 'a managed subscription without the Event Grid subscription, and another policy deployed',
      want: [/Event Grid subscription on sub-b: missing/, /deployed policy differs/],
      routes: {
        'GET /subscriptions/sub-a/providers/Microsoft.EventGrid/eventSubscriptions': subscription('a'),
        'GET /subscriptions/sub-b/providers/Microsoft.EventGrid/eventSubscriptions': { value: [] },
        [`POST ${app}/config/appsettings/list`]: { properties: { PEERKEEPER_POLICY_SHA256: 'f'.repeat(64) } },
      },
    },
  ];
  it.each(cases)('$reason', async ({ routes, want }) => {
    const api = fakeApi(routes);
    const probe = new AzureDeploymentProbe({
      subscription: 'dep',
      resourceGroup: 'peerkeeper',
      functionApp: 'peerkeeper-abc123-functions',
      managedSubscriptions: ['sub-a', 'sub-b'],
      credential: new StaticTokenCredential('t'),
      fetch: api.fn,
      endpoint: 'https://arm.test',
    });
    const found = await problems({
      cloud: 'azure',
      provider,
      accessFix: 'x',
      eventRoutes: () => probe.eventRoutes(),
      deployedPolicyHash: () => probe.deployedPolicyHash(),
    });
    expect(found).toHaveLength(want.length);
    want.forEach((w, i) => expect(found[i]).toMatch(w));
    // Doctor only reads: GETs, and the one POST ARM uses to list settings.
    expect(api.asked.every((a) => a.startsWith('GET ') || a.endsWith('/config/appsettings/list'))).toBe(true);
  });
});

describe("doctor against an AWS deployment (EventBridge rules, the function's environment)", () => {
  /** Clients answering as EventBridge and Lambda would, one page of rules in two. */
  function clients(patterns: unknown[], hash: string | undefined) {
    const rules = patterns.map((p, i) => ({ Name: `rule-${i}`, State: 'ENABLED', EventPattern: JSON.stringify(p) }));
    const events = {
      send: async (cmd: { input: { NextToken?: string } }) =>
        cmd.input.NextToken
          ? { Rules: rules.slice(1) }
          : { Rules: rules.slice(0, 1), NextToken: rules.length > 1 ? 'page-2' : undefined },
    };
    const lambda = {
      send: async () => ({ Environment: { Variables: hash ? { PEERKEEPER_POLICY_SHA256: hash } : {} } }),
    };
    return { events: events as unknown as EventBridgeClient, lambda: lambda as unknown as LambdaClient };
  }
  const cases: { reason: string; patterns: unknown[]; hash?: string; want: RegExp[] }[] = [
    {
      reason: 'the three rules serverless.yml makes, on two pages, and this policy deployed',
      patterns: [ec2Pattern(), vendingPattern(), sweepRequestedPattern()],
      hash: policyHash(policy),
      want: [],
    },
    {
      reason: 'no vending rule, and a deployment from before the policy hash',
      patterns: [ec2Pattern(), sweepRequestedPattern()],
      want: [/event route account vending on peerkeeper-prod: missing/, /does not record its policy hash/],
    },
  ];
  it.each(cases)('$reason', async ({ patterns, hash, want }) => {
    const probe = new AwsDeploymentProbe({
      busName: 'peerkeeper-prod',
      functionName: 'peerkeeper-prod-network-event',
      ...clients(patterns, hash),
    });
    const found = await problems({
      cloud: 'aws',
      provider,
      accessFix: 'x',
      eventRoutes: () => probe.eventRoutes(),
      deployedPolicyHash: () => probe.deployedPolicyHash(),
    });
    expect(found).toHaveLength(want.length);
    want.forEach((w, i) => expect(found[i]).toMatch(w));
  });
});
