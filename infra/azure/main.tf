# peerkeeper on Azure: a Function App (Node 22, Linux, managed identity) that reconciles VNet peerings,
# its storage (queues, tables, the Event Grid dead-letter container), one Event Grid subscription per
# managed subscription filtered to exactly the operations shared/events/azure reads, and a custom role
# holding only the actions shared/providers/azure declares. test/infra/azure/terraform.test.ts checks all three.
# The code comes from `npm run package:azure` (run-from-package); alerts page the action group (alerts.tf).
# Names carry a random suffix: storage accounts, key vaults and function apps are globally unique.

terraform {
  required_version = ">= 1.5"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.55"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
}

# azurerm 4.x requires the subscription explicitly: the one the function app and its storage live in.
provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

resource "random_string" "suffix" {
  length  = 6
  upper   = false
  special = false
}

locals {
  # Function names registered in functions/azure/register.ts (FUNCTION_NAMES).
  functions = {
    events          = "peerkeeper-events"
    events_http     = "peerkeeper-events-http"
    sweep           = "peerkeeper-sweep"
    sweep_worker    = "peerkeeper-sweep-worker"
    approval        = "peerkeeper-approval"
    approval_worker = "peerkeeper-approval-worker"
  }

  # Queues and tables the functions use (functions/azure/support/deps.ts QUEUES, shared/stores AZURE_TABLES).
  queues = { work = "peerkeeper-work", dead_letter = "peerkeeper-deadletter", approval = "peerkeeper-approval" }
  tables = { audit = "peerkeeperaudit", idempotency = "peerkeeperidempotency", approvals = "peerkeeperapprovals" }

  # Key Vault secret names of the Slack bot token and signing secret (shared/runtime/approvals.ts APPROVAL_ENV).
  slack_secrets = { token = "slack-bot-token", signing = "slack-signing-secret" }

  # Event types the normalizer reads as "the operation succeeded".
  event_types = [
    "Microsoft.Resources.ResourceWriteSuccess",
    "Microsoft.Resources.ResourceDeleteSuccess",
    "Microsoft.Resources.ResourceActionSuccess",
  ]

  # Exactly the ARM operations shared/events/azure turns into work (Event Grid compares case-insensitively).
  watched_operations = [
    "Microsoft.Management/managementGroups/subscriptions/delete",
    "Microsoft.Management/managementGroups/subscriptions/write",
    "Microsoft.Network/routeTables/delete",
    "Microsoft.Network/routeTables/routes/delete",
    "Microsoft.Network/routeTables/routes/write",
    "Microsoft.Network/routeTables/write",
    "Microsoft.Network/virtualHubs/hubRouteTables/delete",
    "Microsoft.Network/virtualHubs/hubRouteTables/write",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/delete",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write",
    "Microsoft.Network/virtualNetworks/delete",
    "Microsoft.Network/virtualNetworks/subnets/delete",
    "Microsoft.Network/virtualNetworks/subnets/write",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write",
    "Microsoft.Network/virtualNetworks/write",
    "Microsoft.Subscription/aliases/write",
  ]

  # azureRoleActions() of shared/providers/azure/permissions.ts: no wildcard, nothing else.
  role_actions = [
    "Microsoft.Management/managementGroups/descendants/read",
    "Microsoft.Network/locations/operationResults/read",
    "Microsoft.Network/locations/operations/read",
    "Microsoft.Network/routeTables/read",
    "Microsoft.Network/routeTables/routes/delete",
    "Microsoft.Network/routeTables/routes/write",
    "Microsoft.Network/virtualHubs/hubRouteTables/read",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/delete",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/read",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write",
    "Microsoft.Network/virtualHubs/read",
    "Microsoft.Network/virtualHubs/routeMaps/read",
    "Microsoft.Network/virtualNetworks/peer/action",
    "Microsoft.Network/virtualNetworks/read",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write",
    "Microsoft.Resources/subscriptions/read",
  ]

  # Globally unique names: storage accounts 3-24 lowercase letters and digits, key vaults 3-24 with dashes.
  prefix       = "${var.name}-${random_string.suffix.result}"
  storage_name = "${substr(replace(lower(var.name), "/[^a-z0-9]/", ""), 0, 16)}fn${random_string.suffix.result}"
  vault_name   = "${substr(replace(lower(var.name), "/[^a-z0-9-]/", ""), 0, 14)}-kv-${random_string.suffix.result}"
}

resource "azurerm_resource_group" "peerkeeper" {
  name     = var.resource_group_name
  location = var.location
}

