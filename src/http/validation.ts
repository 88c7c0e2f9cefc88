import { Ajv, type ErrorObject } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
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

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strictAjv : coercingAjv;
  const validate = ajv.compile(schema as object);
  return (data: unknown) => {
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
