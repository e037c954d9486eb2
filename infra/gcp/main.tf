# peerkeeper on Google Cloud: gen2 functions (Node 22), their service account with a custom role of exactly the
# permissions the GCP adapter declares, an organization-wide aggregated log sink of exactly the audit-log methods the
# normalizer reads (→ Pub/Sub → the event function: a spoke project's change arrives in seconds), the sweep (Cloud
# Scheduler → HTTP → one Pub/Sub message per project → worker), dead letters, chat approvals (Slack → public HTTP
# endpoint → approval topic → approval worker; Slack secrets in Secret Manager), outcome events on a Pub/Sub topic,
# and alerts (alerts.tf). The code is `npm run package:gcp`'s archive, uploaded here.
# test/infra/gcp/terraform.test.ts checks the lists below against the code.

terraform {
  required_version = ">= 1.5"
  required_providers {
    google = { source = "hashicorp/google", version = "~> 6.50" }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

locals {
  # allGcpPermissions() in shared/providers/gcp/permissions.ts, sorted; nothing mutating beyond peering, routes and NCC spokes.
  adapter_permissions = [
    "compute.globalOperations.get",
    "compute.networks.addPeering",
    "compute.networks.get",
    "compute.networks.list",
    "compute.networks.removePeering",
    "compute.networks.updatePeering",
    "compute.networks.updatePolicy",
    "compute.routes.create",
    "compute.routes.delete",
    "compute.routes.list",
    "compute.subnetworks.list",
    "networkconnectivity.groups.acceptSpoke",
    "networkconnectivity.groups.get",
    "networkconnectivity.groups.list",
    "networkconnectivity.groups.rejectSpoke",
    "networkconnectivity.groups.update",
    "networkconnectivity.groups.use",
    "networkconnectivity.hubRoutes.list",
    "networkconnectivity.hubs.list",
    "networkconnectivity.hubs.listSpokes",
    "networkconnectivity.operations.get",
    "networkconnectivity.spokes.create",
    "networkconnectivity.spokes.delete",
    "networkconnectivity.spokes.get",
    "networkconnectivity.spokes.list",
    "networkconnectivity.spokes.update",
    "resourcemanager.folders.get",
    "resourcemanager.folders.list",
    "resourcemanager.projects.get",
    "resourcemanager.projects.list",
  ]

  # WATCHED_GCP_METHODS in shared/events/gcp/methods.ts: the log sink's filter names exactly these.
  watched_methods = [
    { service = "compute.googleapis.com", method = "v1.compute.networks.addPeering" },
    { service = "compute.googleapis.com", method = "v1.compute.networks.removePeering" },
    { service = "compute.googleapis.com", method = "v1.compute.networks.updatePeering" },
    { service = "compute.googleapis.com", method = "v1.compute.networks.requestRemovePeering" },
    { service = "compute.googleapis.com", method = "v1.compute.networks.insert" },
    { service = "compute.googleapis.com", method = "v1.compute.networks.delete" },
    { service = "compute.googleapis.com", method = "v1.compute.networks.patch" },
    { service = "compute.googleapis.com", method = "v1.compute.routes.insert" },
    { service = "compute.googleapis.com", method = "v1.compute.routes.delete" },
    { service = "compute.googleapis.com", method = "v1.compute.subnetworks.insert" },
    { service = "compute.googleapis.com", method = "v1.compute.subnetworks.delete" },
    { service = "compute.googleapis.com", method = "v1.compute.subnetworks.patch" },
    { service = "compute.googleapis.com", method = "v1.compute.subnetworks.expandIpCidrRange" },
    { service = "compute.googleapis.com", method = "beta.compute.networks.addPeering" },
    { service = "compute.googleapis.com", method = "beta.compute.networks.removePeering" },
    { service = "compute.googleapis.com", method = "beta.compute.networks.updatePeering" },
    { service = "compute.googleapis.com", method = "beta.compute.networks.requestRemovePeering" },
    { service = "compute.googleapis.com", method = "beta.compute.networks.insert" },
    { service = "compute.googleapis.com", method = "beta.compute.networks.delete" },
    { service = "compute.googleapis.com", method = "beta.compute.networks.patch" },
    { service = "compute.googleapis.com", method = "beta.compute.routes.insert" },
    { service = "compute.googleapis.com", method = "beta.compute.routes.delete" },
    { service = "compute.googleapis.com", method = "beta.compute.subnetworks.insert" },
    { service = "compute.googleapis.com", method = "beta.compute.subnetworks.delete" },
    { service = "compute.googleapis.com", method = "beta.compute.subnetworks.patch" },
    { service = "compute.googleapis.com", method = "beta.compute.subnetworks.expandIpCidrRange" },
    { service = "cloudresourcemanager.googleapis.com", method = "CreateProject" },
    { service = "cloudresourcemanager.googleapis.com", method = "UpdateProject" },
    { service = "cloudresourcemanager.googleapis.com", method = "google.cloud.resourcemanager.v3.Projects.CreateProject" },
    { service = "cloudresourcemanager.googleapis.com", method = "google.cloud.resourcemanager.v3.Projects.UpdateProject" },
    { service = "cloudresourcemanager.googleapis.com", method = "google.cloud.resourcemanager.v3.Projects.MoveProject" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.CreateSpoke" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.UpdateSpoke" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.DeleteSpoke" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.AcceptHubSpoke" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.RejectHubSpoke" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.AcceptSpokeUpdate" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.RejectSpokeUpdate" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.UpdateGroup" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.CreateHub" },
    { service = "networkconnectivity.googleapis.com", method = "google.cloud.networkconnectivity.v1.HubService.DeleteHub" },
  ]

  # Admin Activity audit logs of exactly the watched methods, in every project of the organization.
  sink_filter = join(" OR ", [for m in local.watched_methods : "(protoPayload.serviceName=\"${m.service}\" AND protoPayload.methodName=\"${m.method}\")"])

  # Every API the deployment uses; enabled here, never disabled on destroy (other workloads may use them).
  services = [
    "artifactregistry.googleapis.com", "cloudbuild.googleapis.com", "cloudfunctions.googleapis.com", "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com", "compute.googleapis.com", "eventarc.googleapis.com", "iam.googleapis.com", "logging.googleapis.com",
    "monitoring.googleapis.com", "networkconnectivity.googleapis.com", "pubsub.googleapis.com", "run.googleapis.com", "secretmanager.googleapis.com", "storage.googleapis.com",
  ]

  function_env = {
    PEERKEEPER_SERVICE_ACCOUNT   = google_service_account.peerkeeper.email
    PEERKEEPER_WORK_TOPIC        = google_pubsub_topic.work.id
    PEERKEEPER_DEAD_LETTER_TOPIC = google_pubsub_topic.dead_letter.id
    PEERKEEPER_STATE_BUCKET      = google_storage_bucket.state.name
    PEERKEEPER_TIMEOUT_SECONDS   = tostring(var.timeout_seconds)
    # Chat approvals (shared/runtime/approvals.ts APPROVAL_ENV): full secret names, read once per instance.
    PEERKEEPER_APPROVAL_TOPIC       = google_pubsub_topic.approval.id
    PEERKEEPER_SLACK_TOKEN_SECRET   = google_secret_manager_secret.slack["token"].id
    PEERKEEPER_SLACK_SIGNING_SECRET = google_secret_manager_secret.slack["signing"].id
    PEERKEEPER_SLACK_CHANNEL        = var.slack_channel
    PEERKEEPER_OUTCOME_TOPIC        = google_pubsub_topic.outcomes.id
    # The compiled policy's SHA-256, written beside the archive by `npm run package:gcp`: peerkeeper doctor compares it.
    PEERKEEPER_POLICY_SHA256 = trimspace(file(replace(var.source_archive, ".zip", ".policy.sha256")))
  }

  # Secret Manager secret ids of the Slack bot token and signing secret.
  slack_secrets = { token = "peerkeeper-slack-bot-token", signing = "peerkeeper-slack-signing-secret" }
}

resource "google_project_service" "enabled" {
  for_each           = toset(local.services)
  service            = each.value
  disable_on_destroy = false
}

# The function source: `npm run package:gcp`'s archive, named by its content hash so a new build redeploys.
resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-peerkeeper-source"
  location                    = var.region
  uniform_bucket_level_access = true
  depends_on                  = [google_project_service.enabled]
}

resource "google_storage_bucket_object" "source" {
  name   = "peerkeeper-${filemd5(var.source_archive)}.zip"
  bucket = google_storage_bucket.source.name
  source = var.source_archive
}

resource "google_service_account" "peerkeeper" {
  account_id   = "peerkeeper"
  display_name = "peerkeeper functions"
}

resource "google_organization_iam_custom_role" "peerkeeper" {
  org_id      = var.organization_id
  role_id     = "peerkeeper"
  title       = "peerkeeper"
  description = "Exactly the permissions peerkeeper's GCP adapter declares (GCP_PERMISSIONS)."
  permissions = local.adapter_permissions
}

# Granted on the folder when one is given, else on the organization: the projects peerkeeper governs.
resource "google_folder_iam_member" "peerkeeper" {
  count  = var.folder_id == "" ? 0 : 1
  folder = "folders/${var.folder_id}"
  role   = google_organization_iam_custom_role.peerkeeper.name
  member = "serviceAccount:${google_service_account.peerkeeper.email}"
}

resource "google_organization_iam_member" "peerkeeper" {
  count  = var.folder_id == "" ? 1 : 0
  org_id = var.organization_id
  role   = google_organization_iam_custom_role.peerkeeper.name
  member = "serviceAccount:${google_service_account.peerkeeper.email}"
}

# Audit log and processed event ids (idempotency); ids expire after a day, redeliveries come within minutes.
resource "google_storage_bucket" "state" {
  name                        = "${var.project_id}-peerkeeper-state"
  location                    = var.region
  uniform_bucket_level_access = true
  lifecycle_rule {
    condition {
      age            = 1
      matches_prefix = ["events/"]
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket_iam_member" "state" {
  bucket = google_storage_bucket.state.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.peerkeeper.email}"
}

resource "google_pubsub_topic" "work" {
  name = "peerkeeper-work"
}

# Terminal inputs (malformed events and work items) parked by the functions, with the reason. Retryable
# failures are redelivered by Eventarc with backoff until the message's retention (24 h) runs out; the
# hourly sweep re-derives any work lost that way (reconcile is level-triggered).
resource "google_pubsub_topic" "dead_letter" {
  name                       = "peerkeeper-dead-letter"
  message_retention_duration = "604800s"
}

# A pull subscription keeps dead letters for 7 days for a human (`gcloud pubsub subscriptions pull`).
resource "google_pubsub_subscription" "dead_letter_hold" {
  name                       = "peerkeeper-dead-letter-hold"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "604800s"
}

# Slack decisions the approval endpoint verified and queued; the approval worker records them. Retained 1 day:
# an undelivered click older than that is stale anyway (the approver clicks again, or it expires).
resource "google_pubsub_topic" "approval" {
  name                       = "peerkeeper-approval"
  message_retention_duration = "86400s"
}

# Outcome events (accepted, rejected, reverted, approval requested…) for subscribers: subscribe with a filter on
# the `type` attribute (e.g. attributes.type = "Peering Rejected").
resource "google_pubsub_topic" "outcomes" {
  name                       = "peerkeeper-outcomes"
  message_retention_duration = "604800s"
}

# The organization log sink's destination; the event function consumes it.
resource "google_pubsub_topic" "audit" {
  name                       = "peerkeeper-audit"
  message_retention_duration = "86400s"
}

resource "google_logging_organization_sink" "audit" {
  name             = "peerkeeper-audit"
  org_id           = var.organization_id
  include_children = true
  destination      = "pubsub.googleapis.com/${google_pubsub_topic.audit.id}"
  filter           = "logName:\"/logs/cloudaudit.googleapis.com%2Factivity\" AND (${local.sink_filter})"
}

resource "google_pubsub_topic_iam_member" "sink_writer" {
  topic  = google_pubsub_topic.audit.id
  role   = "roles/pubsub.publisher"
  member = google_logging_organization_sink.audit.writer_identity
}

resource "google_pubsub_topic_iam_member" "publish" {
  for_each = { work = google_pubsub_topic.work.id, dead_letter = google_pubsub_topic.dead_letter.id, approval = google_pubsub_topic.approval.id, outcomes = google_pubsub_topic.outcomes.id }
  topic    = each.value
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.peerkeeper.email}"
}

resource "google_project_iam_member" "event_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.peerkeeper.email}"
}

# Audit-log entries from the organization sink, via Pub/Sub. One instance with up to 16 concurrent requests: every
# peering operation goes through one adapter and its per-network locks, so Compute's one-operation-per-network rule
# is never hit.
resource "google_cloudfunctions2_function" "event" {
  name     = "peerkeeper-event"
  location = var.region
  build_config {
    runtime     = "nodejs22"
    entry_point = "peerkeeperEvent"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    service_account_email            = google_service_account.peerkeeper.email
    timeout_seconds                  = var.timeout_seconds
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    max_instance_count               = 1
    max_instance_request_concurrency = 16
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    environment_variables            = local.function_env
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.audit.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.peerkeeper.email
  }
}

resource "google_cloud_run_service_iam_member" "invoke" {
  for_each = {
    event  = google_cloudfunctions2_function.event.service_config[0].service
    sweep  = google_cloudfunctions2_function.sweep.service_config[0].service
    worker = google_cloudfunctions2_function.sweep_worker.service_config[0].service
    # Eventarc's Pub/Sub push to the approval worker authenticates as this account.
    approval_worker = google_cloudfunctions2_function.approval_worker.service_config[0].service
  }
  location = var.region
  service  = each.value
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.peerkeeper.email}"
}

