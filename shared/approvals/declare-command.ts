import { networkKey, type NetworkRef } from '../model';
import { declaredRequests, parseNetworkKey, type DeclaredRequestRegistry } from './declared';

/** What `request --from … --to … --cidrs …` asks for. */
export interface DeclareArgs {
  from: string;
  to: string;
  cidrs: string[];
}

/** The usage line of `/peerkeeper request` and `peerkeeper request`. */
export const DECLARE_USAGE =
  'request --from <cloud:account:region:id> --to <group or cloud:account:region:id> --cidrs <a,b>';

/** Parses `--from X --to Y --cidrs a,b` (also `--from=X`); throws RangeError naming what is missing. */
export function parseDeclareArgs(text: string): DeclareArgs {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const values: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const m = /^--(from|to|cidrs)(?:=(.*))?$/.exec(words[i]!);
    if (!m) throw new RangeError(`unexpected \`${words[i]}\`; usage: ${DECLARE_USAGE}`);
    values[m[1]!] = m[2] ?? words[++i] ?? '';
  }
  const missing = ['from', 'to', 'cidrs'].filter((k) => !values[k]);
  if (missing.length > 0)
    throw new RangeError(`missing ${missing.map((k) => `--${k}`).join(', ')}; usage: ${DECLARE_USAGE}`);
  return {
    from: values.from!,
    to: values.to!,
    cidrs: values
      .cidrs!.split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  };
}

/** Resolves a policy group name to the networks it holds now; undefined when there is no such group. */
export type GroupResolver = (group: string) => Promise<NetworkRef[] | undefined>;

/**
 * Registers a declared request and says what happens next. `--to` is a network key, or a group resolved by
 * `resolveGroup` (one request per network of the group, in the requester's cloud).
 */
export async function declareRequest(
  registry: DeclaredRequestRegistry,
  args: DeclareArgs,
  opts: { requestedBy?: string; now: Date; resolveGroup?: GroupResolver },
): Promise<{ ids: string[]; text: string }> {
  const requester = parseNetworkKey(args.from);
  if (!requester) throw new RangeError(`--from ${args.from} is not a network key (cloud:account:region:id)`);
  if (requester.cloud === 'aws')
    throw new RangeError(
      'AWS peering requests are visible to the accepter account; peerkeeper finds them without a declaration',
    );
  let accepters: NetworkRef[];
  const key = parseNetworkKey(args.to);
  if (key) {
    accepters = [key];
  } else {
    const members = opts.resolveGroup ? await opts.resolveGroup(args.to) : undefined;
    if (members === undefined)
      throw new RangeError(
        `--to ${args.to} is neither a network key nor a policy group${opts.resolveGroup ? '' : ' (groups are resolved by the CLI; name the network here)'}`,
      );
    accepters = members.filter((m) => m.cloud === requester.cloud);
    if (accepters.length === 0)
      throw new RangeError(`group ${args.to} holds no ${requester.cloud} network peerkeeper observes`);
  }
  const requests = declaredRequests(
    { requester, accepters, cidrs: args.cidrs, ...(opts.requestedBy ? { requestedBy: opts.requestedBy } : {}) },
    opts.now,
  );
  const lines: string[] = [];
  for (const request of requests) {
    const stored = await registry.register(request);
    lines.push(
      `${stored === 'created' ? 'Registered' : 'Already registered'} \`${request.id}\`: ${networkKey(request.requester)} → ${networkKey(request.accepter)} (${request.cidrs.join(', ')}), judged by the policy until ${request.expiresAt}.`,
    );
  }
  return { ids: requests.map((r) => r.id), text: lines.join('\n') };
}
