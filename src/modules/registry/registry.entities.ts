import { Type, type TSchema } from 'typebox';
import { validateImoNumber, validateUnLocode } from '../../core/codes.ts';
import type { IdKind } from '../../core/ids.ts';
import { ANY_ROLE, PUBLIC, rolesOnly, type Access } from '../../auth/access.ts';
import type { TenantTable } from '../../auth/scope.ts';

/**
 * The cluster registry is one generic module over a table of entity specs: every entity is
 * effective-dated, read through the same list/get/history routes and changed by the same
 * create/version commands. Adding an entity means adding a spec and a migration.
 */
export type FieldSpec = {
  schema: TSchema;
  /** Normalise and check a value; return an error message to refuse it. */
  check?: (value: unknown) => { ok: true; value: unknown } | { ok: false; reason: string };
  /** The value names another registry entity (by stable id) that must exist at validFrom. */
  ref?: EntityName;
  /** The value is an organisation id that must exist. */
  orgRef?: boolean;
  /** The value is a customs office code that must exist at validFrom. */
  customsRef?: boolean;
  /** Equality filter on list. */
  filter?: boolean;
};

export type EntitySpec = {
  name: EntityName;
  /** Singular, for event types (`registry.<singular>-created`) and messages. */
  singular: string;
  table: RegistryTable;
  idKind: IdKind;
  fields: Record<string, FieldSpec>;
  /** Fields that together identify the entity: no two entities may share them at one date. */
  unique: string[];
  /** Columns searched by `q` (case-insensitive substring). */
  search: string[];
  /** Order of lists (a unique-per-date column pair ends with id). */
  read: Access;
  write: Access;
  /** Rows scoped to their tenant (see auth/scope.ts) on every read. */
  tenant?: TenantTable;
  /** Field holding the owning organisation: named in events so it can see them. */
  ownerField?: string;
  /** Field holding a customs office code: the event's district is that office's. */
  customsField?: string;
};

export type RegistryTable =
  | 'customs_offices'
  | 'regulatory_codes'
  | 'code_aliases'
  | 'ports'
  | 'port_areas'
  | 'terminals'
  | 'supervision_sites'
  | 'berths'
  | 'inland_ports'
  | 'bonded_zones'
  | 'corridors'
  | 'laboratories'
  | 'carriers'
  | 'vessels'
  | 'enterprises'
  | 'affected_areas';

export const ENTITY_NAMES = [
  'customs-offices',
  'regulatory-codes',
  'code-aliases',
  'ports',
  'port-areas',
  'terminals',
  'supervision-sites',
  'berths',
  'inland-ports',
  'bonded-zones',
  'corridors',
  'laboratories',
  'carriers',
  'vessels',
  'enterprises',
  'affected-areas',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

const code4 = Type.String({ pattern: '^[0-9]{4}$', description: '4-digit customs code' });
const nameZh = Type.String({ minLength: 1, maxLength: 200 });
const nameEn = Type.String({ minLength: 1, maxLength: 200 });
const lat = Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]);
const lon = Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]);
const shortCode = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
const idRef = Type.String({ minLength: 3, maxLength: 64 });
const optionalIdRef = Type.Union([idRef, Type.Null()]);
const CARGO_TYPES = ['container', 'bulk', 'liquid-bulk', 'ro-ro', 'general', 'cruise'] as const;
const cargoTypes = Type.Array(Type.Union(CARGO_TYPES.map((c) => Type.Literal(c))), { maxItems: 6, uniqueItems: true });
const CREDIT_CLASSES = ['advanced-certified', 'general-certified', 'general', 'discredited'] as const;
const creditClass = Type.Union(CREDIT_CLASSES.map((c) => Type.Literal(c)));
const locode = Type.String({ minLength: 5, maxLength: 6, description: 'UN/LOCODE, e.g. CNTAO' });
const portCode = Type.String({ minLength: 5, maxLength: 6, description: 'Port code (UN/LOCODE form), e.g. CNQGD' });

const unLocodeCheck: FieldSpec['check'] = (v) => {
  const r = validateUnLocode(String(v));
  return r.ok ? { ok: true, value: r.value } : r;
};
const imoCheck: FieldSpec['check'] = (v) => {
  const r = validateImoNumber(String(v));
  return r.ok ? { ok: true, value: r.value } : r;
};

const admin = rolesOnly('admin');

