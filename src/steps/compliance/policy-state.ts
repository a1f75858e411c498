/**
 * What the compliance routine (index.ts) holds per policy while it reads
 * the policy's statuses, and the policy list it starts from.
 */
import {
  IntunePolicy,
  PolicyDeviceStatus,
  PolicySource,
} from '../../graph/compliance';
import { IntegrationStepContext } from '../../config';
import { isIntuneNotApplicable } from '../../graph/errors';
import { Steps } from '../constants';
import { handOverAssignments } from './assignments';
import { PolicySummary, PolicyTally, summarizePolicy } from './converters';

export interface PolicyState {
  policy: IntunePolicy;
  summary: PolicySummary;
  tally: PolicyTally;
  /**
   * The row that decides each device so far: every row of a policy is read
   * before any of its relationships is written, since the deciding row may
   * come last.
   */
  deciding?: Map<number, PolicyDeviceStatus>;
  /**
   * issue 15: the list's devices that are not managed devices of this
   * collection (with a state other than notAssigned), lower-cased, while the
   * policy is read; then their number. With the ASSIGNED host agents they
   * are the devices the list holds, which the cross-check compares with the
   * policy's overview: a list is judged by what it holds, not by how much of
   * it matched the devices step.
   */
  unknownListed?: Set<string>;
  listedUnknown: number;
}

/** Every policy of the source by id (a policy Graph lists twice is kept once). */
export async function readPolicies(
  source: PolicySource,
  pages: () => AsyncGenerator<IntunePolicy[]>,
): Promise<Map<string, PolicyState>> {
  const policies = new Map<string, PolicyState>();
  for await (const page of pages()) {
    for (const policy of page) {
      if (!policy?.id || policies.has(policy.id)) continue;
      policies.set(policy.id, {
        policy,
        summary: summarizePolicy(source, policy),
        tally: { assignedDevices: 0, findings: 0 },
        listedUnknown: 0,
      });
    }
  }
  return policies;
}

/** What one policy step reads and how it speaks of it (index.ts). */
export interface PolicyStepSpec {
  source: PolicySource;
  step:
    | typeof Steps.COMPLIANCE_POLICIES
    | typeof Steps.DEVICE_CONFIGURATIONS
    // issue 15
    | typeof Steps.ADMINISTRATIVE_TEMPLATES
    | typeof Steps.SETTINGS_COMPLIANCE_POLICIES;
  /** Plural and singular nouns for log lines. */
  label: string;
  singular: string;
  /**
   * issue 15: a family the tenant's licence may lack. Its list answering
   * "Request not applicable to target tenant." skips the family (info log,
   * no entities) rather than failing the step.
   */
  licence?: string;
}

/**
 * The step's policies (readPolicies). issue 15: for a family the tenant's
 * licence may lack (`spec.licence`), Graph's "Request not applicable to
 * target tenant." on the list skips the family: info log, no entities, no
 * assignments handed over, and undefined. Any other error rejects.
 */
export async function readPoliciesOfStep(
  context: IntegrationStepContext,
  spec: PolicyStepSpec,
  pages: () => AsyncGenerator<IntunePolicy[]>,
): Promise<Map<string, PolicyState> | undefined> {
  try {
    return await readPolicies(spec.source, pages);
  } catch (err) {
    if (!spec.licence || !isIntuneNotApplicable(err)) throw err;
  }
  context.logger.info(
    { policyFamily: spec.source },
    `${spec.step.name}: Microsoft Graph answered "Request not applicable to target tenant." for ${spec.label}: the tenant's licence lacks ${spec.licence}, so this family is skipped.`,
  );
  await handOverAssignments(context, spec.step.name, spec.source, []);
  return undefined;
}
