import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type ScalarTag } from 'yaml';

/*
 * serverless.yml read the way CloudFormation would resolve it for one function, so the bundled-function test
 * runs with exactly the environment and tables the deployment declares: a variable added there without a
 * local stand-in fails the test instead of being silently missing.
 */

const ROOT = join(__dirname, '..', '..', '..');

/** `!Ref X` / `!GetAtt X.Y` / `!Sub '…'` as plain objects (CloudFormation's long form). */
const CFN_TAGS: ScalarTag[] = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value }) },
  { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) },
];

type Node = Record<string, unknown>;

function serverlessYml(): Node {
  return parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), { customTags: CFN_TAGS }) as Node;
}

function at(doc: Node, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Node | undefined)?.[key], doc);
}

/** `${self:a.b}` follows the path; `${env:NAME, 'default'}` takes the default (the test sets no deployment variables). */
function resolveVariables(doc: Node, value: string): string {
  let current = value;
  for (let depth = 0; depth < 5; depth++) {
    const self = /^\$\{self:([\w.-]+)\}$/.exec(current);
    const env = /^\$\{env:\w+, '([^']*)'\}$/.exec(current);
    if (self) current = String(at(doc, self[1]!));
    else if (env) return env[1]!;
    else if (current.includes('${')) throw new Error(`serverless.yml: cannot resolve ${value}`);
    else return current;
  }
  throw new Error(`serverless.yml: ${value} nests too deep`);
}

/**
 * The environment serverless.yml gives `fn` (provider.environment, then the function's own), with `!Ref` and
 * `!GetAtt` replaced from `resources` (logical id, or `Id.Attribute`). Throws on a reference it cannot resolve.
 */
export function functionEnvironment(fn: string, resources: Record<string, string>): Record<string, string> {
  const doc = serverlessYml();
  const declared = {
    ...(at(doc, 'provider.environment') as Node),
    ...((at(doc, `functions.${fn}.environment`) as Node | undefined) ?? {}),
  };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(declared)) {
    if (typeof value === 'string') {
      env[name] = resolveVariables(doc, value);
      continue;
    }
    const ref = (value as Node).Ref ?? (value as Node)['Fn::GetAtt'];
    const resolved = typeof ref === 'string' ? resources[ref] : undefined;
    if (resolved === undefined)
      throw new Error(
        `serverless.yml: ${fn} sets ${name} from ${JSON.stringify(value)}, which the test does not stand in for`,
      );
    env[name] = resolved;
  }
  return env;
}

/** Every AWS::DynamoDB::Table of serverless.yml as a CreateTable request (keys, attributes and indexes as declared). */
export function declaredTables(): { logicalId: string; input: (tableName: string) => CreateTableCommandInput }[] {
  const resources = at(serverlessYml(), 'resources.Resources') as Record<string, { Type: string; Properties: Node }>;
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, { Properties: p }]) => ({
      logicalId,
      input: (tableName: string): CreateTableCommandInput => ({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
        KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
        ...(p.GlobalSecondaryIndexes
          ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes'] }
          : {}),
      }),
    }));
}

/** The function's timeout in seconds (its own, else the provider's), which the Lambda context counts down from. */
export function functionTimeoutSeconds(fn: string): number {
  const doc = serverlessYml();
  return Number(at(doc, `functions.${fn}.timeout`) ?? at(doc, 'provider.timeout'));
}
