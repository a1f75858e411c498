/**
 * The one fan-out of the integration: many requests or tasks at a bounded
 * concurrency, with one error policy. Member lists, status lists, per-device
 * inventories and report walks all go through `forEachConcurrently`.
 *
 * Error policy (forEachConcurrently): one item's failure spares the others;
 * the step then fails with one error that counts and names the failures.
 */
import { batchGet, GraphAnswer, MAX_BATCH_SIZE } from './batch';
import {
  GraphAuthenticationError,
  GraphAuthorizationError,
  GraphError,
  GraphFanOutError,
  isGraphError,
} from './errors';
import { GraphCollectionPage, IterateOptions, iteratePages } from './paging';
import { GraphRequest, GraphTransport } from './transport';

export interface FanOutOptions {
  /** Requests (or $batch requests) in flight at once; the service budgets cap them too. */
  concurrency?: number;
  /** Send first pages 20 per `$batch` (each still counts against Graph's limits). */
  batch?: boolean;
}

export interface FanOutRun {
  /** Set once the fan-out stopped (a failure no other item can escape): long tasks may stop early. */
  readonly stopped: boolean;
  /** One sub-item of this item failed; the others go on (the policy below). */
  fail(error: unknown): void;
  /** One sub-item of this item was handled (for the count in the error). */
  done(): void;
}

export const DEFAULT_FAN_OUT_CONCURRENCY = 16;

/**
 * Failures in a row, with no success between them, after which a fan-out
 * stops handing out items: the service is down for this step, and going on
 * would only add retries (each with its backoff) to a failure already known.
 */
export const MAX_FAILURES_IN_A_ROW = 25;

/**
 * A failure that every other item would meet too, so the fan-out stops: the
 * credentials or a permission (401/403), and anything that is not a Graph
 * answer at all (a bug, a failed write to the job state).
 */
function stopsEveryItem(error: unknown): boolean {
  return (
    !isGraphError(error) ||
    error instanceof GraphAuthenticationError ||
    error instanceof GraphAuthorizationError
  );
}

/**
 * Runs `task` for every item, at most `concurrency` at once. Error policy:
 * an item (or a sub-item reported with `run.fail`) whose Graph requests kept
 * failing does not stop the others; once all are done, one GraphFanOutError
 * says how many failed and names the first few. A failure that would stop
 * every item (stopsEveryItem), or MAX_FAILURES_IN_A_ROW failures with no
 * success between them, stops handing out items; the running ones end first.
 */
export async function forEachConcurrently<T>(
  items: Iterable<T>,
  concurrency: number,
  task: (item: T, run: FanOutRun) => Promise<void>,
): Promise<void> {
  const source = items[Symbol.iterator]();
  const failures: GraphError[] = [];
  let handled = 0;
  let inARow = 0;
  let gaveUp = false;
  let fatal: { error: unknown } | undefined;
  const stop = () => ((run as { stopped: boolean }).stopped = true);
  const run: FanOutRun = {
    stopped: false,
    fail(error) {
      handled++;
      if (stopsEveryItem(error)) {
        fatal ??= { error };
        stop();
        return;
      }
      failures.push(error as GraphError);
      if (++inARow >= MAX_FAILURES_IN_A_ROW && !run.stopped) {
        gaveUp = true;
        stop();
      }
    },
    done() {
      handled++;
      inARow = 0;
    },
  };
  const worker = async () => {
    for (
      let next = source.next();
      !next.done && !run.stopped;
      next = source.next()
    ) {
      const before = handled;
      try {
        await task(next.value, run);
        if (handled === before) run.done();
      } catch (error) {
        run.fail(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (fatal) throw fatal.error;
  if (failures.length) {
    throw new GraphFanOutError(
      failures,
      handled,
      gaveUp ? MAX_FAILURES_IN_A_ROW : undefined,
    );
  }
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
      let answers: GraphAnswer<T>[];
      try {
        answers =
          chunk.length === 1
            ? [await getAnswer<T>(transport, chunk[0].request)]
            : await batchGet<T>(
                transport,
                chunk.map((item) => item.request),
              );
      } catch (error) {
        // The $batch envelope itself failed: every item in it did.
        for (let i = 0; i < chunk.length; i++) run.fail(error);
        return;
      }
      // Each answer is an item of its own: one that fails spares the others.
      for (let i = 0; i < chunk.length && !run.stopped; i++) {
        try {
          await onAnswer(chunk[i], answers[i], run);
          run.done();
        } catch (error) {
          run.fail(error);
        }
      }
    },
  );
}

export interface CollectionWalkOptions extends FanOutOptions {
  /** The parent object is gone (404): its collection ends here. */
  onNotFound?: (key: string) => Promise<void> | void;
  /** A collection was read to its last page. */
  onComplete?: (key: string) => Promise<void> | void;
  /** What makes two items of one collection the same (paging.ts). */
  identityOf?: IterateOptions['identityOf'];
}

/**
 * Walks many collections (one per parent object: members of each group,
 * statuses of each policy...) concurrently, handing each page to `onPage` as
 * it arrives. With `batch`, first pages travel 20 to a `$batch` request; later
 * pages follow their nextLinks one by one. A collection whose parent is gone
 * (404) goes to `onNotFound`; one read to its end, to `onComplete`.
 */
export async function forEachCollection<T extends { id?: string }>(
  transport: GraphTransport,
  collections: Iterable<{ key: string; request: GraphRequest }>,
  onPage: (key: string, page: T[]) => Promise<void> | void,
  options: CollectionWalkOptions = {},
): Promise<void> {
  const gone = async (key: string, err: unknown) => {
    if (options.onNotFound && isGraphError(err, { status: 404 })) {
      await options.onNotFound(key);
      return true;
    }
    return false;
  };
  await forEachRequest<GraphCollectionPage<T>>(
    transport,
    collections,
    async ({ key, request }, answer, run) => {
      if (answer.error) {
        if (await gone(key, answer.error)) return;
        throw answer.error;
      }
      try {
        const pages = iteratePages<T>(transport, request, {
          firstPage: answer.body,
          identityOf: options.identityOf,
        });
        for await (const page of pages) {
          if (run.stopped) return;
          await onPage(key, page);
        }
      } catch (err) {
        if (!(await gone(key, err))) throw err;
        return;
      }
      await options.onComplete?.(key);
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
