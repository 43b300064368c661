// Hardening #11, finding 9, on PostgreSQL: two server instances on one database. A token revoked
// by `timetric token revoke` against the database ends the streams it opened on EVERY instance
// within one heartbeat (each instance re-checks its streams' credentials in the shared tables),
// while another token's streams go on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { hashSecret, mintKey, mintSecret } from '../../src/server/auth/secrets.js';
import { createTimetricServer, type TimetricServer } from '../../src/server/createTimetricServer.js';
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { bundleCli, runCli } from '../helpers/cliRunner.js';
import { createPostgresTestDatabase } from '../helpers/createPostgresTestStore.js';
import { FORM, createSeries } from '../helpers/http.js';
import { openEventStream, type RawEventStream } from '../helpers/openEventStream.js';

const HEARTBEAT_MS = 400;

interface Instance {
  store: Store;
  server: TimetricServer;
  url: string;
}

describe('PostgreSQL: streams of a revoked token end on every instance', () => {
  let db: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let instances: Instance[] = [];
  let userId: number;
  let cli: Awaited<ReturnType<typeof bundleCli>>;

  before(async () => {
    db = await createPostgresTestDatabase();
    const stores = await Promise.all([0, 1].map(() => openPostgresStore(db.connectionString)));
    instances = await Promise.all(
      stores.map(async (store) => {
        const server = createTimetricServer({ store, heartbeatMs: HEARTBEAT_MS });
        return { store, server, url: await server.listen({ port: 0, host: '127.0.0.1' }) };
      }),
    );
    userId = (await instances[0]!.store.createUser('alice', await hashPassword('pw'))).id;
    cli = await bundleCli('pg-revoked-streams');
  });
  after(async () => {
    for (const i of instances) {
      await i.server.close();
      await i.store.close();
    }
    cli?.remove();
    await db?.drop();
  });

  const token = async (name: string): Promise<{ key: string; authorization: string }> => {
    const key = mintKey();
    const secret = mintSecret();
    await instances[0]!.store.createApiToken({ key, userId, name, secretHash: hashSecret(secret) });
    return { key, authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` };
  };
  const endOf = async (s: RawEventStream): Promise<number> => {
    await s.until((x) => x.done, 'the server to end the stream', 5 * HEARTBEAT_MS);
    return s.ended;
  };

  it('a revoked token\'s streams on both instances end within one heartbeat (through a third instance, and through the CLI); another token\'s streams go on', async (ctx) => {
    const [A, B] = [instances[0]!, instances[1]!];
    const doomed = await token('doomed');
    const byCli = await token('revoked by the CLI');
    const kept = await token('kept');
    const id = await createSeries(A.url, kept.authorization);
    const w = await fetch(`${A.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, authorization: kept.authorization }, body: 'value=1' });
    assert.equal(w.status, 204);
    const open = (on: Instance, auth: string) => openEventStream(`${on.url}/series/${id}/value/events/`, { authorization: auth });
    const doomedStreams = await Promise.all([open(A, doomed.authorization), open(B, doomed.authorization)]);
    const cliStreams = await Promise.all([open(A, byCli.authorization), open(B, byCli.authorization)]);
    const keptStreams = await Promise.all([open(A, kept.authorization), open(B, kept.authorization)]);
    try {
      for (const s of [...doomedStreams, ...cliStreams, ...keptStreams]) await s.until((x) => x.data.length >= 1, 'the current value');
      await keptStreams[1].until((x) => x.heartbeats >= 1, 'a first heartbeat');
      // Through a store of its own (a third instance's connections), timed from before the call.
      const other = await openPostgresStore(db.connectionString, { migrate: false });
      let revokedAt: number;
      try {
        revokedAt = performance.now();
        assert.equal(await other.revokeApiToken(doomed.key), true);
      } finally {
        await other.close();
      }
      const endedAt = await Promise.all(doomedStreams.map(endOf));
      ctx.diagnostic(`heartbeat ${HEARTBEAT_MS} ms: ended on A ${(endedAt[0]! - revokedAt).toFixed(0)} ms, on B ${(endedAt[1]! - revokedAt).toFixed(0)} ms after the revocation began`);
      for (const at of endedAt) assert.ok(at - revokedAt < HEARTBEAT_MS, `ended ${(at - revokedAt).toFixed(0)} ms after the revocation`);
      assert.ok(cliStreams.every((s) => !s.done));
      // The operator's way: `timetric token revoke` against the database, timed from its exit.
      const run = await runCli(cli.main, ['token', 'revoke', byCli.key, '--db', db.connectionString]);
      assert.equal(run.code, 0, run.stderr);
      const exitedAt = performance.now();
      const cliEndedAt = await Promise.all(cliStreams.map(endOf));
      ctx.diagnostic(`CLI: ended on A ${(cliEndedAt[0]! - exitedAt).toFixed(0)} ms, on B ${(cliEndedAt[1]! - exitedAt).toFixed(0)} ms after it exited`);
      for (const at of cliEndedAt) assert.ok(at - exitedAt < HEARTBEAT_MS, `ended ${(at - exitedAt).toFixed(0)} ms after the CLI exited`);
      // A change written on B reaches the kept streams on both instances.
      const again = await fetch(`${B.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, authorization: kept.authorization }, body: 'value=2' });
      assert.equal(again.status, 204);
      for (const s of keptStreams) await s.until((x) => (x.data.at(-1) as { value: number }).value === 2, 'the next event on a kept stream');
      assert.ok(keptStreams.every((s) => !s.done));
    } finally {
      for (const s of [...doomedStreams, ...cliStreams, ...keptStreams]) s.close();
    }
  });
});
