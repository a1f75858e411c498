/**
 * A graph-client middleware that hands each response's headers to the
 * transport, which graph-client's `get()` and `post()` do not return with a
 * parsed body: x-ms-resource-unit (what a directory request really cost) and
 * x-ms-throttle-limit-percentage (how close the app is to its limit) steer
 * the throttling budgets. Responses are matched to their request by the
 * client-request-id the transport sets on every attempt.
 */
import { Context, Middleware } from '@microsoft/microsoft-graph-client';

export class ResponseHeadersHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly onResponse: (
      clientRequestId: string,
      headers: Headers,
    ) => void,
  ) {}

  async execute(context: Context): Promise<void> {
    await this.next?.execute(context);
    const id = requestHeader(context, 'client-request-id');
    if (id && context.response) this.onResponse(id, context.response.headers);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function requestHeader(context: Context, name: string): string | undefined {
  const headers = context.options?.headers as
    | Headers
    | Record<string, string>
    | undefined;
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  return key ? record[key] : undefined;
}
