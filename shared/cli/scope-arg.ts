import type { Scope } from '../model';
import { ScopeSchema } from '../model';
import { CliError } from './io';

/** `--scope JSON` as a Scope; absent = the whole estate. */
export function parseScope(text: string | undefined): Scope {
  if (!text) return { kind: 'estate' };
  try {
    return ScopeSchema.parse(JSON.parse(text));
  } catch {
    throw new CliError(`--scope must be JSON such as '{"kind":"account","cloud":"aws","account":"111111111111"}'`);
  }
}
