/**
 * Public types of the Graph simulator (re-exported by index.ts).
 */
import type { ExportJobBehaviour } from './export-jobs';

/** How requests are grouped for throttling, faults and statistics (graph-api.md §6). */
export type ServiceFamily =
  | 'identity'
  | 'directory'
  | 'intuneDevices'
  | 'intuneConfiguration'
  | 'intuneApps'
  // issue 16
  | 'identityReports'
  | 'conditionalAccess'
  | 'batch'
  | 'other';

export const SERVICE_FAMILIES: readonly ServiceFamily[] = [
  'identity',
  'directory',
  'intuneDevices',
  'intuneConfiguration',
  'intuneApps',
  // issue 16
  'identityReports',
  'conditionalAccess',
  'batch',
  'other',
];

/** The services whose limits the simulator enforces (throttle.ts). */
export type ThrottledServiceName =
  | 'directory'
  | 'intuneDevices'
  | 'intuneConfiguration'
  | 'intuneApps'
  | 'identityReports'
  | 'conditionalAccess';

export interface ThrottleWindow {
  /** Requests allowed per window (the bucket's capacity). */
  limit: number;
  windowSeconds: number;
}

/** Documented per-app-per-tenant limits (graph-api.md §6). */
export interface ThrottleLimits {
  /** Resource units per window, by tenant size: small < 50 users, medium 50-500, large > 500. */
  directory: {
    small: number;
    medium: number;
    large: number;
    windowSeconds: number;
  };
  /** managedDevices, detectedApps. */
  intuneDevices: ThrottleWindow;
  /** deviceManagement singleton, subscriptionState, compliance policies, configurations, their statuses. */
  intuneConfiguration: ThrottleWindow;
  /** mobileApps and the install-status report. */
  intuneApps: ThrottleWindow;
  /** issue 16: identity reports (userRegistrationDetails), per app per tenant. */
  identityReports: ThrottleWindow;
  /** issue 16: Conditional Access policies and named locations, per tenant (all apps). */
  conditionalAccess: ThrottleWindow;
}

export const DOCUMENTED_THROTTLE_LIMITS: ThrottleLimits = {
  directory: { small: 3500, medium: 5000, large: 8000, windowSeconds: 10 },
  intuneDevices: { limit: 2000, windowSeconds: 20 },
  intuneConfiguration: { limit: 1000, windowSeconds: 20 },
  intuneApps: { limit: 1000, windowSeconds: 20 },
  // issue 16. learn.microsoft.com/graph/throttling-limits (docs-contrib
  // concepts/throttling-limits.md, read 2026): "Identity and access reports
  // service limits", 5 requests per 10 s per app per tenant; "Identity
  // protection and conditional access service limits", one request per second
  // per tenant for all apps, "don't return a Retry-After header on 429".
  identityReports: { limit: 5, windowSeconds: 10 },
  conditionalAccess: { limit: 1, windowSeconds: 1 },
};

/** Random transient faults, seeded. */
export interface RandomFaults {
  /** Probability (0..1) that a Graph request is answered 429. */
  rate429?: number;
  /** Probability (0..1) that a Graph request is answered 503. */
  rate503?: number;
  /** Send Retry-After (1 s) with them; default true. */
  retryAfter?: boolean;
  seed?: number;
  /** Service families affected; default every Graph family (not identity, not the $batch envelope). */
  services?: ServiceFamily[];
}

