import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GCP_FUNCTION_NAMES } from '../../../functions/gcp';
import { normalizeGcpEvent, WATCHED_GCP_METHODS } from '../../../shared/events/gcp';
import { allGcpPermissions } from '../../../shared/providers/gcp';
import { APPROVAL_ENV } from '../../../shared/runtime/approvals';
import { GCP_ENV } from '../../../shared/runtime/gcp';

type Hcl = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('@cdktf/hcl2json') as { parse(file: string, text: string): Promise<Hcl> };

const dir = join(__dirname, '..', '..', '..', 'infra', 'gcp');
const load = (file: string): Promise<Hcl> => parse(file, readFileSync(join(dir, file), 'utf8'));

/** An audit-log CloudEvent for one method, completed (operation.last) and made by a person. */
function auditEvent(serviceName: string, methodName: string): unknown {
  const resourceName =
    serviceName === 'compute.googleapis.com'
      ? methodName.includes('.networks.')
        ? 'projects/p-one/global/networks/vpc'
        : 'projects/p-one/regions/r/subnetworks/s'
      : 'projects/p-new-one';
  return {
    specversion: '1.0',
    id: methodName,
    type: 'google.cloud.audit.log.v1.written',
    source: '//cloudaudit.googleapis.com/projects/p-one/logs/activity',
    data: {
      protoPayload: {
        serviceName,
        methodName,
        resourceName,
        authenticationInfo: { principalEmail: 'alice@example.com' },
        request: { project: { projectId: 'p-new-one' } },
      },
      operation: { last: true },
      resource: { labels: { project_id: 'p-one' } },
    },
  };
}

