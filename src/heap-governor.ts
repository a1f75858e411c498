/**
 * Keeps the collector's heap within HEAP_BUDGET when Node would let it grow
 * far beyond.
 *
 * Node sizes its default heap from the memory it sees (4 GB on a 24 GiB
 * host), and V8 collects old garbage only as the heap nears a limit it
 * derives from that: a large-tenant collection, whose live data is ~400 MB
 * (mostly the SDK's record of every key), peaked at 1.4 GiB RSS that way.
 * When the heap limit is that generous, this collects garbage itself each
 * time the heap passes the budget: six collections and ~3 s on the L tenant,
 * for a peak of 864 MiB (docs/performance.md). Where a limit is already set
 * (`--max-old-space-size`, or a container Node sizes the heap for) at or
 * below LEAVE_ALONE_LIMIT, V8's own pacing is left alone.
 */
import { IntegrationLogger } from '@jupiterone/integration-sdk-core';
import * as v8 from 'v8';
import * as vm from 'vm';

const MB = 2 ** 20;
export const HEAP_BUDGET = 640 * MB;
/** Headroom above the data that survived the last collection. */
export const HEAP_HEADROOM = 256 * MB;
export const LEAVE_ALONE_LIMIT = 1024 * MB;
const CHECK_EVERY_MS = 250;

/** The heap size that triggers the next collection, given what survived the last one. */
export function nextCollectionAt(liveBytes: number): number {
  return Math.max(HEAP_BUDGET, liveBytes + HEAP_HEADROOM);
}

let running: { logger?: IntegrationLogger } | undefined;

/**
 * Starts the governor once per process (later calls only hand it a logger).
 * Does nothing when the heap limit is already at most LEAVE_ALONE_LIMIT, or
 * when this Node cannot expose `gc`.
 */
export function startHeapGovernor(logger?: IntegrationLogger): void {
  if (running) {
    running.logger = logger ?? running.logger;
    return;
  }
  running = { logger };
  const limit = v8.getHeapStatistics().heap_size_limit;
  if (limit <= LEAVE_ALONE_LIMIT) return;
  const collect = exposeGc();
  if (!collect) return;
  const state = running;
  let collectAt = HEAP_BUDGET;
  const timer = setInterval(() => {
    const used = v8.getHeapStatistics().used_heap_size;
    if (used < collectAt) return;
    const started = Date.now();
    collect();
    const live = v8.getHeapStatistics().used_heap_size;
    collectAt = nextCollectionAt(live);
    state.logger?.debug(
      {
        heapUsedMb: Math.round(used / MB),
        liveMb: Math.round(live / MB),
        collectionMs: Date.now() - started,
        nextAtMb: Math.round(collectAt / MB),
      },
      'Heap governor: collected garbage',
    );
  }, CHECK_EVERY_MS);
  // Never what keeps the process alive.
  timer.unref();
}

/** `global.gc`, exposed if Node was not started with --expose-gc. */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    // The flag takes effect for contexts created after it: one small one
    // hands over its `gc`.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
