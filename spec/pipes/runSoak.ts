// The pipe soak of issue 14, shared by spec/pipes/soak.spec.ts and bench/pipes.ts: a child process
// (pipeChild.ts) pipes 1,000 points/s through a journaled writeTo and 1 increment/s through a
// journaled incrementTo into a server in its own process on a SQLite file, reached through a fault
// proxy. Meanwhile the pipe is SIGKILLed and restarted on the same journals `pipeKills` times, the
// server `serverKills` times, and the proxy refuses every connection for `cutSeconds`. Then the pipe
// is stopped, drains, and the result is checked: every point reported accepted is stored once with
// its value, and the counter equals the sum of the accepted windows (each key counted once).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { lastValueFrom, toArray } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { startFaultProxy } from '../helpers/faultProxy.js';

export interface SoakOptions {
  seconds: number;
  pipeKills: number;
  serverKills: number;
  cutSeconds: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  acceptedPoints: number;
  storedPoints: number;
  missing: number;
  wrongValues: number;
  acceptedSum: number;
  counter: number;
  windows: number;
  pipeKills: number;
  serverKills: number;
  drainMs: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tsx = ['--import', 'tsx'];

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const log = o.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'timetric-soak-'));
  const children = new Set<ChildProcess>();
  const ranges: { first: number; last: number; count: number }[] = [];
  const windows = new Map<string, number>();
  try {
    const startServer = async (): Promise<{ child: ChildProcess; port: number }> => {
      const child = spawn(process.execPath, [...tsx, 'spec/helpers/serveFile.ts', join(dir, 'soak.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.add(child);
      child.once('exit', () => children.delete(child));
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      return { child, port: Number(new URL((JSON.parse(line) as { url: string }).url).port) };
    };
    let server = await startServer();
    const proxy = await startFaultProxy(server.port);
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: 'crash-key', apitoken_secret: 'crash-secret' }, { baseUrl: `http://127.0.0.1:${server.port}` });
    const series = await client.createSeries({ title: 'soak points', caption: 'c' });
    const counter = await client.createSeries({ title: 'soak counter', caption: 'c' });

    const startPipe = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [...tsx, 'spec/pipes/pipeChild.ts', proxy.url, series.id, counter.id, join(dir, 'points'), join(dir, 'counts')], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const [kind, a, b, c] = line.split(' ');
          if (kind === 'READY') resolve();
          else if (kind === 'P') ranges.push({ first: Number(a), last: Number(b), count: Number(c) });
          else if (kind === 'I' || kind === 'R') windows.set(a!, Number(b));
        });
        child.once('exit', (code, signal) => reject(new Error(`pipe exited ${code ?? signal} before it was ready`)));
      });
      return child;
    };
    const kill = async (child: ChildProcess): Promise<void> => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    };

    let pipe = await startPipe();
    // The events, spread over the run: pipe kills, server kills, and one network cut in the middle.
    const events: { at: number; what: 'pipe' | 'server' | 'cut' }[] = [];
    for (let i = 1; i <= o.pipeKills; i++) events.push({ at: (o.seconds * 1000 * i) / (o.pipeKills + 1), what: 'pipe' });
    for (let i = 1; i <= o.serverKills; i++) events.push({ at: (o.seconds * 1000 * (i - 0.5)) / o.serverKills, what: 'server' });
    events.push({ at: Math.max(0, (o.seconds - o.cutSeconds) * 500), what: 'cut' });
    events.sort((a, b) => a.at - b.at);
    const started = Date.now();
    let cutUntil = 0;
    let pipeKills = 0;
    let serverKills = 0;
    for (const e of events) {
      await wait(Math.max(0, started + e.at - Date.now()));
      if (cutUntil && Date.now() >= cutUntil) {
        proxy.setTarget(server.port);
        cutUntil = 0;
        log('network back');
      }
      if (e.what === 'pipe') {
        await kill(pipe);
        pipe = await startPipe();
        pipeKills++;
        log(`pipe killed and restarted (${pipeKills})`);
      } else if (e.what === 'server') {
        await kill(server.child);
        server = await startServer();
        if (!cutUntil) proxy.setTarget(server.port);
        serverKills++;
        log(`server killed and restarted (${serverKills})`);
      } else {
        proxy.setTarget(1); // nothing listens on port 1: every connection is refused
        proxy.cutAll();
        cutUntil = Date.now() + o.cutSeconds * 1000;
        log(`network cut for ${o.cutSeconds} s`);
        // The cut ends on time even when no event follows it soon.
        setTimeout(() => {
          if (cutUntil && Date.now() >= cutUntil - 5) {
            proxy.setTarget(server.port);
            cutUntil = 0;
            log('network back');
          }
        }, o.cutSeconds * 1000).unref();
      }
    }
    await wait(Math.max(0, started + o.seconds * 1000 - Date.now()));
    if (cutUntil) await wait(Math.max(0, cutUntil - Date.now()));
    proxy.setTarget(server.port);
    const drainStart = Date.now();
    const exited = new Promise<number | null>((resolve) => pipe.once('exit', resolve));
    pipe.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`the pipe did not drain cleanly (exit ${code})`);
    const drainMs = Date.now() - drainStart;

    const reader = new TimetricClient({ authtype: 'apitoken', apitoken_key: 'crash-key', apitoken_secret: 'crash-secret' }, { baseUrl: proxy.url });
    const stored = await lastValueFrom(reader.series(series.id).values({ pageSize: 100_000 }).pipe(toArray()));
    const times = stored.map(([t]) => t);
    let missing = 0;
    let wrongValues = 0;
    for (const p of stored) if (p[1] !== Math.round(p[0] * 1000) % 100_000) wrongValues++;
    let accepted = 0;
    for (const r of ranges) {
      // Each accepted batch holds `count` consecutive stamps (whole ms, strictly increasing).
      let found = 0;
      let lo = 0;
      let hi = times.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (times[mid]! < r.first) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < times.length && times[i]! <= r.last; i++) found++;
      accepted += r.count;
      if (found < r.count) missing += r.count - found;
    }
    const latest = await lastValueFrom(reader.series(counter.id).latest());
    const acceptedSum = [...windows.values()].reduce((n, a) => n + a, 0);
    await proxy.close();
    return {
      acceptedPoints: accepted,
      storedPoints: stored.length,
      missing,
      wrongValues,
      acceptedSum,
      counter: latest ? Number(latest[1]) : 0,
      windows: windows.size,
      pipeKills,
      serverKills,
      drainMs,
    };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