describe('infra/gcp Terraform matches the code', () => {
  let main: Hcl;
  beforeAll(async () => {
    main = await load('main.tf');
  });
  const locals = (): Hcl => Object.assign({}, ...(main.locals as Hcl[]));
  const functions = (): Hcl[] =>
    Object.values(main.resource.google_cloudfunctions2_function as Hcl).map((f) => (f as Hcl[])[0]!);

  it('exports exactly the audit-log methods the normalizer turns into work from every project of the organization, to the event function', () => {
    const sink = (main.resource.google_logging_organization_sink.audit as Hcl[])[0]!;
    expect(sink).toMatchObject({
      org_id: '${var.organization_id}',
      include_children: true,
      destination: 'pubsub.googleapis.com/${google_pubsub_topic.audit.id}',
    });
    expect(sink.filter).toBe('logName:"/logs/cloudaudit.googleapis.com%2Factivity" AND (${local.sink_filter})');
    expect(locals().sink_filter).toBe(
      '${join(" OR ", [for m in local.watched_methods : "(protoPayload.serviceName=\\"${m.service}\\" AND protoPayload.methodName=\\"${m.method}\\")"])}',
    );
    const deployed = (locals().watched_methods as { service: string; method: string }[])
      .map((m) => `${m.service} ${m.method}`)
      .sort();
    expect(deployed).toEqual(WATCHED_GCP_METHODS.map((m) => `${m.serviceName} ${m.methodName}`).sort());
    expect((main.resource.google_pubsub_topic_iam_member.sink_writer as Hcl[])[0]).toMatchObject({
      topic: '${google_pubsub_topic.audit.id}',
      role: 'roles/pubsub.publisher',
      member: '${google_logging_organization_sink.audit.writer_identity}',
    });
    const event = (main.resource.google_cloudfunctions2_function.event as Hcl[])[0]!;
    expect(event.event_trigger[0]).toMatchObject({
      pubsub_topic: '${google_pubsub_topic.audit.id}',
      event_type: 'google.cloud.pubsub.topic.v1.messagePublished',
      retry_policy: 'RETRY_POLICY_RETRY',
    });
    expect(main.resource.google_eventarc_trigger).toBeUndefined();
  });

  it('enables the APIs it uses, and deploys the archive npm run package:gcp builds', () => {
    const services = locals().services as string[];
    for (const api of [
      'cloudfunctions.googleapis.com',
      'run.googleapis.com',
      'cloudbuild.googleapis.com',
      'eventarc.googleapis.com',
      'pubsub.googleapis.com',
      'logging.googleapis.com',
      'compute.googleapis.com',
      'networkconnectivity.googleapis.com',
      'secretmanager.googleapis.com',
      'cloudscheduler.googleapis.com',
    ])
      expect(services).toContain(api);
    expect((main.resource.google_project_service.enabled as Hcl[])[0]).toMatchObject({
      for_each: '${toset(local.services)}',
      disable_on_destroy: false,
    });
    expect((main.resource.google_storage_bucket_object.source as Hcl[])[0]).toMatchObject({
      source: '${var.source_archive}',
      name: 'peerkeeper-${filemd5(var.source_archive)}.zip',
    });
    for (const f of functions())
      expect(f.build_config[0].source[0].storage_source[0]).toEqual({
        bucket: '${google_storage_bucket.source.name}',
        object: '${google_storage_bucket_object.source.name}',
      });
  });

  it('publishes outcomes on a Pub/Sub topic and pages the notification channels from every alert', async () => {
    expect(locals().function_env).toMatchObject({
      [GCP_ENV.outcomeTopic]: '${google_pubsub_topic.outcomes.id}',
      PEERKEEPER_POLICY_SHA256: '${trimspace(file(replace(var.source_archive, ".zip", ".policy.sha256")))}',
    });
    const alerts = await load('alerts.tf');
    const alertLocals = Object.assign({}, ...(alerts.locals as Hcl[])) as Hcl;
    expect(Object.keys(alertLocals.alerts).sort()).toEqual([
      'approvals-near-expiry',
      'dead-letters',
      'failed-actions',
      'function-errors',
      'queue-age',
      'throttles',
      'unreadable-partitions',
    ]);
    expect((alerts.resource.google_monitoring_alert_policy.peerkeeper as Hcl[])[0]!.notification_channels).toBe(
      '${local.channels}',
    );
    // The log lines the metrics count are the ones the functions write.
    const root = join(__dirname, '..', '..', '..');
    expect(readFileSync(join(root, 'functions', 'gcp', 'support.ts'), 'utf8')).toContain(
      "runtime.log.info('reconciled'",
    );
    expect(readFileSync(join(root, 'functions', 'gcp', 'sweep.ts'), 'utf8')).toMatch(
      /rt\.log\.info\('sweep', \{[^}]*approvalsNearExpiry/,
    );
  });

  it.each(WATCHED_GCP_METHODS.map((m) => [m.methodName, m.serviceName]))(
    'normalizes a completed %s call into work (a trigger never delivers what is ignored)',
    (method, service) => {
      expect(normalizeGcpEvent(auditEvent(service, method), { identities: [] }).kind).toBe('work');
    },
  );

  it('deploys every registered function, and only those, on Node 22 gen2', () => {
    const entryPoints = functions()
      .map((f) => f.build_config[0].entry_point)
      .sort();
    expect(entryPoints).toEqual(Object.values(GCP_FUNCTION_NAMES).sort());
    expect(functions().map((f) => f.build_config[0].runtime)).toEqual(
      Object.values(GCP_FUNCTION_NAMES).map(() => 'nodejs22'),
    );
  });

  it('grants a custom role of exactly allGcpPermissions(), on the folder or the organization', () => {
    const role = (main.resource.google_organization_iam_custom_role.peerkeeper as Hcl[])[0]!;
    expect(role.permissions).toBe('${local.adapter_permissions}');
    expect(locals().adapter_permissions).toEqual(allGcpPermissions());
    for (const binding of ['google_folder_iam_member', 'google_organization_iam_member']) {
      expect((main.resource[binding].peerkeeper as Hcl[])[0]!.role).toBe(
        '${google_organization_iam_custom_role.peerkeeper.name}',
      );
    }
  });

  it('serializes peering work in one instance and parks terminal inputs on the dead-letter topic', () => {
    const event = (main.resource.google_cloudfunctions2_function.event as Hcl[])[0]!.service_config[0];
    expect(event).toMatchObject({ max_instance_count: 1, max_instance_request_concurrency: 16 });
    const topics = Object.keys(main.resource.google_pubsub_topic as Hcl);
    expect(topics.sort()).toEqual(['approval', 'audit', 'dead_letter', 'outcomes', 'work']);
    expect(locals().function_env).toMatchObject({
      [GCP_ENV.deadLetterTopic]: '${google_pubsub_topic.dead_letter.id}',
      [GCP_ENV.workTopic]: '${google_pubsub_topic.work.id}',
      [GCP_ENV.serviceAccount]: '${google_service_account.peerkeeper.email}',
      [GCP_ENV.stateBucket]: '${google_storage_bucket.state.name}',
    });
    const worker = (main.resource.google_cloudfunctions2_function.sweep_worker as Hcl[])[0]!;
    expect(worker.event_trigger[0]).toMatchObject({
      pubsub_topic: '${google_pubsub_topic.work.id}',
      retry_policy: 'RETRY_POLICY_RETRY',
    });
  });

  it('wires chat approvals: a public Slack endpoint, the approval topic to its worker, and read access to exactly the two Slack secrets', () => {
    const fns = main.resource.google_cloudfunctions2_function as Hcl;
    expect((fns.approval as Hcl[])[0]!.service_config[0]).toMatchObject({ ingress_settings: 'ALLOW_ALL' });
    const pub = (main.resource.google_cloud_run_service_iam_member.approval_public as Hcl[])[0]!;
    expect(pub).toMatchObject({
      service: '${google_cloudfunctions2_function.approval.service_config[0].service}',
      role: 'roles/run.invoker',
      member: 'allUsers',
    });
    // Only the Slack endpoint is public: the other functions are internal or reached by OIDC.
    const publicGrants = Object.values(main.resource.google_cloud_run_service_iam_member as Hcl).filter(
      (g) => (g as Hcl[])[0]!.member === 'allUsers',
    );
    expect(publicGrants).toHaveLength(1);
    const worker = (fns.approval_worker as Hcl[])[0]!;
    expect(worker.event_trigger[0]).toMatchObject({
      pubsub_topic: '${google_pubsub_topic.approval.id}',
      event_type: 'google.cloud.pubsub.topic.v1.messagePublished',
    });
    expect(worker.service_config[0]).toMatchObject({ max_instance_count: 1, ingress_settings: 'ALLOW_INTERNAL_ONLY' });
    expect((main.resource.google_pubsub_topic_iam_member.publish as Hcl[])[0]!.for_each).toMatchObject({
      approval: '${google_pubsub_topic.approval.id}',
    });
    expect(Object.keys(locals().slack_secrets as Hcl).sort()).toEqual(['signing', 'token']);
    expect((main.resource.google_secret_manager_secret.slack as Hcl[])[0]!.for_each).toBe('${local.slack_secrets}');
    const access = (main.resource.google_secret_manager_secret_iam_member.slack as Hcl[])[0]!;
    expect(access).toMatchObject({
      for_each: '${google_secret_manager_secret.slack}',
      role: 'roles/secretmanager.secretAccessor',
      member: 'serviceAccount:${google_service_account.peerkeeper.email}',
    });
    expect(locals().function_env).toMatchObject({
      [GCP_ENV.approvalTopic]: '${google_pubsub_topic.approval.id}',
      [APPROVAL_ENV.slackTokenSecret]: '${google_secret_manager_secret.slack["token"].id}',
      [APPROVAL_ENV.slackSigningSecret]: '${google_secret_manager_secret.slack["signing"].id}',
      [APPROVAL_ENV.slackChannel]: '${var.slack_channel}',
    });
  });
});
