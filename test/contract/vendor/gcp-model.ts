import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * The Compute v1 schemas as @googleapis/compute 42 declares them: its `build/v1.d.ts` is generated from the
 * Compute discovery document (one `Schema$X` interface per discovery schema, field names and JSON types as
 * the API has them). Parsed once with the TypeScript compiler; only the shapes are used, never the client.
 */
const BUILD = join(dirname(require.resolve('@googleapis/compute/package.json')), 'build');
let schemas: Map<string, ts.InterfaceDeclaration> | undefined;
let sourceFile: ts.SourceFile | undefined;

function load(): Map<string, ts.InterfaceDeclaration> {
  if (schemas) return schemas;
  sourceFile = ts.createSourceFile(
    'v1.d.ts',
    readFileSync(join(BUILD, 'v1.d.ts'), 'utf8'),
    ts.ScriptTarget.Latest,
    false,
  );
  schemas = new Map();
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text.startsWith('Schema$'))
      schemas!.set(node.name.text.slice('Schema$'.length), node);
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return schemas;
}

/** Enum-valued fields: the discovery document lists their values; the generated types keep only `string`. Keyed `Schema.field`. */
export const ENUMS: Record<string, readonly string[]> = {
  'NetworkPeering.state': ['ACTIVE', 'INACTIVE'],
  'NetworkPeering.stackType': ['IPV4_ONLY', 'IPV4_IPV6'],
  'NetworkPeering.updateStrategy': ['CONSENSUS', 'INDEPENDENT', 'UNSPECIFIED'],
  'NetworkPeeringConnectionStatus.updateStrategy': ['CONSENSUS', 'INDEPENDENT', 'UNSPECIFIED'],
  'NetworkPeeringConnectionStatusTrafficConfiguration.stackType': ['IPV4_ONLY', 'IPV4_IPV6'],
  'NetworkPeeringConnectionStatusConsensusState.deleteStatus': [
    'DELETE_ACKNOWLEDGED',
    'DELETE_STATUS_UNSPECIFIED',
    'LOCAL_DELETE_REQUESTED',
    'PEER_DELETE_REQUESTED',
  ],
  'NetworkPeeringConnectionStatusConsensusState.updateStatus': [
    'IN_SYNC',
    'PENDING_LOCAL_ACKNOWLEDMENT',
    'UPDATE_STATUS_UNSPECIFIED',
  ],
  'Subnetwork.stackType': ['IPV4_ONLY', 'IPV4_IPV6', 'IPV6_ONLY'],
  'Subnetwork.ipv6AccessType': ['EXTERNAL', 'INTERNAL'],
  'Subnetwork.purpose': [
    'GLOBAL_MANAGED_PROXY',
    'INTERNAL_HTTPS_LOAD_BALANCER',
    'PEER_MIGRATION',
    'PRIVATE',
    'PRIVATE_NAT',
    'PRIVATE_RFC_1918',
    'PRIVATE_SERVICE_CONNECT',
    'REGIONAL_MANAGED_PROXY',
  ],
  'NetworkRoutingConfig.routingMode': ['GLOBAL', 'REGIONAL'],
  'Network.networkFirewallPolicyEnforcementOrder': ['AFTER_CLASSIC_FIREWALL', 'BEFORE_CLASSIC_FIREWALL'],
  'Operation.status': ['DONE', 'PENDING', 'RUNNING'],
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkType(type: ts.TypeNode, value: unknown, at: string, owner: string, field: string, out: string[]): void {
  if (ts.isUnionTypeNode(type)) {
    const real = type.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    if (real.length === 1) return checkType(real[0]!, value, at, owner, field, out);
  }
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword: {
      if (typeof value !== 'string') {
        out.push(`${at}: ${JSON.stringify(value)} is not a string`);
        return;
      }
      const values = ENUMS[`${owner}.${field}`];
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
    case ts.SyntaxKind.UnknownKeyword:
      return;
    default:
      break;
  }
  if (ts.isArrayTypeNode(type)) {
    if (!Array.isArray(value)) {
      out.push(`${at}: not an array`);
      return;
    }
    value.forEach((v, i) => checkType(type.elementType, v, `${at}[${i}]`, owner, field, out));
    return;
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText(sourceFile);
    if (name === 'Array' && type.typeArguments?.[0])
      return checkType(ts.factory.createArrayTypeNode(type.typeArguments[0]), value, at, owner, field, out);
    if (name.startsWith('Schema$')) {
      out.push(...checkSchema(name.slice(7), value, at));
      return;
    }
    out.push(`${at}: the checker does not know type ${name}`);
    return;
  }
  if (ts.isTypeLiteralNode(type)) {
    if (!isObject(value)) {
      out.push(`${at}: not an object`);
      return;
    }
    checkMembers(type.members, value, at, owner, out);
    return;
  }
  out.push(`${at}: the checker does not know type ${ts.SyntaxKind[type.kind]}`);
}

function checkMembers(
  members: ts.NodeArray<ts.TypeElement>,
  value: Record<string, unknown>,
  at: string,
  owner: string,
  out: string[],
): void {
  const index = members.find(ts.isIndexSignatureDeclaration);
  const props = new Map(members.filter(ts.isPropertySignature).map((m) => [m.name.getText(sourceFile), m]));
  for (const [key, v] of Object.entries(value)) {
    const prop = props.get(key);
    if (prop?.type) checkType(prop.type, v, `${at}.${key}`, owner, key, out);
    else if (index?.type) checkType(index.type, v, `${at}.${key}`, owner, key, out);
    else out.push(`${at}.${key}: unknown to the model`);
  }
}

/** Checks a JSON body against a Compute v1 schema; returns the problems (empty = it round-trips through the vendor's model). */
export function checkSchema(schema: string, body: unknown, at = schema): string[] {
  const decl = load().get(schema);
  if (!decl) return [`${at}: Compute v1 has no schema ${schema}`];
  if (!isObject(body)) return [`${at}: not an object`];
  const out: string[] = [];
  checkMembers(decl.members, body, at, schema, out);
  return out;
}

/**
 * The HTTP method and path template of each Compute method, from the generated client (`build/v1.js`):
 * `{ 'networks.updatePeering': { method: 'PATCH', path: '/compute/v1/projects/{project}/global/networks/{network}/updatePeering' } }`.
 */
export function computeMethods(): Map<string, { method: string; path: RegExp; template: string }> {
  const js = readFileSync(join(BUILD, 'v1.js'), 'utf8');
  const out = new Map<string, { method: string; path: RegExp; template: string }>();
  const re = /'(\/compute\/v1\/[^']+)'\)\.replace\([^\n]*\n\s*method: '([A-Z]+)'/g;
  for (const m of js.matchAll(re)) {
    const template = m[1]!;
    const path = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    out.set(`${m[2]} ${template}`, { method: m[2]!, path, template });
  }
  return out;
}
