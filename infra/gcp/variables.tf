variable "project_id" {
  description = "The host project the functions, topics, bucket and scheduler live in."
  type        = string
}

variable "region" {
  description = "Region of the functions, Eventarc triggers and scheduler job."
  type        = string
  default     = "us-central1"
}

variable "organization_id" {
  description = "Numeric organization id: the custom role is defined here (GCP custom roles live in an org or a project)."
  type        = string
}

variable "folder_id" {
  description = "Numeric folder id to grant the role on; empty grants it on the whole organization."
  type        = string
  default     = ""
}

variable "source_archive" {
  description = "The source archive `npm run package:gcp` builds (PEERKEEPER_POLICY=policy.yaml npm run package:gcp); uploaded to the source bucket."
  type        = string
  default     = "../../dist/gcp/peerkeeper-gcp.zip"
}

variable "alert_emails" {
  description = "Who the alerts page by email (one notification channel each). At least one of alert_emails or alert_webhook_urls, or nobody is told."
  type        = list(string)
  default     = []
}

variable "alert_webhook_urls" {
  description = "HTTPS endpoints the alerts post to (PagerDuty, Opsgenie, a chat webhook)."
  type        = list(string)
  default     = []
}

variable "unreadable_sweeps" {
  description = "Page when some project could not be read in this many hourly sweeps in a row."
  type        = number
  default     = 3
}

variable "sweep_schedule" {
  description = "Cron schedule of the sweep (Cloud Scheduler, UTC). Events are best effort; the sweep repairs what they miss."
  type        = string
  default     = "0 * * * *"
}

variable "timeout_seconds" {
  description = "Timeout of the event and worker functions (event-driven gen2 functions allow at most 540 s)."
  type        = number
  default     = 540
}

variable "slack_channel" {
  description = "Slack channel id for approval messages when the policy's approvals.channel is unset (empty: the policy must name one)."
  type        = string
  default     = ""
}
