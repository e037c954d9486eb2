import { MalformedEventError } from '../../../shared/errors';
import { normalizeAzureEvent, normalizeAzureEvents, subscriptionValidationCode } from '../../../shared/events/azure';
import type { Scope, TriggerKind } from '../../../shared/model';
import { expectWork, loadFixture, type Json } from '../fixtures';

const SUB = '7A1B2C3D-0000-4000-8000-00000000AB12';
const sub = SUB.toLowerCase();
const VNET = `/subscriptions/${SUB}/resourceGroups/Net-RG/providers/Microsoft.Network/virtualNetworks/Hub-VNet`;
const vnetId = VNET.replace('resourceGroups', 'resourcegroups').toLowerCase();
const TABLE = `/subscriptions/${SUB}/resourceGroups/Net-RG/providers/Microsoft.Network/routeTables/Spoke-RT`;
const tableId = TABLE.replace('resourceGroups', 'resourcegroups').toLowerCase();
const PEERKEEPER_OID = '9f2e0000-0000-4000-8000-0000000000aa';
const opts = { identities: [PEERKEEPER_OID] };

/** The vendor Event Grid-schema (or CloudEvents) example, re-pointed at another operation and resource. */
function armEvent(
  operationName: string,
  resourceUri: string,
  fixture = 'azure-eventgrid-ResourceWriteSuccess-egschema.json',
): Json {
  const [event] = loadFixture(fixture) as unknown as Json[];
  Object.assign(event!.data, { operationName, resourceUri, subscriptionId: SUB });
  event!.data.authorization.action = operationName;
  event!.subject = resourceUri;
  return event!;
}

const network = (id: string): Scope => ({
  kind: 'network',
  network: { cloud: 'azure', account: sub, region: '*', id },
});
const routeTable: Scope = { kind: 'route-table', cloud: 'azure', account: sub, region: '*', routeTableId: tableId };

describe('normalizeAzureEvent: work', () => {
  const withAliasResponse = armEvent(
    'Microsoft.Subscription/aliases/write',
    '/providers/Microsoft.Subscription/aliases/team-a-prod',
  );
  withAliasResponse.data.properties = {
    subscriptionId: 'AAAAAAAA-1111-4222-8333-444444444444',
    provisioningState: 'Succeeded',
  };
  const aliasAction = armEvent(
    'Microsoft.Subscription/aliases/accept/action',
    '/providers/Microsoft.Subscription/aliases/team-a-prod',
    'azure-eventgrid-ResourceActionSuccess-egschema.json',
  );

  const cases: Record<string, { reason: string; event: Json; scope: Scope; kind: TriggerKind }> = {
    'peering write (Event Grid schema)': {
      reason: 'a new or changed half: re-check the VNet that holds it',
      event: armEvent(
        'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
        `${VNET}/virtualNetworkPeerings/hub-to-spoke`,
      ),
      scope: network(vnetId),
      kind: 'peering',
    },
    'peering delete (CloudEvents schema)': {
      reason: 'CloudEvents carry the same data; detected by specversion',
      event: armEvent(
        'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete',
        `${VNET}/virtualNetworkPeerings/hub-to-spoke`,
        'azure-eventgrid-ResourceDeleteSuccess-cloudevents.json',
      ),
      scope: network(vnetId),
      kind: 'peering',
    },
    'operation name casing': {
      reason: 'ARM is case-insensitive and events are not consistent',
      event: armEvent(
        'MICROSOFT.NETWORK/virtualNetworks/VirtualNetworkPeerings/WRITE',
        `${VNET}/virtualNetworkPeerings/p`,
      ),
      scope: network(vnetId),
      kind: 'peering',
    },
    'VNet write': {
      reason: 'address space or tags changed',
      event: armEvent('Microsoft.Network/virtualNetworks/write', VNET),
      scope: network(vnetId),
      kind: 'network',
    },
    'VNet delete': {
      reason: 'peers of a deleted VNet need a look',
      event: armEvent(
        'Microsoft.Network/virtualNetworks/delete',
        VNET,
        'azure-eventgrid-ResourceDeleteSuccess-egschema.json',
      ),
      scope: network(vnetId),
      kind: 'network',
    },
    'subnet write': {
      reason: 'route tables are associated through subnet writes',
      event: armEvent('Microsoft.Network/virtualNetworks/subnets/write', `${VNET}/subnets/app`),
      scope: network(vnetId),
      kind: 'network',
    },
    'route write': {
      reason: 'a UDR in a managed table changed',
      event: armEvent('Microsoft.Network/routeTables/routes/write', `${TABLE}/routes/to-hub`),
      scope: routeTable,
      kind: 'route',
    },
    'route delete': {
      reason: 'a deleted managed UDR is drift',
      event: armEvent(
        'Microsoft.Network/routeTables/routes/delete',
        `${TABLE}/routes/to-hub`,
        'azure-eventgrid-ResourceDeleteSuccess-cloudevents.json',
      ),
      scope: routeTable,
      kind: 'route',
    },
    'route table write': {
      reason: 'routes can be replaced wholesale with the table',
      event: armEvent('Microsoft.Network/routeTables/write', TABLE),
      scope: routeTable,
      kind: 'route',
    },
    'route table delete': {
      reason: 'a managed table disappeared',
      event: armEvent('Microsoft.Network/routeTables/delete', TABLE),
      scope: routeTable,
      kind: 'route',
    },
    'subscription alias without its response': {
      reason: 'Event Grid carries no response body: the new subscription is found by a sweep',
      event: armEvent('Microsoft.Subscription/aliases/write', '/providers/Microsoft.Subscription/aliases/team-a-prod'),
      scope: { kind: 'estate' },
      kind: 'vending',
    },
    'subscription alias with its response': {
      reason: 'a forwarder attached the alias response: re-check just that subscription',
      event: withAliasResponse,
      scope: { kind: 'account', cloud: 'azure', account: 'aaaaaaaa-1111-4222-8333-444444444444' },
      kind: 'vending',
    },
    'action on an alias': {
      reason: 'ResourceActionSuccess on an alias is vending too',
      event: aliasAction,
      scope: { kind: 'estate' },
      kind: 'vending',
    },
    'subscription moved into a management group': {
      reason: 'it may have joined or left a governed group: re-read that subscription',
      event: armEvent(
        'Microsoft.Management/managementGroups/subscriptions/write',
        `/providers/Microsoft.Management/managementGroups/corp/subscriptions/${SUB}`,
      ),
      scope: { kind: 'account', cloud: 'azure', account: sub },
      kind: 'vending',
    },
    'subscription removed from a management group': {
      reason: 'it returns to the root group, out of any governed one',
      event: armEvent(
        'Microsoft.Management/managementGroups/subscriptions/delete',
        `/providers/Microsoft.Management/managementGroups/corp/subscriptions/${SUB}`,
        'azure-eventgrid-ResourceDeleteSuccess-egschema.json',
      ),
      scope: { kind: 'account', cloud: 'azure', account: sub },
      kind: 'vending',
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, scope, kind }) => {
    const trigger = expectWork(normalizeAzureEvent(event, opts));
    expect(trigger.scope).toEqual(scope);
    expect(trigger.kind).toBe(kind);
    expect(trigger.eventId).toBe(event.id);
    expect(trigger.source).toBe(event.data.operationName);
  });

  it('takes the time and the caller from the event', () => {
    const event = armEvent(
      'Microsoft.Network/virtualNetworks/write',
      VNET,
      'azure-eventgrid-ResourceActionSuccess-egschema.json',
    );
    event.data.authorization.evidence.principalId = 'principal-1';
    expect(expectWork(normalizeAzureEvent(event, opts))).toMatchObject({
      actor: 'principal-1',
      at: '2018-10-08T22:46:22.6022559Z',
    });
  });
});