# The sweep only fans out (one message per project), so it stays short.
resource "google_cloudfunctions2_function" "sweep" {
  name     = "peerkeeper-sweep"
  location = var.region
  build_config {
    runtime     = "nodejs22"
    entry_point = "peerkeeperSweep"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    service_account_email = google_service_account.peerkeeper.email
    timeout_seconds       = 120
    available_memory      = "256Mi"
    max_instance_count    = 1
    ingress_settings      = "ALLOW_ALL"
    environment_variables = local.function_env
  }
}

resource "google_cloudfunctions2_function" "sweep_worker" {
  name     = "peerkeeper-sweep-worker"
  location = var.region
  build_config {
    runtime     = "nodejs22"
    entry_point = "peerkeeperSweepWorker"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    service_account_email            = google_service_account.peerkeeper.email
    timeout_seconds                  = var.timeout_seconds
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    max_instance_count               = 1
    max_instance_request_concurrency = 16
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    environment_variables            = local.function_env
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.work.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.peerkeeper.email
  }
}

resource "google_cloud_scheduler_job" "sweep" {
  name      = "peerkeeper-sweep"
  region    = var.region
  schedule  = var.sweep_schedule
  time_zone = "Etc/UTC"
  retry_config {
    retry_count = 3
  }
  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.sweep.service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.peerkeeper.email
    }
  }
}

