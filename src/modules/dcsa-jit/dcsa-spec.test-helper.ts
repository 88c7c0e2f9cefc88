import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../core/paths.ts';

// Test-only: validates our requests and responses against the DCSA spec document itself, which
// stays outside the project (../shared/data/standards).

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;
export const SPEC_PATH = path.resolve(PROJECT_ROOT, '../shared/data/standards/dcsa-jit-2.0.0.yaml');
export const specPresent = (): boolean => fs.existsSync(SPEC_PATH);

type Schema = Record<string, unknown>;
type Mode = 'request' | 'response';
type Operation = {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};

/**
 * OpenAPI 3.0 → JSON Schema for one direction: `example` dropped, `nullable` widened to null, and
 * properties that must not travel that way (readOnly in requests, writeOnly in responses) turned
 * into `false` and out of `required` (OpenAPI 3.0.3 §4.7.25, readOnly / writeOnly).
 */
const convert = (node: unknown, mode: Mode): unknown => {
  if (Array.isArray(node)) {
    return node.map((n) => convert(n, mode));
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'example' || k === 'examples' || k === 'nullable' || k === 'readOnly' || k === 'writeOnly') {
      continue;
    }
    if (k === '$ref' && typeof v === 'string') {
      out.$ref = v.replace('#/components/schemas/', '#/definitions/');
      continue;
    }
    if (k === 'properties' && v !== null && typeof v === 'object') {
      const props: Schema = {};
      for (const [name, prop] of Object.entries(v as Schema)) {
        const p = prop as Schema;
        const barred = (mode === 'request' && p.readOnly === true) || (mode === 'response' && p.writeOnly === true);
        props[name] = barred ? false : convert(prop, mode);
      }
      out.properties = props;
      continue;
    }
    out[k] = convert(v, mode);
  }
  if (src.nullable === true && typeof src.type === 'string') {
    out.type = [src.type, 'null'];
  }
  if (Array.isArray(src.required) && src.properties !== undefined) {
    const props = out.properties as Schema;
    out.required = (src.required as string[]).filter((r) => props[r] !== false);
  }
  return out;
};

export class SpecValidator {
  private readonly doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Schema } };
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.doc = parse(fs.readFileSync(SPEC_PATH, 'utf8')) as SpecValidator['doc'];
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    // OpenAPI's numeric formats: the type already says it.
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat('float', { type: 'number', validate: () => true });
  }

  private operation(method: string, template: string): Operation {
    const op = this.doc.paths[template]?.[method.toLowerCase()];
    if (op === undefined) {
      throw new Error(`the spec has no ${method} ${template}`);
    }
    return op;
  }

  private compile(key: string, schema: Schema, mode: Mode): ValidateFunction {
    let fn = this.cache.get(key);
    if (fn === undefined) {
      const definitions: Schema = {};
      for (const [name, s] of Object.entries(this.doc.components.schemas)) {
        definitions[name] = convert(s, mode);
      }
      fn = this.ajv.compile({ ...(convert(schema, mode) as Schema), definitions });
      this.cache.set(key, fn);
    }
    return fn;
  }

  /** The errors of a request body against the operation's requestBody schema ([] when valid). */
  requestErrors(method: string, template: string, body: unknown): ErrorObject[] {
    const schema = this.operation(method, template).requestBody?.content['application/json']?.schema;
    if (schema === undefined) {
      throw new Error(`${method} ${template} takes no body in the spec`);
    }
    const fn = this.compile(`req ${method} ${template}`, schema, 'request');
    return fn(body) ? [] : (fn.errors ?? []);
  }

  /** The errors of a response against the spec: the status must be declared (or `default`), its body match. */
  responseErrors(method: string, template: string, status: number, body: unknown): string[] {
    const responses = this.operation(method, template).responses;
    const declared = responses[String(status)] ?? responses.default;
    if (declared === undefined) {
      return [`status ${status} is not declared for ${method} ${template}`];
    }
    const schema = declared.content?.['application/json']?.schema;
    if (schema === undefined) {
      return body === undefined || body === '' ? [] : [`status ${status} of ${method} ${template} has no body in the spec`];
    }
    const fn = this.compile(`res ${method} ${template} ${status}`, schema, 'response');
    return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}
