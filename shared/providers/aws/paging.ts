/** Follows NextToken to the end. */
export async function allPages<T>(
  fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...page.items);
    token = page.next;
  } while (token);
  return items;
}
