/**
 * The one Microsoft Graph client of the integration, and the one door the
 * domain clients (directory.ts, intune-*.ts, compliance.ts...) use. Steps ask
 * those for objects; nothing above this layer knows URLs, paging, retries,
 * throttling or error mapping.
 *
 * Each concern lives in its own module; this facade only wires them:
 *   transport.ts  one request: budget, retries, error mapping
 *   paging.ts     @odata.nextLink walks
 *   batch.ts      JSON $batch of up to 20 GETs
 *   fan-out.ts    many requests or walks at a bounded concurrency
 *   reports.ts    report actions (Schema / Values, top / skip)
 */
import { IntegrationLogger } from '@jupiterone/integration-sdk-core';
import { batchGet, GraphAnswer } from './batch';
import { tokenError } from './errors';
import {
  CollectionWalkOptions,
  FanOutOptions,
  FanOutRun,
  forEachCollection,
  forEachRequest,
} from './fan-out';
import { IterateOptions, iteratePages } from './paging';
import { decodeGrantedRoles } from './permissions';
import {
  forEachReportPage,
  postReport,
  ReportPageOptions,
  ReportRow,
  ReportWalk,
} from './reports';
import { GraphService } from './services';
import { BudgetStats } from './throttle';
import { GraphClientOptions, GraphRequest, GraphTransport } from './transport';

export type { ApiVersion, GraphClientOptions, GraphRequest } from './transport';
export { splitGraphUrl } from './transport';
export type { GraphCollectionPage, IterateOptions } from './paging';
export type {
  CollectionWalkOptions,
  FanOutOptions,
  FanOutRun,
} from './fan-out';
export type { GraphAnswer } from './batch';

export interface ClientStats {
  services: Record<GraphService, BudgetStats>;
  retries: Record<'throttled' | 'transient' | 'expiredToken', number>;
  pages: number;
}

export class GraphClient {
  private readonly transport: GraphTransport;
  private roles: Promise<string[] | undefined> | undefined;

  constructor(private readonly options: GraphClientOptions) {
    this.transport = new GraphTransport(options);
  }

  setLogger(logger: IntegrationLogger): void {
    this.options.logger = logger;
  }

  /** The step's logger, for the one line a domain client logs (issue 15: policy-assignments.ts). */
  get logger(): IntegrationLogger | undefined {
    return this.options.logger;
  }

  get graphEndpoint(): string {
    return this.transport.graphEndpoint;
  }

  /**
   * The application permissions granted to the app in this tenant, from the
   * access token; undefined if the token cannot be read (then rely on 403s).
   */
  grantedRoles(): Promise<string[] | undefined> {
    // A token's roles are fixed when it is issued; one read per execution.
    this.roles ??= this.readGrantedRoles();
    return this.roles;
  }

  private async readGrantedRoles(): Promise<string[] | undefined> {
    let token: string | undefined;
    try {
      token = (await this.options.credential.getToken(this.options.cloud.scope))
        ?.token;
    } catch (err) {
      throw tokenError(err, this.transport.auth);
    }
    return token ? decodeGrantedRoles(token) : undefined;
  }

  get<T>(request: GraphRequest): Promise<T> {
    return this.transport.send<T>('GET', this.urlOf(request), {
      headers: request.headers,
    });
  }

  /** A plain JSON POST (export job creation); its JSON answer. */
  post<T>(request: GraphRequest, body: unknown): Promise<T> {
    return this.transport.send<T>('POST', this.urlOf(request), {
      headers: request.headers,
      body,
    });
  }

  /** POSTs a report action and returns its parsed JSON body (reports.ts). */
  postReport<T>(request: GraphRequest, body: unknown): Promise<T> {
    return postReport<T>(this.transport, request, body);
  }

  /** Every row of a report action, page by page (reports.ts). */
  forEachReportPage(
    request: GraphRequest,
    body: Record<string, unknown>,
    onRows: (rows: ReportRow[]) => Promise<void> | void,
    options: ReportPageOptions,
  ): Promise<ReportWalk> {
    return forEachReportPage(this.transport, request, body, onRows, options);
  }

  /** Pages of a collection (paging.ts). */
  iteratePages<T extends { id?: string }>(
    request: GraphRequest,
    options?: IterateOptions,
  ): AsyncGenerator<T[]> {
    return iteratePages<T>(this.transport, request, options);
  }

  async *iterate<T extends { id?: string }>(
    request: GraphRequest,
    options?: IterateOptions,
  ): AsyncGenerator<T> {
    for await (const page of this.iteratePages<T>(request, options)) {
      for (const item of page) yield item;
    }
  }

  /** Many collections walked concurrently (fan-out.ts). */
  forEachCollection<T extends { id?: string }>(
    collections: Iterable<{ key: string; request: GraphRequest }>,
    onPage: (key: string, page: T[]) => Promise<void> | void,
    options: CollectionWalkOptions = {},
  ): Promise<void> {
    return forEachCollection<T>(this.transport, collections, onPage, options);
  }

  /** Many GETs, each answer (body or Graph error) handed to `onAnswer` (fan-out.ts). */
  forEachRequest<
    T,
    K extends { request: GraphRequest } = {
      key: string;
      request: GraphRequest;
    },
  >(
    items: Iterable<K>,
    onAnswer: (
      item: K,
      answer: GraphAnswer<T>,
      run: FanOutRun,
    ) => Promise<void>,
    options: FanOutOptions = {},
  ): Promise<void> {
    return forEachRequest<T, K>(this.transport, items, onAnswer, options);
  }

  /** Up to 20 GETs of one API version in one `$batch` POST (batch.ts). */
  batchGet<T>(requests: GraphRequest[]): Promise<GraphAnswer<T>[]> {
    return batchGet<T>(this.transport, requests);
  }

  stats(): ClientStats {
    const { throttled, transient, expiredToken, pages } =
      this.transport.counters;
    return {
      services: Object.fromEntries(
        Object.entries(this.transport.budgets).map(([service, budget]) => [
          service,
          { ...budget.stats },
        ]),
      ) as Record<GraphService, BudgetStats>,
      retries: { throttled, transient, expiredToken },
      pages,
    };
  }

  urlOf(request: GraphRequest): string {
    return this.transport.urlOf(request);
  }
}

export type { ReportPageOptions, ReportRow, ReportWalk } from './reports';