const specs: EntitySpec[] = [
  {
    name: 'customs-offices',
    unique: ['code'],
    singular: 'customs-office',
    table: 'customs_offices',
    idKind: 'customsOffice',
    fields: {
      code: { schema: code4, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      districtCode: { schema: code4, filter: true },
      parentCode: { schema: Type.Union([code4, Type.Null()]) },
      kind: { schema: Type.Union([Type.Literal('district'), Type.Literal('office')]), filter: true },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
    customsField: 'code',
  },
  {
    name: 'regulatory-codes',
    unique: ['portCode', 'customsCode'],
    singular: 'regulatory-code',
    table: 'regulatory_codes',
    idKind: 'regulatoryCode',
    fields: {
      portCode: { schema: portCode, check: unLocodeCheck, filter: true },
      customsCode: { schema: code4, customsRef: true, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
    },
    search: ['port_code', 'customs_code', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
    customsField: 'customsCode',
  },
  {
    name: 'code-aliases',
    unique: ['portCode', 'customsCode'],
    singular: 'code-alias',
    table: 'code_aliases',
    idKind: 'codeAlias',
    fields: {
      portCode: { schema: portCode, check: unLocodeCheck, filter: true },
      customsCode: { schema: code4, filter: true },
      canonicalPortCode: { schema: portCode, check: unLocodeCheck },
      canonicalCustomsCode: { schema: code4, customsRef: true },
      note: { schema: Type.String({ maxLength: 1000 }) },
    },
    search: ['port_code', 'canonical_port_code', 'note'],
    read: PUBLIC,
    write: admin,
    customsField: 'canonicalCustomsCode',
  },
  {
    name: 'ports',
    unique: ['locode'],
    singular: 'port',
    table: 'ports',
    idKind: 'port',
    fields: {
      locode: { schema: locode, check: unLocodeCheck, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      kind: { schema: Type.Union([Type.Literal('seaport'), Type.Literal('river')]), filter: true },
      province: { schema: Type.String({ maxLength: 100 }) },
      lat: { schema: lat },
      lon: { schema: lon },
      customsCode: { schema: code4, customsRef: true, filter: true },
    },
    search: ['locode', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
    customsField: 'customsCode',
  },
  {
    name: 'port-areas',
    unique: ['code'],
    singular: 'port-area',
    table: 'port_areas',
    idKind: 'portArea',
    fields: {
      portId: { schema: idRef, ref: 'ports', filter: true },
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      lat: { schema: lat },
      lon: { schema: lon },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
  },
  {
    name: 'terminals',
    unique: ['code'],
    singular: 'terminal',
    table: 'terminals',
    idKind: 'terminal',
    fields: {
      portAreaId: { schema: idRef, ref: 'port-areas', filter: true },
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      cargoTypes: { schema: cargoTypes },
      operatorOrgId: { schema: optionalIdRef, orgRef: true, filter: true },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
    ownerField: 'operatorOrgId',
  },
  {
    name: 'supervision-sites',
    unique: ['code'],
    singular: 'supervision-site',
    table: 'supervision_sites',
    idKind: 'supervisionSite',
    fields: {
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      kind: {
        schema: Type.Union(
          ['container-yard', 'bulk-yard', 'inspection-centre', 'liquid-terminal', 'cruise-terminal', 'general-yard'].map((k) =>
            Type.Literal(k),
          ),
        ),
        filter: true,
      },
      portAreaId: { schema: optionalIdRef, ref: 'port-areas', filter: true },
      portCode: { schema: portCode, check: unLocodeCheck, filter: true },
      customsCode: { schema: code4, customsRef: true, filter: true },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
    customsField: 'customsCode',
  },
  {
    name: 'berths',
    unique: ['terminalId', 'code'],
    singular: 'berth',
    table: 'berths',
    idKind: 'berth',
    fields: {
      terminalId: { schema: idRef, ref: 'terminals', filter: true },
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      lengthM: { schema: Type.Number({ exclusiveMinimum: 0, maximum: 5000 }) },
      depthM: { schema: Type.Number({ exclusiveMinimum: 0, maximum: 50 }) },
      maxDwt: { schema: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]) },
      cargoTypes: { schema: cargoTypes },
      supervisionSiteId: { schema: idRef, ref: 'supervision-sites', filter: true },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
  },
  {
    name: 'inland-ports',
    unique: ['code'],
    singular: 'inland-port',
    table: 'inland_ports',
    idKind: 'inlandPort',
    fields: {
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      province: { schema: Type.String({ minLength: 1, maxLength: 100 }), filter: true },
      locode: { schema: Type.Union([locode, Type.Null()]), check: (v) => (v === null ? { ok: true, value: null } : unLocodeCheck(v)) },
      lat: { schema: lat },
      lon: { schema: lon },
      customsCode: { schema: code4, filter: true },
      operatorOrgId: { schema: optionalIdRef, orgRef: true },
    },
    search: ['code', 'name_zh', 'name_en', 'province'],
    read: PUBLIC,
    write: admin,
    ownerField: 'operatorOrgId',
  },
  {
    name: 'bonded-zones',
    unique: ['code'],
    singular: 'bonded-zone',
    table: 'bonded_zones',
    idKind: 'bondedZone',
    fields: {
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      kind: {
        schema: Type.Union(['comprehensive-bonded-zone', 'bonded-port-area', 'bonded-logistics-centre'].map((k) => Type.Literal(k))),
        filter: true,
      },
      portId: { schema: optionalIdRef, ref: 'ports', filter: true },
      lat: { schema: lat },
      lon: { schema: lon },
      customsCode: { schema: code4, customsRef: true, filter: true },
      operatorOrgId: { schema: optionalIdRef, orgRef: true },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
    ownerField: 'operatorOrgId',
    customsField: 'customsCode',
  },
  {
    name: 'corridors',
    unique: ['code'],
    singular: 'corridor',
    table: 'corridors',
    idKind: 'corridor',
    fields: {
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      mode: { schema: Type.Union([Type.Literal('sea-rail'), Type.Literal('sea-river'), Type.Literal('road')]), filter: true },
      portId: { schema: idRef, ref: 'ports', filter: true },
      inlandPortId: { schema: idRef, ref: 'inland-ports', filter: true },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: PUBLIC,
    write: admin,
  },
  {
    name: 'laboratories',
    unique: ['code'],
    singular: 'laboratory',
    table: 'laboratories',
    idKind: 'laboratory',
    fields: {
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      customsCode: { schema: code4, customsRef: true, filter: true },
      accredited: { schema: Type.Boolean() },
      orgId: { schema: optionalIdRef, orgRef: true },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: ANY_ROLE,
    write: admin,
    ownerField: 'orgId',
    customsField: 'customsCode',
  },
  {
    name: 'carriers',
    unique: ['code'],
    singular: 'carrier',
    table: 'carriers',
    idKind: 'carrier',
    fields: {
      code: { schema: shortCode, filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      customsCreditClass: { schema: creditClass, filter: true },
      orgId: { schema: optionalIdRef, orgRef: true },
    },
    search: ['code', 'name_zh', 'name_en'],
    read: ANY_ROLE,
    write: admin,
    ownerField: 'orgId',
  },
  {
    name: 'vessels',
    unique: ['imo'],
    singular: 'vessel',
    table: 'vessels',
    idKind: 'vessel',
    fields: {
      imo: {
        schema: Type.String({ minLength: 7, maxLength: 11, description: 'IMO number (7 digits, check digit verified)' }),
        check: imoCheck,
        filter: true,
      },
      name: { schema: Type.String({ minLength: 1, maxLength: 100 }) },
      flag: { schema: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }), filter: true },
      grossTonnage: { schema: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
      loaM: { schema: Type.Number({ exclusiveMinimum: 0, maximum: 500 }) },
      vesselType: {
        schema: Type.Union(['container', 'bulk', 'tanker', 'general', 'cruise', 'ro-ro'].map((k) => Type.Literal(k))),
        filter: true,
      },
      carrierId: { schema: optionalIdRef, ref: 'carriers', filter: true },
    },
    search: ['imo', 'name'],
    read: ANY_ROLE,
    write: rolesOnly('admin', 'agent'),
  },
  {
    name: 'enterprises',
    unique: ['customsRegCode'],
    singular: 'enterprise',
    table: 'enterprises',
    idKind: 'enterprise',
    fields: {
      customsRegCode: {
        schema: Type.String({ pattern: '^[0-9A-Z]{10}$', description: '10-character customs registration code' }),
        filter: true,
      },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
      customsCreditClass: { schema: creditClass, filter: true },
      rebateClass: { schema: Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3'), Type.Literal('4'), Type.Null()]) },
      customsCode: { schema: code4, customsRef: true, filter: true },
      orgId: { schema: optionalIdRef, orgRef: true },
    },
    search: ['customs_reg_code', 'name_zh', 'name_en'],
    // Credit classes are customs' business and the enterprise's own: nobody else's.
    read: rolesOnly('admin', 'customs-officer', 'risk-analyst', 'declarant'),
    write: admin,
    tenant: 'enterprises',
    ownerField: 'orgId',
    customsField: 'customsCode',
  },
  {
    name: 'affected-areas',
    unique: ['code', 'disease'],
    singular: 'affected-area',
    table: 'affected_areas',
    idKind: 'affectedArea',
    fields: {
      code: {
        schema: Type.String({
          pattern: '^[A-Z]{2}([A-Z2-9]{3})?$',
          description: 'ISO country code (whole country) or UN/LOCODE (one port)',
        }),
        filter: true,
      },
      areaKind: { schema: Type.Union([Type.Literal('country'), Type.Literal('port')]), filter: true },
      disease: { schema: Type.String({ minLength: 1, maxLength: 64, description: 'e.g. cholera, plague, yellow-fever' }), filter: true },
      nameZh: { schema: nameZh },
      nameEn: { schema: nameEn },
    },
    search: ['code', 'name_zh', 'name_en', 'disease'],
    read: ANY_ROLE,
    write: rolesOnly('admin', 'customs-officer'),
  },
];

export const ENTITIES: ReadonlyMap<EntityName, EntitySpec> = new Map(specs.map((s) => [s.name, s]));

export const entitySpec = (name: EntityName): EntitySpec => {
  const s = ENTITIES.get(name);
  if (s === undefined) {
    throw new Error(`unknown registry entity ${name}`);
  }
  return s;
};

/** camelCase field → snake_case column. */
export const columnOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
