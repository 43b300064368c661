#!/usr/bin/env node
// `npm start`: builds the library (its output shown only when the build fails), then runs the demo
// (examples/demo/main.ts), which prints the dashboard URL, the API token and how to stop it.
import { spawn, spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const build = spawnSync(npm, ['run', 'build', '--silent'], { encoding: 'utf8' });
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  console.error(`npm start: the build failed (exit ${build.status ?? build.signal}); its output is above`);
  process.exit(1);
}
const demo = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/main.ts'], { stdio: 'inherit' });
// Ctrl-C reaches the demo too (same process group); this process waits for it to finish writing.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => demo.kill(signal));
demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
