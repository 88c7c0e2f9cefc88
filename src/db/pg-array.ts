/** A PostgreSQL array literal of texts, for passing arrays of arrays as one text per row through unnest. */
export const pgTextArray = (xs: readonly string[]): string => `{${xs.map((x) => `"${x.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
