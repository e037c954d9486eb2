import { Ec2Error, type Tags } from './types';

/** One `Filter.N` of a Describe call. */
export interface Filter {
  name: string;
  values: string[];
}

/** Per filter name, the values a record offers; a filter matches when any value matches any pattern. */
export type FilterFields<T> = Record<string, (record: T) => readonly (string | undefined)[]>;

/** EC2 filter values accept `*` (any run) and `?` (any one character); `\` escapes them. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function tagValues(tags: Tags, name: string): (string | undefined)[] | undefined {
  if (name === 'tag-key') return Object.keys(tags);
  if (name === 'tag-value') return Object.values(tags);
  if (name.startsWith('tag:')) return [tags[name.slice(4)]];
  return undefined;
}

/**
 * Applies Describe filters as EC2 does: AND across filters, OR across one filter's values.
 * An unknown filter name is `InvalidParameterValue`, as on AWS.
 */
export function matchesFilters<T>(
  record: T,
  filters: readonly Filter[],
  fields: FilterFields<T>,
  tags: (r: T) => Tags,
): boolean {
  return filters.every((filter) => {
    const extractor = fields[filter.name];
    const offered = extractor ? extractor(record) : tagValues(tags(record), filter.name);
    if (offered === undefined) {
      throw new Ec2Error('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    }
    const patterns = filter.values.map(globToRegExp);
    return offered.some((v) => v !== undefined && patterns.some((p) => p.test(v)));
  });
}

/** Rejects unknown filter names up front, so an empty result set still reports a bad filter. */
export function checkFilterNames<T>(filters: readonly Filter[], fields: FilterFields<T>): void {
  for (const f of filters) {
    const known = f.name in fields || f.name === 'tag-key' || f.name === 'tag-value' || f.name.startsWith('tag:');
    if (!known) throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid`);
  }
}

/** Slices a result list by MaxResults / NextToken. The token is opaque to clients: base64 of the offset. */
export function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  bounds: { min: number; max: number },
): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    const decoded = Number(
      Buffer.from(nextToken, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0)
      throw new Ec2Error('InvalidPaginationToken', `Invalid pagination token: ${nextToken}`);
    offset = decoded;
  }
  if (maxResults === undefined) return { page: items.slice(offset) };
  if (maxResults < bounds.min || maxResults > bounds.max) {
    throw new Ec2Error(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`,
    );
  }
  const end = offset + maxResults;
  const page = items.slice(offset, end);
  return end < items.length
    ? { page, nextToken: Buffer.from(`offset:${end}`, 'utf8').toString('base64url') }
    : { page };
}
