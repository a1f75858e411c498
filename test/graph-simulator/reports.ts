/**
 * Intune synchronous report action getDeviceInstallStatusReport
 * (intune-exports.md §3.6, §5.7; graph-api.md §2.3): POST with
 * {filter, select?, top?, skip?, orderBy?, search?, sessionId?}, answered as
 * `application/octet-stream` holding
 * {"TotalRowCount","Schema":[{"Column","PropertyType"}],"Values":[[...]]}.
 */
import { STREAM_CONTENT_TYPE } from './envelope';
import { GraphHttpError } from './errors';
import { GraphCall, GraphPayload, GraphRoute } from './graph-call';
import { Permissions } from './permissions';
import { hash } from './tenant/random';
import {
  APP_INSTALL_LABEL_CODES,
  RESULTANT_APP_STATE_CODES,
  RESULTANT_APP_STATE_DETAIL_CODES,
} from './tenant/install-report';

/** The columns, in the order returned when `select` is absent (anchor types.ts, model.ts). */
export const INSTALL_STATUS_COLUMNS = [
  'DeviceId',
  'ApplicationId',
  'UserId',
  'DeviceName',
  'UserPrincipalName',
  'UserName',
  'Platform',
  'AppVersion',
  'ErrorCode',
  'InstallState',
  'InstallStateDetail',
  'LastModifiedDateTime',
  'HexErrorCode',
  'AppInstallState',
  'AppInstallState_loc',
  'AppInstallStateDetails',
  'AppInstallStateDetails_loc',
];

/** Known column types; others are inferred from their values (String, Int32, Int64, Double, DateTime). */
const COLUMN_TYPES: Record<string, string> = {
  ErrorCode: 'Int32',
  LastModifiedDateTime: 'DateTime',
};

/** Default page of report actions (msgraph-sdk-powershell #2081: "returns only 50"). */
const DEFAULT_TOP = 50;

type Row = Record<string, string | number | null>;

export const reportRoutes: GraphRoute[] = [
  {
    method: 'POST',
    path: '/deviceManagement/reports/getDeviceInstallStatusReport',
    service: 'intuneApps',
    permissions: Permissions.intuneApps,
    requiresIntune: true,
    handle: getDeviceInstallStatusReport,
  },
];

export interface ReportRequest {
  filter: string;
  select?: string[];
  top?: number;
  skip?: number;
  orderBy?: string[];
  search?: string;
}

const APPLICATION_FILTER_REQUIRED =
  "Filter must contain 'ApplicationId eq' clause.";

function getDeviceInstallStatusReport(call: GraphCall): GraphPayload {
  const request = readReportRequest(call.body, APPLICATION_FILTER_REQUIRED);
  const appId = /ApplicationId\s+eq\s+'([^']*)'/i.exec(request.filter)?.[1];
  if (appId === undefined) {
    // The ApplicationId filter is mandatory for this report (MicrosoftDocs/memdocs#1887).
    throw new GraphHttpError(400, 'BadRequest', APPLICATION_FILTER_REQUIRED);
  }
  const behaviour = call.behaviour;
  const codes = behaviour.reportValues === 'codes';
  const columns = withLocColumns(resolveColumns(request.select), codes);
  let rows: Row[] = call.tenant.installStatusRows(appId);
  if (behaviour.reportMixedCaseDeviceIds) rows = mixCase(rows);
  if (codes) rows = rows.map(toCodes);
  if (request.search) rows = searchRows(rows, request.search);
  const skip = request.skip ?? 0;
  if (request.orderBy?.length)
    rows = orderRows(rows, request.orderBy, INSTALL_STATUS_COLUMNS);
  else if (behaviour.reportUnorderedWithoutOrderBy)
    rows = shuffled(rows, hash(rows.length, skip, appId.length, skip >>> 8));

  // UNCONFIRMED maximum: larger tops are clamped, so callers must page by rows received.
  let top = Math.min(request.top ?? DEFAULT_TOP, behaviour.reportMaxTop);
  if (behaviour.reportShortPages && top > 1) {
    top = Math.ceil(top / 2) + (hash(skip, rows.length) % Math.ceil(top / 2));
  }
  const empty =
    behaviour.reportEmptyPageFromSkip !== undefined &&
    skip >= behaviour.reportEmptyPageFromSkip;
  const page = empty ? [] : rows.slice(skip, skip + top);
  const body = JSON.stringify({
    TotalRowCount: rows.length,
    Schema: columns.map((column) => ({
      Column: column,
      PropertyType: columnType(column, rows),
    })),
    Values: page.map((row) => columns.map((column) => row[column] ?? null)),
  });
  return { body, itemsServed: page.length, contentType: STREAM_CONTENT_TYPE };
}

/** Graph's 400 for a policy report whose filter names no policy. */
export const POLICY_FILTER_REQUIRED =
  "Filter must contain 'PolicyId eq' clause.";

/** The value of a `Column eq 'value'` clause of a report filter. */
export function clauseValue(
  filter: string,
  column: string,
): string | undefined {
  return new RegExp(`${column}\\s+eq\\s+'([^']*)'`, 'i').exec(filter)?.[1];
}

