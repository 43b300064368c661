import { UsageError } from '../UsageError.js';

/** Where the messages of one topic go: a series by id, a series found or created by title, or nowhere. */
export type SeriesTarget = { id: string } | { title: string } | { ignore: true };

/** A parsed `--map` file: the target of a topic, from its first matching line. */
export interface TopicMap {
  /** The target of `topic`, or undefined when no line matches it. */
  target(topic: string): SeriesTarget | undefined;
  /** Lines read (mappings, not comments). */
  readonly size: number;
}

const SERIES_ID = /^[A-Za-z0-9_-]{22}$/;

/** Whether `topic` matches the MQTT topic filter `filter` (`+` one level, `#` the rest, as a broker matches). */
function matches(filter: readonly string[], levels: readonly string[]): boolean {
  for (let i = 0; i < filter.length; i++) {
    const f = filter[i]!;
    if (f === '#') return !(i === 0 && levels[0]?.startsWith('$'));
    if (i >= levels.length) return false;
    if (f === '+') {
      if (i === 0 && levels[0]!.startsWith('$')) return false;
      continue;
    }
    if (f !== levels[i]) return false;
  }
  return filter.length === levels.length;
}

/**
 * Reads a topic map: one mapping a line, `TOPIC-FILTER = TARGET` (the first ` = ` separates them),
 * blank lines and lines starting with `#` ignored. The filter may use MQTT's wildcards (`+` one
 * level, `#` every level below). The target is a series id (22 characters of `A-Z a-z 0-9 - _`),
 * `-` (drop these messages, counted as ignored), or else a title: the series with this title is
 * found, or created; `{topic}` in a title is replaced by the message's topic. A topic takes the
 * target of its first matching line.
 *
 * @example
 * ```text
 * # kitchen sensors into existing series, the rest one series per topic
 * sensors/kitchen/temperature = p-DpewL0TO-iBE4nMBCTsQ
 * sensors/debug/# = -
 * sensors/+/humidity = Humidity {topic}
 * ```
 *
 * @param text - The file's text.
 * @param file - Its name, for error messages.
 * @returns The map.
 * @throws UsageError naming the line number and text of a line that is not a mapping.
 */
export function parseTopicMap(text: string, file: string): TopicMap {
  const rules: { filter: string[]; target: (topic: string) => SeriesTarget }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = line.indexOf(' = ');
    const where = `${file}:${index + 1}: ${JSON.stringify(line.slice(0, 120))}`;
    if (at < 0) throw new UsageError(`${where}: expected "TOPIC-FILTER = SERIES-ID or TITLE"`);
    const filter = line.slice(0, at).trim();
    const target = line.slice(at + 3).trim();
    const levels = filter.split('/');
    if (filter === '' || levels.some((l, i) => (l.includes('#') && (l !== '#' || i !== levels.length - 1)) || (l.includes('+') && l !== '+'))) {
      throw new UsageError(`${where}: not an MQTT topic filter ("+" stands for a whole level, "#" only for the last)`);
    }
    if (target === '') throw new UsageError(`${where}: no target after " = "`);
    rules.push({
      filter: levels,
      target: target === '-' ? () => ({ ignore: true }) : SERIES_ID.test(target) ? () => ({ id: target }) : (topic) => ({ title: target.replaceAll('{topic}', topic) }),
    });
  });
  return {
    size: rules.length,
    target(topic) {
      const levels = topic.split('/');
      return rules.find((r) => matches(r.filter, levels))?.target(topic);
    },
  };
}