describe('normalizeAzureEvent: ignored', () => {
  const failedType = armEvent('Microsoft.Network/virtualNetworks/write', VNET);
  failedType.eventType = 'Microsoft.Resources.ResourceWriteFailure';
  const failedStatus = armEvent('Microsoft.Network/virtualNetworks/write', VNET);
  failedStatus.data.status = 'Failed';
  const byPrincipal = armEvent(
    'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
    `${VNET}/virtualNetworkPeerings/p`,
    'azure-eventgrid-ResourceActionSuccess-egschema.json',
  );
  byPrincipal.data.authorization.evidence.principalId = PEERKEEPER_OID.toUpperCase();
  const byOid = armEvent('Microsoft.Network/routeTables/routes/write', `${TABLE}/routes/r`);
  byOid.data.claims['http://schemas.microsoft.com/identity/claims/objectidentifier'] = PEERKEEPER_OID;
  const byAppId = armEvent('Microsoft.Network/routeTables/routes/write', `${TABLE}/routes/r`);
  byAppId.data.claims.appid = PEERKEEPER_OID;
  const aliasDelete = armEvent(
    'Microsoft.Subscription/aliases/delete',
    '/providers/Microsoft.Subscription/aliases/x',
    'azure-eventgrid-ResourceDeleteSuccess-egschema.json',
  );

  const cases: Record<string, { reason: string; event: Json; because: RegExp }> = {
    'vendor storage write': {
      reason: 'the verbatim example: a storage account is not a network',
      event: loadFixture('azure-eventgrid-ResourceWriteSuccess-egschema.json')[0],
      because: /does not watch Microsoft\.Storage\/storageAccounts\/write/,
    },
    'vendor storage delete (CloudEvents)': {
      reason: 'verbatim CloudEvents example',
      event: loadFixture('azure-eventgrid-ResourceDeleteSuccess-cloudevents.json')[0],
      because: /does not watch/,
    },
    'vendor listKeys action': {
      reason: 'verbatim action example',
      event: loadFixture('azure-eventgrid-ResourceActionSuccess-egschema.json')[0],
      because: /does not watch/,
    },
    'failure event type': {
      reason: 'ResourceWriteFailure changed nothing',
      event: failedType,
      because: /ResourceWriteFailure: the operation did not succeed/,
    },
    'status not Succeeded': {
      reason: 'a success type with a failed status is still no change',
      event: failedStatus,
      because: /status is Failed, not Succeeded/,
    },
    'own principal (evidence)': {
      reason: 'our own peering write (DESIGN §5), GUIDs case-insensitive',
      event: byPrincipal,
      because: /peerkeeper itself/,
    },
    'own object id claim': { reason: 'AAD v1 spells oid as a URI claim', event: byOid, because: /peerkeeper itself/ },
    'own app id': { reason: 'service principal application id', event: byAppId, because: /peerkeeper itself/ },
    'alias delete': {
      reason: 'deleting an alias does not cancel the subscription',
      event: aliasDelete,
      because: /does not watch/,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, because }) => {
    expect(normalizeAzureEvent(event, opts)).toEqual({
      kind: 'ignore',
      reason: expect.stringMatching(because),
      eventId: event.id,
    });
  });
});

