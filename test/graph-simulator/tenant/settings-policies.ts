/**
 * issue 15: settingsCatalog / endpointSecurity. What the beta
 * configurationPolicies routes and their report actions serve, from the
 * same status facts as the other policy sources (policies.ts, source
 * 'settings'): each fact is a device's row, with a "System account" row
 * beside it and verbatim repeats, and rows for devices managedDevices does
 * not list.
 *
 * Report rows (Schema/Values columns as the admin center's requests select
 * them; see test/graph-simulator/settings-policy-routes.ts for the evidence):
 * - getConfigurationPolicyDevicesReport: one row per (device, principal);
 *   `PolicyStatus` is an integer of Graph's complianceStatus enum (0 unknown,
 *   1 notApplicable, 2 compliant, 3 remediated, 4 nonCompliant, 5 error,
 *   6 conflict, 7 notAssigned), as report columns carry enums as codes;
 * - getConfigurationSettingNonComplianceReport: one row per (device,
 *   principal, failing setting) of a row in nonCompliant / error / conflict;
 * - getConfigurationPolicyDeviceSummaryReport: one row of counts per policy,
 *   each managed device once in its worst state (statusOverview).
 */
import { ManagedDevices } from './managed-devices';
import { SettingsPolicyData } from './model';
import {
  Policies,
  StatusFact,
  STATUS_VALUES,
  StatusValue,
  SYSTEM_ACCOUNT,
} from './policies';
import {
  SettingDefinition,
  SettingsPolicyTemplate,
} from './settings-policy-templates';
import { hash, isoTicks, pastMs, Rng, ZERO_GUID } from './random';

type Row = Record<string, string | number | null>;

/**
 * Graph's complianceStatus enum (learn.microsoft.com/graph/api/resources/intune-shared-compliancestatus):
 * STATUS_VALUES is in its order, so a value's code is its index.
 */
const statusCode = (status: StatusValue): number =>
  STATUS_VALUES.indexOf(status);

const FAILING: ReadonlySet<StatusValue> = new Set([
  'nonCompliant',
  'error',
  'conflict',
]);

const POLICY_BASE_TYPE = 'DeviceManagementConfigurationPolicy';

export class SettingsPolicyReports {
  constructor(
    private readonly policies: Policies,
    private readonly devices: ManagedDevices,
  ) {}

  template(index: number): SettingsPolicyTemplate {
    return this.policies.template(index) as SettingsPolicyTemplate;
  }

  /**
   * The settings a row of `fact` (the user's, or the System account's)
   * fails: one or two of the template's, chosen from the device and the
   * principal, so that the two rows of a device may name different ones.
   */
  failingSettings(
    index: number,
    deviceId: string,
    principal: 'user' | 'system',
  ): SettingDefinition[] {
    const defs = this.template(index).definitions;
    const h = hash(
      index,
      parseInt(deviceId.slice(0, 8), 16),
      principal === 'user' ? 1 : 2,
    );
    const first = defs[h % defs.length];
    if (defs.length < 2 || h % 3 !== 0) return [first];
    return [first, defs[(h + 1) % defs.length]];
  }

  /** Every (principal row) of every fact, with the device label it names. */
  private *rowsOfFacts(index: number): Generator<{
    fact: StatusFact;
    status: StatusValue;
    principal: 'user' | 'system';
    repeat: boolean;
  }> {
    for (const fact of this.policies.statusFacts(index)) {
      const system = fact.systemAccount
        ? {
            fact,
            status: fact.systemAccount,
            principal: 'system' as const,
            repeat: false,
          }
        : undefined;
      if (system && fact.systemAccountFirst) yield system;
      yield { fact, status: fact.status, principal: 'user', repeat: false };
      if (fact.repeated)
        yield { fact, status: fact.status, principal: 'user', repeat: true };
      if (system && !fact.systemAccountFirst) yield system;
    }
  }

  private labelOf(fact: StatusFact) {
    return fact.device >= 0
      ? this.devices.label(fact.device)
      : this.devices.staleLabel(-1 - fact.device);
  }

