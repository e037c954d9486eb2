export { buildReport, latencyOf, type ComplianceReport, type DayCounts, type Latency } from './compliance';
export { renderReportMarkdown, describeLatency, humanDuration } from './markdown';
export { renderReportHtml } from './html';
export { activityChart, conformanceChart, horizontalBars } from './charts';
export { rejectionClass } from './rejections';
export {
  actionAuditFields,
  conformanceCounts,
  driftKind,
  isAuditedFinding,
  observationAuditEntries,
  unreadPartitions,
  type UnreadablePartition,
} from './audit-records';