resource "azurerm_user_assigned_identity" "peerkeeper" {
  name                = "${local.prefix}-identity"
  resource_group_name = azurerm_resource_group.peerkeeper.name
  location            = azurerm_resource_group.peerkeeper.location
}

resource "azurerm_storage_account" "peerkeeper" {
  name                            = local.storage_name
  resource_group_name             = azurerm_resource_group.peerkeeper.name
  location                        = azurerm_resource_group.peerkeeper.location
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
}

resource "azurerm_storage_queue" "work" {
  name               = local.queues.work
  storage_account_id = azurerm_storage_account.peerkeeper.id
}

resource "azurerm_storage_queue" "dead_letter" {
  name               = local.queues.dead_letter
  storage_account_id = azurerm_storage_account.peerkeeper.id
}

resource "azurerm_storage_queue" "approval" {
  name               = local.queues.approval
  storage_account_id = azurerm_storage_account.peerkeeper.id
}

resource "azurerm_storage_table" "approvals" {
  name                 = local.tables.approvals
  storage_account_name = azurerm_storage_account.peerkeeper.name
}

resource "azurerm_storage_table" "audit" {
  name                 = local.tables.audit
  storage_account_name = azurerm_storage_account.peerkeeper.name
}

resource "azurerm_storage_table" "idempotency" {
  name                 = local.tables.idempotency
  storage_account_name = azurerm_storage_account.peerkeeper.name
}

resource "azurerm_storage_container" "dead_letter" {
  name                  = "eventgrid-deadletter"
  storage_account_id    = azurerm_storage_account.peerkeeper.id
  container_access_type = "private"
}

resource "azurerm_service_plan" "peerkeeper" {
  name                = "${local.prefix}-plan"
  resource_group_name = azurerm_resource_group.peerkeeper.name
  location            = azurerm_resource_group.peerkeeper.location
  os_type             = "Linux"
  sku_name            = "Y1"
}

resource "azurerm_application_insights" "peerkeeper" {
  name                = "${local.prefix}-insights"
  resource_group_name = azurerm_resource_group.peerkeeper.name
  location            = azurerm_resource_group.peerkeeper.location
  application_type    = "Node.JS"
}

resource "azurerm_linux_function_app" "peerkeeper" {
  name                       = "${local.prefix}-functions"
  resource_group_name        = azurerm_resource_group.peerkeeper.name
  location                   = azurerm_resource_group.peerkeeper.location
  service_plan_id            = azurerm_service_plan.peerkeeper.id
  storage_account_name       = azurerm_storage_account.peerkeeper.name
  storage_account_access_key = azurerm_storage_account.peerkeeper.primary_access_key
  https_only                 = true

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.peerkeeper.id]
  }

  site_config {
    application_insights_connection_string = azurerm_application_insights.peerkeeper.connection_string
    application_stack {
      node_version = "22"
    }
  }

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME       = "node"
    # Run from the package `npm run package:azure` built, read from the blob with the app's identity (no SAS).
    WEBSITE_RUN_FROM_PACKAGE                     = azurerm_storage_blob.package.url
    WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID = azurerm_user_assigned_identity.peerkeeper.id
    # The compiled policy's SHA-256, written beside the package by `npm run package:azure`: peerkeeper doctor compares it.
    PEERKEEPER_POLICY_SHA256 = trimspace(file(replace(var.package_path, ".zip", ".policy.sha256")))
    AZURE_CLIENT_ID                = azurerm_user_assigned_identity.peerkeeper.client_id
    PEERKEEPER_IDENTITIES          = azurerm_user_assigned_identity.peerkeeper.principal_id
    PEERKEEPER_SWEEP_SCHEDULE      = var.sweep_schedule
    PEERKEEPER_FUNCTION_TIMEOUT_MS = "600000"
    # Chat approvals: the functions read both secrets from the vault with the managed identity, once per instance.
    PEERKEEPER_KEY_VAULT_URL        = azurerm_key_vault.peerkeeper.vault_uri
    PEERKEEPER_SLACK_TOKEN_SECRET   = local.slack_secrets.token
    PEERKEEPER_SLACK_SIGNING_SECRET = local.slack_secrets.signing
    PEERKEEPER_SLACK_CHANNEL        = var.slack_channel
    # Outcome events (accepted, rejected, reverted, approval requested…) for subscribers.
    PEERKEEPER_OUTCOME_TOPIC_ENDPOINT = azurerm_eventgrid_topic.outcomes.endpoint
  }
}

# The package: a blob named by its content hash, so a new build is a new URL and the app restarts onto it.
resource "azurerm_storage_container" "packages" {
  name                  = "function-packages"
  storage_account_id    = azurerm_storage_account.peerkeeper.id
  container_access_type = "private"
}

