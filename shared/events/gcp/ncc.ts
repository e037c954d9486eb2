import type { LogEntryData } from './envelope';
import type { MethodOutcome } from './methods';
import { asRecord } from '../shape';

const SERVICE = 'networkconnectivity.googleapis.com';
const HUB_SERVICE = 'google.cloud.networkconnectivity.v1.HubService';
/** Spoke and group writes (a spoke's lifecycle, a hub owner's decision, a group's auto-accept list) and hub lifecycle. */
const RPCS = [
  'CreateSpoke',
  'UpdateSpoke',
  'DeleteSpoke',
  'AcceptHubSpoke',
  'RejectHubSpoke',
  'AcceptSpokeUpdate',
  'RejectSpokeUpdate',
  'UpdateGroup',
  'CreateHub',
  'DeleteHub',
] as const;
const PROJECT_PREFIX = /^projects\/([^/]+)\//;
const NETWORK = /(?:^|\/)projects\/([^/]+)\/global\/networks\/([^/?#]+)$/;
/** Project ids start with a letter; an all-digit segment is a project number, which is not an account id here. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,61}[a-z0-9]$/;

/** The Network Connectivity Center methods the log sink forwards (Eventarc matches methodName exactly). */
export const NCC_METHODS: readonly { serviceName: string; methodName: string }[] = RPCS.map((rpc) => ({
  serviceName: SERVICE,
  methodName: `${HUB_SERVICE}.${rpc}`,
}));

/**
 * An NCC write as a scope: the VPC network a spoke request names (CreateSpoke's `spoke.linkedVpcNetwork.uri`), else
 * the project in the resource name (the spoke's project for spoke calls, the hub's for accept, reject and groups), else
 * the entry's `project_id` label; without a project id (a project number) the estate is swept. Undefined for entries
 * of other services or unwatched NCC methods.
 */
export function scopeForNcc(entry: LogEntryData): MethodOutcome | undefined {
  const { serviceName, methodName, resourceName, request } = entry.protoPayload;
  const rpc = methodName.startsWith(`${HUB_SERVICE}.`) ? methodName.slice(HUB_SERVICE.length + 1) : undefined;
  if (serviceName !== SERVICE && rpc === undefined) return undefined;
  if (!rpc || !(RPCS as readonly string[]).includes(rpc)) return `peerkeeper does not watch ${methodName}`;
  const uri = asRecord(asRecord(asRecord(request)?.['spoke'])?.['linkedVpcNetwork'])?.['uri'];
  const network = typeof uri === 'string' ? NETWORK.exec(uri) : null;
  if (network && PROJECT_ID.test(network[1]!))
    return {
      kind: 'peering',
      scope: { kind: 'network', network: { cloud: 'gcp', account: network[1]!, region: 'global', id: network[2]! } },
    };
  const project = [PROJECT_PREFIX.exec(`${resourceName ?? ''}/`)?.[1], entry.resource?.labels?.['project_id']].find(
    (p): p is string => typeof p === 'string' && PROJECT_ID.test(p),
  );
  return { kind: 'peering', scope: project ? { kind: 'account', cloud: 'gcp', account: project } : { kind: 'estate' } };
}
