/** autocannon 9 ships no types and there is no @types package: only the parts bench/ uses. */
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      headers?: Record<string, string>;
      body?: string;
      /** Requests sent in turn; `setupRequest` may rewrite each one just before it goes. */
      requests?: Array<{ setupRequest?: (request: Request) => Request }>;
    }

    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
    }

    /** Per-second request counts or per-request latencies (ms), summarised. */
    interface Histogram {
      average: number;
      p50: number;
      p99: number;
    }

    interface Result {
      requests: Histogram;
      latency: Histogram;
      '2xx': number;
      non2xx: number;
      errors: number;
      timeouts: number;
    }
  }

  /** Without a callback it returns an EventEmitter that is also a thenable; bench/ only awaits it. */
  function autocannon(options: autocannon.Options): PromiseLike<autocannon.Result>;

  export = autocannon;
}