describe('Event Grid webhook handshake and batches', () => {
  const validation = [
    {
      id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
      topic: `/subscriptions/${SUB}`,
      subject: '',
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: '2024-01-01T00:00:00Z',
      metadataVersion: '1',
      dataVersion: '1',
      data: {
        validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
        validationUrl: 'https://rp-eastus2.eventgrid.azure.net/api/subscriptions/x/validate?id=y',
      },
    },
  ];

  it('ignores the validation event and hands the code to the HTTP handler', () => {
    expect(normalizeAzureEvents(validation, opts)).toEqual([
      { kind: 'ignore', reason: 'subscription validation', eventId: validation[0]!.id },
    ]);
    expect(subscriptionValidationCode(validation)).toBe('512d38b6-c7b8-40c8-89fe-f46f9e9622b6');
    expect(subscriptionValidationCode(validation[0])).toBe('512d38b6-c7b8-40c8-89fe-f46f9e9622b6');
  });

  it.each([
    ['a resource event', loadFixture('azure-eventgrid-ResourceWriteSuccess-egschema.json')],
    ['a string', 'hello'],
    ['null', null],
    ['a validation event without code', [{ eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: {} }]],
  ])('finds no validation code in %s', (_name, body) => {
    expect(subscriptionValidationCode(body)).toBeUndefined();
  });

  it('normalizes every event of a batch, in order', () => {
    const batch = [
      armEvent('Microsoft.Network/virtualNetworks/write', VNET),
      loadFixture('azure-eventgrid-ResourceWriteSuccess-egschema.json')[0],
      armEvent('Microsoft.Network/routeTables/write', TABLE, 'azure-eventgrid-ResourceDeleteSuccess-cloudevents.json'),
    ];
    expect(normalizeAzureEvents(batch, opts).map((result) => result.kind)).toEqual(['work', 'ignore', 'work']);
    expect(normalizeAzureEvents(batch[0], opts)).toHaveLength(1);
    expect(normalizeAzureEvents([], opts)).toEqual([]);
  });

  it('names the unreadable item of a batch', () => {
    const batch = [armEvent('Microsoft.Network/virtualNetworks/write', VNET), { id: 'x' }];
    expect(() => normalizeAzureEvents(batch, opts)).toThrow(/batch item 1: Azure event/);
  });
});

describe('normalizeAzureEvent: malformed', () => {
  const noOperation = armEvent('x', VNET);
  delete noOperation.data.operationName;
  const cases: Record<string, { reason: string; event: unknown; message: RegExp }> = {
    'not an object': { reason: 'a number', event: 42, message: /Azure event is not readable/ },
    'no id': {
      reason: 'no idempotency key',
      event: { ...armEvent('Microsoft.Network/virtualNetworks/write', VNET), id: '' },
      message: /id/,
    },
    'CloudEvent without source': {
      reason: 'specversion present, so CloudEvents rules apply',
      event: { specversion: '1.0', id: 'a', type: 'Microsoft.Resources.ResourceWriteSuccess', data: {} },
      message: /no source/,
    },
    'unknown event type': {
      reason: 'the subscription forwards something peerkeeper does not read',
      event: { ...armEvent('x', VNET), eventType: 'Microsoft.Storage.BlobCreated' },
      message: /does not read/,
    },
    'no operationName': {
      reason: 'a resource event without its operation',
      event: noOperation,
      message: /no data\.operationName/,
    },
    'peering op on a non-ARM id': {
      reason: 'the VNet cannot be named',
      event: armEvent('Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write', 'hub-to-spoke'),
      message: /not an ARM id/,
    },
    'route op on a VNet id': {
      reason: 'operation and resource disagree',
      event: armEvent('Microsoft.Network/routeTables/routes/write', VNET),
      message: /not an ARM id/,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { event, message }) => {
    expect(() => normalizeAzureEvent(event, opts)).toThrow(MalformedEventError);
    expect(() => normalizeAzureEvent(event, opts)).toThrow(message);
  });
});
