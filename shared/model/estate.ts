import { z } from 'zod';
import { AccountSchema, NetworkSchema } from './network';
import { PeeringSchema } from './peering';

/**
 * What one observation saw, of any cloud. `complete` is false when any list call failed or was
 * truncated; then nothing may be deleted or replaced on the strength of it.
 */
export const ObservationSchema = z.object({
  complete: z.boolean(),
  /** Why the observation is incomplete (one line per failed or truncated read). */
  gaps: z.array(z.string()).default([]),
  accounts: z.array(AccountSchema).default([]),
  networks: z.array(NetworkSchema),
  peerings: z.array(PeeringSchema),
});
export type Observation = z.infer<typeof ObservationSchema>;

/** The estate snapshot file the CLI reads and writes (`--estate`, `--out`). */
export const EstateSchema = ObservationSchema.extend({
  version: z.literal(1),
  observedAt: z.string(),
});
export type Estate = z.infer<typeof EstateSchema>;

/** The JSON Schema of the estate snapshot format. */
export function estateJsonSchema(): unknown {
  return z.toJSONSchema(EstateSchema, { io: 'input' });
}

/** Joins observations of several partitions; the result is complete only if every part was. */
export function mergeObservations(parts: readonly Observation[]): Observation {
  const networks = new Map<string, Observation['networks'][number]>();
  const peerings = new Map<string, Observation['peerings'][number]>();
  const accounts = new Map<string, Observation['accounts'][number]>();
  const gaps: string[] = [];
  let complete = true;
  for (const part of parts) {
    complete &&= part.complete;
    gaps.push(...part.gaps);
    for (const a of part.accounts) accounts.set(`${a.cloud}:${a.account}`, a);
    for (const n of part.networks) networks.set(`${n.ref.cloud}:${n.ref.account}:${n.ref.region}:${n.ref.id}`, n);
    for (const p of part.peerings) peerings.set(`${p.cloud}:${p.id}`, p);
  }
  return { complete, gaps, accounts: [...accounts.values()], networks: [...networks.values()], peerings: [...peerings.values()] };
}
