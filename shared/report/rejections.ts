/**
 * Groups rejection reasons into classes a report can count. The planner's reasons name the networks and
 * ranges involved (shared/planner/request.ts); counting them verbatim would give one row per request.
 */
const CLASSES: readonly { match: RegExp; label: string }[] = [
  { match: /is not listed in the policy/, label: 'requester account not listed in the policy' },
  { match: /^CIDR overlap|overlaps .*(already routed|routes from the accepter)/, label: 'CIDR overlap' },
  { match: /CIDRs of .* are unknown/, label: 'requester CIDRs unknown' },
  { match: /^rejected by an approver/, label: 'rejected by an approver' },
  {
    match: /^unmatched request|^no connection in the policy joins/,
    label: 'no connection in the policy joins the pair',
  },
];

/** The class of a rejection reason; `denied by policy: <why>` keeps the policy's own words. */
export function rejectionClass(reason: string): string {
  if (reason.startsWith('denied by policy: ')) return reason;
  const known = CLASSES.find((c) => c.match.test(reason));
  if (known) return known.label;
  // Unknown wording: drop ids and ranges so that equal reasons about different networks count together.
  return reason
    .replace(/\b(vpc|pcx|rtb)-[0-9a-f]+\b/g, '<id>')
    .replace(/\b[0-9a-f:.]+\/\d{1,3}\b/g, '<cidr>')
    .replace(/\b\d{12}\b/g, '<account>');
}
