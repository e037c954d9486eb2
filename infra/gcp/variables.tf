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

variable "source_bucket" {
  description = "Bucket holding the function source zip (esbuild bundle of functions/gcp/index.ts + policy.json from `peerkeeper validate policy.yaml --out policy.json` + package.json)."
  type        = string
}

variable "source_object" {
  description = "Object name of the source zip in source_bucket."
  type        = string
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
