/** The policy: schema, loaders (YAML text → validated policy with positioned issues; the compiled JSON the functions load) and group membership. Pure. */
export * from './schema';
export { type LoadedPolicy, loadPolicy } from './load';
export { compilePolicy, readCompiledPolicy } from './compiled';
export {
  type PathIssue,
  type PolicyIssue,
  type PolicySource,
  formatPolicyPath,
  policyFailure,
  renderPolicyIssues,
  unplacedSource,
} from './issues';
export { groupWarnings, listedAccounts, networkInGroup, networksInGroup, refInGroup } from './groups';
export {
  accountInContainers,
  type ContainerSelection,
  describeAncestry,
  groupContainers,
  organizationSelection,
  selectsByOrganization,
} from './organization';
export { checkPolicySemantics, connectedGroupPairs } from './semantics';
export { denyCoverageIssues, denyCoverageOnEstate, groupWithin } from './deny-coverage';
export { AWS_PENDING_EXPIRY_MS, MIN_APPROVAL_TTL_MS, REQUEST_EXPIRY, notAnIpAddress } from './bounds';
export { POLICY_SCHEMA_ID, policyJsonSchema } from './jsonSchema';
export { policyReferenceMarkdown } from './reference';
