variable "subscription_id" {
  description = "The subscription the function app, its storage and identity are deployed in (azurerm 4.x requires it)."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name (storage accounts allow 3-24 lowercase letters and digits in total)."
  type        = string
  default     = "peerkeeper"
}

variable "location" {
  description = "Azure location of the function app and its storage."
  type        = string
  default     = "westeurope"
}

variable "resource_group_name" {
  description = "Resource group for the function app, its storage and identity (created)."
  type        = string
  default     = "peerkeeper"
}

variable "managed_subscription_ids" {
  description = "Subscriptions peerkeeper governs: each gets the Event Grid subscription and the custom role. Keep equal to providers.azure.subscriptions in the policy."
  type        = list(string)
}

variable "sweep_schedule" {
  description = "NCRONTAB schedule of the sweep (seconds first). Hourly repairs what Event Grid missed."
  type        = string
  default     = "0 17 * * * *"
}

variable "package_path" {
  description = "The function package `npm run package:azure` builds (PEERKEEPER_POLICY=policy.yaml npm run package:azure); uploaded and run from package."
  type        = string
  default     = "../../dist/azure/peerkeeper-azure.zip"
}

variable "alert_emails" {
  description = "Who the alerts page by email (the action group's receivers). At least one of alert_emails or alert_webhook_urls, or nobody is told."
  type        = list(string)
  default     = []
}

variable "alert_webhook_urls" {
  description = "HTTPS endpoints the alerts post to (PagerDuty, Opsgenie, a chat webhook), in the common alert schema."
  type        = list(string)
  default     = []
}

variable "unreadable_sweeps" {
  description = "Page when some subscription could not be read in this many hourly sweeps in a row."
  type        = number
  default     = 3
}

variable "work_backlog_alert" {
  description = "Page when the storage queues hold more messages than this for 30 minutes (sweep work not draining; Azure Queue Storage has no message-age metric)."
  type        = number
  default     = 1000
}

variable "slack_channel" {
  description = "Slack channel id for approval messages when the policy's approvals.channel is unset (empty: the policy must name one)."
  type        = string
  default     = ""
}
