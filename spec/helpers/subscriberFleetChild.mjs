// Child process of subscriberFleet.ts: holds N raw event streams open on one URL and reports, over
// IPC, when every stream has received an event whose value is the one asked for. Plain JavaScript
// on node:http, so that the subscribers' own work never runs on the server's event loop.
import { request } from 'node:http';

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
/** Per stream: the values of its data events, in order. */
const values = [];
let open = 0;
let waiting;

function check() {
  if (waiting === undefined) return;
  if (values.every((v) => v.includes(waiting))) {
    process.send({ type: 'seen', value: waiting, values });
    waiting = undefined;
  }
}

function connect(i) {
  values[i] = [];
  const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } });
  req.on('error', (err) => process.send({ type: 'error', message: `stream ${i}: ${err.message}` }));
  req.on('response', (res) => {
    if (res.statusCode !== 200) {
      process.send({ type: 'error', message: `stream ${i}: status ${res.statusCode}` });
      return;
    }
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffer += chunk;
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = /^data: (.*)$/m.exec(frame);
        if (data) values[i].push(JSON.parse(data[1]).value);
      }
      check();
    });
    if (++open === count) process.send({ type: 'open' });
  });
  req.end();
}

process.on('message', (msg) => {
  if (msg.type === 'wait') {
    waiting = msg.value;
    check();
  }
});
process.on('disconnect', () => process.exit(0));
for (let i = 0; i < count; i++) connect(i);
