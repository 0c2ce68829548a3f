import { commandList } from '../../commands/command-list.ts';
import { loadConfig } from '../../config.ts';
import { buildSlackManifest } from './slack-manifest.ts';

/** `npm run slack:manifest`: the manifest for this server's PUBLIC_URL, on standard output. */
process.stdout.write(`${JSON.stringify(buildSlackManifest(loadConfig(process.env).PUBLIC_URL, commandList), null, 2)}\n`);
