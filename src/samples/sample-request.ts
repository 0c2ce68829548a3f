/** A request as a sender would make it: what `sample` posts to an endpoint. */
export interface SampleRequest {
  headers: Record<string, string>;
  body: string;
}

/** One sender's sample: its default event, the body for an event, and its signature over that body. */
export interface SampleSender {
  /** The provider id, as detection names it (`stripe`, `github`, ...). */
  id: string;
  defaultEvent: string;
  /** `ids` gives fresh identifiers, so two samples are never taken for a redelivery of one event. */
  build(event: string, context: SampleContext): SampleRequest;
  /** The signature headers for this body, made with the endpoint's secret (the first, while rotating). */
  sign(request: SampleRequest, secret: string, context: SampleContext): Record<string, string>;
}

export interface SampleContext {
  /** Unix seconds. */
  at: number;
  /** A fresh random identifier (hex) for event and delivery ids. */
  id: () => string;
}
