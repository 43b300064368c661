import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random URL-safe identifier or secret: `bytes` random bytes, base64url without padding. */
export function mintSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 (hex) of a token secret. Secrets are minted with ≥ 24 random bytes, so a fast hash is
 * as safe as a slow one here, and keeps authenticating every request cheap.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
