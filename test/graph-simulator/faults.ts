/**
 * Fault injection: explicit rules (tests, the admin endpoint) and random
 * transient 429/503s (behaviour.random). Both are seeded so failures replay.
 */
import { randomUUID } from 'crypto';
import { GraphHttpError, throttledError } from './errors';
import { hashString, RandomSource, seededRandom } from './random';
import {
  ErrorFaultResponse,
  FaultKind,
  FaultResponse,
  FaultRule,
  RandomFaults,
  ServiceFamily,
} from './types';

/** The facts about a request that rules match on. */
export interface FaultCandidate {
  method: string;
  /** Path with version and query, as requested (batch items: the resolved URL). */
  path: string;
  service: ServiceFamily;
  tenantId?: string;
  /** The request carries a $skiptoken. */
  isNextLink: boolean;
  /** 1-based page number for paged collections. */
  pageNumber?: number;
  batchItem: boolean;
}

export interface InjectedFault {
  response: FaultResponse;
  /** For statistics and the request log. */
  label: FaultKind | 'random429' | 'random503';
}

interface ActiveRule {
  id: string;
  rule: FaultRule;
  regex?: RegExp;
  random: RandomSource;
  fired: number;
}

const GRAPH_SERVICES: ServiceFamily[] = [
  'directory',
  'intuneDevices',
  'intuneConfiguration',
  'intuneApps',
  'identityReports',
  'conditionalAccess',
  'other',
];

export function faultKind(response: FaultResponse): FaultKind {
  return response.kind ?? 'error';
}

