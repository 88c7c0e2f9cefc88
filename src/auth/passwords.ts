import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 8;

/** argon2id with the library's defaults (m=64 MiB, t=3): OWASP's recommended family. */
export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });

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