  deviceRows(index: number): Row[] {
    const policyId = this.policies.id(index);
    const policyName = this.policies.object(index).name as string;
    const rows: Row[] = [];
    for (const { fact, status, principal } of this.rowsOfFacts(index)) {
      const device = this.labelOf(fact);
      const rng = new Rng(
        hash(
          parseInt(policyId.slice(0, 8), 16),
          parseInt(device.id.slice(0, 8), 16),
          principal === 'user' ? 1 : 2,
        ),
      );
      const user = principal === 'user';
      rows.push({
        DeviceName: device.deviceName,
        UPN: user ? device.userPrincipalName : '',
        ReportStatus: 0,
        AssignmentFilterIds: '',
        PspdpuLastModifiedTimeUtc: isoTicks(pastMs(rng, 0, 20), rng),
        IntuneDeviceId: device.id,
        UnifiedPolicyPlatformType: 0,
        UserId: user ? device.userId || ZERO_GUID : ZERO_GUID,
        UserName: user ? device.userDisplayName : SYSTEM_ACCOUNT,
        PolicyStatus: statusCode(status),
        PolicyBaseTypeName: POLICY_BASE_TYPE,
        PolicyId: policyId,
        PolicyName: policyName,
      });
    }
    return rows;
  }

  settingRows(index: number): Row[] {
    const policyId = this.policies.id(index);
    const policyName = this.policies.object(index).name as string;
    const rows: Row[] = [];
    for (const { fact, status, principal, repeat } of this.rowsOfFacts(index)) {
      if (repeat || !FAILING.has(status)) continue;
      const device = this.labelOf(fact);
      const user = principal === 'user';
      for (const setting of this.failingSettings(index, device.id, principal)) {
        rows.push({
          PolicyId: policyId,
          PolicyName: policyName,
          DeviceId: device.id,
          DeviceName: device.deviceName,
          UserId: user ? device.userId || ZERO_GUID : ZERO_GUID,
          UPN: user ? device.userPrincipalName : '',
          SettingId: setting.id,
          SettingInstancePath: setting.id,
          SettingStatus: statusCode(status),
          ErrorType: status === 'error' ? 1 : 0,
          ErrorCode: status === 'error' ? -2016281112 : 0,
          ErrorMessage: status === 'error' ? 'Remediation failed' : '',
          SettingName: setting.name,
        });
      }
    }
    return rows;
  }

  summaryRow(index: number): Row {
    const counts = this.policies.statusOverview(index);
    const t = this.template(index);
    return {
      PolicyId: this.policies.id(index),
      PolicyName: this.policies.object(index).name as string,
      PolicyBaseTypeName: POLICY_BASE_TYPE,
      UnifiedPolicyType: t.templateFamily,
      NumberOfCompliantDevices: counts.compliant + counts.remediated,
      NumberOfNonCompliantDevices: counts.nonCompliant,
      NumberOfErrorDevices: counts.error,
      NumberOfConflictDevices: counts.conflict,
      NumberOfNotApplicableDevices: counts.notApplicable,
      NumberOfInProgressDevices: counts.unknown,
    };
  }

  /** The routes' view. */
  data(): SettingsPolicyData {
    const at = (policyId: string) => this.policies.indexOf(policyId);
    return {
      collection: this.policies.collection,
      assignments: (policyId) => {
        const index = at(policyId);
        // deviceManagementConfigurationPolicyAssignment: id, target, source, sourceId
        return index < 0
          ? undefined
          : this.policies.assignments(index).map((item) => ({
              ...item,
              source: 'direct',
              sourceId: policyId,
            }));
      },
      deviceRows: (policyId) => {
        const index = at(policyId);
        return index < 0 ? undefined : this.deviceRows(index);
      },
      settingRows: (policyId) => {
        const index = at(policyId);
        return index < 0 ? undefined : this.settingRows(index);
      },
      summaryRow: (policyId) => {
        const index = at(policyId);
        return index < 0 ? undefined : this.summaryRow(index);
      },
    };
  }
}
