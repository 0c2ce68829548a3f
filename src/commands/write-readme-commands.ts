import { readFileSync, writeFileSync } from 'node:fs';
import { commandList } from './command-list.ts';
import { COMMAND_TABLE_END, COMMAND_TABLE_START, commandTable } from './command-table.ts';

/** `npm run readme:commands`: rewrites README.md's command table from the command list. */
const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(COMMAND_TABLE_START);
const end = readme.indexOf(COMMAND_TABLE_END);
if (start < 0 || end < start) throw new Error(`README.md needs the markers ${COMMAND_TABLE_START} and ${COMMAND_TABLE_END}`);
writeFileSync('README.md', `${readme.slice(0, start + COMMAND_TABLE_START.length)}\n${commandTable(commandList)}\n${readme.slice(end)}`);
