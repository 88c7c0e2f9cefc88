import path from 'node:path';

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | null } // null: in memory (tests)
  | { kind: 'postgres'; url: string; schema?: string };

export type Config = {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Secret for signing session tokens; when absent one is generated and kept in the database. */
  tokenSecret: string | null;
  tokenTtlSeconds: number;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  logLevel: string;
  /** Run the background job runner inside the server process. */
  runJobs: boolean;
};

const intFrom = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`Environment variable ${name} must be a positive integer, got "${raw}"`);
  }
  return n;
};

/** Reads the environment once at boot and fails fast on a bad value. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const url = env.DATABASE_URL;
  const database: DatabaseConfig =
    url !== undefined && url !== ''
      ? { kind: 'postgres', url }
      : { kind: 'pglite', dataDir: path.resolve(env.PORTCLUSTER_DATA ?? './data') };
  const secret = env.PORTCLUSTER_TOKEN_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < 32) {
    throw new Error('PORTCLUSTER_TOKEN_SECRET must be at least 32 characters');
  }
  return {
    port: intFrom('PORT', env.PORT, 8080),
    host: env.HOST ?? '0.0.0.0',
    database,
    tokenSecret: secret !== undefined && secret !== '' ? secret : null,
    tokenTtlSeconds: intFrom('PORTCLUSTER_TOKEN_TTL', env.PORTCLUSTER_TOKEN_TTL, 900),
    bodyLimitBytes: intFrom('PORTCLUSTER_BODY_LIMIT', env.PORTCLUSTER_BODY_LIMIT, 1_048_576),
    rateLimitPerMinute: intFrom('PORTCLUSTER_RATE_LIMIT', env.PORTCLUSTER_RATE_LIMIT, 600),
    logLevel: env.LOG_LEVEL ?? 'info',
    runJobs: env.PORTCLUSTER_JOBS !== 'off',
  };
};
