/**
 * Whether `text` holds U+0000, which PostgreSQL text cannot: sent as a parameter it fails the
 * whole statement ("invalid byte sequence"), a 500 for what is only a lookup of something that
 * cannot exist. Lookups answer "none" for such text instead.
 */
export function holdsNul(text: string): boolean {
  return text.includes('\0');
}
