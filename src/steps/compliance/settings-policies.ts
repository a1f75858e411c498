/**
 * issue 15: settingsCatalog / endpointSecurity. The step that reads beta
 * configurationPolicies (Settings Catalog and endpoint security) through
 * the compliance routine (index.ts): the same policy entities
 * (`intune_device_configuration`, with `policyFamily`), the same ASSIGNED
 * relationships and findings with the same keys, the same assignments and
 * the same cross-check; only where the states come from differs (report
 * actions, src/graph/settings-policies.ts). docs/compliance.md "Policy families".
 */
import { IntegrationStep } from '@jupiterone/integration-sdk-core';
import { IntegrationConfig, IntegrationStepContext } from '../../config';
import { GraphClient } from '../../graph/client';
import { isIntuneNotApplicable } from '../../graph/errors';
import { forEachConcurrently } from '../../graph/fan-out';
import {
  forEachFailedSettingRow,
  forEachPolicyDeviceRow,
  iterateSettingsPolicies,
  readPolicyDeviceSummary,
} from '../../graph/settings-policies';
import {
  allOf,
  Entities,
  IngestionSources,
  Relationships,
  Steps,
} from '../constants';
import { SETTINGS_SUMMARY_CHECK, readPolicyTotals } from './cross-check';
import {
  fetchPoliciesAndFindings,
  PolicyStatusReader,
  PolicyStepSpec,
  STATUS_WALK_CONCURRENCY,
} from './index';
import { PolicyState } from './policy-state';
import {
  addFailedSettings,
  failedSettingProperties,
  toPolicyDeviceStatus,
} from './settings-policy-converters';
import { statusOutcome } from './statuses';

export const SETTINGS_POLICIES_SPEC: PolicyStepSpec = {
  source: 'settingsPolicy',
  step: Steps.SETTINGS_POLICIES,
  label: 'configuration policies',
  singular: 'configuration policy',
};

/** Summary reports read at once: one request each, on the reports budget. */
const SUMMARY_CONCURRENCY = 4;

export const SETTINGS_POLICIES_ABSENT =
  'Microsoft Graph answered "Request not applicable to target tenant." for /deviceManagement/configurationPolicies: the tenant has no Microsoft Intune licence, which Settings Catalog and endpoint security policies need. No such policy is collected.';

/**
 * Reads states from getConfigurationPolicyDevicesReport, counts from
 * getConfigurationPolicyDeviceSummaryReport, and, for a policy with a
 * device in nonCompliant / error / conflict, the settings that fail from
 * getConfigurationSettingNonComplianceReport.
 */
export function settingsPolicyReader(
  client: GraphClient,
  context: IntegrationStepContext,
  options: { top?: number } = {},
): PolicyStatusReader {
  const failedByPolicy = new Map<string, Map<string, Set<string>>>();
  return {
    iteratePolicies: () => iterateSettingsPolicies(client),
    walkStatuses: (policyIds, onPage, walk) =>
      forEachConcurrently(
        policyIds,
        walk.concurrency ?? STATUS_WALK_CONCURRENCY,
        async (policyId) => {
          await forEachPolicyDeviceRow(
            client,
            policyId,
            (rows) =>
              onPage(
                policyId,
                rows.map((row) => toPolicyDeviceStatus(policyId, row)),
              ),
            options,
          );
          await walk.onPolicyDone?.(policyId);
        },
      ),
    readCounts: (policyIds) =>
      readPolicyTotals(
        context.logger,
        SETTINGS_POLICIES_SPEC.step.name,
        'getConfigurationPolicyDeviceSummaryReport',
        policyIds,
        (onTotal) =>
          forEachConcurrently(policyIds, SUMMARY_CONCURRENCY, async (id) => {
            try {
              onTotal(id, await readPolicyDeviceSummary(client, id));
            } catch (err) {
              onTotal(id, undefined, err);
            }
          }),
      ),
    check: {
      count: SETTINGS_SUMMARY_CHECK,
      name: 'getConfigurationPolicyDeviceSummaryReport',
    },
    beforeWrite: async (state) => {
      if (!hasFindings(state)) return;
      const failed = new Map<string, Set<string>>();
      await forEachFailedSettingRow(
        client,
        state.policy.id,
        (rows) => addFailedSettings(failed, rows),
        options,
      );
      failedByPolicy.set(state.policy.id, failed);
    },
    findingProperties: (state, deviceId) => {
      const failed = failedByPolicy.get(state.policy.id);
      return {
        policyFamily: state.summary.family,
        ...failedSettingProperties(failed?.get(deviceId.toLowerCase())),
      };
    },
    familyAbsent: (err) =>
      isIntuneNotApplicable(err) ? SETTINGS_POLICIES_ABSENT : undefined,
  };
}

/** Whether a device's deciding row of this policy leads to a finding: only then are its settings read. */
function hasFindings(state: PolicyState): boolean {
  for (const status of state.deciding?.values() ?? []) {
    if (statusOutcome(status.status).finding) return true;
  }
  return false;
}

export const settingsPolicySteps: IntegrationStep<IntegrationConfig>[] = [
  {
    ...Steps.SETTINGS_POLICIES,
    entities: [Entities.DEVICE_CONFIGURATION, Entities.NONCOMPLIANCE_FINDING],
    relationships: [
      Relationships.HOST_AGENT_ASSIGNED_DEVICE_CONFIGURATION,
      Relationships.DEVICE_CONFIGURATION_IDENTIFIED_FINDING,
      ...allOf(Relationships.DEVICE_HAS_FINDING),
    ],
    dependsOn: [Steps.DEVICES.id],
    ingestionSourceId: IngestionSources.COMPLIANCE,
    executionHandler: (context) =>
      fetchPoliciesAndFindings(context, SETTINGS_POLICIES_SPEC, {}, (client) =>
        settingsPolicyReader(client, context),
      ),
  },
];
