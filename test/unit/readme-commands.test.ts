import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandList } from '../../src/commands/command-list.ts';
import { COMMAND_TABLE_END, COMMAND_TABLE_START, commandTable } from '../../src/commands/command-table.ts';
import { ROOT } from '../helpers/npm-start.ts';

const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

describe("the README's command table", () => {
  it('is the one generated from the command list (run npm run readme:commands after changing a command)', () => {
    const start = readme.indexOf(COMMAND_TABLE_START);
    const end = readme.indexOf(COMMAND_TABLE_END);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + COMMAND_TABLE_START.length, end).trim()).toBe(commandTable(commandList));
  });

  it('has a row per command, with its arguments', () => {
    const table = commandTable(commandList);
    expect(table.split('\n')).toHaveLength(commandList.length + 2);
    expect(table).toContain('| `secret <endpoint> <secret>` |');
    expect(table).toContain('| `delete <endpoint> [confirm]` |');
    expect(table).toContain('(at most 100 a chat)');
  });
});
