import { maskCredential } from './mask-credential.ts';
import { queryParameters } from './query-parameters.ts';

/** `token=abc123456789&page=2` -> `token=••••6789&page=2`: credentials masked as in headers. */
export function maskQuery(query: string): string {
  return queryParameters(query)
    .map(({ name, value, credential }) => (value === undefined ? name : `${name}=${credential ? maskCredential(value) : value}`))
    .join('&');
}
