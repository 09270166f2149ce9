// The listing of the commands, which names each before its module is loaded.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands, findCommand, listCommands } from './index.ts';

describe('the listed commands', () => {
  it('name each command as the command names itself, once', async () => {
    for (const listed of commands) {
      expect((await listed.load()).name).toBe(listed.name);
    }
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
  });

  it('find the longest name that the arguments begin with', () => {
    const found = findCommand(['officials', 'instruments', 'add', '--code', 'X']);
    expect(found?.listed.name).toBe('officials instruments add');
    expect(found?.rest).toEqual(['--code', 'X']);
    expect(findCommand(['officials', 'nothing'])).toBeUndefined();
  });

  it('are listed by --help (status 0), and after an unknown command (status 2)', () => {
    let written = '';
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.toString();
        callback();
      },
    });
    expect(listCommands(['--help'], stderr)).toBe(0);
    expect(written).toContain('  sipas scores\n');
    written = '';
    expect(listCommands(['score'], stderr)).toBe(2);
    expect(written).toMatch(/^Unknown command: score\n/);
  });
});
