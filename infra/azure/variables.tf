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

variable "package_url" {
  description = "URL of the zip built from functions/azure (WEBSITE_RUN_FROM_PACKAGE); empty = deploy with `func azure functionapp publish`."
  type        = string
  default     = ""
}

variable "slack_channel" {
  description = "Slack channel id for approval messages when the policy's approvals.channel is unset (empty: the policy must name one)."
  type        = string
  default     = ""
}
