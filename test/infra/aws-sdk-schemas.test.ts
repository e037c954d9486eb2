import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsSdkSchemas, spellOutSchemaKeys } from '../../infra/aws-sdk-schemas.cjs';

/** Every EC2 operation the adapter sends (shared/providers/aws). */
const OPERATIONS = [
  'DescribeVpcs',
  'DescribeRouteTables',
  'DescribeVpcPeeringConnections',
  'CreateVpcPeeringConnection',
  'AcceptVpcPeeringConnection',
  'RejectVpcPeeringConnection',
  'DeleteVpcPeeringConnection',
  'ModifyVpcPeeringConnectionOptions',
  'CreateRoute',
  'ReplaceRoute',
  'DeleteRoute',
  'CreateTags',
  // Transit Gateway attachments (issue 17).
  'DescribeTransitGateways',
  'DescribeTransitGatewayAttachments',
  'DescribeTransitGatewayRouteTables',
  'GetTransitGatewayRouteTablePropagations',
  'SearchTransitGatewayRoutes',
  'DescribeSubnets',
  'CreateTransitGatewayVpcAttachment',
  'AcceptTransitGatewayVpcAttachment',
  'RejectTransitGatewayVpcAttachment',
  'DeleteTransitGatewayVpcAttachment',
  'AssociateTransitGatewayRouteTable',
  'DisassociateTransitGatewayRouteTable',
  'EnableTransitGatewayRouteTablePropagation',
  'DisableTransitGatewayRouteTablePropagation',
  'GetTransitGatewayAttachmentPropagations',
];

type Schema = unknown;

/** A schema graph with its lazy references (`() => X$`) followed, cycles cut, so two graphs can be compared. */
function resolved(schema: Schema, seen = new Map<unknown, number>()): unknown {
  const value = typeof schema === 'function' ? (schema as () => unknown)() : schema;
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return `<cycle ${seen.get(value)!}>`;
  seen.set(value, seen.size);
  const out = Array.isArray(value)
    ? value.map((v) => resolved(v, seen))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v, seen)]));
  seen.delete(value);
  return out;
}

describe('aws-sdk-schemas esbuild plugin', () => {
  it.each([
    {
      reason: 'a computed trait key naming a string constant is spelled out',
      source: 'const _xN = "xmlName";\nexport var A$ = [0, { [_xN]: _v }];',
      expected: 'const _xN = "xmlName";\nexport var A$ = [0, { "xmlName": _v }];',
    },
    {
      reason: "a key that is not one of the module's string constants stays computed",
      source: 'const _xN = 3;\nexport var A$ = { [_xN]: 1, [_other]: 2 };',
      expected: 'const _xN = 3;\nexport var A$ = { [_xN]: 1, [_other]: 2 };',
    },
    {
      reason: 'array literals of constants are not keys',
      source: 'const _a = "A";\nexport var L = [_a, _b];\nvar c = x ? [_a] : y;',
      expected: 'const _a = "A";\nexport var L = [_a, _b];\nvar c = x ? [_a] : y;',
    },
    {
      reason: 'escaped quotes in a constant survive',
      source: 'const _q = "say \\"hi\\"";\nvar o = { [_q]: 1 };',
      expected: 'const _q = "say \\"hi\\"";\nvar o = { "say \\"hi\\"": 1 };',
    },
  ])('$reason', ({ source, expected }) => {
    expect(spellOutSchemaKeys(source)).toBe(expected);
  });

  it('leaves every schema the adapter uses exactly as the SDK defines it, and drops the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-schemas-'));
    try {
      const entry = join(dir, 'entry.ts');
      writeFileSync(entry, `export { ${OPERATIONS.map((o) => `${o}$`).join(', ')} } from '@aws-sdk/client-ec2';\n`);
      const bundle = async (name: string, plugins: (typeof awsSdkSchemas)[]) => {
        const outfile = join(dir, `${name}.js`);
        const result = await build({
          entryPoints: [entry],
          outfile,
          bundle: true,
          platform: 'node',
          format: 'cjs',
          mainFields: ['module', 'main'],
          nodePaths: [join(__dirname, '..', '..', 'node_modules')],
          logLevel: 'silent',
          metafile: true,
          plugins,
        });
        const schemaBytes = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs)
          .filter(([file]) => file.includes('client-ec2/dist-es/schemas/'))
          .reduce((n, [, input]) => n + input.bytesInOutput, 0);
        return { module: createRequire(__filename)(outfile) as Record<string, Schema>, schemaBytes };
      };
      const sdk = await bundle('sdk', []);
      const spelled = await bundle('spelled', [awsSdkSchemas]);
      for (const op of OPERATIONS)
        expect({ op, schema: resolved(spelled.module[`${op}$`]) }).toEqual({
          op,
          schema: resolved(sdk.module[`${op}$`]),
        });
      expect(spelled.schemaBytes).toBeLessThan(sdk.schemaBytes / 10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
