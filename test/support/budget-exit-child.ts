/**
 * Run as a child process by test/resilience/adaptive-throttling.test.ts:
 * three requests through one service budget so small that the second and
 * third wait for it, with nothing in flight and nothing else pending. The
 * process must live until they are served (issue 14 §8): a wake-up timer
 * that let Node exit would end it here with code 0 and no "served 3".
 */
import { ServiceBudget } from '../../src/graph/throttle';

async function main() {
  const budget = new ServiceBudget({
    limit: { units: 1, windowMs: 300 },
    targetShare: 1,
    maxConcurrency: 1,
  });
  let served = 0;
  for (let i = 0; i < 3; i++) {
    const release = await budget.acquire(1);
    served++;
    release();
  }
  process.stdout.write(`served ${served}\n`);
}

void main();
