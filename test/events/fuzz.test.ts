import fc from 'fast-check';
import { normalizeAwsEvent, WATCHED_EC2_CALLS } from '../../shared/events/aws';
import { normalizeAzureEvent, normalizeAzureEvents, subscriptionValidationCode } from '../../shared/events/azure';
import { cloudEventFromBinary, normalizeGcpEvent } from '../../shared/events/gcp';
import type { NormalizeResult } from '../../shared/events';
import { loadFixture, mutateAt, normalizesOrRejects, pathsOf, type Json } from './fixtures';

// Issue 8: whatever arrives, a normalizer returns a well-formed result or throws MalformedEventError — nothing else.
const opts = {
  identities: [
    'arn:aws:iam::*:role/peerkeeper-*',
    'peerkeeper@ops.iam.gserviceaccount.com',
    '9f2e0000-0000-4000-8000-0000000000aa',
  ],
};
const RUNS = { numRuns: 300 };

type Normalizer = (event: unknown) => NormalizeResult | NormalizeResult[];
const normalizers: Record<string, Normalizer> = {
  aws: (event) => normalizeAwsEvent(event, opts),
  azure: (event) => normalizeAzureEvent(event, opts),
  azureBatch: (event) => normalizeAzureEvents(event, opts),
  gcp: (event) => normalizeGcpEvent(event, opts),
};

/** Valid events of every family, the starting points for mutation. */
function seeds(): Record<string, { normalizer: Normalizer; event: () => Json }> {
  const ec2 =
    (eventName: string, requestParameters: unknown, responseElements: unknown = null) =>
    () => {
      const event = loadFixture('aws-ec2-CreateRoute-eventbridge-igw.json');
      Object.assign(event.detail, {
        eventName,
        requestParameters,
        responseElements,
        recipientAccountId: '123456789012',
      });
      return event;
    };
  const azure =
    (operationName: string, resourceUri: string, file = 'azure-eventgrid-ResourceWriteSuccess-egschema.json') =>
    () => {
      const event = (loadFixture(file) as unknown as Json[])[0]!;
      Object.assign(event.data, { operationName, resourceUri });
      return event;
    };
  const gcp = (methodName: string, resourceName: string) => () => {
    const event = loadFixture('gcp-eventarc-auditlog-cloudevent-structured-bigquery.json');
    Object.assign(event.data.protoPayload, { methodName, resourceName, serviceName: 'compute.googleapis.com' });
    event.data.operation = { id: 'op', first: false, last: true };
    return event;
  };
  const vnet =
    '/subscriptions/7a1b2c3d-0000-4000-8000-00000000ab12/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub';
  return {
    'aws CreateRoute': {
      normalizer: normalizers.aws!,
      event: ec2('CreateRoute', { routeTableId: 'rtb-1', destinationCidrBlock: '10.0.0.0/16' }),
    },
    'aws CreateVpcPeeringConnection': {
      normalizer: normalizers.aws!,
      event: ec2(
        'CreateVpcPeeringConnection',
        { vpcId: 'vpc-1' },
        { vpcPeeringConnection: { vpcPeeringConnectionId: 'pcx-1' } },
      ),
    },
    'aws CreateTags': {
      normalizer: normalizers.aws!,
      event: ec2('CreateTags', { resourcesSet: { items: [{ resourceId: 'vpc-1' }, { resourceId: 'vpc-2' }] } }),
    },
    'aws Control Tower': {
      normalizer: normalizers.aws!,
      event: () => loadFixture('aws-controltower-CreateManagedAccount.json'),
    },
    'aws sweep': {
      normalizer: normalizers.aws!,
      event: () => ({
        id: 's',
        'detail-type': 'Sweep Requested',
        source: 'peerkeeper',
        detail: { scope: { kind: 'account', cloud: 'aws', account: '1' } },
      }),
    },
    'azure peering': {
      normalizer: normalizers.azure!,
      event: azure(
        'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
        `${vnet}/virtualNetworkPeerings/p`,
      ),
    },
    'azure route (CloudEvents)': {
      normalizer: normalizers.azure!,
      event: azure(
        'Microsoft.Network/routeTables/routes/delete',
        '/subscriptions/7a1b2c3d-0000-4000-8000-00000000ab12/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt/routes/r',
        'azure-eventgrid-ResourceDeleteSuccess-cloudevents.json',
      ),
    },
    'azure alias': {
      normalizer: normalizers.azure!,
      event: azure('Microsoft.Subscription/aliases/write', '/providers/Microsoft.Subscription/aliases/a'),
    },
    'azure batch': {
      normalizer: normalizers.azureBatch!,
      event: () => loadFixture('azure-eventgrid-ResourceActionSuccess-egschema.json'),
    },
    'gcp addPeering': {
      normalizer: normalizers.gcp!,
      event: gcp('v1.compute.networks.addPeering', 'projects/test-project/global/networks/vpc-a'),
    },
    'gcp routes.insert': {
      normalizer: normalizers.gcp!,
      event: gcp('v1.compute.routes.insert', 'projects/test-project/global/routes/r'),
    },
    'gcp CreateProject': {
      normalizer: normalizers.gcp!,
      event: () => {
        const event = gcp('google.cloudresourcemanager.v3.Projects.CreateProject', 'projects/new-project')();
        event.data.protoPayload.serviceName = 'cloudresourcemanager.googleapis.com';
        return event;
      },
    },
  };
}

