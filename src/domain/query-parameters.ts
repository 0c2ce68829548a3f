import { isCredentialName } from './is-credential-name.ts';

export interface QueryParameter {
  /** The name and value exactly as they were in the query string (still percent-encoded). */
  name: string;
  /** Absent for a bare `?flag`. */
  value?: string;
  credential: boolean;
}

/** A raw query string split at `&`, each part judged by its decoded name (`api%5Fkey` is `api_key`). */
export function queryParameters(query: string): QueryParameter[] {
  return query.split('&').map((part) => {
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    const parameter: QueryParameter = { name, credential: isCredentialName(decodeName(name)) };
    if (equals !== -1) parameter.value = part.slice(equals + 1);
    return parameter;
  });
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    return name;
  }
}
