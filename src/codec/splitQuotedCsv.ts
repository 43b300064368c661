/**
 * Splits CSV text that holds a quote character into rows of fields, with the result papaparse's
 * `new Papa.Parser({ delimiter: ',', newline: '\n' }).parse(text, 0, false).data` gives: its quoted
 * field rules, step by step, without the library's other modes (headers, comments, steps,
 * preview), so a page that reads series does not load papaparse for the rare quoted line.
 *
 * A field that starts with `"` runs to the next `"` that is followed, after white space only, by
 * `,`, `\n` or the end of the text; `""` inside it is one `"`. A quoted field without such an end
 * takes the rest of the text as it is. A `"` elsewhere in a field is an ordinary character.
 * spec/codec/splitQuotedCsv.spec.ts holds it to papaparse's output on generated inputs.
 *
 * @param input - CSV text with `\n` line ends (a `\r` before it stays in the last field).
 * @returns The rows, each its fields; `[]` for empty text.
 */
export function splitQuotedCsv(input: string): string[][] {
  const n = input.length;
  const data: string[][] = [];
  if (n === 0) return data;
  let row: string[] = [];
  let cursor = 0;
  let nextDelim = input.indexOf(',');
  let nextNewline = input.indexOf('\n');
  let quoteSearch = input.indexOf('"');
  // papaparse's allowance: only white space between a closing quote and `index`.
  const extraSpaces = (index: number): number => {
    if (index === -1) return 0;
    const between = input.substring(quoteSearch + 1, index);
    return between && between.trim() === '' ? between.length : 0;
  };
  const saveRow = (newCursor: number): void => {
    cursor = newCursor;
    data.push(row);
    row = [];
    nextNewline = input.indexOf('\n', cursor);
  };
  const unescape = (from: number, to: number): string => input.substring(from, to).replaceAll('""', '"');
  for (;;) {
    if (input[cursor] === '"') {
      quoteSearch = cursor;
      cursor++;
      for (;;) {
        quoteSearch = input.indexOf('"', quoteSearch + 1);
        // Unterminated: the rest of the text is the field, as it stands.
        if (quoteSearch === -1) return finish(input.substring(cursor));
        if (quoteSearch === n - 1) return finish(unescape(cursor, quoteSearch));
        if (input[quoteSearch + 1] === '"') {
          quoteSearch++;
          continue;
        }
        if (nextDelim !== -1 && nextDelim < quoteSearch + 1) nextDelim = input.indexOf(',', quoteSearch + 1);
        if (nextNewline !== -1 && nextNewline < quoteSearch + 1) nextNewline = input.indexOf('\n', quoteSearch + 1);
        const checkUpTo = nextNewline === -1 ? nextDelim : Math.min(nextDelim, nextNewline);
        const toDelim = extraSpaces(checkUpTo);
        if (input[quoteSearch + 1 + toDelim] === ',') {
          row.push(unescape(cursor, quoteSearch));
          cursor = quoteSearch + 1 + toDelim + 1;
          if (input[cursor] !== '"') quoteSearch = input.indexOf('"', cursor);
          if (nextDelim !== -1 && nextDelim < cursor) nextDelim = input.indexOf(',', cursor);
          if (nextNewline !== -1 && nextNewline < cursor) nextNewline = input.indexOf('\n', cursor);
          break;
        }
        const toNewline = extraSpaces(nextNewline);
        if (input[quoteSearch + 1 + toNewline] === '\n') {
          row.push(unescape(cursor, quoteSearch));
          saveRow(quoteSearch + 1 + toNewline + 1);
          if (nextDelim !== -1 && nextDelim < cursor) nextDelim = input.indexOf(',', cursor);
          quoteSearch = input.indexOf('"', cursor);
          break;
        }
        // A quote followed by other text is part of the field; look for the next one.
        quoteSearch++;
      }
      continue;
    }
    if (nextDelim !== -1 && (nextDelim < nextNewline || nextNewline === -1)) {
      row.push(input.substring(cursor, nextDelim));
      cursor = nextDelim + 1;
      nextDelim = input.indexOf(',', cursor);
      continue;
    }
    if (nextNewline !== -1) {
      row.push(input.substring(cursor, nextNewline));
      saveRow(nextNewline + 1);
      continue;
    }
    break;
  }
  return finish(input.substring(cursor));

  function finish(value: string): string[][] {
    row.push(value);
    data.push(row);
    return data;
  }
}