/** Replacement values that break types in the ways real senders do: wrong type, empty, null, nested junk. */
const junk = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, '', 0, -1, true, [], {}, '*', 'vpc-', 'pcx-', '/subscriptions/', 'projects/'),
);
const mutation = fc.record({ pick: fc.nat(), remove: fc.boolean(), value: junk });

describe('event normalizers under fuzzing', () => {
  it.each(Object.keys(normalizers))('%s: arbitrary JSON is a result or a MalformedEventError', (name) => {
    const normalizer = normalizers[name]!;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => normalizesOrRejects(() => normalizer(value))),
      RUNS,
    );
  });

  it.each(Object.entries(seeds()))(
    '%s: mutated copies are a result or a MalformedEventError',
    (_name, { normalizer, event }) => {
      expect(() => normalizer(event())).not.toThrow();
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
          let mutated: unknown = event();
          for (const { pick, remove, value } of mutations) {
            const paths = pathsOf(mutated);
            const path = paths[pick % paths.length]!;
            mutated =
              typeof mutated === 'object' && mutated !== null
                ? mutateAt(mutated as Json, path, remove && path.length > 0 ? undefined : value)
                : value;
          }
          normalizesOrRejects(() => normalizer(mutated));
          // Deterministic: the same bytes give the same answer (handlers and the dead-letter replay rely on it).
          let first: unknown;
          let second: unknown;
          try {
            first = normalizer(mutated);
          } catch (error) {
            first = (error as Error).message;
          }
          try {
            second = normalizer(mutated);
          } catch (error) {
            second = (error as Error).message;
          }
          expect(second).toEqual(first);
        }),
        RUNS,
      );
    },
  );

  it('AWS CloudTrail-shaped noise reaches the call mapping and still behaves', () => {
    const detail = fc.record(
      {
        eventName: fc.constantFrom(...WATCHED_EC2_CALLS, 'DescribeVpcs'),
        awsRegion: fc.string(),
        recipientAccountId: fc.string(),
        errorCode: fc.option(fc.string(), { nil: undefined }),
        userIdentity: fc.jsonValue(),
        requestParameters: fc.jsonValue(),
        responseElements: fc.jsonValue(),
      },
      { requiredKeys: ['eventName', 'awsRegion'] },
    );
    const envelope = fc.record({
      id: fc.string(),
      'detail-type': fc.constant('AWS API Call via CloudTrail'),
      source: fc.constantFrom('aws.ec2', 'aws.controltower', 'aws.organizations'),
      account: fc.string(),
      detail,
    });
    fc.assert(
      fc.property(envelope, (event) => normalizesOrRejects(() => normalizeAwsEvent(event, opts))),
      RUNS,
    );
  });

  it('Azure resource-event-shaped noise reaches the operation mapping and still behaves', () => {
    const operation = fc.constantFrom(
      'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
      'Microsoft.Network/routeTables/routes/delete',
      'Microsoft.Network/virtualNetworks/write',
      'Microsoft.Subscription/aliases/write',
      'Microsoft.Subscription/aliases/x/action',
    );
    const segment = fc.constantFrom(
      'subscriptions',
      'resourceGroups',
      'providers',
      'Microsoft.Network',
      'virtualNetworks',
      'routeTables',
      'routes',
      'x',
      '',
      'S',
    );
    const resourceUri = fc.array(segment, { maxLength: 12 }).map((parts) => `/${parts.join('/')}`);
    const event = fc.record({
      id: fc.string(),
      eventType: fc.constantFrom(
        'Microsoft.Resources.ResourceWriteSuccess',
        'Microsoft.Resources.ResourceActionSuccess',
      ),
      subject: fc.string(),
      data: fc.record(
        {
          operationName: operation,
          resourceUri,
          status: fc.constantFrom('Succeeded', 'Failed'),
          properties: fc.jsonValue(),
          responseBody: fc.oneof(fc.string(), fc.jsonValue()),
          claims: fc.dictionary(fc.string(), fc.jsonValue()),
        },
        { requiredKeys: ['operationName'] },
      ),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 3 }), (batch) => {
        normalizesOrRejects(() => normalizeAzureEvents(batch, opts));
        subscriptionValidationCode(batch);
      }),
      RUNS,
    );
  });

  it('GCP binary-mode noise behaves', () => {
    const headers = fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom('ce-id', 'ce-type', 'ce-source', 'ce-specversion', 'content-type', 'CE-ID'),
      ),
      fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined)),
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.uint8Array().map((bytes) => Buffer.from(bytes)),
    );
    fc.assert(
      fc.property(headers, body, (h, b) =>
        normalizesOrRejects(() => normalizeGcpEvent(cloudEventFromBinary(h, b), opts)),
      ),
      RUNS,
    );
  });

  it('subscriptionValidationCode never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const code = subscriptionValidationCode(value);
        expect(code === undefined || typeof code === 'string').toBe(true);
      }),
      RUNS,
    );
  });
});