export interface SimulatorBehaviour {
  /** Delay before answering: baseMs + perItemMs x items in the response. */
  latency: { baseMs: number; perItemMs: number };
  /** false = off; true = documented limits; or limits to override (merged per service). */
  throttling: boolean | Partial<ThrottleLimits>;
  /**
   * The share of the limits Graph actually grants this app: one number for
   * every service, or one per service (1 = the documented limits). Intune's
   * limits include a tenant-wide ceiling shared with every other app of the
   * tenant, and some services answer 429 well below their documented figures
   * (issue 20; identity-security.md §3-4). Change it with setBehaviour in the
   * middle of a run, as another app starts and stops.
   */
  throttleGrant?: number | Partial<Record<ThrottledServiceName, number>>;
  /**
   * Send Retry-After with throttling 429s (default true). Some services answer
   * 429 without it (identity-security.md §3: Conditional Access and Identity
   * Protection; AzureHound #35, #65).
   */
  throttleRetryAfter: boolean;
  tokenLifetimeSeconds: number;
  /** Max page size when signInActivity is selected (120 in the doc revision read; graph-api.md §4). */
  signInActivityPageSize: number;
  /** Wording of Authentication_RequestFromNonPremiumTenantOrB2CTenant (graph-api.md §4). */
  licenceErrorWording: 'old' | 'new';
  /**
   * Directory pages shorter than `$top` asks: paging is server-driven and a
   * client must follow nextLinks whatever the page size (learn.microsoft.com/
   * graph/paging). Unset: `$top` is honoured up to 999.
   */
  directoryPageSizeCap?: number;
  /** Default and max page size of Intune collections. UNCONFIRMED: a blog reports 1000 (graph-api.md §2.2). */
  intunePageSize: number;
  /** Largest `top` of report actions; larger values are clamped. UNCONFIRMED (intune-exports.md §3.6). */
  reportMaxTop: number;
  /**
   * How report actions carry enum columns (InstallState, InstallStateDetail,
   * AppInstallState, AppInstallStateDetails): 'names' as strings, or 'codes'
   * as Int32 enum values (Schema PropertyType Int32) with the display label in
   * an `<column>_loc` column beside each App* column. Public clients read these
   * columns as integers (issue 14 §2); the values are the documented
   * resultantAppState / resultantAppStateDetail members.
   */
  reportValues: 'names' | 'codes';
  /**
   * Without `orderBy`, a report's rows come in an order that changes from one
   * request to the next, so `skip` paging repeats some rows and loses others.
   * The order of an unsorted report is not documented (UNCONFIRMED); harsher
   * than Graph by default.
   */
  reportUnorderedWithoutOrderBy: boolean;
  /** Report pages shorter than `top` (half to all of it), though more rows remain. */
  reportShortPages: boolean;
  /** From this `skip` on, answer empty pages while TotalRowCount still counts every row. */
  reportEmptyPageFromSkip?: number;
  /**
   * The Intune singleton of a tenant that has Intune answers
   * `intuneAccountId: null`. A property Graph does not promise to fill
   * (graph-api.md §2.3: the v1.0 singleton's properties are unreliable); a
   * missing value is no evidence that the tenant has no Intune (issue 14 §6).
   */
  deviceManagementWithoutAccountId: boolean;
  /** DeviceId of every other report row in upper case (Graph ids are not case-normalised across services). */
  reportMixedCaseDeviceIds: boolean;
  /**
   * issue 16: page size of userRegistrationDetails, which takes no $top.
   * UNCONFIRMED: the identity reports family pages at 1,000 records (Splunk
   * Add-on for Microsoft Azure, "Paging"); no capture of this report's 200.
   */
  registrationDetailsPageSize: number;
  /**
   * issue 16: page size of role assignments, PIM schedule instances, CA
   * policies and named locations. UNCONFIRMED: captures show 35 assignments
   * and 102 role definitions in one page; smaller pages are harsher.
   */
  identityPageSize: number;
  random?: RandomFaults;
  /** Export job timing and file format (export-jobs.ts); merged per field. */
  exportJobs?: Partial<ExportJobBehaviour>;
  /** Largest page of a directory list with $expand, whatever $top says (Graph known issue 13635). */
  expandPageSize: number;
  /** Expanded items per object, with no nextLink to the rest (known issue 13635; "Use query parameters"). */
  expandedItemsLimit: number;
  /**
   * Harsher than Graph: lists carry each secret's value (`secretText`) and
   * each certificate's body (`key`), which Graph returns only at creation or
   * for a single object. For tests that prove neither is ever kept.
   */
  exposeCredentialSecrets: boolean;
  /**
   * issue 15: every policy's `deviceStatuses` list ends, with no nextLink,
   * after the first half of its rows, while its `deviceStatusOverview` still
   * counts every device. A public report: v1.0
   * `deviceCompliancePolicies/{id}/deviceStatuses` returned 51 of 100+
   * devices that the policy's own overview counted
   * (microsoftgraph/microsoft-graph-explorer-v4 #4043, intune-exports.md §2.4).
   */
  statusListShortOfOverview?: boolean;
  /**
   * issue 15: every policy list refuses `$expand=assignments` with a 400, so
   * a client must read `…/{id}/assignments` instead. No public report of
   * Intune refusing it on these lists was found; Graph documents that
   * `$expand` is not supported on every navigation ("Use query parameters"),
   * and beta `intents?$expand=assignments` is reported to answer empty
   * assignments (microsoft-graph-explorer-v4 #2051): a client that relies
   * on the expansion alone has no way back.
   */
  expandAssignmentsRefused?: boolean;
  /**
   * issue 15: every per-policy device report (administrative templates,
   * settings compliance) holds the first half of its rows only, with a
   * TotalRowCount to match, while the policy's summary report counts every
   * device: the report actions' form of statusListShortOfOverview (the
   * public report of a list short of its overview, microsoft-graph-explorer-v4
   * #4043, is about the v1.0 lists; nothing says the reports are immune).
   */
  reportShortOfSummary?: boolean;
  /**
   * issue 15: policy families the tenant's licence lacks; their lists and
   * reports answer 400 "Request not applicable to target tenant.", as Intune
   * answers a tenant without the service (graph-api.md §0.8).
   */
  policyFamiliesNotLicensed?: (
    | 'administrativeTemplate'
    | 'settingsCompliance'
  )[];
  /**
   * issue 15: settingsCatalog / endpointSecurity. Every
   * getConfigurationPolicyDevicesReport holds only the first half of its
   * rows (TotalRowCount says so too: it looks complete), while
   * getConfigurationPolicyDeviceSummaryReport counts every device; the same
   * failure as statusListShortOfOverview, on the report route.
   */
  settingsReportShortOfSummary?: boolean;
  /**
   * issue 15: configurationPolicies and its report actions answer 400
   * "Request not applicable to target tenant.", Graph's answer on Intune
   * endpoints to a tenant without an Intune licence (graph-api.md §0.8), while
   * the other Intune endpoints work (as when the start-state check could
   * not tell).
   */
  settingsPoliciesNotApplicable?: boolean;
}

