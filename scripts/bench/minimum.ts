/**
 * The throttle-bound minimum of a tenant: how long Microsoft's documented
 * per-service limits (graph-api.md §6) let the fewest requests a correct
 * client needs take. Fewest requests = maximum page sizes, one list per
 * parent object, the detected apps by their export job (the detectedApps
 * listing, one job created and polled once: the route tried first), and every
 * `$batch` item counted as Graph counts it (batching saves round trips, not
 * quota). Services are throttled independently, so the minimum is the
 * slowest service: a bucket of `limit` units that refills at limit/window,
 * i.e. max(0, units - limit) / (limit / window).
 *
 * This does not look at what the integration does; it is computed from the
 * tenant alone.
 */
import {
  GraphObject,
  TenantData,
} from '../../test/graph-simulator/tenant/model';

const DIRECTORY_PAGE = 999;
/** Graph's page size with `$expand` on directory lists, and the items it expands (known issue 13635). */
const EXPAND_PAGE = 100;
const EXPANDED_ITEMS = 20;
const SIGN_IN_ACTIVITY_PAGE = 120;
const INTUNE_PAGE = 1000; // the simulator's intunePageSize (Intune's real maximum is UNCONFIRMED)
const REPORT_PAGE = 1000; // the simulator's reportMaxTop
// issue 16: the simulator's registrationDetailsPageSize and identityPageSize (both UNCONFIRMED)
const REGISTRATION_PAGE = 1000;
const IDENTITY_PAGE = 100;

interface ServiceMinimum {
  units: number;
  limit: number;
  windowSeconds: number;
  seconds: number;
  detail: Record<string, number>;
}

export interface ThrottleBoundMinimum {
  seconds: number;
  bindingService: string;
  services: Record<string, ServiceMinimum>;
}

const pages = (items: number, pageSize: number) =>
  Math.max(1, Math.ceil(items / pageSize));

function service(
  detail: Record<string, number>,
  documentedLimit: number,
  windowSeconds: number,
  grant: number,
): ServiceMinimum {
  const limit = documentedLimit * grant;
  const units = Object.values(detail).reduce((a, b) => a + b, 0);
  return {
    units,
    limit,
    windowSeconds,
    seconds: Math.max(0, units - limit) / (limit / windowSeconds),
    detail,
  };
}

/**
 * App registrations and service principals (issue 17): each list once with
 * owners expanded (pages of 100; /applications costs 2 units a page), the
 * applications' federated credentials once more, owners in full only where
 * the expansion may be cut short, one appRoleAssignedTo per resource that
 * defines app roles for applications, and the grants once.
 */
function applicationUnits(tenant: TenantData): Record<string, number> {
  const servicePrincipals = tenant.servicePrincipalList;
  const applications = tenant.applications;
  let ownerLists = 0;
  let assignmentPages = 0;
  for (let i = 0; i < servicePrincipals.count; i++) {
    const sp = servicePrincipals.get(i);
    const owners = tenant.ownerIds(String(sp.id))?.length ?? 0;
    if (owners >= EXPANDED_ITEMS) ownerLists += pages(owners, DIRECTORY_PAGE);
    const resource = (sp.appRoles as GraphObject[]).some((role) =>
      (role.allowedMemberTypes as string[]).includes('Application'),
    );
    if (resource) {
      assignmentPages += pages(
        tenant.appRoleAssignedTo(String(sp.id))?.length ?? 0,
        DIRECTORY_PAGE,
      );
    }
  }
  for (let i = 0; i < applications.count; i++) {
    const owners = tenant.ownerIds(String(applications.get(i).id))?.length ?? 0;
    if (owners >= EXPANDED_ITEMS) ownerLists += pages(owners, DIRECTORY_PAGE);
  }
  return {
    servicePrincipals: pages(servicePrincipals.count, EXPAND_PAGE),
    applications: pages(applications.count, EXPAND_PAGE) * 2,
    federatedCredentials: pages(applications.count, EXPAND_PAGE) * 2,
    ownerLists,
    appRoleAssignedTo: assignmentPages,
    oauth2PermissionGrants: pages(
      tenant.oauth2PermissionGrants.count,
      DIRECTORY_PAGE,
    ),
  };
}

/**
 * @param grant the share of the documented limits Graph grants (issue 20):
 *   the minimum of a tenant whose Graph grants a fifth is that of limits a
 *   fifth as large.
 */
