/*
 * The test machine runs Node 20 on purpose (DESIGN §10: the CLI and local cloud support Node ≥ 20.19; the functions
 * run on nodejs22.x). The AWS SDK warns once per process that SDK releases after the first week of January 2027 will
 * need Node 22. package.json pins every @aws-sdk package to an exact 2026 release, so the warning is about versions
 * this lockfile cannot install: the SDK's documented switch turns it off for test processes on Node < 22 only.
 * On Node 22 nothing is set, and the CLI (bin/) leaves the warning to its users, who should know (README: Node versions).
 */
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
