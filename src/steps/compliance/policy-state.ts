/**
 * What the compliance routine (index.ts) holds per policy while it reads
 * the policy's statuses, and the policy list it starts from.
 */
import {
  IntunePolicy,
  PolicyDeviceStatus,
  PolicySource,
} from '../../graph/compliance';
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
