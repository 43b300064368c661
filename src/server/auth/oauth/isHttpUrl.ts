/** True for an absolute http(s) URL: an OAuth callback we are willing to redirect a browser to. */
export function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
