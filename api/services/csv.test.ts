// The separator of a CSV file: a semicolon (what Excel saves in a Vietnamese locale) found on
// the first line, or the one told.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRecords, firstLineDelimiter } from './csv.ts';

describe('firstLineDelimiter', () => {
  it.each([
    ['unit;name;parent\n', ';'],
    ['unit,name,parent\r\n', ','],
    ['"a,b";c\n', ';'],
    ['"a;b",c\n', ','],
    ['a;b,c\n', ','],
    ['unit\n', ','],
    ['\r\n\n  \ncounter;transactions\n', ';'],
    ['\uFEFFcounter;transactions', ';'],
  ])('%j is separated by %j', (start, delimiter) => {
    expect(firstLineDelimiter(start, true)).toBe(delimiter);
  });

  it('waits for the end of the first line, unless the file ends', () => {
    expect(firstLineDelimiter('counter;trans', false)).toBeUndefined();
    expect(firstLineDelimiter('"counter\n;', false)).toBeUndefined();
    expect(firstLineDelimiter('counter;trans', true)).toBe(';');
  });
});

describe('csvRecords', () => {
  const read = async (chunks: string[], delimiter?: ',' | ';' | 'tab') => {
    const records = [];
    for await (const record of csvRecords(Readable.from(chunks), delimiter)) records.push(record);
    return records;
  };

  it('finds a semicolon on a first line split across chunks, and keeps every line number', async () => {
    expect(await read(['coun', 'ter;trans', 'actions\r\n\r\nQ1;"1;2"\n', 'Q2;3\n'])).toEqual([
      { line: 1, fields: ['counter', 'transactions'] },
      { line: 3, fields: ['Q1', '1;2'] },
      { line: 4, fields: ['Q2', '3'] },
    ]);
  });

  it('reads as told: a tab, or commas in a file of semicolons', async () => {
    expect(await read(['counter\ttransactions\nQ1\t3\n'], 'tab')).toEqual([
      { line: 1, fields: ['counter', 'transactions'] },
      { line: 2, fields: ['Q1', '3'] },
    ]);
    expect(await read(['counter;transactions\nQ1;3\n'], ',')).toEqual([
      { line: 1, fields: ['counter;transactions'] },
      { line: 2, fields: ['Q1;3'] },
    ]);
  });
});
