/**
 * Reads `summary.json` (what `j1-integration collect` wrote about its steps)
 * into a status per `_type`: which steps declare it, whether it is partial,
 * and whether a step that declares it failed.
 */
import { promises as fs } from 'fs';
import { StepRow, TypeStatus } from './data';

export interface CollectionSummary {
  integrationStepResults: {
    id: string;
    name?: string;
    status: string;
    declaredTypes?: string[];
    partialTypes?: string[];
  }[];
  metadata?: { partialDatasets?: { types?: string[] } };
}

export async function readSummary(
  path: string,
): Promise<CollectionSummary | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const summary = JSON.parse(text) as CollectionSummary;
  if (!Array.isArray(summary?.integrationStepResults)) {
    throw new Error(
      `${path} has no integrationStepResults: it is not a summary.json that j1-integration collect wrote.`,
    );
  }
  return summary;
}

export interface TypeStatuses {
  of(type: string): TypeStatus;
  steps: StepRow[];
  partialTypes: string[];
  declaredTypes: string[];
}

export function typeStatuses(
  summary: CollectionSummary | undefined,
): TypeStatuses {
  if (!summary) {
    return {
      of: () => ({ status: 'no summary', partial: false, steps: [] }),
      steps: [],
      partialTypes: [],
      declaredTypes: [],
    };
  }
  const results = summary.integrationStepResults;
  const partial = new Set(summary.metadata?.partialDatasets?.types ?? []);
  for (const step of results)
    for (const type of step.partialTypes ?? []) partial.add(type);
  const declaring = new Map<string, typeof results>();
  for (const step of results) {
    for (const type of new Set(step.declaredTypes ?? [])) {
      declaring.set(type, [...(declaring.get(type) ?? []), step]);
    }
  }
  return {
    of(type) {
      const steps = declaring.get(type) ?? [];
      const isPartial = partial.has(type);
      let status: string;
      if (!steps.length) status = 'undeclared';
      else if (steps.some((s) => s.status === 'failure')) status = 'failed';
      else if (isPartial) status = 'partial';
      else
        status = steps.find((s) => s.status !== 'success')?.status ?? 'success';
      return { status, partial: isPartial, steps: steps.map((s) => s.id) };
    },
    steps: results.map((s) => ({
      id: s.id,
      name: s.name ?? s.id,
      status: s.status,
      partialTypes: s.partialTypes ?? [],
    })),
    partialTypes: Array.from(partial).sort(),
    declaredTypes: Array.from(declaring.keys()).sort(),
  };
}
