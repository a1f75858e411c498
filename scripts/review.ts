/**
 * npm run review -- [--graph DIR] [--summary FILE] [--out FILE] [--details N] [--neighbours N]
 *
 * Writes one self-contained HTML page to review a collection: the type view
 * (one node per entity `_type`, one edge per relationship `_type`), the
 * table of types with their step status, and an instance view (search a
 * name or pick a type; the entity, its properties and its neighbourhood).
 * Defaults: the graph and summary that `j1-integration collect` wrote in
 * `.j1-integration/`, and `.j1-integration/review.html`.
 */
import { promises as fs } from 'fs';
import { dirname, join, resolve } from 'path';
import {
  buildReviewData,
  DEFAULT_REVIEW_OPTIONS,
  ReviewOptions,
} from './review/build';
import { renderReviewPage } from './review/page';
import { readSummary } from './review/summary';

const ROOT = join(__dirname, '..');

export interface ReviewRequest extends ReviewOptions {
  graphDirectory: string;
  summaryPath: string;
  outputPath: string;
}

export interface ReviewResult {
  outputPath: string;
  bytes: number;
  seconds: number;
  entities: number;
  relationships: number;
  entityTypes: number;
  relationshipTypes: number;
  detailed: number;
}

export function defaultReviewRequest(
  storageDirectory = join(ROOT, '.j1-integration'),
): ReviewRequest {
  return {
    ...DEFAULT_REVIEW_OPTIONS,
    graphDirectory: join(storageDirectory, 'graph'),
    summaryPath: join(storageDirectory, 'summary.json'),
    outputPath: join(storageDirectory, 'review.html'),
  };
}

export async function writeReviewPage(
  request: ReviewRequest,
): Promise<ReviewResult> {
  const started = process.hrtime.bigint();
  const summary = await readSummary(request.summaryPath);
  const data = await buildReviewData(request.graphDirectory, summary, request);
  const html = await renderReviewPage(data);
  await fs.mkdir(dirname(request.outputPath), { recursive: true });
  await fs.writeFile(request.outputPath, html);
  const t = data.typeView.totals;
  return {
    outputPath: request.outputPath,
    bytes: Buffer.byteLength(html),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    entities: t.entities,
    relationships: t.relationships + t.mappedRelationships,
    entityTypes: data.typeView.entityTypes.length,
    relationshipTypes: data.typeView.relationshipTypes.length,
    detailed: data.typeView.limits.detailed,
  };
}

export function describeReview(r: ReviewResult): string {
  return (
    `${r.outputPath}: ${(r.bytes / 2 ** 20).toFixed(
      1,
    )} MiB in ${r.seconds.toFixed(1)} s; ` +
    `${r.entities.toLocaleString('en-US')} entities of ${
      r.entityTypes
    } types, ` +
    `${r.relationships.toLocaleString('en-US')} relationships of ${
      r.relationshipTypes
    } types; ` +
    `properties embedded for ${r.detailed.toLocaleString('en-US')} entities`
  );
}

function parseArguments(argv: string[]): ReviewRequest {
  const request = defaultReviewRequest();
  let summaryGiven = false;
  let outputGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    const positive = (name: string) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`${name} takes a whole number of 0 or more`);
      return n;
    };
    switch (argv[i]) {
      case '--graph':
        request.graphDirectory = resolve(value());
        break;
      case '--summary':
        request.summaryPath = resolve(value());
        summaryGiven = true;
        break;
      case '--out':
        request.outputPath = resolve(value());
        outputGiven = true;
        break;
      case '--details':
        request.detailsBudget = positive('--details');
        break;
      case '--neighbours':
        request.neighboursPerKind = positive('--neighbours');
        break;
      default:
        throw new Error(
          `unknown argument ${argv[i]}; usage: npm run review -- [--graph DIR] [--summary FILE] [--out FILE] [--details N] [--neighbours N]`,
        );
    }
  }
  // A graph named on its own brings its summary.json and page along, beside it.
  if (!summaryGiven)
    request.summaryPath = join(request.graphDirectory, '..', 'summary.json');
  if (!outputGiven)
    request.outputPath = join(request.graphDirectory, '..', 'review.html');
  return request;
}

if (require.main === module) {
  Promise.resolve()
    .then(() => writeReviewPage(parseArguments(process.argv.slice(2))))
    .then((result) => console.log(`Review page ${describeReview(result)}`))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
