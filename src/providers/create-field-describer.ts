import { fillTemplate } from './fill-template.ts';
import { firstString } from './json-fields.ts';
import { joinParts } from './one-line.ts';
import type { JsonObject, Provider, ProviderRequest } from './provider.ts';

/** Where a sender puts its event name, event id and the facts of its line. */
export interface FieldSpec {
  /** Body paths of the event name, first found wins; `eventHeader` is tried first. */
  event?: readonly string[];
  eventHeader?: string;
  eventId?: readonly string[];
  eventIdHeader?: string;
  /** `fillTemplate` templates, each a part of the line. */
  facts: readonly string[];
  /** The JSON the fields are read from, when it is not the body object (a form field, a batch's first item). */
  body?(request: ProviderRequest): JsonObject | undefined;
}

/** A `describe` for the senders whose line is a few fields, so that each sender is data rather than code. */
export function createFieldDescriber(spec: FieldSpec): Provider['describe'] {
  return function describeFields(request) {
    const body = spec.body ? spec.body(request) : request.json;
    const event = (spec.eventHeader && request.header(spec.eventHeader)) || firstString(body, spec.event ?? []);
    const eventId = (spec.eventIdHeader && request.header(spec.eventIdHeader)) || firstString(body, spec.eventId ?? []);
    const summary = joinParts(...spec.facts.map((fact) => fillTemplate(fact, body)));
    return { event, eventId, summary };
  };
}
