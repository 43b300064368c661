import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Credential material of the auth module: random keys and secrets, the hash under which API-token
 * secrets are stored, and the constant-time comparison every check goes through.
 */

/**
 * A random, URL-safe string of `bytes` random bytes (base64url, no padding): safe in a Basic user
 * name (no `:`), an OAuth parameter and a URL without escaping. It never begins with `-`, so it can
 * be given to the CLI as an argument (`timetric token revoke KEY`) without being read as an option.
 *
 * @example
 * ```ts
 * const key = mintSecret(16); // 22 characters
 * ```
 * @param bytes - Entropy in bytes (default 32 → 43 characters).
 * @returns The encoded random string.
 */
export function mintSecret(bytes = 32): string {
  let text: string;
  // One draw in 64 begins with '-'; drawing again keeps every other string equally likely.
  do text = randomBytes(bytes).toString('base64url');
  while (text.startsWith('-'));
  return text;
}

/** A public token / consumer key: 16 random bytes, 22 URL-safe characters. */
export function mintKey(): string {
  return mintSecret(16);
}

/**
 * The stored form of an API-token secret: SHA-256, lower-case hex. Secrets are 32 random bytes, so a
 * fast hash is enough (no dictionary to attack) and keeps every authenticated request cheap.
 *
 * @param secret - The secret as the client sends it.
 * @returns 64 hex characters.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Compares two strings in time that does not depend on where they differ (only on their lengths,
 * which are public for hashes and signatures).
 *
 * @param a - One string (e.g. the expected signature).
 * @param b - The other (e.g. the presented one).
 * @returns True when both are equal.
 */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
