import { randomBytes } from 'node:crypto';

/** A new series id: 16 random bytes as URL-safe base64 without padding (22 characters). */
export function mintSeriesId(): string {
  return randomBytes(16).toString('base64url');
}
