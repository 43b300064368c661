// The three-legged OAuth 1.0a dance: request token, the user authorizes in a browser (or --user/--password drives the form), access token, then a signed call.
// Run: npx tsx examples/oauth.ts [--user demo --password demo]   (consumer: TIMETRIC_CONSUMER_KEY/_SECRET or var/demo.json)
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { lastValueFrom } from 'rxjs';
import { TimetricClient } from 'timetric';
import { demoConfig } from './demoConfig.js';

const { values } = parseArgs({ options: { user: { type: 'string' }, password: { type: 'string' } } });
const demo = demoConfig() as { url: string; consumerKey?: string; consumerSecret?: string };
const consumerKey = process.env.TIMETRIC_CONSUMER_KEY ?? demo.consumerKey;
const consumerSecret = process.env.TIMETRIC_CONSUMER_SECRET ?? demo.consumerSecret;
if (!consumerKey || !consumerSecret) {
  console.error('No OAuth consumer: set TIMETRIC_CONSUMER_KEY and TIMETRIC_CONSUMER_SECRET (timetric consumer create), or run `npm start`.');
  process.exit(1);
}
const client = new TimetricClient({ authtype: 'oauth', consumer_key: consumerKey, consumer_secret: consumerSecret }, { baseUrl: demo.url });

const requestToken = await client.getRequestToken('oob');
const authorizeUrl = client.getAuthorizeUrl(requestToken);
console.log(`1. request token ${requestToken.oauth_token}`);
console.log(`2. authorize at: ${authorizeUrl}`);

let verifier: string;
if (values.user !== undefined && values.password !== undefined) {
  // Unattended: fill in the server's authorize form as the user's browser would.
  const page = await (await fetch(authorizeUrl)).text();
  const form = new URLSearchParams();
  const unescape = (t: string): string => t.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, unescape(m[2]!));
  form.set('user', values.user);
  form.set('password', values.password);
  form.set('authorize', '1');
  const action = new URL(unescape(/<form[^>]*action="([^"]*)"/.exec(page)?.[1] ?? authorizeUrl), authorizeUrl).href;
  const answer = await (await fetch(action, { method: 'POST', body: form })).text();
  const code = /<code>([^<]+)<\/code>/.exec(answer)?.[1];
  if (!code) {
    console.error('authorization refused (wrong user or password?)');
    process.exit(1);
  }
  verifier = unescape(code);
} else {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  verifier = (await rl.question('3. paste the verifier shown after authorizing: ')).trim();
  rl.close();
}
console.log(`3. verifier ${verifier}`);

const access = await client.getAccessToken(requestToken, verifier);
console.log(`4. access token ${access.oauth_token} (keep it and its secret: the client config now holds both)`);
const series = await client.createSeries({ title: 'Created over OAuth', caption: 'x', tags: ['example'] }, [[1_700_000_000, 1]]);
console.log(`5. signed call: created series ${series.id}, latest ${JSON.stringify(await lastValueFrom(series.latest()))}`);
await lastValueFrom(series.delete());
console.log('6. deleted it');