export function throttleBoundMinimum(
  tenant: TenantData,
  grant = 1,
): ThrottleBoundMinimum {
  const roles = Array.from(tenant.servicePrincipals.values())[0]?.roles ?? [];
  const signInActivity = tenant.premium && roles.includes('AuditLog.Read.All');
  const users = tenant.users.count;
  const groups = tenant.groups.count;
  let memberPages = 0;
  for (let g = 0; g < groups; g++) {
    const id = String(tenant.groups.get(g).id);
    memberPages += pages(
      tenant.groupMemberIds(id)?.length ?? 0,
      DIRECTORY_PAGE,
    );
  }
  // Resource units: users 2, members 3, applications 2, others 1; $select -1,
  // $expand +1; floor 1.
  const directoryLimit = users < 50 ? 3500 : users <= 500 ? 5000 : 8000;
  const directory = service(
    {
      organization: 1,
      users:
        pages(users, signInActivity ? SIGN_IN_ACTIVITY_PAGE : DIRECTORY_PAGE) *
        1,
      groups: pages(groups, DIRECTORY_PAGE) * 1,
      groupMembers: memberPages * 2,
      ...applicationUnits(tenant),
      // issue 16: role definitions (one page), assignments and PIM with $expand (1 + 1),
      // and the three tenant policies.
      roleDefinitions: tenant.roleDefinitions.length ? 1 : 0,
      roleAssignments: pages(tenant.roleAssignments.length, IDENTITY_PAGE) * 2,
      pim: tenant.premiumP2
        ? (pages(tenant.roleAssignmentScheduleInstances.length, IDENTITY_PAGE) +
            pages(tenant.roleEligibilityScheduleInstances.length, IDENTITY_PAGE)) *
          2
        : 1,
      tenantPolicies: 3,
    },
    directoryLimit,
    10,
    grant,
  );
  const result: Record<string, ServiceMinimum> = { directory };

  // issue 16: the registration report (5 per 10 s) and Conditional Access (1 per s).
  if (tenant.premium) {
    result.identityReports = service(
      { userRegistrationDetails: pages(tenant.userRegistrationDetails.count, REGISTRATION_PAGE) },
      5,
      10,
      grant,
    );
    result.conditionalAccess = service(
      {
        namedLocations: pages(tenant.namedLocations.length, IDENTITY_PAGE),
        policies: pages(tenant.conditionalAccessPolicies.length, IDENTITY_PAGE),
      },
      1,
      1,
      grant,
    );
  }

  if (tenant.intune) {
    const devices = tenant.managedDevices.count;
    // The export route: the listing (it names the entities) and one
    // AppInvRawData job (created, then polled at least once), whatever the
    // fleet size; the download goes to the blob host, outside Graph's budgets.
    result.intuneDevices = service(
      {
        managedDevices: pages(devices, INTUNE_PAGE),
        detectedAppsListing: pages(tenant.detectedApps.count, INTUNE_PAGE),
      },
      2000,
      20,
      grant,
    );

    let statusPages = 0;
    for (const [source, collection] of [
      ['compliance', tenant.compliancePolicies],
      ['configuration', tenant.deviceConfigurations],
    ] as const) {
      for (let p = 0; p < collection.count; p++) {
        const id = String(collection.get(p).id);
        statusPages += pages(
          tenant.deviceStatuses(source, id)?.length ?? 0,
          INTUNE_PAGE,
        );
      }
    }
    // issue 15: per settings policy, its device report, its summary, and
    // the setting report when a setting fails (/deviceManagement/reports actions
    // that costOf charges to the configuration budget).
    const settings = tenant.settingsPolicies;
    let settingsDevicePages = 0;
    let settingsSettingPages = 0;
    for (let p = 0; p < (settings?.collection.count ?? 0); p++) {
      const id = String(settings!.collection.get(p).id);
      settingsDevicePages += pages(settings!.deviceRows(id)?.length ?? 0, REPORT_PAGE);
      const failing = settings!.settingRows(id)?.length ?? 0;
      if (failing) settingsSettingPages += pages(failing, REPORT_PAGE);
    }

    result.intuneConfiguration = service(
      {
        deviceManagement: 2,
        policies: pages(tenant.compliancePolicies.count, INTUNE_PAGE),
        configurations: pages(tenant.deviceConfigurations.count, INTUNE_PAGE),
        deviceStatuses: statusPages,
        // issue 15: settingsCatalog / endpointSecurity
        settingsPolicies: pages(tenant.settingsPolicies?.collection.count ?? 0, INTUNE_PAGE),
        settingsPolicyDeviceReports: settingsDevicePages,
        settingsPolicySummaries: settings?.collection.count ?? 0,
        settingsPolicySettingReports: settingsSettingPages,
      },
      1000,
      20,
      grant,
    );

    let reportPages = 0;
    // Every app of the catalog is read, and its report asked for (issue 14 §1).
    for (let m = 0; m < tenant.mobileApps.count; m++) {
      const app = tenant.mobileApps.get(m);
      reportPages += pages(tenant.installStatusRows(String(app.id)).length, REPORT_PAGE);
    }
    result.intuneApps = service(
      {
        mobileApps: pages(tenant.mobileApps.count, INTUNE_PAGE),
        installStatusReports: reportPages,
        detectedAppsExportJob: 2,
      },
      1000,
      20,
      grant,
    );
  }

  const [bindingService, binding] = Object.entries(result).sort(
    (a, b) => b[1].seconds - a[1].seconds,
  )[0];
  return { seconds: binding.seconds, bindingService, services: result };
}