resource "azurerm_storage_blob" "package" {
  name                   = "peerkeeper-${filemd5(var.package_path)}.zip"
  storage_account_name   = azurerm_storage_account.peerkeeper.name
  storage_container_name = azurerm_storage_container.packages.name
  type                   = "Block"
  source                 = var.package_path
  content_md5            = filemd5(var.package_path)
}

resource "azurerm_role_assignment" "package_reader" {
  scope                = azurerm_storage_account.peerkeeper.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.peerkeeper.principal_id
  principal_type       = "ServicePrincipal"
}

# The host is up and has loaded the package once its keys can be read: Event Grid validates that the function
# it delivers to exists, so the subscriptions below wait for this (the first apply used to fail here).
data "azurerm_function_app_host_keys" "peerkeeper" {
  name                = azurerm_linux_function_app.peerkeeper.name
  resource_group_name = azurerm_resource_group.peerkeeper.name
  depends_on          = [azurerm_storage_blob.package, azurerm_role_assignment.package_reader]
}

# Outcome events, for ticketing, SIEM or other automation: subscribe with an Event Grid subscription of your own.
resource "azurerm_eventgrid_topic" "outcomes" {
  name                = "${local.prefix}-outcomes"
  resource_group_name = azurerm_resource_group.peerkeeper.name
  location            = azurerm_resource_group.peerkeeper.location
  input_schema        = "EventGridSchema"
  local_auth_enabled  = false
}

resource "azurerm_role_assignment" "outcomes_sender" {
  scope                = azurerm_eventgrid_topic.outcomes.id
  role_definition_name = "EventGrid Data Sender"
  principal_id         = azurerm_user_assigned_identity.peerkeeper.principal_id
  principal_type       = "ServicePrincipal"
}

data "azurerm_client_config" "current" {}

# Holds the Slack secrets; RBAC-authorized, so the identity gets read access to secret values and nothing else.
resource "azurerm_key_vault" "peerkeeper" {
  name                       = local.vault_name
  resource_group_name        = azurerm_resource_group.peerkeeper.name
  location                   = azurerm_resource_group.peerkeeper.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = true
  soft_delete_retention_days = 30
}

# Set the values out of band (az keyvault secret set): Terraform state never holds them.
resource "azurerm_role_assignment" "key_vault_secrets" {
  scope                = azurerm_key_vault.peerkeeper.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.peerkeeper.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_definition" "peerkeeper" {
  name              = "${local.prefix}-peering-operator"
  scope             = "/subscriptions/${var.managed_subscription_ids[0]}"
  description       = "peerkeeper: read VNets and route tables, write VNet peerings and UDRs (shared/providers/azure/permissions.ts)."
  assignable_scopes = [for s in var.managed_subscription_ids : "/subscriptions/${s}"]

  permissions {
    actions     = local.role_actions
    not_actions = []
  }
}

resource "azurerm_role_assignment" "peerkeeper" {
  for_each           = toset(var.managed_subscription_ids)
  scope              = "/subscriptions/${each.value}"
  role_definition_id = azurerm_role_definition.peerkeeper.role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.peerkeeper.principal_id
  principal_type     = "ServicePrincipal"
}

# One subscription system topic per managed subscription, delivering one event per invocation to peerkeeper-events.
resource "azurerm_eventgrid_event_subscription" "managed" {
  for_each              = toset(var.managed_subscription_ids)
  name                  = "${local.prefix}-${substr(each.value, 0, 8)}"
  scope                 = "/subscriptions/${each.value}"
  # After the code exists: Event Grid checks the destination function when the subscription is created.
  depends_on = [data.azurerm_function_app_host_keys.peerkeeper]
  event_delivery_schema = "EventGridSchema"
  included_event_types  = local.event_types

  azure_function_endpoint {
    function_id                       = "${azurerm_linux_function_app.peerkeeper.id}/functions/${local.functions.events}"
    max_events_per_batch              = 1
    preferred_batch_size_in_kilobytes = 64
  }

  advanced_filter {
    string_in {
      key    = "data.operationName"
      values = local.watched_operations
    }
  }

  # Event Grid retries for up to a day, then parks the event for a human; nothing is dropped silently.
  retry_policy {
    max_delivery_attempts = 30
    event_time_to_live    = 1440
  }

  storage_blob_dead_letter_destination {
    storage_account_id          = azurerm_storage_account.peerkeeper.id
    storage_blob_container_name = azurerm_storage_container.dead_letter.name
  }
}
