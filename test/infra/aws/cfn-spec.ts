import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource, ResourceProperties } from '@aws-cdk/service-spec-types';

type SpecDatabase = Awaited<ReturnType<typeof loadAwsServiceSpec>>;
type Json = Record<string, unknown>;

let cached: Promise<SpecDatabase> | undefined;
/** The AWS CloudFormation resource specification (@aws-cdk/aws-service-spec), loaded once per test file (~0.6 s). */
export function awsSpec(): Promise<SpecDatabase> {
  return (cached ??= loadAwsServiceSpec());
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `{ Ref }`, `{ Fn::… }`, `{ Condition }`: a value CloudFormation computes, which the spec cannot type. */
const isIntrinsic = (v: unknown): boolean =>
  isObject(v) && Object.keys(v).length === 1 && /^(Ref|Fn::|Condition$)/.test(Object.keys(v)[0]!);

/**
 * Every problem of a template against the spec: unknown resource types, unknown or missing-required properties
 * (recursively into property types), and Fn::GetAtt / Ref on resources or attributes that do not exist.
 */
export async function specProblems(template: Json): Promise<string[]> {
  const db = await awsSpec();
  const resources = (template.Resources ?? {}) as Record<string, Json>;
  const parameters = new Set(Object.keys((template.Parameters ?? {}) as Json));
  const problems: string[] = [];
  const specOf = new Map<string, Resource>();
  for (const [id, resource] of Object.entries(resources)) {
    const type = String(resource.Type);
    const found = db.lookup('resource', 'cloudFormationType', 'equals', type);
    if (found.length === 0) {
      problems.push(`${id}: unknown resource type ${type}`);
      continue;
    }
    specOf.set(id, found[0]!);
    checkProperties(db, `${id}(${type})`, (resource.Properties ?? {}) as Json, found[0]!.properties, problems);
  }
  walkIntrinsics(template, (kind, target, attribute, where) => {
    if (kind === 'Ref') {
      if (!resources[target] && !parameters.has(target) && !target.startsWith('AWS::'))
        problems.push(`${where}: Ref to unknown ${target}`);
      return;
    }
    const spec = specOf.get(target);
    if (!resources[target]) problems.push(`${where}: GetAtt on unknown resource ${target}`);
    else if (spec && attribute && !(attribute in spec.attributes))
      problems.push(`${where}: ${target} (${spec.cloudFormationType}) has no attribute ${attribute}`);
  });
  return problems;
}

function checkProperties(
  db: SpecDatabase,
  where: string,
  value: Json,
  spec: ResourceProperties,
  problems: string[],
): void {
  for (const [name, property] of Object.entries(spec)) {
    if (property.required && !(name in value)) problems.push(`${where}: required property ${name} is missing`);
  }
  for (const [name, v] of Object.entries(value)) {
    const property = spec[name];
    if (!property) {
      problems.push(`${where}: unknown property ${name}`);
      continue;
    }
    checkValue(db, `${where}.${name}`, v, [property.type, ...(property.previousTypes ?? [])], problems);
  }
}

/** Checks object and list shapes against the first candidate type; scalars are left to CloudFormation. */
function checkValue(db: SpecDatabase, where: string, value: unknown, types: PropertyType[], problems: string[]): void {
  if (isIntrinsic(value)) return;
  const type = types[0];
  if (!type) return;
  switch (type.type) {
    case 'ref':
      if (!isObject(value)) {
        problems.push(`${where}: expected an object`);
        return;
      }
      checkProperties(db, where, value, db.get('typeDefinition', type.reference.$ref).properties, problems);
      return;
    case 'array':
      if (Array.isArray(value))
        value.forEach((item, i) => checkValue(db, `${where}[${i}]`, item, [type.element], problems));
      else problems.push(`${where}: expected a list`);
      return;
    case 'map':
      if (isObject(value))
        for (const [k, item] of Object.entries(value)) checkValue(db, `${where}.${k}`, item, [type.element], problems);
      return;
    case 'union':
      // An object value is checked against the union's object-shaped member (e.g. Json | Ref).
      checkValue(
        db,
        where,
        value,
        type.types.filter((t) => (isObject(value) ? ['ref', 'json', 'map'].includes(t.type) : true)),
        problems,
      );
      return;
    default:
      return;
  }
}

function walkIntrinsics(
  node: unknown,
  visit: (kind: 'Ref' | 'GetAtt', target: string, attribute: string | undefined, where: string) => void,
  where = '',
): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => walkIntrinsics(n, visit, `${where}[${i}]`));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Ref' && typeof value === 'string') visit('Ref', value, undefined, where);
    else if (key === 'Fn::GetAtt') {
      const [target, attribute] = Array.isArray(value) ? (value as string[]) : String(value).split('.');
      visit('GetAtt', String(target), attribute, where);
    } else walkIntrinsics(value, visit, where ? `${where}.${key}` : key);
  }
}
