import { monotonicFactory } from 'ulidx';

/**
 * Prefixed ULIDs (docs/adr/0003-id-format.md): sortable by creation time, safe in URLs,
 * and the prefix tells support staff what an id refers to.
 */
export const ID_PREFIXES = {
  organisation: 'org',
  user: 'usr',
  apiKey: 'key',
  event: 'evt',
  job: 'job',
  webhookSubscription: 'whs',
  webhookDelivery: 'whd',
  customsOffice: 'cus',
  port: 'port',
  portArea: 'area',
  terminal: 'term',
  berth: 'brth',
  supervisionSite: 'site',
  inlandPort: 'inld',
  bondedZone: 'bzone',
  laboratory: 'lab',
  carrier: 'carr',
  vessel: 'vsl',
  enterprise: 'ent',
  codeAlias: 'alias',
  regulatoryCode: 'rcode',
  corridor: 'corr',
  request: 'req',
  affectedArea: 'aff',
  portCall: 'pcall',
  quarantineCase: 'qrn',
  policyVersion: 'pol',
  berthPlan: 'bplan',
  berthClosure: 'bclose',
  manifest: 'mfst',
  bill: 'bl',
  container: 'ctr',
  containerEvent: 'cev',
  stowagePlan: 'stow',
  interchange: 'edi',
  declaration: 'decl',
  instruction: 'cins',
  alert: 'alrt',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type Id<K extends IdKind> = string & { readonly __brand: K };

const ulid = monotonicFactory();

export const newId = <K extends IdKind>(kind: K, at?: Date): Id<K> => `${ID_PREFIXES[kind]}_${ulid(at?.getTime()).toLowerCase()}` as Id<K>;

const ID_SHAPE = /^([a-z]+)_[0-9a-hjkmnp-tv-z]{26}$/;

/** True when `value` looks like an id of this kind (prefix and ULID body). */
export const isIdOf = (kind: IdKind, value: string): boolean => {
  const m = ID_SHAPE.exec(value);
  return m !== null && m[1] === ID_PREFIXES[kind];
};