export function isErrorFault(
  response: FaultResponse,
): response is ErrorFaultResponse {
  return response.kind === undefined || response.kind === 'error';
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private random: RandomSource = seededRandom(1);
  private randomSettings: RandomFaults | undefined;

  add(rule: FaultRule): string {
    validateRule(rule);
    const id = rule.id ?? randomUUID();
    this.rules = this.rules.filter((active) => active.id !== id);
    this.rules.push({
      id,
      rule,
      regex: rule.match?.pathRegex
        ? new RegExp(rule.match.pathRegex)
        : undefined,
      random: seededRandom(rule.seed ?? hashString(id)),
      fired: 0,
    });
    return id;
  }

  remove(id: string): void {
    this.rules = this.rules.filter((active) => active.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): (FaultRule & { id: string; fired: number })[] {
    return this.rules.map((active) => ({
      ...active.rule,
      id: active.id,
      fired: active.fired,
    }));
  }

  setRandom(settings: RandomFaults | undefined): void {
    this.randomSettings = settings;
    this.random = seededRandom(settings?.seed ?? 1);
  }

  /** The first rule that matches and fires, else a random fault, else nothing. */
  pick(candidate: FaultCandidate): InjectedFault | undefined {
    for (const active of this.rules) {
      if (!this.matches(active, candidate)) continue;
      if (active.rule.times !== undefined && active.fired >= active.rule.times)
        continue;
      const probability = active.rule.probability ?? 1;
      if (probability < 1 && active.random() >= probability) continue;
      active.fired++;
      return {
        response: active.rule.respond,
        label: faultKind(active.rule.respond),
      };
    }
    return this.pickRandom(candidate);
  }

  private matches(active: ActiveRule, candidate: FaultCandidate): boolean {
    const match = active.rule.match ?? {};
    if (
      match.method &&
      match.method.toUpperCase() !== candidate.method.toUpperCase()
    )
      return false;
    if (match.service && match.service !== candidate.service) return false;
    if (
      match.tenantId &&
      match.tenantId.toLowerCase() !== candidate.tenantId?.toLowerCase()
    ) {
      return false;
    }
    if (match.pathIncludes && !candidate.path.includes(match.pathIncludes))
      return false;
    if (active.regex && !active.regex.test(candidate.path)) return false;
    if (match.onlyNextLinks && !candidate.isNextLink) return false;
    if (
      match.pageNumber !== undefined &&
      match.pageNumber !== candidate.pageNumber
    )
      return false;
    if (
      match.batchItem !== undefined &&
      match.batchItem !== candidate.batchItem
    )
      return false;
    // An expired page token only makes sense on a request that carries one.
    if (
      active.rule.respond.kind === 'expiredPageToken' &&
      !candidate.isNextLink
    )
      return false;
    return true;
  }

  private pickRandom(candidate: FaultCandidate): InjectedFault | undefined {
    const settings = this.randomSettings;
    if (!settings || (!settings.rate429 && !settings.rate503)) return undefined;
    const services = settings.services ?? GRAPH_SERVICES;
    if (!services.includes(candidate.service)) return undefined;
    const retryAfter = settings.retryAfter === false ? null : 1;
    const draw = this.random();
    if (settings.rate429 && draw < settings.rate429) {
      return { response: { status: 429, retryAfter }, label: 'random429' };
    }
    if (settings.rate503 && draw < (settings.rate429 ?? 0) + settings.rate503) {
      return { response: { status: 503, retryAfter }, label: 'random503' };
    }
    return undefined;
  }
}

/** Retry-After of an injected error: the rule's, else 1 s on 429 and none otherwise; null = none. */
export function retryAfterFor(response: ErrorFaultResponse): number | null {
  if (response.retryAfter !== undefined) return response.retryAfter;
  return response.status === 429 ? 1 : null;
}

/** The Graph error an injected error fault answers with (a bare 429 is the documented throttling body). */
export function graphErrorFor(response: ErrorFaultResponse): GraphHttpError {
  const retryAfter = retryAfterFor(response);
  const defaults = defaultErrorFor(response.status);
  const error =
    response.status === 429 && !response.code && !response.message
      ? throttledError(retryAfter)
      : new GraphHttpError(
          response.status,
          response.code ?? defaults.code,
          response.message ?? defaults.message,
          retryAfter === null ? {} : { 'Retry-After': String(retryAfter) },
        );
  Object.assign(error.headers, response.headers ?? {});
  return error;
}

/** Default error code and message for an injected status (graph-api.md §5, §6). */
export function defaultErrorFor(status: number): {
  code: string;
  message: string;
} {
  switch (status) {
    case 400:
      return { code: 'BadRequest', message: 'Bad request.' };
    case 401:
      return {
        code: 'InvalidAuthenticationToken',
        message: 'Access token validation failure.',
      };
    case 403:
      return {
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      };
    case 404:
      return {
        code: 'Request_ResourceNotFound',
        message: 'Resource does not exist.',
      };
    case 429:
      return { code: 'TooManyRequests', message: 'Please retry again later.' };
    case 500:
      return { code: 'UnknownError', message: '' };
    case 502:
      return { code: 'UnknownError', message: 'Bad gateway.' };
    case 503:
      return {
        code: 'serviceNotAvailable',
        message: 'Service unavailable. Please retry later.',
      };
    case 504:
      return { code: 'gatewayTimeout', message: 'Gateway timeout.' };
    default:
      return { code: 'UnknownError', message: `HTTP ${status}` };
  }
}

const KINDS: FaultKind[] = [
  'error',
  'stall',
  'invalidJson',
  'missingValue',
  'loopNextLink',
  'duplicatePage',
  'endWalkEarly',
  'expiredPageToken',
  'resetConnection',
];

/** Rejects malformed rules early (they also arrive as JSON through the admin endpoint). */
export function validateRule(rule: FaultRule): void {
  if (
    !rule ||
    typeof rule !== 'object' ||
    !rule.respond ||
    typeof rule.respond !== 'object'
  ) {
    throw new Error('a fault rule needs a `respond` object');
  }
  const kind = faultKind(rule.respond);
  if (!KINDS.includes(kind)) throw new Error(`unknown fault kind '${kind}'`);
  if (kind === 'error') {
    const status = (rule.respond as ErrorFaultResponse).status;
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new Error('an error fault needs an HTTP `status`');
    }
  }
  if (
    rule.probability !== undefined &&
    !(rule.probability >= 0 && rule.probability <= 1)
  ) {
    throw new Error('`probability` must be between 0 and 1');
  }
  if (rule.match?.pathRegex) new RegExp(rule.match.pathRegex);
}
