# Who is paged, and when. Every alert notifies one action group (var.alert_emails, var.alert_webhook_urls).
# The functions log one JSON line per reconcile (functions/azure/support/deps.ts: "reconciled" with failed, held
# and unreadablePartitions; "sweep fanned out" with approvalsNearExpiry; "input dead-lettered"); the log alerts
# below query those lines in Application Insights.

resource "azurerm_monitor_action_group" "peerkeeper" {
  name                = "${local.prefix}-oncall"
  resource_group_name = azurerm_resource_group.peerkeeper.name
  short_name          = "peerkeeper"

  dynamic "email_receiver" {
    for_each = var.alert_emails
    content {
      name                    = "email-${email_receiver.key}"
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }

  dynamic "webhook_receiver" {
    for_each = var.alert_webhook_urls
    content {
      name                    = "webhook-${webhook_receiver.key}"
      service_uri             = webhook_receiver.value
      use_common_alert_schema = true
    }
  }
}

locals {
  # name → (KQL over Application Insights, window, what it means). Each fires when the query returns a row.
  log_alerts = {
    function-errors = {
      description = "peerkeeper function invocations failed (the host retries; Event Grid redelivers for a day)"
      query       = "requests | where success == false"
      window      = "PT15M"
      severity    = 2
    }
    # Azure Functions on the Consumption plan publish no throttle metric; the throttling that stalls peerkeeper is
    # ARM's (HTTP 429), which the adapter retries and logs.
    throttles = {
      description = "Azure Resource Manager throttled peerkeeper (HTTP 429) repeatedly"
      query       = "traces | where message has '\"status\":429' or message has 'TooManyRequests' | summarize n = count() | where n >= 5"
      window      = "PT15M"
      severity    = 3
    }
    dead-letters = {
      description = "peerkeeper parked inputs it can never process on the peerkeeper-deadletter queue"
      query       = "traces | where message has 'input dead-lettered'"
      window      = "PT15M"
      severity    = 2
    }
    failed-actions = {
      description = "peerkeeper gave up on planned actions (terminal errors or retries exhausted); peerkeeper report says which"
      query       = "traces | where message has '\"message\":\"reconciled\"' | extend failed = toint(parse_json(message).failed) | where failed > 0"
      window      = "PT15M"
      severity    = 2
    }
    unreadable-partitions = {
      description = "Subscriptions peerkeeper could not read in ${var.unreadable_sweeps} hourly sweeps in a row; decisions that depend on them are held. Run peerkeeper doctor --provider azure"
      query       = "traces | where message has '\"message\":\"reconciled\"' | where toint(parse_json(message).unreadablePartitions) > 0 | summarize hours = dcount(bin(timestamp, 1h)) | where hours >= ${var.unreadable_sweeps}"
      window      = "PT${var.unreadable_sweeps}H"
      severity    = 2
    }
    approvals-near-expiry = {
      description = "Peering approvals expire within 12 hours without a decision (peerkeeper approvals)"
      query       = "traces | where message has '\"message\":\"sweep fanned out\"' | where toint(parse_json(message).approvalsNearExpiry) > 0"
      window      = "PT1H"
      severity    = 3
    }
  }
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "peerkeeper" {
  for_each             = local.log_alerts
  name                 = "${local.prefix}-${each.key}"
  resource_group_name  = azurerm_resource_group.peerkeeper.name
  location             = azurerm_resource_group.peerkeeper.location
  description          = each.value.description
  scopes               = [azurerm_application_insights.peerkeeper.id]
  severity             = each.value.severity
  evaluation_frequency = each.value.window == "PT15M" ? "PT5M" : "PT1H"
  window_duration      = each.value.window

  criteria {
    query                   = each.value.query
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0
    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.peerkeeper.id]
  }
}

# Queue age: Azure Queue Storage publishes message counts, not ages; a backlog that stays means work is not draining.
resource "azurerm_monitor_metric_alert" "work_backlog" {
  name                = "${local.prefix}-work-backlog"
  resource_group_name = azurerm_resource_group.peerkeeper.name
  scopes              = ["${azurerm_storage_account.peerkeeper.id}/queueServices/default"]
  description         = "peerkeeper's queues hold over ${var.work_backlog_alert} messages for 30 minutes: sweep work is not draining"
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT30M"

  criteria {
    metric_namespace = "Microsoft.Storage/storageAccounts/queueServices"
    metric_name      = "QueueMessageCount"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = var.work_backlog_alert
  }

  action {
    action_group_id = azurerm_monitor_action_group.peerkeeper.id
  }
}
