/** The policy: schema, loader (YAML text → validated policy with positioned issues) and group membership. Pure. */
export * from './schema';
export { type LoadedPolicy, loadPolicy } from './load';
export { type PathIssue, type PolicyIssue, type PolicySource, formatPolicyPath, renderPolicyIssues, unplacedSource } from './issues';
export { groupWarnings, listedAccounts, networkInGroup, networksInGroup, refInGroup } from './groups';
export { checkPolicySemantics, connectedGroupPairs } from './semantics';
export { POLICY_SCHEMA_ID, policyJsonSchema } from './jsonSchema';
export { policyReferenceMarkdown } from './reference';
