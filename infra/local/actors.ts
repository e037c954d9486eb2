import { randomUUID } from 'node:crypto';
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LOCAL_AWS_CREDENTIALS } from './cloud';

/**
 * People and pipelines other than peerkeeper, calling the emulators over the wire as themselves — so every
 * call emits the event the real cloud would, with their identity on it.
 */

/** An EC2 client as `role` in `account` (assumed through the emulator's STS), like a network admin's console session. */
export async function ec2As(endpoint: string, account: string, role: string): Promise<EC2Client> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: LOCAL_AWS_CREDENTIALS, maxAttempts: 1 });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: role }),
  );
  sts.destroy();
  const c = out.Credentials!;
  return new EC2Client({
    endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
  });
}

/** A JWT-shaped bearer token whose `oid` the ARM emulator stamps on its events (unsigned: the emulator verifies nothing). */
export function armTokenFor(principalId: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: principalId, appid: principalId })}.sig`;
}

/** The management account's Organizations client (the local organization's management account is the hub, 111111111111). */
export function organizationsAsManagement(endpoint: string): OrganizationsClient {
  return new OrganizationsClient({ endpoint, region: 'us-east-1', credentials: LOCAL_AWS_CREDENTIALS, maxAttempts: 1 });
}

/** An ARM call as `principalId` (api-version 2024-05-01 unless the resource provider needs another). */
export async function armAs(
  endpoint: string,
  principalId: string,
  method: 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  apiVersion = '2024-05-01',
): Promise<void> {
  const res = await fetch(`${endpoint}${path}?api-version=${apiVersion}`, {
    method,
    headers: { authorization: `Bearer ${armTokenFor(principalId)}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** A Compute REST call as `principal`; waits for the operation like gcloud does. */
export async function computeAs(
  origin: string,
  principal: string,
  verb: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const res = await fetch(`${origin}/compute/v1/${path}`, {
    method: verb,
    headers: { 'content-type': 'application/json', 'x-emulator-principal': principal },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const op = (await res.json()) as { name?: string };
  if (!res.ok) throw new Error(`${verb} ${path}: ${JSON.stringify(op)}`);
  const project = path.split('/')[1];
  await fetch(`${origin}/compute/v1/projects/${project}/global/operations/${op.name}/wait`, { method: 'POST' });
}

/** A Resource Manager v3 call as `principal` (e.g. a project-vending pipeline's service account); v3 writes finish at once here. */
export async function resourceManagerAs(origin: string, principal: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${origin}/v3/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-emulator-principal': principal },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST v3/${path}: ${res.status} ${await res.text()}`);
}

/** Control Tower's `CreateManagedAccount` service event for a freshly vended account (as EventBridge delivers it). */
export function controlTowerVended(
  managementAccount: string,
  account: string,
  name: string,
  at: Date,
): Record<string, unknown> {
  const time = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS Service Event via CloudTrail',
    source: 'aws.controltower',
    account: managementAccount,
    time,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.05',
      userIdentity: { accountId: managementAccount, invokedBy: 'AWS Internal' },
      eventTime: time,
      eventSource: 'controltower.amazonaws.com',
      eventName: 'CreateManagedAccount',
      awsRegion: 'us-east-1',
      sourceIPAddress: 'AWS Internal',
      userAgent: 'AWS Internal',
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsServiceEvent',
      serviceEventDetails: {
        createManagedAccountStatus: {
          organizationalUnit: { organizationalUnitName: 'Workloads', organizationalUnitId: 'ou-loca-l0000001' },
          account: { accountName: name, accountId: account },
          state: 'SUCCEEDED',
          message: 'AWS Control Tower successfully created a managed account.',
          requestedTimestamp: time,
          completedTimestamp: time,
        },
      },
    },
  };
}
