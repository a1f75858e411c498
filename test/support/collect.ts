/**
 * Runs the whole integration in-process through the SDK runtime, the way
 * `j1-integration collect` does (validateInvocation, getStepStartStates,
 * concurrent steps, FileSystemGraphObjectStore, summary.json), against the
 * Graph simulator, and returns what it wrote plus every log record.
 */
import {
  Entity,
  IntegrationInvocationConfig,
  Relationship,
} from '@jupiterone/integration-sdk-core';
import {
  executeIntegrationInstance,
  IntegrationLogger,
} from '@jupiterone/integration-sdk-runtime';
import { promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { IntegrationConfig, SharedGraphClient } from '../../src/config';
import { GraphClientOptions } from '../../src/graph/client';
import { invocationConfig } from '../../src/index';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const bunyan = require('bunyan');

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface CollectionResult {
  summary: {
    integrationStepResults: {
      id: string;
      status: string;
      partialTypes: string[];
      declaredTypes: string[];
    }[];
    metadata: { partialDatasets: { types: string[] } };
  };
  entities: Entity[];
  relationships: Relationship[];
  logs: LogRecord[];
  /** Every log record and every file under the storage folder, as text, for secret scans. */
  allText(): Promise<string>;
  stepStatus(stepId: string): string | undefined;
  storageDirectory: string;
  error?: Error;
}

/** Test defaults: retries wait milliseconds, not seconds. */
export const FAST_RETRIES: Partial<GraphClientOptions> = {
  retry: { baseDelayMs: 5, maxDelayMs: 50, throttledGiveUpMs: 2_000 },
  requestTimeoutMs: 10_000,
};

export function captureLogger(records: LogRecord[]): IntegrationLogger {
  const logger = bunyan.createLogger({
    name: 'test',
    level: 'trace',
    streams: [
      {
        type: 'raw',
        level: 'trace',
        stream: { write: (record: LogRecord) => records.push(record) },
      },
    ],
    serializers: { err: bunyan.stdSerializers.err },
  });
  return new IntegrationLogger({ logger, errorSet: new Set() });
}

export async function runCollection(
  config: IntegrationConfig,
  options: {
    client?: Partial<GraphClientOptions>;
    invocation?: Partial<IntegrationInvocationConfig<IntegrationConfig>>;
  } = {},
): Promise<CollectionResult> {
  const storageDirectory = await fs.mkdtemp(join(tmpdir(), 'm365-collect-'));
  const previous = process.env.JUPITERONE_INTEGRATION_STORAGE_DIRECTORY;
  process.env.JUPITERONE_INTEGRATION_STORAGE_DIRECTORY = storageDirectory;
  const logs: LogRecord[] = [];
  const clientOptions = { ...FAST_RETRIES, ...options.client };
  const invocation: IntegrationInvocationConfig<IntegrationConfig> = {
    ...invocationConfig,
    loadExecutionConfig: ({ config: c }) => ({
      graph: new SharedGraphClient(c as IntegrationConfig, clientOptions),
    }),
    ...options.invocation,
  };
  let error: Error | undefined;
  try {
    await executeIntegrationInstance(
      captureLogger(logs),
      {
        id: 'test-instance',
        name: 'test',
        accountId: 'test-account',
        integrationDefinitionId: 'microsoft-365',
        description: 'test',
        config,
      },
      invocation,
      { current: { startedOn: Date.now() } },
      { enableSchemaValidation: true },
    );
  } catch (err) {
    error = err as Error;
  } finally {
    if (previous === undefined) {
      delete process.env.JUPITERONE_INTEGRATION_STORAGE_DIRECTORY;
    } else {
      process.env.JUPITERONE_INTEGRATION_STORAGE_DIRECTORY = previous;
    }
  }
  const summary = await readJson(join(storageDirectory, 'summary.json'));
  const { entities, relationships } = await readGraph(storageDirectory);
  return {
    summary,
    entities,
    relationships,
    logs,
    error,
    storageDirectory,
    stepStatus: (stepId) =>
      summary?.integrationStepResults.find(
        (r: { id: string }) => r.id === stepId,
      )?.status,
    allText: async () =>
      [JSON.stringify(logs), await readAllFiles(storageDirectory)].join('\n'),
  };
}

async function readJson(path: string) {
  try {
    return JSON.parse(await fs.readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

async function readGraph(storageDirectory: string) {
  const entities: Entity[] = [];
  const relationships: Relationship[] = [];
  for (const file of await listFiles(join(storageDirectory, 'graph'))) {
    const body = await readJson(file);
    if (body?.entities) entities.push(...body.entities);
    if (body?.relationships) relationships.push(...body.relationships);
  }
  return { entities, relationships };
}

async function readAllFiles(dir: string): Promise<string> {
  const texts = [];
  for (const file of await listFiles(dir)) {
    texts.push(await fs.readFile(file, 'utf8'));
  }
  return texts.join('\n');
}

export function countBy<T>(items: T[], key: (item: T) => string) {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** Invocation overrides that run only the given steps (every other one disabled). */
export function onlySteps(
  stepIds: readonly string[],
): Partial<IntegrationInvocationConfig<IntegrationConfig>> {
  return {
    getStepStartStates: () =>
      Object.fromEntries(
        invocationConfig.integrationSteps.map((step) => [
          step.id,
          { disabled: !stepIds.includes(step.id) },
        ]),
      ),
  };
}
