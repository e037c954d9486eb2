import { randomUUID } from 'node:crypto';

/** Who made a request, as Event Grid's `data.claims` and `data.authorization.evidence` report it. */
export interface Caller {
  principalId: string;
  appId: string;
  tenantId: string;
  /** Raw JWT claims when the bearer token was a JWT. */
  jwt: Record<string, unknown>;
}

const OID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

/** Decodes a JWT payload without verifying it (the emulator accepts any token). */
function jwtPayload(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return {};
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The caller of a request: the JWT's oid/appid claims when the token is a JWT, else the configured principal. */
export function callerFromAuthorization(
  header: string | undefined,
  fallbackPrincipalId: string,
  tenantId: string,
): Caller {
  const token = header?.replace(/^Bearer\s+/i, '') ?? '';
  const jwt = jwtPayload(token);
  const text = (key: string): string | undefined => (typeof jwt[key] === 'string' ? jwt[key] : undefined);
  const principalId = text('oid') ?? text(OID_CLAIM) ?? text('appid') ?? fallbackPrincipalId;
  return { principalId, appId: text('appid') ?? principalId, tenantId: text('tid') ?? tenantId, jwt };
}

/** An Event Grid event (Event Grid schema) of a subscription system topic. */
export interface ResourceEvent {
  subject: string;
  eventType: 'Microsoft.Resources.ResourceWriteSuccess' | 'Microsoft.Resources.ResourceDeleteSuccess';
  eventTime: string;
  id: string;
  data: Record<string, unknown> & { operationName: string; resourceUri: string };
  dataVersion: string;
  metadataVersion: string;
  topic: string;
}

export interface ResourceEventInput {
  kind: 'write' | 'delete';
  resourceUri: string;
  /** e.g. `Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write`. */
  operationName: string;
  subscriptionId: string;
  caller: Caller;
  method: string;
  url: string;
  clientIp: string;
  clientRequestId: string;
  correlationId: string;
  now: Date;
}

function claims(caller: Caller, now: Date): Record<string, string> {
  const seconds = String(Math.floor(now.getTime() / 1000));
  const expires = String(Math.floor(now.getTime() / 1000) + 3600);
  const base: Record<string, string> = {
    aud: 'https://management.azure.com/',
    iss: `https://sts.windows.net/${caller.tenantId}/`,
    iat: seconds,
    nbf: seconds,
    exp: expires,
    appid: caller.appId,
    appidacr: '2',
    'http://schemas.microsoft.com/identity/claims/identityprovider': `https://sts.windows.net/${caller.tenantId}/`,
    [OID_CLAIM]: caller.principalId,
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier': caller.principalId,
    'http://schemas.microsoft.com/identity/claims/tenantid': caller.tenantId,
    uti: randomUUID().replace(/-/g, '').slice(0, 22),
    ver: '1.0',
  };
  // Event Grid reports every claim as a string.
  for (const [key, value] of Object.entries(caller.jwt)) if (!(key in base)) base[key] = String(value);
  return base;
}

/** Builds `Microsoft.Resources.ResourceWriteSuccess` / `ResourceDeleteSuccess` as a subscription topic sends it. */
export function resourceEvent(input: ResourceEventInput): ResourceEvent {
  const provider = input.operationName.split('/')[0] ?? 'Microsoft.Network';
  return {
    subject: input.resourceUri,
    eventType:
      input.kind === 'write' ? 'Microsoft.Resources.ResourceWriteSuccess' : 'Microsoft.Resources.ResourceDeleteSuccess',
    eventTime: input.now.toISOString(),
    id: randomUUID(),
    data: {
      authorization: {
        scope: input.resourceUri,
        action: input.operationName,
        evidence: {
          role: 'Network Contributor',
          roleAssignmentScope: `/subscriptions/${input.subscriptionId}`,
          roleAssignmentId: randomUUID().replace(/-/g, ''),
          // Network Contributor's built-in role definition id.
          roleDefinitionId: '4d97b98b1d4f4787a291c67834d212e7',
          principalId: input.caller.principalId,
          principalType: 'ServicePrincipal',
        },
      },
      claims: claims(input.caller, input.now),
      correlationId: input.correlationId,
      httpRequest: {
        clientRequestId: input.clientRequestId,
        clientIpAddress: input.clientIp,
        method: input.method,
        url: input.url,
      },
      resourceProvider: provider,
      resourceUri: input.resourceUri,
      operationName: input.operationName,
      status: 'Succeeded',
      subscriptionId: input.subscriptionId,
      tenantId: input.caller.tenantId,
    },
    dataVersion: '2',
    metadataVersion: '1',
    topic: `/subscriptions/${input.subscriptionId}`,
  };
}
