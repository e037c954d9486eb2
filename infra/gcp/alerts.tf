# Who is paged, and when. Every alert policy notifies the channels below (var.alert_emails, var.alert_webhook_urls).
# The functions log one JSON line per reconcile (functions/gcp/support.ts structuredLog: message "reconciled" with
# failed, held and unreadablePartitions; "sweep" with approvalsNearExpiry); log-based metrics count those lines.

resource "google_monitoring_notification_channel" "email" {
  for_each     = toset(var.alert_emails)
  display_name = "peerkeeper: ${each.value}"
  type         = "email"
  labels       = { email_address = each.value }
  depends_on   = [google_project_service.enabled]
}

resource "google_monitoring_notification_channel" "webhook" {
  for_each     = toset(var.alert_webhook_urls)
  display_name = "peerkeeper webhook"
  type         = "webhook_tokenauth"
  labels       = { url = each.value }
  depends_on   = [google_project_service.enabled]
}

locals {
  channels = concat([for c in google_monitoring_notification_channel.email : c.id], [for c in google_monitoring_notification_channel.webhook : c.id])

  # Log-based counters of the functions' own lines.
  log_metrics = {
    failed_actions        = "jsonPayload.message=\"reconciled\" AND jsonPayload.failed>0"
    unreadable_partitions = "jsonPayload.message=\"reconciled\" AND jsonPayload.unreadablePartitions>0"
    approvals_near_expiry = "jsonPayload.message=\"sweep\" AND jsonPayload.approvalsNearExpiry>0"
  }

  # name → (what it means, monitoring filter, aligner window in s, how long it must hold in s, threshold).
  alerts = {
    function-errors = {
      description = "peerkeeper functions answered 5xx (Pub/Sub and Eventarc redeliver; the hourly sweep repairs the rest)"
      filter      = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=starts_with(\"peerkeeper-\") AND metric.type=\"run.googleapis.com/request_count\" AND metric.labels.response_code_class=\"5xx\""
      window      = 300
      duration    = 0
      threshold   = 0
    }
    # One instance per reconciling function (max_instance_count = 1): requests beyond its concurrency get 429.
    throttles = {
      description = "Cloud Run refused peerkeeper requests (429: no instance available); events wait for redelivery"
      filter      = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=starts_with(\"peerkeeper-\") AND metric.type=\"run.googleapis.com/request_count\" AND metric.labels.response_code=\"429\""
      window      = 300
      duration    = 600
      threshold   = 0
    }
    dead-letters = {
      description = "peerkeeper parked inputs it can never process on peerkeeper-dead-letter (gcloud pubsub subscriptions pull peerkeeper-dead-letter-hold)"
      filter      = "resource.type=\"pubsub_topic\" AND resource.labels.topic_id=\"peerkeeper-dead-letter\" AND metric.type=\"pubsub.googleapis.com/topic/send_message_operation_count\""
      window      = 300
      duration    = 0
      threshold   = 0
    }
    queue-age = {
      description = "Work, approvals or audit entries have waited over 30 minutes for peerkeeper's functions (Eventarc subscriptions)"
      filter      = "resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=starts_with(\"eventarc-\") AND metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\""
      window      = 300
      duration    = 600
      threshold   = 1800
    }
    failed-actions = {
      description = "peerkeeper gave up on planned actions (terminal errors or retries exhausted); peerkeeper report says which"
      filter      = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/peerkeeper/failed_actions\""
      window      = 900
      duration    = 0
      threshold   = 0
    }
    # An hourly sweep each hour: the condition holding for N hours means N sweeps in a row could not read a project.
    unreadable-partitions = {
      description = "Projects peerkeeper could not read in ${var.unreadable_sweeps} hourly sweeps in a row; decisions that depend on them are held. Run peerkeeper doctor --provider gcp"
      filter      = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/peerkeeper/unreadable_partitions\""
      window      = 3600
      duration    = (var.unreadable_sweeps - 1) * 3600
      threshold   = 0
    }
    approvals-near-expiry = {
      description = "Peering approvals expire within 12 hours without a decision (peerkeeper approvals)"
      filter      = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/peerkeeper/approvals_near_expiry\""
      window      = 3600
      duration    = 0
      threshold   = 0
    }
  }
}

resource "google_logging_metric" "peerkeeper" {
  for_each = local.log_metrics
  name     = "peerkeeper/${each.key}"
  filter   = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=starts_with(\"peerkeeper-\") AND ${each.value}"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
}

resource "google_monitoring_alert_policy" "peerkeeper" {
  for_each              = local.alerts
  display_name          = "peerkeeper: ${each.key}"
  combiner              = "OR"
  notification_channels = local.channels
  documentation {
    content   = each.value.description
    mime_type = "text/markdown"
  }
  conditions {
    display_name = each.key
    condition_threshold {
      filter          = each.value.filter
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.threshold
      duration        = "${each.value.duration}s"
      aggregations {
        alignment_period     = "${each.value.window}s"
        per_series_aligner   = each.key == "queue-age" ? "ALIGN_MAX" : "ALIGN_SUM"
        cross_series_reducer = each.key == "queue-age" ? "REDUCE_MAX" : "REDUCE_SUM"
      }
    }
  }
  depends_on = [google_logging_metric.peerkeeper]
}
