/**
 * Whether `text` holds a C0 control character or DEL. No credential (key, token, nonce, consumer)
 * holds one, so a request carrying one is refused before any lookup: the stores never see it
 * (PostgreSQL cannot even compare text holding NUL, and answered such a lookup with a 500).
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
