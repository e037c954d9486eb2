output "service_account_email" {
  description = "The functions' identity; add it to the policy's `identities` (its own audit-logged calls produce no work)."
  value       = google_service_account.peerkeeper.email
}

output "custom_role_id" {
  description = "The least-privilege role built from the adapter's declared permissions."
  value       = google_organization_iam_custom_role.peerkeeper.id
}

output "sweep_url" {
  description = "HTTPS endpoint Cloud Scheduler calls (OIDC-authenticated)."
  value       = google_cloudfunctions2_function.sweep.service_config[0].uri
}

output "work_topic" {
  value = google_pubsub_topic.work.id
}

output "dead_letter_topic" {
  description = "Inputs peerkeeper can never process, with the reason, parked for a human."
  value       = google_pubsub_topic.dead_letter.id
}

output "state_bucket" {
  value = google_storage_bucket.state.name
}

output "slack_request_url" {
  description = "Slack app's Interactivity and slash-command Request URL."
  value       = google_cloudfunctions2_function.approval.service_config[0].uri
}

output "slack_secrets" {
  description = "Secret Manager secrets to give values (gcloud secrets versions add <id> --data-file=-): bot token, signing secret."
  value       = { for k, s in google_secret_manager_secret.slack : k => s.id }
}

output "outcome_topic" {
  description = "peerkeeper's outcome events (attributes: source, type, cloud, action)."
  value       = google_pubsub_topic.outcomes.id
}

output "audit_sink_writer" {
  description = "The organization sink's writer identity (granted publish on the audit topic)."
  value       = google_logging_organization_sink.audit.writer_identity
}

output "notification_channels" {
  description = "Where the alerts go."
  value       = [for c in concat(google_monitoring_notification_channel.email, google_monitoring_notification_channel.webhook) : c.id]
}
