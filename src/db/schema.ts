import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of every table, kept by hand beside the migrations (one place to read the
 * schema in TypeScript). Dates are 'YYYY-MM-DD' strings, timestamptz are Date, int8 and
 * numeric are numbers (see db/client.ts parsers).
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DefaultNow = ColumnType<Date, Date | string | undefined, Date | string>;

export type EffectiveDated = {
  id: string;
  valid_from: string;
  valid_to: string | null;
};

export interface OrganisationsTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  kind: string;
  district_code: string | null;
  created_at: DefaultNow;
}

export interface UsersTable {
  id: string;
  org_id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  active: Generated<boolean>;
  created_at: DefaultNow;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  role: string;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: DefaultNow;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface InstanceSecretsTable {
  name: string;
  value: string;
  created_at: DefaultNow;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: DefaultNow;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  org_ids: string[];
  district_code: string | null;
  actor_type: string;
  actor_id: string | null;
  occurred_at: Timestamp;
  recorded_at: DefaultNow;
  payload: ColumnType<unknown, string, never>;
  prev_hash: string;
  hash: string;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<string>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: DefaultNow;
  locked_until: Timestamp | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: DefaultNow;
  updated_at: DefaultNow;
  finished_at: Timestamp | null;
}

export interface OutboxTable {
  seq: Generated<number>;
  event_seq: number;
  created_at: DefaultNow;
  processed_at: Timestamp | null;
}

export interface WebhookSubscriptionsTable {
  id: string;
  org_id: string;
  url: string;
  secret: string;
  event_types: string[];
  active: Generated<boolean>;
  created_by: string | null;
  created_at: DefaultNow;
  lease_until: Timestamp | null;
  lease_token: string | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  subscription_id: string;
  org_id: string;
  event_seq: number;
  event_id: string;
  event_type: string;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: DefaultNow;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: DefaultNow;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempted_at: Timestamp;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface IdempotencyKeysTable {
  principal_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number | null;
  response_body: ColumnType<unknown, string | null, string | null>;
  created_at: DefaultNow;
  completed_at: Timestamp | null;
}

export interface CustomsOfficesTable extends EffectiveDated {
  code: string;
  name_zh: string;
  name_en: string;
  district_code: string;
  parent_code: string | null;
  kind: string;
}

export interface RegulatoryCodesTable extends EffectiveDated {
  port_code: string;
  customs_code: string;
  name_zh: string;
  name_en: string;
}

export interface CodeAliasesTable extends EffectiveDated {
  port_code: string;
  customs_code: string;
  canonical_port_code: string;
  canonical_customs_code: string;
  note: Generated<string>;
}

export interface PortsTable extends EffectiveDated {
  locode: string;
  name_zh: string;
  name_en: string;
  kind: string;
  province: Generated<string>;
  lat: number | null;
  lon: number | null;
  customs_code: string;
}

export interface PortAreasTable extends EffectiveDated {
  port_id: string;
  code: string;
  name_zh: string;
  name_en: string;
  lat: number | null;
  lon: number | null;
}

export interface TerminalsTable extends EffectiveDated {
  port_area_id: string;
  code: string;
  name_zh: string;
  name_en: string;
  cargo_types: Generated<string[]>;
  operator_org_id: string | null;
}

export interface SupervisionSitesTable extends EffectiveDated {
  code: string;
  name_zh: string;
  name_en: string;
  kind: string;
  port_area_id: string | null;
  port_code: string;
  customs_code: string;
}

export interface BerthsTable extends EffectiveDated {
  terminal_id: string;
  code: string;
  name_zh: string;
  name_en: string;
  length_m: number;
  depth_m: number;
  max_dwt: number | null;
  cargo_types: Generated<string[]>;
  supervision_site_id: string;
}

export interface InlandPortsTable extends EffectiveDated {
  code: string;
  name_zh: string;
  name_en: string;
  province: string;
  locode: string | null;
  lat: number | null;
  lon: number | null;
  customs_code: string;
  operator_org_id: string | null;
}

export interface BondedZonesTable extends EffectiveDated {
  code: string;
  name_zh: string;
  name_en: string;
  kind: string;
  port_id: string | null;
  lat: number | null;
  lon: number | null;
  customs_code: string;
  operator_org_id: string | null;
}

export interface CorridorsTable extends EffectiveDated {
  code: string;
  name_zh: string;
  name_en: string;
  mode: string;
  port_id: string;
  inland_port_id: string;
}

export interface LaboratoriesTable extends EffectiveDated {
  code: string;
  name_zh: string;
  name_en: string;
  customs_code: string;
  accredited: Generated<boolean>;
  org_id: string | null;
}

export interface CarriersTable extends EffectiveDated {
  code: string;
  name_zh: string;
  name_en: string;
  customs_credit_class: string;
  org_id: string | null;
}

export interface VesselsTable extends EffectiveDated {
  imo: string;
  name: string;
  flag: string;
  gross_tonnage: number;
  loa_m: number;
  vessel_type: string;
  carrier_id: string | null;
}

export interface EnterprisesTable extends EffectiveDated {
  customs_reg_code: string;
  name_zh: string;
  name_en: string;
  customs_credit_class: string;
  rebate_class: string | null;
  customs_code: string;
  org_id: string | null;
}

export interface AffectedAreasTable extends EffectiveDated {
  code: string;
  area_kind: string;
  disease: string;
  name_zh: string;
  name_en: string;
}

export interface PortCallsTable {
  id: string;
  agent_org_id: string;
  terminal_org_ids: Generated<string[]>;
  district_code: string;
  port_id: string;
  port_locode: string;
  declared_port_code: string;
  declared_customs_code: string;
  vessel_imo: string;
  vessel_name: string;
  vessel_flag: string | null;
  loa_m: number;
  draft_m: number;
  voyage: string;
  last_port: string;
  last_port_departure: Timestamp;
  next_port: string | null;
  ports_of_call: ColumnType<PortOfCall[], string, string>;
  eta: Timestamp;
  etd: Timestamp;
  purpose: string;
  cargo_type: string;
  cargo_summary: Generated<string>;
  crew_count: number;
  passenger_count: Generated<number>;
  dangerous_goods: boolean;
  state: string;
  pre_reported_at: Timestamp;
  late_report: boolean;
  confirmed_at: Timestamp | null;
  arrived_at: Timestamp | null;
  arrival_place: string | null;
  planned_berth_id: string | null;
  planned_berth_start: Timestamp | null;
  planned_berth_end: Timestamp | null;
  berth_id: string | null;
  berthed_at: Timestamp | null;
  quarantine_mode: string | null;
  pratique_granted_at: Timestamp | null;
  cargo_ops_started_at: Timestamp | null;
  cargo_ops_completed_at: Timestamp | null;
  departure_reported_at: Timestamp | null;
  departed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  redeclarations: Generated<number>;
  redeclarations_avoided: Generated<number>;
  version: Generated<number>;
  created_at: DefaultNow;
  updated_at: DefaultNow;
}

export type PortOfCall = { locode: string; departedAt: string };

export interface PolicyVersionsTable {
  id: string;
  kind: string;
  version: number;
  effective_from: Timestamp;
  document: ColumnType<unknown, string, string>;
  note: Generated<string>;
  published_by: string | null;
  created_at: DefaultNow;
}

export interface QuarantineCasesTable {
  id: string;
  port_call_id: string;
  agent_org_id: string;
  district_code: string;
  state: string;
  health_declaration: ColumnType<unknown, string, string>;
  crew_health: ColumnType<unknown, string, string>;
  sanitation_certificate_no: string | null;
  sanitation_certificate_issued_on: string | null;
  sanitation_certificate_port: string | null;
  declared_at: Timestamp;
  late_declaration: boolean;
  rule_set_version: number | null;
  risk_score: number | null;
  risk_reasons: ColumnType<unknown, string | null, string | null>;
  proposed_mode: string | null;
  forced_mode: string | null;
  mode: string | null;
  assessed_at: Timestamp | null;
  started_at: Timestamp | null;
  remote_session: ColumnType<unknown, string | null, string | null>;
  escalated_at: Timestamp | null;
  escalation_reason: string | null;
  certificate_no: string | null;
  certificate_issued_at: Timestamp | null;
  pratique_granted_at: Timestamp | null;
  version: Generated<number>;
  created_at: DefaultNow;
  updated_at: DefaultNow;
}

export interface BerthPlanProposalsTable {
  id: string;
  org_id: string;
  port_locode: string;
  status: string;
  document: ColumnType<unknown, string, string>;
  created_by: string | null;
  created_at: DefaultNow;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
}

export interface BerthClosuresTable {
  id: string;
  org_id: string;
  berth_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: string;
  created_by: string | null;
  created_at: DefaultNow;
  removed_at: Timestamp | null;
  removed_by: string | null;
}

export interface HsCodesTable {
  code: string;
  level: number;
  parent: string | null;
  section: string;
  description: string;
  edition: string;
}

export interface ReferenceDatasetsTable {
  name: string;
  version: string;
  checksum: string;
  loaded_at: DefaultNow;
}

export interface DcsaPortCallsTable {
  id: string;
  owner_org_id: string;
  terminal_org_ids: Generated<string[]>;
  district_code: string | null;
  port_call_id: string | null;
  un_location_code: string;
  port_visit_reference: string | null;
  vessel_imo: string | null;
  vessel_mmsi: string | null;
  vessel: ColumnType<unknown, string, string>;
  omitted: Generated<boolean>;
  omit_reason: string | null;
  body_hash: string;
  created_at: DefaultNow;
  updated_at: DefaultNow;
}

export interface DcsaTerminalCallsTable {
  id: string;
  dcsa_port_call_id: string;
  terminal_call_reference: string | null;
  terminal_call_sequence_number: number | null;
  carrier_service_name: string;
  carrier_service_code: string;
  universal_service_reference: string | null;
  carrier_import_voyage_number: string | null;
  carrier_export_voyage_number: string | null;
  universal_import_voyage_reference: string | null;
  universal_export_voyage_reference: string | null;
  omitted: Generated<boolean>;
  omit_reason: string | null;
  body_hash: string;
  created_at: DefaultNow;
  updated_at: DefaultNow;
}

export interface DcsaPortCallServicesTable {
  id: string;
  terminal_call_id: string;
  type_code: string;
  event_type_code: string;
  phase_type_code: string | null;
  facility_type_code: string | null;
  location: ColumnType<unknown, string, string>;
  moves: ColumnType<unknown, string | null, string | null>;
  cancelled: Generated<boolean>;
  cancel_reason: string | null;
  declined: Generated<boolean>;
  decline_reason: string | null;
  body_hash: string;
  created_at: DefaultNow;
  updated_at: DefaultNow;
}

export interface DcsaTimestampsTable {
  id: string;
  port_call_service_id: string;
  reply_to_timestamp_id: string | null;
  classifier_code: string;
  date_time: Timestamp;
  date_time_text: string;
  location: ColumnType<unknown, string | null, string | null>;
  delay_reason_code: string | null;
  remark: string | null;
  is_fyi: boolean;
  sender_org_id: string;
  source_event_id: string | null;
  body_hash: string;
  created_at: DefaultNow;
}

export interface DcsaVesselStatusesTable {
  seq: Generated<number>;
  port_call_service_id: string;
  status: ColumnType<unknown, string, string>;
  sender_org_id: string;
  created_at: DefaultNow;
}

type Json = ColumnType<unknown, string, string>;

export interface ManifestsTable {
  id: string;
  kind: string;
  port_call_id: string;
  filer_org_id: string;
  district_code: string;
  document_number: string;
  state: Generated<string>;
  version: Generated<number>;
  filed_at: Timestamp;
  amended_at: Timestamp | null;
  deleted_at: Timestamp | null;
  delete_reason: string | null;
  deadline_at: Timestamp | null;
  late: boolean;
  document: Json;
}

export interface ManifestVersionsTable {
  manifest_id: string;
  version: number;
  recorded_at: Timestamp;
  recorded_by: string | null;
  document: Json;
}

export interface BillsTable {
  id: string;
  manifest_id: string;
  port_call_id: string;
  district_code: string;
  number: string;
  master_number: string | null;
  consignee: string | null;
  goods_count: number;
  gross_kg: number;
  equipment: string[];
}

export interface ContainersTable {
  id: string;
  number: string;
  port_call_id: string;
  district_code: string;
  direction: string;
  size_type: string | null;
  fullness: string | null;
  seals: string[];
  gross_kg: number | null;
  manifest_id: string | null;
  bill_numbers: string[];
  created_at: Timestamp;
}

export interface ContainerEventsTable {
  id: string;
  container_id: string;
  sender_org_id: string;
  sender_event_id: string;
  content_hash: string;
  kind: string;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
  location: string | null;
  details: Json;
  source: string;
}

export interface StowagePlansTable {
  id: string;
  port_call_id: string | null;
  sender_org_id: string;
  district_code: string | null;
  message_ref: string;
  vessel_imo: string | null;
  vessel_name: string | null;
  voyage: string | null;
  equipment: Json;
  equipment_count: number;
  received_at: Timestamp;
}

export interface EdifactInterchangesTable {
  id: string;
  sender_org_id: string;
  district_code: string | null;
  file_name: string | null;
  control_ref: string | null;
  size_bytes: number;
  sha256: string;
  ok: boolean;
  message_count: number;
  results: Json;
  received_at: Timestamp;
}

export interface DeclarationsTable {
  id: string;
  entry_id: string | null;
  direction: string;
  procedure: string;
  stage: string | null;
  status: string;
  declarant_org_id: string;
  enterprise_code: string;
  credit_class: string;
  customs_code: string;
  district_code: string;
  port_call_id: string | null;
  bill_number: string | null;
  manifest_id: string | null;
  container_numbers: Generated<string[]>;
  packages: number;
  gross_kg: number;
  net_kg: number;
  total_value: number;
  currency: string;
  channel: string | null;
  risk: Json | null;
  risk_facts: Json | null;
  goods_arrived_at: Timestamp | null;
  complete_due_at: Timestamp | null;
  guarantee: Json | null;
  release_authorised_at: Timestamp | null;
  released_at: Timestamp | null;
  closed_at: Timestamp | null;
  document: Json;
  version: Generated<number>;
  declared_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeclarationVersionsTable {
  declaration_id: string;
  version: number;
  recorded_at: Timestamp;
  recorded_by: string | null;
  document: Json;
}

export interface CustomsInstructionsTable {
  id: string;
  scope: string;
  subject: string;
  port_call_id: string;
  direction: string;
  code: string;
  send_time: Timestamp;
  declaration_id: string | null;
  district_code: string;
  terminal_org_ids: string[];
  issued_by: string | null;
  received_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  ack_status: string | null;
  ack_note: string | null;
}

export interface AlertsTable {
  id: string;
  rule_id: string;
  rule_version: number | null;
  severity: string;
  subject_type: string;
  subject_id: string;
  subject_label: string;
  district_code: string;
  org_ids: Generated<string[]>;
  opened_at: Timestamp;
  detail: Json;
  state: Generated<string>;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface Database {
  reference_datasets: ReferenceDatasetsTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  instance_secrets: InstanceSecretsTable;
  schema_migrations: SchemaMigrationsTable;
  events: EventsTable;
  jobs: JobsTable;
  outbox: OutboxTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  idempotency_keys: IdempotencyKeysTable;
  customs_offices: CustomsOfficesTable;
  regulatory_codes: RegulatoryCodesTable;
  code_aliases: CodeAliasesTable;
  ports: PortsTable;
  port_areas: PortAreasTable;
  terminals: TerminalsTable;
  supervision_sites: SupervisionSitesTable;
  berths: BerthsTable;
  inland_ports: InlandPortsTable;
  bonded_zones: BondedZonesTable;
  corridors: CorridorsTable;
  laboratories: LaboratoriesTable;
  carriers: CarriersTable;
  vessels: VesselsTable;
  enterprises: EnterprisesTable;
  hs_codes: HsCodesTable;
  affected_areas: AffectedAreasTable;
  port_calls: PortCallsTable;
  policy_versions: PolicyVersionsTable;
  quarantine_cases: QuarantineCasesTable;
  berth_plan_proposals: BerthPlanProposalsTable;
  berth_closures: BerthClosuresTable;
  dcsa_port_calls: DcsaPortCallsTable;
  dcsa_terminal_calls: DcsaTerminalCallsTable;
  dcsa_port_call_services: DcsaPortCallServicesTable;
  dcsa_timestamps: DcsaTimestampsTable;
  dcsa_vessel_statuses: DcsaVesselStatusesTable;
  manifests: ManifestsTable;
  manifest_versions: ManifestVersionsTable;
  bills: BillsTable;
  containers: ContainersTable;
  container_events: ContainerEventsTable;
  stowage_plans: StowagePlansTable;
  edifact_interchanges: EdifactInterchangesTable;
  declarations: DeclarationsTable;
  declaration_versions: DeclarationVersionsTable;
  customs_instructions: CustomsInstructionsTable;
  alerts: AlertsTable;
}
