import { parseObject } from './parse-object.ts';
import type { JsonObject, ProviderRequest } from './provider.ts';

/** The JSON object in a form's `payload` field, as GitHub sends it to a hook set to `application/x-www-form-urlencoded`. */
export function formPayload(request: ProviderRequest): JsonObject | undefined {
  const text = request.form?.get('payload');
  return text === undefined || text === null ? undefined : parseObject(text);
}
