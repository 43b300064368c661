// Drives the server's HTML authorize page as a user's browser would: GET the form, fill in user
// name and password, tick "authorize access", POST it. Returns the redirect target (the callback
// with oauth_token / oauth_verifier) or, without a callback, the page's text.
export async function authorizeThroughForm(authorizeUrl: string, user: string, password: string): Promise<{ location?: string; page: string; status: number }> {
  const page = await (await fetch(authorizeUrl)).text();
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1]!, m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  form.set('user', user);
  form.set('password', password);
  form.set('authorize', '1');
  const action = new URL(/<form[^>]*action="([^"]*)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? authorizeUrl, authorizeUrl).href;
  const r = await fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
  const location = r.headers.get('location') ?? undefined;
  return { status: r.status, page: await r.text(), ...(location ? { location } : {}) };
}
