/**
 * The one fan-out of the integration: many requests or tasks at a bounded
 * concurrency, with one error policy. Member lists, status lists, per-device
 * inventories and report walks all go through `forEachConcurrently`.
 *
 * Error policy: the first failure stops handing out items; the items already
 * running finish, and the failure is thrown.
 */
import { batchGet, GraphAnswer, MAX_BATCH_SIZE } from './batch';
import { isGraphError } from './errors';
import { GraphCollectionPage, iteratePages } from './paging';
import { GraphRequest, GraphTransport } from './transport';

export interface FanOutOptions {
  /** Requests (or $batch requests) in flight at once; the service budgets cap them too. */
  concurrency?: number;
  /** Send first pages 20 per `$batch` (each still counts against Graph's limits). */
  batch?: boolean;
}

export interface FanOutRun {
  /** Set once an item failed: long tasks may stop early. */
  readonly stopped: boolean;
}

export const DEFAULT_FAN_OUT_CONCURRENCY = 16;

/** Runs `task` for every item, at most `concurrency` at once (error policy above). */
export async function forEachConcurrently<T>(
  items: Iterable<T>,
  concurrency: number,
  task: (item: T, run: FanOutRun) => Promise<void>,
): Promise<void> {
  const source = items[Symbol.iterator]();
  const run = { stopped: false };
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    for (
      let next = source.next();
      !next.done && !run.stopped;
      next = source.next()
    ) {
      try {
        await task(next.value, run);
      } catch (error) {
        failed ??= { error };
        run.stopped = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failed) throw failed.error;
}

/**
 * GETs many requests (20 per `$batch` POST with `batch`) and hands each
 * answer, body or Graph error, to `onAnswer`.
 */
export async function forEachRequest<
  T,
  K extends { request: GraphRequest } = { key: string; request: GraphRequest },
>(
  transport: GraphTransport,
  items: Iterable<K>,
  onAnswer: (item: K, answer: GraphAnswer<T>, run: FanOutRun) => Promise<void>,
  options: FanOutOptions = {},
): Promise<void> {
  await forEachConcurrently(
    chunks(items, options.batch ? MAX_BATCH_SIZE : 1),
    options.concurrency ?? DEFAULT_FAN_OUT_CONCURRENCY,
    async (chunk, run) => {
      const answers =
        chunk.length === 1
          ? [await getAnswer<T>(transport, chunk[0].request)]
          : await batchGet<T>(
              transport,
              chunk.map((item) => item.request),
            );
      for (let i = 0; i < chunk.length && !run.stopped; i++) {
        await onAnswer(chunk[i], answers[i], run);
      }
    },
  );
}

/**
 * Walks many collections (one per parent object: members of each group,
 * statuses of each policy...) concurrently, handing each page to `onPage` as
 * it arrives. With `batch`, first pages travel 20 to a `$batch` request; later
 * pages follow their nextLinks one by one. A collection whose parent is gone
 * (404) goes to `onNotFound`.
 */
export async function forEachCollection<T extends { id?: string }>(
  transport: GraphTransport,
  collections: Iterable<{ key: string; request: GraphRequest }>,
  onPage: (key: string, page: T[]) => Promise<void> | void,
  options: FanOutOptions & { onNotFound?: (key: string) => void } = {},
): Promise<void> {
  const gone = (key: string, err: unknown) => {
    if (options.onNotFound && isGraphError(err, { status: 404 })) {
      options.onNotFound(key);
      return true;
    }
    return false;
  };
  await forEachRequest<GraphCollectionPage<T>>(
    transport,
    collections,
    async ({ key, request }, answer, run) => {
      if (answer.error) {
        if (gone(key, answer.error)) return;
        throw answer.error;
      }
      try {
        const pages = iteratePages<T>(transport, request, {
          firstPage: answer.body,
        });
        for await (const page of pages) {
          if (run.stopped) return;
          await onPage(key, page);
        }
      } catch (err) {
        if (!gone(key, err)) throw err;
      }
    },
    options,
  );
}

/** A GET whose Graph error is returned, like a `$batch` item's, rather than thrown. */
async function getAnswer<T>(
  transport: GraphTransport,
  request: GraphRequest,
): Promise<GraphAnswer<T>> {
  try {
    return {
      body: await transport.send<T>('GET', transport.urlOf(request), {
        headers: request.headers,
      }),
    };
  } catch (err) {
    if (isGraphError(err)) return { error: err };
    throw err;
  }
}

function* chunks<T>(items: Iterable<T>, size: number): Iterable<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** `items` mapped lazily: a fan-out over 20k ids never builds 20k requests up front. */
export function* mapIterable<T, U>(
  items: Iterable<T>,
  map: (item: T) => U,
): Iterable<U> {
  for (const item of items) yield map(item);
}
