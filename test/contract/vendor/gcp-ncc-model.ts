import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * The Network Connectivity v1 schemas as @maxim_mazurok/gapi.client.networkconnectivity-v1 0.0.20260223 declares
 * them: its `index.d.ts` is generated from Google's discovery document (revision 20260223; one interface per
 * discovery schema, field names and JSON types as the API has them). Parsed once with the TypeScript compiler.
 */
const FILE = join(
  dirname(require.resolve('@maxim_mazurok/gapi.client.networkconnectivity-v1/package.json')),
  'index.d.ts',
);
let schemas: Map<string, ts.InterfaceDeclaration> | undefined;
let sourceFile: ts.SourceFile | undefined;

function load(): Map<string, ts.InterfaceDeclaration> {
  if (schemas) return schemas;
  sourceFile = ts.createSourceFile('index.d.ts', readFileSync(FILE, 'utf8'), ts.ScriptTarget.Latest, false);
  schemas = new Map();
  const visit = (node: ts.Node): void => {
    // Schemas are the interfaces of the `networkconnectivity` namespace that are not `…Resource` method groups.
    if (ts.isInterfaceDeclaration(node) && !node.name.text.endsWith('Resource')) schemas!.set(node.name.text, node);
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return schemas;
}

const STATE = [
  'STATE_UNSPECIFIED',
  'CREATING',
  'ACTIVE',
  'DELETING',
  'ACCEPTING',
  'REJECTING',
  'UPDATING',
  'INACTIVE',
  'OBSOLETE',
  'FAILED',
];

/**
 * Enum-valued fields: the discovery document lists their values; the generated types keep only `string`. Keyed
 * `Schema.field`, as the discovery document (revision 20260223) spells them.
 */
export const NCC_ENUMS: Record<string, readonly string[]> = {
  'Spoke.state': STATE,
  'Hub.state': STATE,
  'Group.state': STATE,
  'RouteTable.state': STATE,
  'Route.state': STATE,
  'Route.type': ['ROUTE_TYPE_UNSPECIFIED', 'VPC_PRIMARY_SUBNET', 'VPC_SECONDARY_SUBNET', 'DYNAMIC_ROUTE'],
  'StateReason.code': [
    'CODE_UNSPECIFIED',
    'PENDING_REVIEW',
    'REJECTED',
    'PAUSED',
    'FAILED',
    'UPDATE_PENDING_REVIEW',
    'UPDATE_REJECTED',
    'UPDATE_FAILED',
  ],
  'Spoke.spokeType': [
    'SPOKE_TYPE_UNSPECIFIED',
    'VPN_TUNNEL',
    'INTERCONNECT_ATTACHMENT',
    'ROUTER_APPLIANCE',
    'VPC_NETWORK',
    'GATEWAY',
    'PRODUCER_VPC_NETWORK',
  ],
  'Hub.policyMode': ['POLICY_MODE_UNSPECIFIED', 'PRESET'],
  'Hub.presetTopology': ['PRESET_TOPOLOGY_UNSPECIFIED', 'MESH', 'STAR', 'HYBRID_INSPECTION'],
};

/** The query parameters of each method the adapter calls (besides the standard `$.xgafv`, `fields`, …). */
export const NCC_QUERY: Record<string, { names: readonly string[]; enums?: Record<string, readonly string[]> }> = {
  list: { names: ['pageSize', 'pageToken', 'filter', 'orderBy'] },
  'hubs.listSpokes': {
    names: ['pageSize', 'pageToken', 'filter', 'orderBy', 'spokeLocations', 'view'],
    enums: { view: ['SPOKE_VIEW_UNSPECIFIED', 'BASIC', 'DETAILED'] },
  },
  'spokes.create': { names: ['spokeId', 'requestId'] },
  patch: { names: ['updateMask', 'requestId'] },
  write: { names: ['requestId'] },
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkType(type: ts.TypeNode, value: unknown, at: string, owner: string, field: string, out: string[]): void {
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword: {
      if (typeof value !== 'string') return void out.push(`${at}: ${JSON.stringify(value)} is not a string`);
      const values = NCC_ENUMS[`${owner}.${field}`];
      if (values && !values.includes(value)) out.push(`${at}: '${value}' is not one of ${values.join(', ')}`);
      return;
    }
    case ts.SyntaxKind.NumberKeyword:
      if (typeof value !== 'number') out.push(`${at}: ${JSON.stringify(value)} is not a number`);
      return;
    case ts.SyntaxKind.BooleanKeyword:
      if (typeof value !== 'boolean') out.push(`${at}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case ts.SyntaxKind.AnyKeyword:
      return;
    default:
      break;
  }
  if (ts.isArrayTypeNode(type)) {
    if (!Array.isArray(value)) return void out.push(`${at}: not an array`);
    return value.forEach((v, i) => checkType(type.elementType, v, `${at}[${i}]`, owner, field, out));
  }
  // `{[P in string]: string}`: a map (labels) of one value type.
  if (ts.isMappedTypeNode(type)) {
    if (!isObject(value)) return void out.push(`${at}: not an object`);
    for (const [k, v] of Object.entries(value)) if (type.type) checkType(type.type, v, `${at}.${k}`, owner, k, out);
    return;
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText(sourceFile);
    if (name === 'Array' && type.typeArguments?.[0])
      return checkType(ts.factory.createArrayTypeNode(type.typeArguments[0]), value, at, owner, field, out);
    return void out.push(...checkNccSchema(name, value, at));
  }
  out.push(`${at}: the checker does not know type ${ts.SyntaxKind[type.kind]}`);
}

/** Checks a JSON body against a Network Connectivity v1 schema; returns the problems (empty = the model accepts it). */
export function checkNccSchema(schema: string, body: unknown, at = schema): string[] {
  const decl = load().get(schema);
  if (!decl) return [`${at}: Network Connectivity v1 has no schema ${schema}`];
  if (!isObject(body)) return [`${at}: not an object`];
  const props = new Map(
    decl.members.filter(ts.isPropertySignature).map((m) => [m.name.getText(sourceFile).replace(/'/g, ''), m]),
  );
  const out: string[] = [];
  for (const [key, v] of Object.entries(body)) {
    const prop = props.get(key);
    if (prop?.type) checkType(prop.type, v, `${at}.${key}`, schema, key, out);
    else out.push(`${at}.${key}: unknown to the model`);
  }
  return out;
}

/**
 * An `Any` payload of an operation (`response`, `metadata`): checked against the schema its `@type` names
 * (`type.googleapis.com/google.cloud.networkconnectivity.v1.Spoke` → Spoke; protobuf Empty has no fields).
 */
export function checkNccAny(value: unknown, at: string): string[] {
  if (!isObject(value)) return [`${at}: not an object`];
  const type = String(value['@type'] ?? '');
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => k !== '@type'));
  if (type === 'type.googleapis.com/google.protobuf.Empty')
    return Object.keys(rest).length ? [`${at}: Empty with fields`] : [];
  const m = /^type\.googleapis\.com\/google\.cloud\.networkconnectivity\.v1\.(\w+)$/.exec(type);
  return m ? checkNccSchema(m[1]!, rest, `${at}<${m[1]}>`) : [`${at}: unknown @type '${type}'`];
}
