import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Db } from '../db/client.ts';

const ISSUER = 'portcluster';
const AUDIENCE = 'portcluster-api';

export type TokenClaims = { sub: string; role: string; org: string };

export class TokenSigner {
  private readonly key: Uint8Array;
  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: TokenClaims): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(this.now().getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ role: claims.role, org: claims.org })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Returns the claims or null for anything forged, expired or malformed. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: this.now(),
      });
      if (typeof payload.sub !== 'string' || typeof payload.role !== 'string' || typeof payload.org !== 'string') {
        return null;
      }
      return { sub: payload.sub, role: payload.role, org: payload.org };
    } catch {
      return null;
    }
  }
}

/**
 * The signing secret: configured, or generated once and kept in the database so tokens survive
 * a restart and every server on one database agrees.
 */
export const loadTokenSecret = async (db: Db, configured: string | null): Promise<string> => {
  if (configured !== null) {
    return configured;
  }
  await db
    .insertInto('instance_secrets')
    .values({ name: 'token-signing-key', value: randomBytes(48).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('instance_secrets').select('value').where('name', '=', 'token-signing-key').executeTakeFirstOrThrow();
  return row.value;
};
