import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys look like `pck_<8 chars>_<40 chars>`. Only a SHA-256 hash is stored: the key has
 * 240 bits of entropy, so a slow hash buys nothing and would cost a hash per request.
 */
export const generateApiKey = (): { key: string; prefix: string; hash: string } => {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  const secret = randomBytes(30).toString('base64url');
  const key = `pck_${prefix}_${secret}`;
  return { key, prefix, hash: hashApiKey(key) };
};

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export const looksLikeApiKey = (s: string): boolean => /^pck_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{40}$/.test(s);
