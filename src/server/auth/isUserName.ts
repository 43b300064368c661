/**
 * Whether `name` is a possible user name: 1–64 of A–Z a–z 0–9 . _ @ - (what `timetric user add`
 * accepts). The authorize page checks it first, so a name no user can have costs neither a lookup,
 * a password hash, nor an entry in the lockout table.
 */
export function isUserName(name: string): boolean {
  return /^[A-Za-z0-9._@-]{1,64}$/.test(name);
}
