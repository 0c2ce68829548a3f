/** What providers read from a delivery: the bytes as received plus the public URL it was sent to. */
export interface ProviderInput {
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
  /** The full public URL incl. sub-path and query, e.g. `https://hooks.example.com/wh/TOKEN/sms` (Twilio signs it). */
  url: string;
  /** The HTTP method as received (HubSpot signs it); POST when unknown. */
  method?: string;
}

export type JsonObject = Record<string, unknown>;

/** A `ProviderInput` parsed once, so that no provider decodes the body again. */
export interface ProviderRequest extends ProviderInput {
  /** The first value of a header, any case. */
  header(name: string): string | undefined;
  /** The body when it is a UTF-8 JSON object. */
  json: JsonObject | undefined;
  /** The body when it is a UTF-8 JSON array: a batch of events (SendGrid, HubSpot). */
  items: unknown[] | undefined;
  /** The body when it is a UTF-8 `application/x-www-form-urlencoded` form. */
  form: URLSearchParams | undefined;
}

export interface Detection {
  /** Provider id, e.g. `stripe`; `generic` for the fallback. */
  provider: string;
  providerName: string;
  event?: string;
  /** The provider's own id for the event or delivery, for duplicate detection. */
  eventId?: string;
  /** One plain-text line, at most 150 characters. */
  summary?: string;
}

/** `unverified`: the delivery carries the provider's signature but the endpoint has no secret to check it with. */
export type Verification = { status: 'valid' } | { status: 'invalid'; reason: string } | { status: 'unsigned' } | { status: 'unverified' };

export interface Provider {
  id: string;
  name: string;
  /** Lower-case header names, any one of which marks a delivery as this provider's. */
  headers: readonly string[];
  /** Recognises the body alone, for deliveries forwarded without the provider's headers. */
  sniff?(request: ProviderRequest): boolean;
  describe(request: ProviderRequest): Pick<Detection, 'event' | 'eventId' | 'summary'>;
  /** Lower-case names of the headers that carry its signature (set with `verify`). */
  signatureHeaders?: readonly string[];
  /** Absent when the provider does not sign; `secret` is trimmed and never empty. */
  verify?(request: ProviderRequest, secret: string, nowMs: number): Verification;
}
