import { Type } from 'typebox';

/** The error envelope of every 4xx/5xx response. */
export const ZError = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable error code, e.g. registry.unknown-reference' }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    requestId: Type.Optional(Type.String()),
  }),
});
