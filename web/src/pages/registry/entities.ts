/**
 * What the UI knows about each registry entity: its fields in form order, how each is shown and
 * edited, and which are list filters. It mirrors src/modules/registry/registry.entities.ts (the
 * server's specs, which stay the authority: every value is validated there again).
 */
export const ENTITY_NAMES = [
  'ports',
  'port-areas',
  'terminals',
  'berths',
  'supervision-sites',
  'customs-offices',
  'regulatory-codes',
  'code-aliases',
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

export const isEntityName = (s: string): s is EntityName => (ENTITY_NAMES as readonly string[]).includes(s);

export type FieldType =
  /** A code typed by hand: monospace, trimmed, upper-cased when `upper`. */
  | 'code'
  | 'text'
  | 'textarea'
  | 'number'
  | 'integer'
  /** One of `values`, labelled from `enums.<enumKey>.<value>`. */
  | 'enum'
  | 'cargoTypes'
  | 'boolean'
  /** The stable id of another registry entity (`ref`). */
  | 'ref'
  /** An organisation id. */
  | 'org'
  /** A 4-digit customs code, shown with the customs office's name. */
  | 'customs';

export type Unit = 'm' | 'dwt' | 'gt';

export type FieldDef = {
  key: string;
  type: FieldType;
  /** Translation key of the label; default `fields.<key>`. */
  label?: string;
  /** The value may be empty (sent as null). */
  nullable?: boolean;
  /** Text the server accepts empty (sent as ''). */
  allowEmpty?: boolean;
  unit?: Unit;
  enumKey?: string;
  values?: readonly string[];
  ref?: EntityName;
  /** The list API filters on it (equality). */
  filter?: boolean;
  /** In the list: shown (default), hidden until chosen, or never. */
  list?: 'shown' | 'hidden' | 'never';
  /** The list API can sort on it (default: yes for plain values, no for references and lists). */
  sortable?: boolean;
  upper?: boolean;
  /** A language-neutral example value, e.g. a code format. */
  example?: string;
  /** Decimal places shown for numbers. */
  digits?: number;
  /** Tag colours per enum value. */
  colors?: Record<string, string>;
};

export type EntityDef = {
  name: EntityName;
  /** The fields that identify a record to people (its code, or a code pair), joined by '/'. */
  codeKeys: string[];
  /** Names: both languages (nameZh/nameEn), one (vessels' name), or none. */
  names: 'bilingual' | 'none' | { key: string };
  fields: FieldDef[];
};

export const CARGO_TYPES = ['container', 'bulk', 'liquid-bulk', 'ro-ro', 'general', 'cruise'] as const;
const CREDIT_CLASSES = ['advanced-certified', 'general-certified', 'general', 'discredited'] as const;
const CREDIT_COLORS: Record<string, string> = {
  'advanced-certified': 'green',
  'general-certified': 'blue',
  general: 'default',
  discredited: 'red',
};

const nameZh: FieldDef = { key: 'nameZh', type: 'text' };
const nameEn: FieldDef = { key: 'nameEn', type: 'text' };
const lat: FieldDef = { key: 'lat', type: 'number', nullable: true, list: 'hidden', digits: 5 };
const lon: FieldDef = { key: 'lon', type: 'number', nullable: true, list: 'hidden', digits: 5 };
const shortCode: FieldDef = { key: 'code', type: 'code', filter: true };
const customsCode = (extra: Partial<FieldDef> = {}): FieldDef => ({ key: 'customsCode', type: 'customs', filter: true, ...extra });
const creditClass: FieldDef = {
  key: 'customsCreditClass',
  type: 'enum',
  enumKey: 'creditClass',
  values: CREDIT_CLASSES,
  filter: true,
  colors: CREDIT_COLORS,
};
const orgId = (key: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, type: 'org', nullable: true, ...extra });

