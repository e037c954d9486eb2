output "function_app_name" {
  description = "The function app that hosts peerkeeper."
  value       = azurerm_linux_function_app.peerkeeper.name
}

output "function_names" {
  description = "The functions the app registers (functions/azure/register.ts)."
  value       = local.functions
}

output "principal_id" {
  description = "peerkeeper's identity: list it under `identities` in the policy so its own events make no work."
  value       = azurerm_user_assigned_identity.peerkeeper.principal_id
}

output "role_definition_id" {
  description = "The least-privilege custom role assigned on every managed subscription."
  value       = azurerm_role_definition.peerkeeper.role_definition_resource_id
}

output "dead_letter_container" {
  description = "Where Event Grid parks events it could not deliver."
  value       = azurerm_storage_container.dead_letter.name
}

output "slack_request_url" {
  description = "Slack app's Interactivity and slash-command Request URL."
  value       = "https://${azurerm_linux_function_app.peerkeeper.default_hostname}/api/slack"
}

output "outcome_topic_endpoint" {
  description = "The Event Grid custom topic peerkeeper publishes its outcomes to (peerkeeper.Peering Accepted, …)."
  value       = azurerm_eventgrid_topic.outcomes.endpoint
}

output "action_group_id" {
  description = "The action group every alert notifies: add receivers here."
  value       = azurerm_monitor_action_group.peerkeeper.id
}

output "storage_account" {
  description = "Holds the audit table: `peerkeeper report --store azure-table:peerkeeperaudit` with AZURE_STORAGE_CONNECTION_STRING of this account."
  value       = azurerm_storage_account.peerkeeper.name
}
