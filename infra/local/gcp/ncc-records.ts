import { GoogleError } from './googleError';

/**
 * What the emulator stores of Network Connectivity Center (networkconnectivity v1). Resource names use project ids
 * (`projects/{id}/locations/global/hubs/{hub}`): the API documents project numbers in names it returns, but
 * peerkeeper's partitions are project ids, so the emulator keeps one spelling.
 */

/** The lifecycle states of hubs, groups, route tables, routes and spokes (the discovery document's `State`). */
export type NccState = 'CREATING' | 'ACTIVE' | 'DELETING' | 'ACCEPTING' | 'REJECTING' | 'UPDATING' | 'INACTIVE';

/** Why a spoke is INACTIVE (StateReason.code). */
export type NccReasonCode = 'PENDING_REVIEW' | 'REJECTED' | 'PAUSED' | 'FAILED';

export interface NccGroupRecord {
  name: string;
  autoAcceptProjects: string[];
  labels: Record<string, string>;
  createTime: Date;
  updateTime: Date;
  uid: string;
}

export interface NccHubRecord {
  project: string;
  name: string;
  description?: string;
  labels: Record<string, string>;
  presetTopology: 'MESH' | 'STAR';
  /** Groups by short name; each has a route table of the same name. */
  groups: Map<string, NccGroupRecord>;
  createTime: Date;
  uniqueId: string;
}

/** A VPC spoke's link: the network and its export filters. */
export interface LinkedVpc {
  project: string;
  network: string;
  excludeExportRanges: string[];
  includeExportRanges: string[];
}

/** A hybrid spoke's link (seeded only): VPN tunnels, VLAN attachments or router appliances in one region. */
export interface LinkedHybrid {
  kind: 'vpn' | 'interconnect' | 'router-appliance';
  uris: string[];
  vpcNetwork: string;
}

export interface NccSpokeRecord {
  project: string;
  /** `global` for VPC spokes, a region for hybrid spokes. */
  location: string;
  name: string;
  /** The hub's full name. */
  hub: string;
  /** The group's short name. */
  group: string;
  description?: string;
  labels: Record<string, string>;
  vpc?: LinkedVpc;
  hybrid?: LinkedHybrid;
  state: NccState;
  reasons: { code: NccReasonCode; message: string; userDetails?: string }[];
  createTime: Date;
  updateTime: Date;
  uniqueId: string;
}

/** A route someone else's link put in a hub route table: a dynamic route learned over a hybrid spoke. */
export interface NccHybridRouteRecord {
  hub: string;
  routeTable: string;
  ipCidrRange: string;
  /** The hybrid spoke's full name. */
  spoke: string;
  uid: string;
  createTime: Date;
}

/** A long-running operation; its effect runs (and produces the response) when it is done. */
export interface NccOperationRecord {
  name: string;
  project: string;
  method: string;
  verb: string;
  target: string;
  user: string;
  createTime: Date;
  endTime?: Date;
  finishAt: number;
  done: boolean;
  effect: () => Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: { code: number; message: string };
  audit: { methodName: string; resourceName: string; request: Record<string, unknown> };
}

export const NCC_TYPE = 'type.googleapis.com/google.cloud.networkconnectivity.v1';
export const hubName = (project: string, hub: string): string => `projects/${project}/locations/global/hubs/${hub}`;
export const spokeName = (project: string, location: string, spoke: string): string =>
  `projects/${project}/locations/${location}/spokes/${spoke}`;

/** Parses `projects/p/locations/l/spokes/s`, with or without an `https://…/v1/` prefix. */
export function parseSpokeName(uri: string): { project: string; location: string; spoke: string } | undefined {
  const m = /(?:^|\/)projects\/([^/]+)\/locations\/([^/]+)\/spokes\/([^/?#]+)$/.exec(uri);
  return m ? { project: m[1]!, location: m[2]!, spoke: m[3]! } : undefined;
}

/** google.rpc.Code numbers of the statuses the emulator answers with. */
const RPC_CODES: Record<string, number> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
};
const STATUS_OF_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
};

/** The google.rpc.Status code of an error that ends an operation. */
export function rpcCodeOf(e: GoogleError): number {
  return RPC_CODES[e.reason] ?? RPC_CODES[STATUS_OF_HTTP[e.httpStatus] ?? ''] ?? RPC_CODES.INTERNAL!;
}

/**
 * An error as One Platform APIs write it: `{"error":{"code":404,"message":…,"status":"NOT_FOUND"}}` (no Compute
 * `errors[].reason`).
 */
export class NccError extends GoogleError {
  constructor(httpStatus: number, status: string, message: string) {
    super(httpStatus, status, message, status);
  }

  override toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.httpStatus, message: this.message, status: this.reason } };
  }
}

export const nccErrors = {
  notFound: (name: string) => new NccError(404, 'NOT_FOUND', `Resource '${name}' was not found`),
  alreadyExists: (message: string) => new NccError(409, 'ALREADY_EXISTS', message),
  invalid: (message: string) => new NccError(400, 'INVALID_ARGUMENT', message),
  failedPrecondition: (message: string) => new NccError(400, 'FAILED_PRECONDITION', message),
};
