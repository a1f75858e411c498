/**
 * Records what the Graph client puts on the wire: method, URL and body of
 * every request, for what the simulator's request log does not keep (the
 * JSON body of a POST, e.g. a report action's filter, top and skip). Like
 * token-recorder.ts, it wraps, for the duration of a test, the global fetch
 * that @microsoft/microsoft-graph-client calls, and passes every call through
 * unchanged: the client and the simulator still do all the work. stop()
 * restores it. Jest gives each test file its own globals.
 */

export interface SentRequest {
  method: string;
  url: string;
  /** The body parsed as JSON (the text where it is not JSON); undefined without one. */
  body?: unknown;
}

export interface WireRecorder {
  /** Every request sent since the last clear(), in the order sent. */
  readonly sent: SentRequest[];
  /** The bodies of the requests sent to URLs that start with `url`, in order. */
  bodiesTo(url: string): unknown[];
  clear(): void;
  stop(): void;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function recordGraphRequests(): WireRecorder {
  const sent: SentRequest[] = [];
  const global = globalThis as unknown as { fetch: typeof fetch };
  const fetchBefore = global.fetch;
  global.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : undefined;
    const record: SentRequest = {
      method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
      url: request ? request.url : String(input),
    };
    if (typeof init?.body === 'string') record.body = parsed(init.body);
    else if (request?.body) record.body = parsed(await request.clone().text());
    sent.push(record);
    return fetchBefore(input, init);
  };
  return {
    sent,
    bodiesTo: (url) =>
      sent.filter((r) => r.url.startsWith(url)).map((r) => r.body),
    clear: () => {
      sent.length = 0;
    },
    stop: () => {
      global.fetch = fetchBefore;
    },
  };
}
