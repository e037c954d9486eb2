import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeAzureEvent } from '../../../shared/events/azure';
import { azureRoleActions } from '../../../shared/providers/azure';
import { AZURE_TABLES } from '../../../shared/stores/azure-table-idempotency';
import { KEY_VAULT_SECRET_ROLE } from '../../../shared/providers/azure/secrets';
import { APPROVAL_ENV } from '../../../shared/runtime/approvals';
import { AZURE_KEY_VAULT_URL } from '../../../shared/runtime/azure-approvals';
import { AZURE_ENV } from '../../../shared/runtime/azure';
import { EVENT_GRID_SENDER_ROLE } from '../../../shared/providers/azure/outcomes';
import { FUNCTION_NAMES, registerFunctions, type FunctionRegistry } from '../../../functions/azure/register';
import { QUEUES } from '../../../functions/azure/support/deps';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('@cdktf/hcl2json') as { parse(file: string, text: string): Promise<Hcl> };
type Hcl = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dir = join(__dirname, '..', '..', '..', 'infra', 'azure');
let main: Hcl;
let locals: Hcl;
const resource = (type: string, name: string): Hcl => main.resource[type][name][0];

let alerts: Hcl;
let outputs: Hcl;
beforeAll(async () => {
  main = await parse('main.tf', readFileSync(join(dir, 'main.tf'), 'utf8'));
  alerts = await parse('alerts.tf', readFileSync(join(dir, 'alerts.tf'), 'utf8'));
  outputs = await parse('outputs.tf', readFileSync(join(dir, 'outputs.tf'), 'utf8'));
  locals = Object.assign({}, ...(main.locals as Hcl[]), ...(alerts.locals as Hcl[]));
});

const SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
/** An ARM id of the resource an operation acts on, e.g. …/virtualNetworks/n1/virtualNetworkPeerings/n2. */
function resourceUriOf(operation: string): string {
  const [provider, ...types] = operation.split('/').slice(0, -1);
  const path = types.map((t, i) => `${t}/n${i + 1}`).join('/');
  // Tenant-level resources (aliases, management groups) have no subscription prefix; a moved subscription is named by its id.
  if (provider === 'Microsoft.Management') return `/providers/${provider}/managementGroups/n1/subscriptions/${SUB}`;
  return provider === 'Microsoft.Subscription'
    ? `/providers/${provider}/${path}`
    : `/subscriptions/${SUB}/resourceGroups/rg/providers/${provider}/${path}`;
}
function normalizes(operation: string, eventType = 'Microsoft.Resources.ResourceWriteSuccess'): boolean {
  const event = {
    id: `e-${operation}`,
    eventType,
    subject: resourceUriOf(operation),
    data: { operationName: operation, status: 'Succeeded', resourceUri: resourceUriOf(operation) },
  };
  return normalizeAzureEvent(event, { identities: [] }).kind === 'work';
}

