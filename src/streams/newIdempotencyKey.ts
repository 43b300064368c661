/**
 * A fresh `Idempotency-Key`: 128 random bits from WebCrypto as 32 hex digits (`getRandomValues`,
 * which unlike `randomUUID` also works on pages served over plain http).
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let key = '';
  for (const b of bytes) key += b.toString(16).padStart(2, '0');
  return key;
}