export const DEFAULT_BEHAVIOUR: SimulatorBehaviour = {
  latency: { baseMs: 0, perItemMs: 0 },
  throttling: false,
  throttleRetryAfter: true,
  tokenLifetimeSeconds: 3599,
  signInActivityPageSize: 120,
  licenceErrorWording: 'new',
  intunePageSize: 1000,
  reportMaxTop: 1000,
  reportValues: 'names',
  reportUnorderedWithoutOrderBy: true,
  reportShortPages: false,
  reportMixedCaseDeviceIds: false,
  deviceManagementWithoutAccountId: false,
  expandPageSize: 100,
  expandedItemsLimit: 20,
  exposeCredentialSecrets: false,
  registrationDetailsPageSize: 1000,
  identityPageSize: 100,
};

// ---- fault rules --------------------------------------------------------------

export interface FaultMatch {
  method?: string;
  /** Substring of the request path with version and query, e.g. '/v1.0/users?$top=999'. */
  pathIncludes?: string;
  /** Regular expression tested against the same string. */
  pathRegex?: string;
  service?: ServiceFamily;
  tenantId?: string;
  /** Only requests that follow a nextLink (they carry $skiptoken). */
  onlyNextLinks?: boolean;
  /** 1-based page number of a paged collection (1 = the request without $skiptoken). */
  pageNumber?: number;
  /** true: only $batch items; false: only plain requests; default both. */
  batchItem?: boolean;
}

/** Answer with a Graph error envelope (or an Entra error on identity requests). */
export interface ErrorFaultResponse {
  kind?: 'error';
  status: number;
  code?: string;
  message?: string;
  /** Seconds for Retry-After; default 1 on 429 (and none otherwise); null = never send it. */
  retryAfter?: number | null;
  headers?: Record<string, string>;
}

export type FaultResponse =
  | ErrorFaultResponse
  /** Hold the connection without answering; with ms, answer normally after ms. */
  | { kind: 'stall'; ms?: number }
  /** 200 with a JSON content type and a truncated body. */
  | { kind: 'invalidJson' }
  /** A collection body without `value`. */
  | { kind: 'missingValue' }
  /** @odata.nextLink pointing at the very same URL. */
  | { kind: 'loopNextLink' }
  /** The next page repeats this page's items (a different $skiptoken, same offset). */
  | { kind: 'duplicatePage' }
  /**
   * This page is served without its `@odata.nextLink`, though more items
   * remain: the walk ends early and looks complete (identity-security.md §4.8:
   * a page with neither nextLink nor deltaLink; cartography #2853).
   */
  | { kind: 'endWalkEarly' }
  /** 400 Directory_ExpiredPageToken on a nextLink request (only requests with $skiptoken). */
  | { kind: 'expiredPageToken' }
  /** Drop the TCP connection (RST) without answering. */
  | { kind: 'resetConnection' };

export type FaultKind = NonNullable<FaultResponse['kind']>;

export interface FaultRule {
  id?: string;
  match?: FaultMatch;
  /** 0..1, default 1; drawn from a generator seeded by `seed` (default: a hash of the rule id). */
  probability?: number;
  seed?: number;
  /** How many times the rule fires; default unlimited. */
  times?: number;
  respond: FaultResponse;
}

// ---- statistics and the request log ----------------------------------------------------

export interface ServiceStats {
  requests: number;
  byStatus: Record<string, number>;
  /** 429 answers (throttling, random or injected). */
  throttled: number;
  injectedFaults: number;
  /** Items in collection pages, report rows, single entities. */
  itemsServed: number;
  /** Directory resource units charged (graph-api.md §6 cost table). */
  resourceUnits: number;
}

export interface SimulatorStats {
  services: Record<ServiceFamily, ServiceStats>;
  /** By endpoint family, e.g. 'GET /users', 'GET /groups/{id}/members', 'POST /$batch'. */
  endpoints: Record<string, ServiceStats>;
  /**
   * Sums over services (a $batch of n items counts n + 1 here), plus the
   * number of HTTP requests received and of $batch items among the counted requests.
   */
  totals: ServiceStats & { httpRequests: number; batchItems: number };
  /** ISO time of the last reset. */
  since: string;
}

export interface RequestRecord {
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** Host header. */
  host: string;
  /** Path and query (for batch items: the resolved /{version}/... URL). Secrets never appear. */
  path: string;
  status: number;
  service: ServiceFamily;
  endpoint: string;
  tenantId?: string;
  clientRequestId?: string;
  /** The Retry-Attempt header graph-client adds on retries. */
  retryAttempt?: string;
  hadAuthorization: boolean;
  batchItem?: boolean;
  durationMs: number;
  /** Token requests: the requested scope (never the secret or assertion). */
  scope?: string;
  /** Token requests: the client id. */
  clientId?: string;
  fault?: FaultKind | 'random429' | 'random503';
  throttled?: boolean;
}