describe('infra/azure Terraform agrees with the code', () => {
  it('gives the custom role exactly azureRoleActions(), with no wildcard', () => {
    const role = resource('azurerm_role_definition', 'peerkeeper');
    expect(role.permissions[0].actions).toBe('${local.role_actions}');
    expect(locals.role_actions).toEqual(azureRoleActions());
    expect((locals.role_actions as string[]).some((a) => a.includes('*'))).toBe(false);
    expect(resource('azurerm_role_assignment', 'peerkeeper').role_definition_id).toContain(
      'azurerm_role_definition.peerkeeper',
    );
  });

  it('filters Event Grid on exactly the operations the normalizer turns into work', () => {
    const sub = resource('azurerm_eventgrid_event_subscription', 'managed');
    expect(sub.advanced_filter[0].string_in[0]).toEqual({
      key: 'data.operationName',
      values: '${local.watched_operations}',
    });
    const watched = locals.watched_operations as string[];
    for (const operation of watched) expect([operation, normalizes(operation)]).toEqual([operation, true]);
    // The universe the filter is checked against: every verb on every resource type near the watched ones.
    const types = [
      'Microsoft.Network/virtualNetworks',
      'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
      'Microsoft.Network/virtualNetworks/subnets',
      'Microsoft.Network/routeTables',
      'Microsoft.Network/routeTables/routes',
      'Microsoft.Network/virtualHubs',
      'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
      'Microsoft.Network/virtualHubs/hubRouteTables',
      'Microsoft.Network/networkSecurityGroups',
      'Microsoft.Network/publicIPAddresses',
      'Microsoft.Network/virtualNetworkGateways',
      'Microsoft.Subscription/aliases',
      'Microsoft.Storage/storageAccounts',
      'Microsoft.Management/managementGroups/subscriptions',
    ];
    const universe = types.flatMap((t) => ['write', 'delete', 'read'].map((verb) => `${t}/${verb}`));
    const accepted = universe.filter((operation) =>
      normalizes(
        operation,
        operation.endsWith('/delete')
          ? 'Microsoft.Resources.ResourceDeleteSuccess'
          : 'Microsoft.Resources.ResourceWriteSuccess',
      ),
    );
    expect([...accepted].sort()).toEqual([...watched].sort());
  });

  it('delivers the event types the normalizer reads, one event per invocation, to the registered function, with dead-lettering', () => {
    const sub = resource('azurerm_eventgrid_event_subscription', 'managed');
    expect(locals.event_types).toEqual([
      'Microsoft.Resources.ResourceWriteSuccess',
      'Microsoft.Resources.ResourceDeleteSuccess',
      'Microsoft.Resources.ResourceActionSuccess',
    ]);
    for (const type of locals.event_types as string[])
      expect(normalizes('Microsoft.Network/virtualNetworks/write', type)).toBe(true);
    expect(normalizes('Microsoft.Network/virtualNetworks/write', 'Microsoft.Resources.ResourceWriteFailure')).toBe(
      false,
    );
    expect(sub.azure_function_endpoint[0]).toMatchObject({
      function_id: '${azurerm_linux_function_app.peerkeeper.id}/functions/${local.functions.events}',
      max_events_per_batch: 1,
    });
    expect(sub.storage_blob_dead_letter_destination[0].storage_blob_container_name).toContain(
      'azurerm_storage_container.dead_letter',
    );
  });

  it('names the functions the app registers, and the queues and tables they use', () => {
    const registered: string[] = [];
    const keep = (name: string) => void registered.push(name);
    registerFunctions({ eventGrid: keep, http: keep, timer: keep, storageQueue: keep } as unknown as FunctionRegistry, {
      runtime: () => {
        throw new Error('not built');
      },
      clock: Date.now,
    });
    expect(Object.values(locals.functions).sort()).toEqual([...registered].sort());
    expect(locals.functions.events).toBe(FUNCTION_NAMES.events);
    expect(locals.functions.approval).toBe(FUNCTION_NAMES.approval);
    expect(locals.functions.approval_worker).toBe(FUNCTION_NAMES.approvalWorker);
    expect(locals.queues).toEqual({ work: QUEUES.work, dead_letter: QUEUES.deadLetter, approval: QUEUES.approval });
    expect(locals.tables).toEqual(AZURE_TABLES);
    expect(resource('azurerm_storage_queue', 'approval').name).toBe('${local.queues.approval}');
    expect(resource('azurerm_storage_table', 'approvals').name).toBe('${local.tables.approvals}');
  });

  it('points the functions at the Slack secrets in a Key Vault the managed identity may only read', () => {
    const settings = resource('azurerm_linux_function_app', 'peerkeeper').app_settings;
    expect(settings[AZURE_KEY_VAULT_URL]).toContain('azurerm_key_vault.peerkeeper.vault_uri');
    expect(settings[APPROVAL_ENV.slackTokenSecret]).toBe('${local.slack_secrets.token}');
    expect(settings[APPROVAL_ENV.slackSigningSecret]).toBe('${local.slack_secrets.signing}');
    expect(settings[APPROVAL_ENV.slackChannel]).toBe('${var.slack_channel}');
    expect(resource('azurerm_key_vault', 'peerkeeper').rbac_authorization_enabled).toBe(true);
    const grant = resource('azurerm_role_assignment', 'key_vault_secrets');
    expect(grant).toMatchObject({
      role_definition_name: KEY_VAULT_SECRET_ROLE,
      scope: '${azurerm_key_vault.peerkeeper.id}',
    });
    expect(grant.principal_id).toContain('azurerm_user_assigned_identity.peerkeeper.principal_id');
  });

  it('runs the app on Node 22, Linux, with the managed identity the policy must list as its own', () => {
    const app = resource('azurerm_linux_function_app', 'peerkeeper');
    expect(app.site_config[0].application_stack[0].node_version).toBe('22');
    expect(app.identity[0].type).toBe('UserAssigned');
    expect(app.app_settings.PEERKEEPER_IDENTITIES).toContain('azurerm_user_assigned_identity.peerkeeper.principal_id');
    expect(app.app_settings.AZURE_CLIENT_ID).toContain('azurerm_user_assigned_identity.peerkeeper.client_id');
    const host = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', 'functions', 'azure', 'host.json'), 'utf8'),
    ) as Hcl;
    expect(Number(app.app_settings.PEERKEEPER_FUNCTION_TIMEOUT_MS)).toBe(
      Date.parse(`1970-01-01T${host.functionTimeout}Z`),
    );
  });

  it('deploys as written: the subscription from a variable, globally unique names, the package npm run package:azure builds', () => {
    expect(main.provider.azurerm[0].subscription_id).toBe('${var.subscription_id}');
    for (const [type, name] of [
      ['azurerm_linux_function_app', 'peerkeeper'],
      ['azurerm_user_assigned_identity', 'peerkeeper'],
      ['azurerm_eventgrid_topic', 'outcomes'],
    ])
      expect(resource(type!, name!).name).toContain('${local.prefix}');
    expect(locals.prefix).toContain('${random_string.suffix.result}');
    expect(locals.storage_name).toContain('${random_string.suffix.result}');
    expect(resource('azurerm_key_vault', 'peerkeeper').name).toBe('${local.vault_name}');
    const blob = resource('azurerm_storage_blob', 'package');
    expect(blob).toMatchObject({ source: '${var.package_path}', content_md5: '${filemd5(var.package_path)}' });
    const settings = resource('azurerm_linux_function_app', 'peerkeeper').app_settings;
    expect(settings.WEBSITE_RUN_FROM_PACKAGE).toBe('${azurerm_storage_blob.package.url}');
    expect(settings.WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID).toBe(
      '${azurerm_user_assigned_identity.peerkeeper.id}',
    );
    expect(settings.PEERKEEPER_POLICY_SHA256).toBe(
      '${trimspace(file(replace(var.package_path, ".zip", ".policy.sha256")))}',
    );
  });

  it('creates the Event Grid subscriptions only once the host runs the package', () => {
    expect(resource('azurerm_eventgrid_event_subscription', 'managed').depends_on).toEqual([
      '${data.azurerm_function_app_host_keys.peerkeeper}',
    ]);
    expect(main.data.azurerm_function_app_host_keys.peerkeeper[0].depends_on).toEqual([
      '${azurerm_storage_blob.package}',
      '${azurerm_role_assignment.package_reader}',
    ]);
  });

  it('publishes outcomes on an Event Grid custom topic the identity may send to, and outputs the Slack request URL', () => {
    expect(resource('azurerm_linux_function_app', 'peerkeeper').app_settings[AZURE_ENV.outcomeTopicEndpoint]).toBe(
      '${azurerm_eventgrid_topic.outcomes.endpoint}',
    );
    expect(resource('azurerm_role_assignment', 'outcomes_sender')).toMatchObject({
      role_definition_name: EVENT_GRID_SENDER_ROLE,
      scope: '${azurerm_eventgrid_topic.outcomes.id}',
    });
    expect(outputs.output.slack_request_url[0].value).toBe(
      'https://${azurerm_linux_function_app.peerkeeper.default_hostname}/api/slack',
    );
  });

  it('pages the action group from every alert: errors, throttles, dead letters, failed actions, unreadable partitions, near-expiry approvals, backlog', () => {
    expect(Object.keys(locals.log_alerts).sort()).toEqual([
      'approvals-near-expiry',
      'dead-letters',
      'failed-actions',
      'function-errors',
      'throttles',
      'unreadable-partitions',
    ]);
    const rule = alerts.resource.azurerm_monitor_scheduled_query_rules_alert_v2.peerkeeper[0];
    expect(rule.action[0].action_groups).toEqual(['${azurerm_monitor_action_group.peerkeeper.id}']);
    expect(alerts.resource.azurerm_monitor_metric_alert.work_backlog[0].action[0].action_group_id).toBe(
      '${azurerm_monitor_action_group.peerkeeper.id}',
    );
    const group = alerts.resource.azurerm_monitor_action_group.peerkeeper[0];
    expect(Object.keys(group.dynamic).sort()).toEqual(['email_receiver', 'webhook_receiver']);
    // The log lines the queries look for are the ones the functions write.
    const deps = readFileSync(join(__dirname, '..', '..', '..', 'functions', 'azure', 'support', 'deps.ts'), 'utf8');
    const sweep = readFileSync(join(__dirname, '..', '..', '..', 'functions', 'azure', 'sweep.ts'), 'utf8');
    expect(deps).toContain("'reconciled'");
    expect(deps).toContain("'terminal error: input dead-lettered'");
    expect(sweep).toContain("'sweep fanned out'");
    expect(sweep).toContain('approvalsNearExpiry');
  });
});
