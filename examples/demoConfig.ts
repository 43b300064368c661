// Where the examples find a server and a token: TIMETRIC_URL/TIMETRIC_KEY/TIMETRIC_SECRET, else the
// var/demo.json that `npm start` writes.
import { existsSync, readFileSync } from 'node:fs';
import { TimetricClient } from 'timetric';

/** The server URL and API token the examples use. */
export function demoConfig(): { url: string; key: string; secret: string } {
  const { TIMETRIC_URL: url, TIMETRIC_KEY: key, TIMETRIC_SECRET: secret } = process.env;
  if (url && key && secret) return { url, key, secret };
  const file = process.env.TIMETRIC_DEMO_JSON ?? 'var/demo.json';
  if (!existsSync(file)) {
    console.error('No server: run `npm start` in another terminal, or set TIMETRIC_URL, TIMETRIC_KEY and TIMETRIC_SECRET.');
    process.exit(1);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as { url: string; key: string; secret: string };
}

/** A client for {@link demoConfig}. */
export function demoClient(): TimetricClient {
  const { url, key, secret } = demoConfig();
  return new TimetricClient({ authtype: 'apitoken', apitoken_key: key, apitoken_secret: secret }, { baseUrl: url });
}