const DEFS: EntityDef[] = [
  {
    name: 'ports',
    codeKeys: ['locode'],
    names: 'bilingual',
    fields: [
      { key: 'locode', type: 'code', upper: true, filter: true, example: 'CNQGD' },
      nameZh,
      nameEn,
      { key: 'kind', type: 'enum', enumKey: 'portKind', values: ['seaport', 'river'], filter: true },
      { key: 'province', type: 'text', allowEmpty: true },
      customsCode(),
      lat,
      lon,
    ],
  },
  {
    name: 'port-areas',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [{ key: 'portId', type: 'ref', ref: 'ports', filter: true }, shortCode, nameZh, nameEn, lat, lon],
  },
  {
    name: 'terminals',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [
      { key: 'portAreaId', type: 'ref', ref: 'port-areas', filter: true },
      shortCode,
      nameZh,
      nameEn,
      { key: 'cargoTypes', type: 'cargoTypes' },
      orgId('operatorOrgId', { filter: true }),
    ],
  },
  {
    name: 'berths',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [
      { key: 'terminalId', type: 'ref', ref: 'terminals', filter: true },
      shortCode,
      nameZh,
      nameEn,
      { key: 'lengthM', type: 'number', unit: 'm', digits: 1 },
      { key: 'depthM', type: 'number', unit: 'm', digits: 1 },
      { key: 'maxDwt', type: 'integer', unit: 'dwt', nullable: true },
      { key: 'cargoTypes', type: 'cargoTypes' },
      { key: 'supervisionSiteId', type: 'ref', ref: 'supervision-sites', filter: true },
    ],
  },
  {
    name: 'supervision-sites',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [
      shortCode,
      nameZh,
      nameEn,
      {
        key: 'kind',
        type: 'enum',
        enumKey: 'siteKind',
        values: ['container-yard', 'bulk-yard', 'inspection-centre', 'liquid-terminal', 'cruise-terminal', 'general-yard'],
        filter: true,
      },
      { key: 'portAreaId', type: 'ref', ref: 'port-areas', nullable: true, filter: true },
      { key: 'portCode', type: 'code', upper: true, filter: true, example: 'CNQGD' },
      customsCode(),
    ],
  },
  {
    name: 'customs-offices',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [
      { key: 'code', type: 'code', label: 'fields.customsOfficeCode', filter: true, example: '4218' },
      nameZh,
      nameEn,
      { key: 'kind', type: 'enum', enumKey: 'customsOfficeKind', values: ['district', 'office'], filter: true },
      { key: 'districtCode', type: 'customs', filter: true },
      { key: 'parentCode', type: 'customs', nullable: true },
    ],
  },
  {
    name: 'regulatory-codes',
    codeKeys: ['portCode', 'customsCode'],
    names: 'bilingual',
    fields: [{ key: 'portCode', type: 'code', upper: true, filter: true, example: 'CNQGD' }, customsCode(), nameZh, nameEn],
  },
  {
    name: 'code-aliases',
    codeKeys: ['portCode', 'customsCode'],
    names: 'none',
    fields: [
      { key: 'portCode', type: 'code', upper: true, filter: true, example: 'CNQWG' },
      { key: 'customsCode', type: 'code', label: 'fields.customsOfficeCode', filter: true, example: '4258' },
      { key: 'canonicalPortCode', type: 'code', upper: true, example: 'CNQGD' },
      { key: 'canonicalCustomsCode', type: 'customs' },
      { key: 'note', type: 'textarea', allowEmpty: true },
    ],
  },
  {
    name: 'inland-ports',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [
      shortCode,
      nameZh,
      nameEn,
      { key: 'province', type: 'text' },
      { key: 'locode', type: 'code', upper: true, nullable: true, example: 'CNZZH' },
      // Not checked against the customs offices on the server: an inland port may sit outside the cluster's districts.
      { key: 'customsCode', type: 'code', label: 'fields.customsOfficeCode', filter: true, example: '4600' },
      orgId('operatorOrgId'),
      lat,
      lon,
    ],
  },
  {
    name: 'bonded-zones',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [
      shortCode,
      nameZh,
      nameEn,
      {
        key: 'kind',
        type: 'enum',
        enumKey: 'bondedKind',
        values: ['comprehensive-bonded-zone', 'bonded-port-area', 'bonded-logistics-centre'],
        filter: true,
      },
      { key: 'portId', type: 'ref', ref: 'ports', nullable: true, filter: true },
      customsCode(),
      orgId('operatorOrgId'),
      lat,
      lon,
    ],
  },
  {
    name: 'corridors',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [
      shortCode,
      nameZh,
      nameEn,
      { key: 'mode', type: 'enum', enumKey: 'corridorMode', values: ['sea-rail', 'sea-river', 'road'], filter: true },
      { key: 'portId', type: 'ref', ref: 'ports', filter: true },
      { key: 'inlandPortId', type: 'ref', ref: 'inland-ports', filter: true },
    ],
  },
  {
    name: 'affected-areas',
    codeKeys: ['code', 'disease'],
    names: 'bilingual',
    fields: [
      { key: 'code', type: 'code', upper: true, filter: true },
      { key: 'areaKind', type: 'enum', enumKey: 'areaKind', values: ['country', 'port'], filter: true },
      { key: 'disease', type: 'text', filter: true },
      nameZh,
      nameEn,
    ],
  },
  {
    name: 'laboratories',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [shortCode, nameZh, nameEn, customsCode(), { key: 'accredited', type: 'boolean' }, orgId('orgId')],
  },
  {
    name: 'carriers',
    codeKeys: ['code'],
    names: 'bilingual',
    fields: [shortCode, nameZh, nameEn, creditClass, orgId('orgId')],
  },
  {
    name: 'vessels',
    codeKeys: ['imo'],
    names: { key: 'name' },
    fields: [
      { key: 'imo', type: 'code', filter: true, example: '9321483' },
      { key: 'name', type: 'text', label: 'fields.vesselName' },
      { key: 'flag', type: 'code', upper: true, filter: true, example: 'CN' },
      {
        key: 'vesselType',
        type: 'enum',
        enumKey: 'vesselType',
        values: ['container', 'bulk', 'tanker', 'general', 'cruise', 'ro-ro'],
        filter: true,
      },
      { key: 'grossTonnage', type: 'integer', unit: 'gt' },
      { key: 'loaM', type: 'number', unit: 'm', digits: 1 },
      { key: 'carrierId', type: 'ref', ref: 'carriers', nullable: true, filter: true },
    ],
  },
  {
    name: 'enterprises',
    codeKeys: ['customsRegCode'],
    names: 'bilingual',
    fields: [
      { key: 'customsRegCode', type: 'code', upper: true, filter: true, example: '3702960001' },
      nameZh,
      nameEn,
      creditClass,
      { key: 'rebateClass', type: 'enum', enumKey: 'rebateClass', values: ['1', '2', '3', '4'], nullable: true },
      customsCode(),
      orgId('orgId'),
    ],
  },
];

export const ENTITY_DEFS: ReadonlyMap<EntityName, EntityDef> = new Map(DEFS.map((d) => [d.name, d]));

export const entityDef = (name: EntityName): EntityDef => {
  const d = ENTITY_DEFS.get(name);
  if (d === undefined) {
    throw new Error(`unknown registry entity ${name}`);
  }
  return d;
};

/** Every registry entity a def refers to by id (for loading their labels). */
export const referencedEntities = (def: EntityDef): EntityName[] => [
  ...new Set(def.fields.flatMap((f) => (f.type === 'ref' && f.ref !== undefined ? [f.ref] : []))),
];

export const usesCustoms = (def: EntityDef): boolean => def.fields.some((f) => f.type === 'customs');
export const usesOrgs = (def: EntityDef): boolean => def.fields.some((f) => f.type === 'org');

/** One version of a registry record, as the API returns it. */
export type RegistryRecord = { id: string; validFrom: string; validTo: string | null } & Record<string, unknown>;
