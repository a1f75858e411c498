/**
 * Intune report actions (getDeviceInstallStatusReport and its kin): a POST
 * whose body says which columns, filter and page (`top`/`skip`) to return,
 * answered with `TotalRowCount`, a `Schema` of columns and `Values` rows, as
 * JSON in an application/octet-stream body (graph-api.md §2.3,
 * intune-exports.md §3.6).
 */
import { GraphApiError, GraphFailure } from './errors';
import { backoffDelay, sleep } from './retry';
import { GraphRequest, GraphTransport, parserMessage } from './transport';

/** One report row, keyed by column name. */
export type ReportRow = Record<string, unknown>;

export interface ReportPage {
  TotalRowCount?: unknown;
  Schema?: { Column?: unknown; PropertyType?: unknown }[];
  Values?: unknown[][];
}

export interface ReportWalk {
  /** What the last page said the report holds. */
  totalRowCount: number;
  rowsRead: number;
  requests: number;
}

/** Rows asked for per report page; Graph may send fewer (its maximum is not documented). */
export const DEFAULT_REPORT_TOP = 1000;

/**
 * POSTs a report action. Not ResponseType.TEXT: with it graph-client leaves
 * error bodies unparsed and drops their headers, so a 429's Retry-After, the
 * error code and the request-id would be lost; the octet-stream body arrives
 * as a stream instead. A body that is not JSON is retried like any
 * unreadable response.
 */
export async function postReport<T>(
  transport: GraphTransport,
  request: GraphRequest,
  body: unknown,
): Promise<T> {
  const url = transport.urlOf(request);
  for (let retries = 0; ; retries++) {
    const answer = await transport.send<unknown>('POST', url, {
      headers: request.headers,
      body,
    });
    let failure: GraphFailure;
    try {
      return (await readReportBody(answer)) as T;
    } catch (err) {
      failure = {
        method: 'POST',
        url,
        status: 200,
        code: 'InvalidJson',
        message: parserMessage(err),
      };
    }
    if (retries >= transport.retry.maxTransientRetries) {
      throw new GraphApiError(failure, 'The report body was not valid JSON.');
    }
    const delay = backoffDelay(retries, transport.retry);
    transport.counters.transient++;
    transport.logRetry(failure, delay, retries + 1);
    await sleep(delay);
  }
}

export interface ReportPageOptions {
  top?: number;
  /**
   * Columns that order the rows completely. Sent on every page: without an
   * order the rows may shift between requests and `skip` would repeat some
   * and lose others.
   */
  orderBy: string[];
  /** What the rows are, for errors ("the install status of this app"). */
  subject: string;
}

/**
 * Every row of a report, page by page: `top`/`skip` in the body, until `skip`
 * reaches `TotalRowCount`. `skip` advances by the rows actually received, so
 * a server that caps `top` below what was asked still yields every row. An
 * empty page before `TotalRowCount` rows is an error: the report was not read
 * to the end, and must not pass for complete.
 */
export async function forEachReportPage(
  transport: GraphTransport,
  request: GraphRequest,
  body: Record<string, unknown>,
  onRows: (rows: ReportRow[]) => Promise<void> | void,
  options: ReportPageOptions,
): Promise<ReportWalk> {
  const top = options.top ?? DEFAULT_REPORT_TOP;
  const url = transport.urlOf(request);
  const walk: ReportWalk = { totalRowCount: 0, rowsRead: 0, requests: 0 };
  for (;;) {
    const page = await postReport<ReportPage>(transport, request, {
      ...body,
      orderBy: options.orderBy,
      top,
      skip: walk.rowsRead,
    });
    walk.requests++;
    const rows = readReportPage(page, url, options.subject);
    walk.totalRowCount = rows.totalRowCount;
    if (rows.rows.length) await onRows(rows.rows);
    walk.rowsRead += rows.rows.length;
    if (walk.rowsRead >= rows.totalRowCount) return walk;
    if (!rows.rows.length) {
      throw new GraphApiError(
        { method: 'POST', url, status: 200, code: 'IncompleteReport' },
        `The report answered an empty page after ${walk.rowsRead} of the ${rows.totalRowCount} rows its TotalRowCount announced; ${options.subject} was not read to the end.`,
      );
    }
  }
}

const NUMERIC_TYPES = new Set([
  'byte',
  'int16',
  'int32',
  'int64',
  'double',
  'decimal',
  'single',
]);

/**
 * A cell as its column's `PropertyType` says: numbers for numeric columns
 * (also when sent as text), booleans for Boolean, and the value as sent
 * otherwise. Graph answers some enum columns as names and others as integer
 * codes; the Schema says which.
 */
function typedCell(value: unknown, propertyType: unknown): unknown {
  const type =
    typeof propertyType === 'string' ? propertyType.toLowerCase() : '';
  if (NUMERIC_TYPES.has(type)) {
    if (typeof value === 'number') return value;
    if (
      typeof value === 'string' &&
      value.trim() !== '' &&
      Number.isFinite(Number(value))
    )
      return Number(value);
    return null;
  }
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'True') return true;
    if (value === 'false' || value === 'False') return false;
    return null;
  }
  return value;
}

/** Schema/Values -> rows; anything else is an error, never "no rows". */
export function readReportPage(
  page: ReportPage,
  url: string,
  subject: string,
): { totalRowCount: number; rows: ReportRow[] } {
  const malformed = (what: string) =>
    new GraphApiError(
      { method: 'POST', url, status: 200, code: 'UnexpectedReportFormat' },
      `The report ${what}; ${subject} was not read.`,
    );
  if (!page || typeof page !== 'object')
    throw malformed('body was not a JSON object');
  const { TotalRowCount: total, Schema: schema, Values: values } = page;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw malformed('had no TotalRowCount');
  }
  if (!Array.isArray(schema) || !Array.isArray(values)) {
    throw malformed('had no Schema or no Values');
  }
  const columns = schema.map((column) => column?.Column);
  const types = schema.map((column) => column?.PropertyType);
  if (columns.some((column) => typeof column !== 'string')) {
    throw malformed('Schema had a column without a name');
  }
  const rows = values.map((value) => {
    if (!Array.isArray(value) || value.length !== columns.length) {
      throw malformed('had a row that does not match its Schema');
    }
    const row: ReportRow = {};
    columns.forEach((column, i) => {
      row[column as string] = typedCell(value[i], types[i]);
    });
    return row;
  });
  return { totalRowCount: total, rows };
}

/** A report action's body: a stream of JSON text (octet-stream), or JSON graph-client already parsed. */
async function readReportBody(answer: unknown): Promise<unknown> {
  if (answer === undefined || answer === null || answer === '') {
    throw new Error('The response had no body.');
  }
  if (typeof (answer as { getReader?: unknown }).getReader === 'function') {
    return JSON.parse(await new Response(answer as ReadableStream).text());
  }
  return typeof answer === 'string' ? JSON.parse(answer) : answer;
}
