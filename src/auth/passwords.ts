import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 8;

/**
 * argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane): ~80 ms here, against ~400 ms
 * for the library default, which made start-up and sign-in slow on a 2-core machine. Raise it with
 * PORTCLUSTER_ARGON2_MEMORY_KIB / PORTCLUSTER_ARGON2_PASSES; existing hashes keep verifying
 * because each hash records its own parameters.
 */
const memoryCost = Number(process.env.PORTCLUSTER_ARGON2_MEMORY_KIB ?? 19_456);
const timeCost = Number(process.env.PORTCLUSTER_ARGON2_PASSES ?? 2);

export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id, memoryCost, timeCost, parallelism: 1 });

export const verifyPassword = async (hash: string, password: string): Promise<boolean> => {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
};

// Verified against when the username is unknown, so a wrong username costs as long as a wrong password.
let dummyHash: Promise<string> | null = null;
export const burnPasswordCheck = async (password: string): Promise<void> => {
  dummyHash ??= hashPassword('not-a-real-password-0000');
  await verifyPassword(await dummyHash, password);
};
