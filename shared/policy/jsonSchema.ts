import { z } from 'zod';
import { PolicySchema } from './schema';

/** The `$id` of the policy JSON Schema; editors map `policy.yaml` to it (yaml-language-server: $schema=…). */
export const POLICY_SCHEMA_ID = 'urn:peerkeeper:policy:v1';

/** The JSON Schema of the policy file as written (input: defaults make fields optional), for editors and CI. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicySchema, { io: 'input' });
  return {
    ...schema,
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: POLICY_SCHEMA_ID,
    title: 'peerkeeper policy',
    description: 'The one policy file that governs AWS VPC peering, Azure VNet peering and GCP VPC Network Peering.',
  };
}
