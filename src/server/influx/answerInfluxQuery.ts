import type { Principal } from '../auth/Authenticator.js';
import type { Store } from '../store/Store.js';

/** One statement's result in InfluxDB 1.x's JSON form. */
interface StatementResult {
  statement_id: number;
  series?: { name: string; columns: string[]; values: string[][] }[];
  error?: string;
}

/** Splits an InfluxQL text into statements on `;` outside quotes. */
function statements(q: string): string[] {
  const out: string[] = [];
  let from = 0;
  let quote = '';
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ';') {
      out.push(q.slice(from, i));
      from = i + 1;
    }
  }
  out.push(q.slice(from));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** An identifier as written: `"quoted"` (with escapes) or bare. */
function identifier(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
}

const IDENT = String.raw`("(?:[^"\\]|\\.)*"|[^\s;]+)`;
const CREATE = new RegExp(String.raw`^CREATE\s+DATABASE\s+${IDENT}`, 'i');
const SHOW_DATABASES = /^SHOW\s+DATABASES$/i;
const SHOW_MEASUREMENTS = new RegExp(String.raw`^SHOW\s+MEASUREMENTS(?:\s+ON\s+${IDENT})?(?:\s+LIMIT\s+\d+)?$`, 'i');

/** The statements this server answers, for error messages. */
export const SUPPORTED_STATEMENTS = 'CREATE DATABASE, SHOW DATABASES and SHOW MEASUREMENTS';

/**
 * Answers the little of InfluxQL that writers ask before writing (node-influx's
 * `getDatabaseNames`/`createDatabase`, Telegraf's `CREATE DATABASE`): `CREATE DATABASE name`
 * (accepted; databases come into being with their first write), `SHOW DATABASES` and
 * `SHOW MEASUREMENTS [ON db]` (from the writer's series created by InfluxDB writes).
 *
 * @param store - The store (its keyedNames).
 * @param principal - The asker: only their own series are listed.
 * @param q - The `q` parameter.
 * @param db - The `db` parameter, for SHOW MEASUREMENTS without ON.
 * @returns The `results` body, or a message naming the first statement not answered.
 */
export async function answerInfluxQuery(
  store: Store,
  principal: Principal,
  q: string,
  db: string | undefined,
): Promise<{ results: StatementResult[] } | { unsupported: string }> {
  const results: StatementResult[] = [];
  const list = statements(q);
  if (list.length === 0) return { unsupported: 'missing required parameter "q"' };
  for (let id = 0; id < list.length; id++) {
    const s = list[id]!;
    if (CREATE.test(s)) {
      results.push({ statement_id: id });
      continue;
    }
    const measurements = SHOW_MEASUREMENTS.exec(s);
    if (!SHOW_DATABASES.test(s) && !measurements) {
      return { unsupported: `this server answers only ${SUPPORTED_STATEMENTS} (it stores writes as Timetric series; read them through the Timetric API): ${JSON.stringify(s.slice(0, 200))}` };
    }
    const database = measurements ? (measurements[1] === undefined ? db : identifier(measurements[1])) : undefined;
    if (measurements && database === undefined) {
      results.push({ statement_id: id, error: 'database name required' });
      continue;
    }
    const names = (await store.keyedNames?.(principal.userId, database)) ?? [];
    results.push(
      names.length === 0
        ? { statement_id: id }
        : { statement_id: id, series: [{ name: measurements ? 'measurements' : 'databases', columns: ['name'], values: names.map((n) => [n]) }] },
    );
  }
  return { results };
}
