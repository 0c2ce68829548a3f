import { ENDPOINT_NAME_PATTERN, type Endpoint } from '../domain/endpoint.ts';
import { UsageError } from './command.ts';

/**
 * Refuses a name `new` or `rename` cannot give: malformed, already a name in this chat, or the id
 * of another of this chat's endpoints (typed ids would then be ambiguous). `self` is the endpoint
 * being renamed.
 */
export function checkEndpointName(name: string, mine: Endpoint[], self?: Endpoint): void {
  if (!ENDPOINT_NAME_PATTERN.test(name)) {
    throw new UsageError('A name is 1-40 characters: letters, digits, "-", "_" or ".", starting with a letter or digit.');
  }
  const others = mine.filter((endpoint) => endpoint.id !== self?.id);
  if (others.some((endpoint) => endpoint.name === name)) throw new UsageError(`You already have an endpoint named "${name}". Pick another name.`);
  const idOf = others.find((endpoint) => endpoint.id === name);
  if (idOf) throw new UsageError(`"${name}" is the id of your endpoint ${idOf.name}, so it cannot be a name. Pick another name.`);
}
