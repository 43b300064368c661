// Small fetch helpers for wire specs against the real server.
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
export const CSV = { 'content-type': 'text/csv' };

export async function createSeries(url: string, auth: string, fields: Record<string, string> = {}): Promise<string> {
  const body = new URLSearchParams({ title: 'T', caption: 'C', ...fields });
  const r = await fetch(`${url}/create/`, { method: 'POST', headers: { ...FORM, authorization: auth }, body, redirect: 'manual' });
  if (r.status !== 303) throw new Error(`create failed: ${r.status} ${await r.text()}`);
  return new URL(r.headers.get('location')!).pathname.split('/')[2]!;
}

export async function readCsv(url: string, id: string, auth?: string, suffix = 'csv/'): Promise<string> {
  const r = await fetch(`${url}/series/${id}/${suffix}`, { headers: auth ? { authorization: auth } : {} });
  if (r.status !== 200) throw new Error(`read failed: ${r.status} ${await r.text()}`);
  return r.text();
}
