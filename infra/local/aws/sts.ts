import { randomBytes, randomUUID } from 'node:crypto';
import type { QueryObject } from './query';
import { intParam, param } from './query';
import type { AwsEmulatorState } from './state/state';
import type { Caller } from './state/types';
import { renderDocument, STS_NAMESPACE } from './xml';

/** An STS failure, spelled as STS spells it. */
export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 403,
  ) {
    super(message);
  }
}

interface Session {
  account: string;
  roleName: string;
  sessionName: string;
  roleId: string;
  createdAt: string;
}

/**
 * Issues and resolves credentials. An assumed-role access key carries its account in the key itself
 * (`ASIA` + 12-digit account + 4 hex = 20 characters, the length of a real key id), so any later EC2
 * call knows its account; plain static credentials belong to the hub account.
 */
export class StsSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly state: AwsEmulatorState) {}

  /** The caller behind an access key in a region. */
  callerFor(accessKeyId: string, region: string): Caller {
    const session = this.sessions.get(accessKeyId);
    if (session) {
      return {
        account: session.account,
        region,
        accessKeyId,
        role: {
          name: session.roleName,
          sessionName: session.sessionName,
          roleId: session.roleId,
          createdAt: session.createdAt,
        },
      };
    }
    const encoded = /^ASIA(\d{12})[0-9A-F]{4}$/.exec(accessKeyId);
    return { account: encoded ? encoded[1]! : this.state.hubAccount, region, accessKeyId };
  }

  /** AssumeRole: checks the role exists (when roles are registered) and the ExternalId matches. */
  assumeRole(caller: Caller, q: QueryObject, requestId: string): string {
    const roleArn = param(q, 'RoleArn') ?? '';
    const sessionName = param(q, 'RoleSessionName') ?? '';
    const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
    if (!match || !/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new StsError(
        'ValidationError',
        `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint`,
        400,
      );
    }
    const [, account, roleName] = match as unknown as [string, string, string];
    const registered = this.state.roles.get(account);
    const denied =
      registered !== undefined &&
      (registered.roleName !== roleName ||
        (registered.externalId !== undefined && registered.externalId !== param(q, 'ExternalId')));
    if (denied) {
      throw new StsError(
        'AccessDenied',
        `User: ${callerArn(caller)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    const accessKeyId = `ASIA${account}${randomBytes(2).toString('hex').toUpperCase()}`;
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    const duration = intParam(q, 'DurationSeconds') ?? 3600;
    this.sessions.set(accessKeyId, { account, roleName, sessionName, roleId, createdAt: new Date().toISOString() });
    return renderDocument(
      'AssumeRoleResponse',
      STS_NAMESPACE,
      {
        AssumeRoleResult: {
          AssumedRoleUser: {
            Arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
            AssumedRoleId: `${roleId}:${sessionName}`,
          },
          Credentials: {
            AccessKeyId: accessKeyId,
            SecretAccessKey: randomBytes(30).toString('base64'),
            SessionToken: Buffer.from(JSON.stringify({ account, roleName, sessionName, nonce: randomUUID() })).toString(
              'base64',
            ),
            // Real wall clock, not the emulator's: SDK credential caches compare against the host clock.
            Expiration: new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
          PackedPolicySize: 0,
        },
        ResponseMetadata: { RequestId: requestId },
      },
      'member',
    );
  }

  /** GetCallerIdentity. */
  getCallerIdentity(caller: Caller, requestId: string): string {
    return renderDocument(
      'GetCallerIdentityResponse',
      STS_NAMESPACE,
      {
        GetCallerIdentityResult: {
          Arn: callerArn(caller),
          UserId: caller.role ? `${caller.role.roleId}:${caller.role.sessionName}` : `AIDA${caller.account}`,
          Account: caller.account,
        },
        ResponseMetadata: { RequestId: requestId },
      },
      'member',
    );
  }
}

/** The ARN CloudTrail and STS show for a caller. */
export function callerArn(caller: Caller): string {
  return caller.role
    ? `arn:aws:sts::${caller.account}:assumed-role/${caller.role.name}/${caller.role.sessionName}`
    : `arn:aws:iam::${caller.account}:user/peerkeeper-local`;
}
