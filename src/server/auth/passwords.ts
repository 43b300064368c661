import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { safeEqual } from './secrets.js';

/*
 * User passwords, stored as `scrypt$<salt base64>$<hash base64>` (see UserRecord.passwordHash).
 * The parameters are fixed (N = 2^14, r = 8, p = 1, 32-byte key, 16-byte salt): about 50 ms and
 * 16 MB per hash, spent only on the authorize page and `timetric user add`, never per API request.
 */

const PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, PARAMS, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hashes a password with a fresh random salt.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('correct horse'); // 'scrypt$…$…'
 * ```
 * @param password - The clear-text password (Unicode, normalised to NFC).
 * @returns The string to store in `users.password_hash`.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Checks a password against a stored hash in constant time. A malformed stored hash never matches.
 *
 * @param password - The clear-text password the user typed.
 * @param stored - A value made by {@link hashPassword}.
 * @returns True when the password is right.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltText, hashText, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || saltText === undefined || hashText === undefined || rest.length > 0) return false;
  const key = await derive(password, Buffer.from(saltText, 'base64'));
  return safeEqual(key.toString('base64'), hashText);
}
