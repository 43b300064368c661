// The --map file: topic filters with MQTT wildcards, ids, titles with {topic}, "-", first match
// wins; bad lines are usage errors naming the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTopicMap } from '../../src/cli/bridge/parseTopicMap.js';
import { UsageError } from '../../src/cli/UsageError.js';

const ID = 'p-DpewL0TO-iBE4nMBCTsQ';

describe('parseTopicMap', () => {
  const map = parseTopicMap(
    [
      '# sensors',
      '',
      `sensors/kitchen/temperature = ${ID}`,
      'sensors/debug/# = -',
      'sensors/+/humidity = Humidity of {topic}',
      'plant/# = Plant = all',
      '+ = top level',
    ].join('\r\n'),
    'map.txt',
  );

  it('maps exact topics, wildcards, titles and ignores, first match first', () => {
    assert.equal(map.size, 5);
    assert.deepEqual(map.target('sensors/kitchen/temperature'), { id: ID });
    assert.deepEqual(map.target('sensors/debug'), { ignore: true }, '# matches the parent level too');
    assert.deepEqual(map.target('sensors/debug/a/b'), { ignore: true });
    assert.deepEqual(map.target('sensors/attic/humidity'), { title: 'Humidity of sensors/attic/humidity' });
    assert.deepEqual(map.target('plant/a'), { title: 'Plant = all' }, 'the first " = " separates');
    assert.deepEqual(map.target('solo'), { title: 'top level' });
    assert.equal(map.target('sensors/attic/humidity/x'), undefined);
    assert.equal(map.target('sensors/kitchen'), undefined);
    assert.equal(map.target('$SYS/broker'), undefined);
  });

  it('refuses lines that are not mappings, naming file and line', () => {
    for (const [text, message] of [
      ['a/b', /map\.txt:1: "a\/b": expected/],
      ['\n\na/#/b = x', /map\.txt:3: .*not an MQTT topic filter/],
      ['a/b+ = x', /not an MQTT topic filter/],
      ['a =  ', /expected|no target/],
    ] as const) {
      assert.throws(() => parseTopicMap(text, 'map.txt'), (err: unknown) => err instanceof UsageError && message.test(err.message));
    }
  });
});
