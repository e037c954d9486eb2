import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeAwsEvent, WATCHED_EC2_CALLS } from '../../../shared/events/aws';
import { WATCHED_VENDING_EVENTS } from '../../../shared/events/aws/vending';
import { DEAD_LETTER_QUEUES } from '../../../infra/aws/generate';
import { specProblems } from './cfn-spec';
import { zipEntries } from './zip-entries';
import { loadPolicy, readCompiledPolicy } from '../../../shared/policy';
import { policyHash } from '../../../shared/doctor/checks';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ROOT = join(__dirname, '..', '..', '..');

/** The deploy parameters packaging requires (docs/deploy/aws.md). */
const PARAMETERS = { PEERKEEPER_POLICY: 'examples/policy.yaml', PEERKEEPER_ORGANIZATION_ID: 'o-a1b2c3d4e5' };

/** `npx osls package`, for real: offline, no AWS credentials (they are removed from the environment). */
function runPackage(parameters: Record<string, string>): { status: number | null; output: string } {
  const env = { ...process.env, ...parameters };
  for (const k of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'PEERKEEPER_POLICY',
    'PEERKEEPER_ORGANIZATION_ID',
  ])
    if (!(k in parameters)) delete env[k];
  const run = spawnSync(process.execPath, [require.resolve('osls/bin/serverless.js'), 'package'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

function packageService(): { template: Json; output: string } {
  const { status, output } = runPackage(PARAMETERS);
  if (status !== 0) throw new Error(`osls package failed (${status}):\n${output}`);
  return {
    template: JSON.parse(
      readFileSync(join(ROOT, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as Json,
    output,
  };
}

const ofType = (t: Json, type: string): [string, Json][] =>
  Object.entries(t.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);

describe('packaging without the required deploy parameters', () => {
  const cases: { reason: string; parameters: Record<string, string>; names: RegExp; notNamed?: RegExp }[] = [
    {
      reason: 'no policy: a default would ship the example policy',
      parameters: { PEERKEEPER_ORGANIZATION_ID: 'o-a1b2c3d4e5' },
      names: /PEERKEEPER_POLICY — the policy file to deploy/,
      notNamed: /PEERKEEPER_ORGANIZATION_ID/,
    },
    {
      reason: 'the old placeholder organization id silently blocks every member account',
      parameters: { PEERKEEPER_POLICY: 'examples/policy.yaml', PEERKEEPER_ORGANIZATION_ID: 'o-exampleorgid' },
      names: /PEERKEEPER_ORGANIZATION_ID — .*not "o-exampleorgid"/,
    },
    {
      reason: 'an account id is not an organization id',
      parameters: { PEERKEEPER_POLICY: 'examples/policy.yaml', PEERKEEPER_ORGANIZATION_ID: '111111111111' },
      names: /PEERKEEPER_ORGANIZATION_ID — .*not "111111111111"/,
    },
  ];
  it.each(cases)(
    'fails with a clear message: $reason',
    ({ parameters, names, notNamed }) => {
      const { status, output } = runPackage(parameters);
      expect(status).not.toBe(0);
      expect(output).toMatch(/peerkeeper: set this deploy parameter/);
      expect(output).toMatch(names);
      if (notNamed) expect(output.split('peerkeeper: set')[1]).not.toMatch(notNamed);
    },
    60_000,
  );
});

describe('serverless.yml packaged by osls', () => {
  let template: Json;
  let output: string;
  beforeAll(() => {
    ({ template, output } = packageService());
  }, 90_000);

  it('produces CloudFormation whose every resource type and property exists in the AWS resource specification', async () => {
    expect(await specProblems(template)).toEqual([]);
  });

  it('ships each function as its bundle and the compiled policy beside it (examples/policy.yaml, validated)', () => {
    const example = loadPolicy(
      readFileSync(join(ROOT, 'examples', 'policy.yaml'), 'utf8'),
      'examples/policy.yaml',
    ).policy;
    for (const [, fn] of ofType(template, 'AWS::Lambda::Function')) {
      const handler = fn.Properties.Handler as string;
      const name = handler.slice(handler.lastIndexOf('/') + 1, handler.lastIndexOf('.'));
      // The plugin zips each function to .serverless/build/<function>.zip; serverless.yml names functions after their files.
      const files = zipEntries(readFileSync(join(ROOT, '.serverless', 'build', `${name}.zip`)));
      expect([...files.keys()].sort()).toEqual([`functions/aws/${name}.js`, 'functions/aws/policy.json'].sort());
      expect(readCompiledPolicy(files.get('functions/aws/policy.json')!.toString('utf8'), 'policy.json')).toEqual(
        example,
      );
      expect(files.get(`functions/aws/${name}.js`)!.length).toBeLessThan(1_000_000);
    }
  });

  it('wires every handler file in functions/aws, and nothing else', () => {
    const files = readdirSync(join(ROOT, 'functions', 'aws'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `functions/aws/${f.replace(/\.ts$/, '')}.handler`)
      .sort();
    const wired = ofType(template, 'AWS::Lambda::Function')
      .map(([, r]) => r.Properties.Handler as string)
      .sort();
    expect(wired).toEqual(files);
    for (const [, fn] of ofType(template, 'AWS::Lambda::Function')) expect(fn.Properties.Runtime).toBe('nodejs22.x');
  });

  it('matches exactly the EC2 calls and vending events the normalizer reads', () => {
    const patterns = ofType(template, 'AWS::Events::Rule')
      .map(([, r]) => r.Properties.EventPattern as Json | undefined)
      .filter((p): p is Json => p !== undefined);
    const ec2 = patterns.filter((p) => p.source?.includes('aws.ec2'));
    const vending = patterns.filter((p) => p.source?.includes('aws.controltower'));
    expect(ec2).toHaveLength(1);
    expect([...ec2[0]!.detail.eventName].sort()).toEqual([...WATCHED_EC2_CALLS].sort());
    expect(vending).toHaveLength(1);
    expect([...vending[0]!.source].sort()).toEqual(Object.keys(WATCHED_VENDING_EVENTS).sort());
    expect([...vending[0]!.detail.eventName].sort()).toEqual(Object.values(WATCHED_VENDING_EVENTS).flat().sort());
  });

  it.each([...WATCHED_EC2_CALLS])('routes %s to work, not to "does not watch"', (eventName) => {
    const result = normalizeAwsEvent(
      {
        version: '0',
        id: `probe-${eventName}`,
        'detail-type': 'AWS API Call via CloudTrail',
        source: 'aws.ec2',
        account: '123456789012',
        time: '2026-01-01T00:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: {
          eventName,
          awsRegion: 'us-east-1',
          recipientAccountId: '123456789012',
          userIdentity: { arn: 'arn:aws:iam::123456789012:user/alice' },
          requestParameters: {
            vpcPeeringConnectionId: 'pcx-1',
            routeTableId: 'rtb-1',
            vpcId: 'vpc-1',
            resourcesSet: { items: [{ resourceId: 'vpc-1' }] },
          },
          responseElements: { vpc: { vpcId: 'vpc-1' } },
        },
      },
      { identities: [] },
    );
    expect(result.kind).toBe('work');
  });

  it('gives every EventBridge target and async function a dead-letter queue, and every queue an alarm', () => {
    for (const [id, rule] of ofType(template, 'AWS::Events::Rule')) {
      for (const target of rule.Properties.Targets as Json[])
        expect({ id, dlq: target.DeadLetterConfig?.Arn }).toEqual({ id, dlq: expect.anything() });
    }
    const invokeConfigs = ofType(template, 'AWS::Lambda::EventInvokeConfig');
    expect(invokeConfigs.length).toBe(4);
    for (const [, c] of invokeConfigs)
      expect(c.Properties.DestinationConfig.OnFailure.Destination).toEqual(
        expect.objectContaining({ 'Fn::GetAtt': expect.any(Array) }),
      );
    const alarmed = ofType(template, 'AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(([, a]) => a.Properties.Dimensions[0].Value['Fn::GetAtt'][0] as string)
      .sort();
    expect(alarmed).toEqual([...DEAD_LETTER_QUEUES].sort());
    expect(template.Resources.WorkQueue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({
      'Fn::GetAtt': ['WorkDeadLetterQueue', 'Arn'],
    });
  });

  it('enables TTL on every DynamoDB table', () => {
    const tables = ofType(template, 'AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id).sort()).toEqual(['ApprovalsTable', 'AuditTable', 'IdempotencyTable']);
    for (const [, t] of tables) expect(t.Properties.TimeToLiveSpecification.Enabled).toBe(true);
  });

  it('grants the function role sts:AssumeRole on the member role and the organization reader only, and no mutating action on *', () => {
    const statements = template.Resources.IamRoleLambdaExecution.Properties.Policies[0].PolicyDocument
      .Statement as Json[];
    const assume = statements.filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(assume).toHaveLength(2);
    expect(assume[0]!.Resource['Fn::Sub']).toEqual([
      'arn:${AWS::Partition}:iam::*:role/${RoleName}',
      { RoleName: 'peerkeeper-member' },
    ]);
    // organizationalUnit groups read the organization through a read-only role of this name (README, Organization structure).
    expect(assume[1]!.Resource['Fn::Sub']).toBe('arn:${AWS::Partition}:iam::*:role/peerkeeper-organization-reader');
    for (const s of statements) {
      const resources = [s.Resource].flat();
      // X-Ray's PutTraceSegments has no resource-level permissions: `*` is the only form AWS accepts.
      const mutating = [s.Action]
        .flat()
        .filter((a: string) => !/:(Describe|Get|List|Query)/.test(a) && !a.startsWith('xray:'));
      if (mutating.length > 0)
        expect({ sid: s.Sid, resources }).not.toEqual({ sid: s.Sid, resources: expect.arrayContaining(['*']) });
    }
  });

  it('routes POST /slack to the approval function and lets it read exactly the two Slack parameters and invoke only itself', () => {
    const routes = ofType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    expect(routes).toEqual(['POST /slack']);
    const statements = template.Resources.IamRoleLambdaExecution.Properties.Policies[0].PolicyDocument
      .Statement as Json[];
    const ssm = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('ssm:')));
    expect(ssm).toHaveLength(1);
    expect(ssm[0]!.Action).toEqual(['ssm:GetParameter']);
    expect(ssm[0]!.Resource.map((r: Json) => r['Fn::Sub'][1].Name)).toEqual([
      '/peerkeeper/slack/bot-token',
      '/peerkeeper/slack/signing-secret',
    ]);
    const invoke = statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    expect(invoke[0]!.Resource['Fn::Sub'][1].Name).toBe('peerkeeper-prod-approval');
    const fn = ofType(template, 'AWS::Lambda::Function').find(
      ([, r]) => r.Properties.Handler === 'functions/aws/approval.handler',
    );
    expect(fn?.[1].Properties.FunctionName).toBe('peerkeeper-prod-approval');
  });

  it('pages someone from every alarm: each one notifies the SNS topic the alarm* deploy parameters subscribe to', () => {
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm');
    expect(alarms.map(([id]) => id).sort()).toEqual(
      expect.arrayContaining([
        'FunctionErrorsAlarm',
        'FunctionThrottlesAlarm',
        'FailedActionsAlarm',
        'UnreadablePartitionsAlarm',
        'ApprovalsNearExpiryAlarm',
        'WorkQueueAgeAlarm',
      ]),
    );
    for (const [id, a] of alarms)
      expect({ id, actions: a.Properties.AlarmActions }).toEqual({ id, actions: [{ Ref: 'AlarmTopic' }] });
    const subscriptions = ofType(template, 'AWS::SNS::Subscription').map(([, r]) => [
      r.Condition,
      r.Properties.Protocol,
    ]);
    expect(subscriptions.sort()).toEqual([
      ['AlarmEmailSet', 'email'],
      ['AlarmHttpsSet', 'https'],
    ]);
    expect(template.Resources.AlarmSlackChannel.Properties.SnsTopicArns).toEqual([{ Ref: 'AlarmTopic' }]);
  });

  it('alarms on the metrics the functions publish, with the dimensions Powertools gives them', () => {
    const metricOf = (id: string) =>
      (template.Resources[id].Properties.Metrics as Json[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    expect(
      metricOf('FailedActionsAlarm').map((m: Json) => [
        m.MetricName,
        m.Dimensions.map((d: Json) => `${d.Name}=${d.Value}`).join(','),
      ]),
    ).toEqual([
      ['FailedActions', 'service=peerkeeper,function=network-event'],
      ['FailedActions', 'service=peerkeeper,function=sweep-worker'],
      ['FailedActions', 'service=peerkeeper,function=approval'],
    ]);
    const unreadable = template.Resources.UnreadablePartitionsAlarm.Properties;
    expect([
      Number(unreadable.EvaluationPeriods),
      Number(unreadable.DatapointsToAlarm),
      metricOf('UnreadablePartitionsAlarm')[0].MetricName,
    ]).toEqual([3, 3, 'UnreadablePartitions']);
    for (const file of ['functions/aws/support/wiring.ts', 'functions/aws/support/fan-out.ts']) {
      const source = readFileSync(join(ROOT, file), 'utf8');
      for (const name of file.includes('fan-out') ? ['ApprovalsNearExpiry'] : ['FailedActions', 'UnreadablePartitions'])
        expect(source).toContain(`'${name}'`);
    }
  });

  it('draws a dashboard whose body is JSON and shows every alarm', () => {
    const [body, variables] = template.Resources.Dashboard.Properties.DashboardBody['Fn::Sub'] as [string, Json];
    const filled = body.replace(/\$\{([^}]+)\}/g, (_, name: string) => `resolved-${name}`);
    const widgets = (JSON.parse(filled) as { widgets: Json[] }).widgets;
    const shown = widgets.find((w) => w.type === 'alarm')!.properties.alarms as string[];
    expect(shown.map((a) => a.replace(/^resolved-|\.Arn$/g, '')).sort()).toEqual(
      ofType(template, 'AWS::CloudWatch::Alarm')
        .map(([id]) => id)
        .sort(),
    );
    expect(Object.keys(variables).sort()).toEqual(['Approval', 'NetworkEvent', 'SweepWorker']);
  });

  it('lets organization accounts forward only EC2 and vending events, and only peerkeeper put source peerkeeper', () => {
    const policies = ofType(template, 'AWS::Events::EventBusPolicy').map(([, r]) => r.Properties.Statement as Json);
    const allow = policies.find((p) => p.Effect === 'Allow')!;
    expect(allow.Condition.StringEquals['events:source']).toEqual(['aws.ec2', 'aws.controltower', 'aws.organizations']);
    expect(allow.Condition.StringEquals['aws:PrincipalOrgID']).toBe('o-a1b2c3d4e5');
    const deny = policies.find((p) => p.Effect === 'Deny')!;
    expect(deny.Condition).toEqual({
      StringEquals: { 'events:source': 'peerkeeper' },
      ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] } },
    });
  });

  it('throttles the HTTP API and answers Slack within its 30 s integration limit, without osls warnings', () => {
    const throttling = template.Resources.HttpApiStage.Properties.DefaultRouteSettings;
    expect([throttling.ThrottlingRateLimit, throttling.ThrottlingBurstLimit]).toEqual([10, 20]);
    const approval = ofType(template, 'AWS::Lambda::Function').find(
      ([, r]) => r.Properties.Handler === 'functions/aws/approval.handler',
    )!;
    expect(approval[1].Properties.Timeout).toBeLessThan(30);
    expect(output).not.toMatch(/timeout setting .* greater than/i);
  });

  it("stamps every function with the deployed policy's SHA-256, which doctor compares", () => {
    const example = loadPolicy(
      readFileSync(join(ROOT, 'examples', 'policy.yaml'), 'utf8'),
      'examples/policy.yaml',
    ).policy;
    for (const [, fn] of ofType(template, 'AWS::Lambda::Function'))
      expect(fn.Properties.Environment.Variables.PEERKEEPER_POLICY_SHA256).toBe(policyHash(example));
  });
});