# The two Slack secrets. Set their values out of band (gcloud secrets versions add): Terraform state never holds them.
resource "google_secret_manager_secret" "slack" {
  for_each  = local.slack_secrets
  secret_id = each.value
  replication {
    auto {}
  }
}

# Read access to these two secrets' values, nothing else.
resource "google_secret_manager_secret_iam_member" "slack" {
  for_each  = google_secret_manager_secret.slack
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.peerkeeper.email}"
}

# Slack's Request URL (Interactivity and the /peerkeeper command). Public: Slack cannot present a Google
# identity, so the function verifies Slack's signature over the raw body and refuses (401) anything else.
# It only verifies, publishes and answers; concurrency 40 keeps a burst of clicks on one warm instance.
resource "google_cloudfunctions2_function" "approval" {
  name     = "peerkeeper-approval"
  location = var.region
  build_config {
    runtime     = "nodejs22"
    entry_point = "peerkeeperApproval"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    service_account_email            = google_service_account.peerkeeper.email
    timeout_seconds                  = 30
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    max_instance_count               = 3
    max_instance_request_concurrency = 40
    ingress_settings                 = "ALLOW_ALL"
    environment_variables            = local.function_env
  }
}

resource "google_cloud_run_service_iam_member" "approval_public" {
  location = var.region
  service  = google_cloudfunctions2_function.approval.service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# Records Slack decisions and reconciles the decided peering. One instance, like the other reconcilers, so
# every peering operation goes through one adapter and its per-network locks.
resource "google_cloudfunctions2_function" "approval_worker" {
  name     = "peerkeeper-approval-worker"
  location = var.region
  build_config {
    runtime     = "nodejs22"
    entry_point = "peerkeeperApprovalWorker"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    service_account_email            = google_service_account.peerkeeper.email
    timeout_seconds                  = var.timeout_seconds
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    max_instance_count               = 1
    max_instance_request_concurrency = 16
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    environment_variables            = local.function_env
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.approval.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.peerkeeper.email
  }
}
