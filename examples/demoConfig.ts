// Where the examples find a server and a token: TIMETRIC_URL/TIMETRIC_KEY/TIMETRIC_SECRET, else the
// var/demo.json that `npm start` writes while the demo runs. When neither is there, or the server
// cannot be reached, an example says so in one line and exits 1, without a stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NetworkError, TimetricClient } from 'timetric';
import { runningDemo } from './demo/demoLock.js';

const NOT_RUNNING = 'the demo is not running: start it with `npm start` in another terminal, or set TIMETRIC_URL, TIMETRIC_KEY and TIMETRIC_SECRET for another server';

function fail(message: string): never {
  console.error(`${process.argv[1]?.split('/').pop() ?? 'example'}: ${message}`);
  process.exit(1);
}

let handlerInstalled = false;
/** A server that cannot be reached is one line; any other error keeps its stack trace. */
function reportUnreachable(url: string): void {
  if (handlerInstalled) return;
  handlerInstalled = true;
  process.on('uncaughtException', (err) => {
    if (err instanceof NetworkError) fail(`cannot reach the Timetric server at ${url} (${err.message.split('\n')[0]}); is it running? ${NOT_RUNNING.slice(NOT_RUNNING.indexOf('start'))}`);
    console.error(err);
    process.exit(1);
  });
}

/** The server URL and API token the examples use (and, from the demo, its series and OAuth consumer). */
export function demoConfig(): { url: string; key: string; secret: string } {
  const { TIMETRIC_URL: url, TIMETRIC_KEY: key, TIMETRIC_SECRET: secret } = process.env;
  if (url && key && secret) {
    reportUnreachable(url);
    return { url, key, secret };
  }
  const file = process.env.TIMETRIC_DEMO_JSON ?? `${process.env.TIMETRIC_DEMO_DIR ?? 'var'}/demo.json`;
  // demo.json stays behind when the demo stops; its lock says whether it still runs.
  if (!existsSync(file) || runningDemo(dirname(file)) === undefined) fail(NOT_RUNNING);
  const config = JSON.parse(readFileSync(file, 'utf8')) as { url: string; key: string; secret: string };
  reportUnreachable(config.url);
  return config;
}

/** A client for {@link demoConfig}. */
export function demoClient(): TimetricClient {
  const { url, key, secret } = demoConfig();
  return new TimetricClient({ authtype: 'apitoken', apitoken_key: key, apitoken_secret: secret }, { baseUrl: url });
}