/** A report action's body; `filterRequired` is the 400's message when the filter is missing. */
export function readReportRequest(
  body: unknown,
  filterRequired: string,
): ReportRequest {
  if (!body || typeof body !== 'object') {
    throw new GraphHttpError(
      400,
      'BadRequest',
      'The request body must be a JSON object.',
    );
  }
  const raw = body as Record<string, unknown>;
  if (typeof raw.filter !== 'string' || !raw.filter.trim()) {
    throw new GraphHttpError(400, 'BadRequest', filterRequired);
  }
  const integer = (name: string): number | undefined => {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Invalid value for '${name}'.`,
      );
    }
    return value as number;
  };
  const strings = (name: string): string[] | undefined => {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    if (
      !Array.isArray(value) ||
      value.some((item) => typeof item !== 'string')
    ) {
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Invalid value for '${name}'.`,
      );
    }
    return value as string[];
  };
  const top = integer('top');
  return {
    filter: raw.filter,
    select: strings('select'),
    top: top === 0 ? undefined : top,
    skip: integer('skip'),
    orderBy: strings('orderBy'),
    search: typeof raw.search === 'string' ? raw.search : undefined,
  };
}

function resolveColumns(select: string[] | undefined): string[] {
  if (!select || select.length === 0) return INSTALL_STATUS_COLUMNS;
  return select.map((name) => {
    const column = INSTALL_STATUS_COLUMNS.find(
      (known) => known.toLowerCase() === name.toLowerCase(),
    );
    if (!column)
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Invalid select column '${name}'.`,
      );
    return column;
  });
}

/** Enum columns that come as integers in the 'codes' variant, and their tables. */
const CODED_COLUMNS: Record<string, Record<string, number>> = {
  InstallState: RESULTANT_APP_STATE_CODES,
  InstallStateDetail: RESULTANT_APP_STATE_DETAIL_CODES,
  AppInstallState: APP_INSTALL_LABEL_CODES,
  AppInstallStateDetails: APP_INSTALL_LABEL_CODES,
};

/** Columns whose display label travels in `<column>_loc` (intune-exports.md §2.3). */
const LOCALIZED_COLUMNS = ['AppInstallState', 'AppInstallStateDetails'];

/**
 * In the 'codes' variant a selected App* enum column brings its `_loc` label
 * column with it, as export jobs do for their localized columns
 * (intune-exports.md §1.5); selecting a `_loc` column itself is refused by
 * Graph (graph-api.md §2.3, SlimLib sample).
 */
function withLocColumns(columns: string[], codes: boolean): string[] {
  if (!codes) return columns;
  return columns.flatMap((column) =>
    LOCALIZED_COLUMNS.includes(column) && !columns.includes(`${column}_loc`)
      ? [column, `${column}_loc`]
      : [column],
  );
}

function toCodes(row: Row): Row {
  const coded: Row = { ...row };
  for (const [column, table] of Object.entries(CODED_COLUMNS)) {
    const value = row[column];
    if (typeof value !== 'string') continue;
    if (!(value in table)) {
      throw new Error(`simulator: no integer code for ${column} "${value}"`);
    }
    coded[column] = table[value];
  }
  return coded;
}

function mixCase(rows: Row[]): Row[] {
  return rows.map((row, i) =>
    i % 2 === 1 && typeof row.DeviceId === 'string'
      ? { ...row, DeviceId: row.DeviceId.toUpperCase() }
      : row,
  );
}

/** A deterministic shuffle (Fisher-Yates with a seeded LCG). */
export function shuffled(rows: Row[], seed: number): Row[] {
  const out = [...rows];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function columnType(column: string, rows: Row[]): string {
  if (COLUMN_TYPES[column]) return COLUMN_TYPES[column];
  const sample = rows.find(
    (row) => row[column] !== null && row[column] !== undefined,
  )?.[column];
  if (typeof sample === 'number') {
    if (!Number.isInteger(sample)) return 'Double';
    return Math.abs(sample) > 2147483647 ? 'Int64' : 'Int32';
  }
  return 'String';
}

function searchRows(rows: Row[], search: string): Row[] {
  const needle = search.toLowerCase();
  return rows.filter((row) =>
    ['DeviceName', 'UserPrincipalName', 'UserName'].some((column) =>
      String(row[column] ?? '')
        .toLowerCase()
        .includes(needle),
    ),
  );
}

/** Rows sorted by `orderBy` entries (`Column [asc|desc]`); an unknown column is a 400. */
export function orderRows(
  rows: Row[],
  orderBy: string[],
  columns: readonly string[],
): Row[] {
  const keys = orderBy.map((entry) => {
    const [name, direction] = entry.trim().split(/\s+/);
    const column = columns.find(
      (known) => known.toLowerCase() === name.toLowerCase(),
    );
    if (!column)
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Invalid orderBy column '${name}'.`,
      );
    return { column, sign: direction?.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return [...rows].sort((a, b) => {
    for (const { column, sign } of keys) {
      const left = a[column] ?? '';
      const right = b[column] ?? '';
      if (left < right) return -sign;
      if (left > right) return sign;
    }
    return 0;
  });
}
