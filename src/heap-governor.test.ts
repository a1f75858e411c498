import {
  HEAP_BUDGET,
  HEAP_HEADROOM,
  nextCollectionAt,
} from './heap-governor';

const MB = 2 ** 20;

test('collects at the budget while the live data is small', () => {
  expect(HEAP_BUDGET).toBe(640 * MB);
  expect(nextCollectionAt(100 * MB)).toBe(640 * MB);
});

test('leaves HEAP_HEADROOM above live data that outgrew the budget, so it never collects in a loop', () => {
  expect(HEAP_HEADROOM).toBe(256 * MB);
  expect(nextCollectionAt(500 * MB)).toBe(756 * MB);
});
