import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import fastJson from 'fast-json-stringify';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { AppError, CoreErrorCode, type ErrorDetail } from '../core/errors.ts';

// ajv-formats ships CJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

const make = (coerce: boolean): Ajv => {
  const ajv = new Ajv({
    allErrors: true,
    // Unknown fields are an error, never silently dropped.
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  addFormats(ajv);
  ajv.addFormat('date', /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
  return ajv;
};

// Bodies are JSON and must carry the right types; query strings and params are text, so coerce.
const strictAjv = make(false);
const coercingAjv = make(true);

// Many routes share one schema object (ids, pages, the registry's items): compile each once.
const compiled = { strict: new WeakMap<object, ValidateFunction>(), coercing: new WeakMap<object, ValidateFunction>() };

// Compiled on a route's first request rather than at start-up: compiling every route's schemas
// up front was ~400 ms of each start (bench/RESULTS.md), most of it for routes rarely called.
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const isBody = httpPart === 'body';
  const cache = isBody ? compiled.strict : compiled.coercing;
  let fn: ValidateFunction | undefined;
  const get = (): ValidateFunction => {
    if (fn === undefined) {
      fn = cache.get(schema as object);
      if (fn === undefined) {
        fn = (isBody ? strictAjv : coercingAjv).compile(schema as object);
        cache.set(schema as object, fn);
      }
    }
    return fn;
  };
  return (data: unknown) => {
    const validate = get();
    const ok = validate(data);
    if (ok) {
      return { value: data };
    }
    return { error: toAppError(validate.errors ?? [], httpPart ?? 'body') };
  };
};

const PART_PREFIX: Record<string, string> = { body: '', querystring: '/query', params: '/params', headers: '/headers' };

export const toDetails = (errors: ErrorObject[], httpPart: string): ErrorDetail[] =>
  errors.map((e) => {
    let path = e.instancePath;
    const params = e.params as Record<string, unknown>;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      path = `${path}/${params.missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path = `${path}/${params.additionalProperty}`;
      message = 'is not a known field';
    }
    return { path: `${PART_PREFIX[httpPart] ?? ''}${path}` || '/', message };
  });

const toAppError = (errors: ErrorObject[], httpPart: string): AppError => {
  const details = toDetails(errors, httpPart);
  const first = details[0];
  return new AppError(
    'INVALID_INPUT',
    CoreErrorCode.VALIDATION,
    first !== undefined ? `${first.path} ${first.message}` : 'Request is invalid',
    details,
  );
};

const serializers = new WeakMap<object, (data: unknown) => string>();

/** Response serialisers (fast-json-stringify), compiled once per schema object. */
export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data: unknown) => {
    if (serialize === undefined) {
      serialize = serializers.get(schema as object);
      if (serialize === undefined) {
        serialize = fastJson(schema as Parameters<typeof fastJson>[0]);
        serializers.set(schema as object, serialize);
      }
    }
    return serialize(data);
  };
};
