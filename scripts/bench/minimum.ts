/**
 * The throttle-bound minimum of a tenant: how long Microsoft's documented
 * per-service limits (graph-api.md §6) let the fewest requests a correct
 * client needs take. Fewest requests = maximum page sizes, one list per
 * parent object, the cheaper of the two detected-app routes, and every
 * `$batch` item counted as Graph counts it (batching saves round trips, not
 * quota). Services are throttled independently, so the minimum is the
 * slowest service: a bucket of `limit` units that refills at limit/window,
 * i.e. max(0, units - limit) / (limit / window).
 *
 * This does not look at what the integration does; it is computed from the
 * tenant alone.
 */
import { GraphObject, TenantData } from '../../test/graph-simulator/tenant/model';

const DIRECTORY_PAGE = 999;
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
  limit: number,
  windowSeconds: number,
): ServiceMinimum {
  const units = Object.values(detail).reduce((a, b) => a + b, 0);
  return {
    units,
    limit,
    windowSeconds,
    seconds: Math.max(0, units - limit) / (limit / windowSeconds),
    detail,
  };
}

function isManagedApplication(app: GraphObject): boolean {
  const type = String(app['@odata.type'] ?? '');
  return (
    app.isAssigned === true ||
    /LobApp$/i.test(type) ||
    app.appAvailability === 'lineOfBusiness'
  );
}

export function throttleBoundMinimum(tenant: TenantData): ThrottleBoundMinimum {
  const roles = Array.from(tenant.servicePrincipals.values())[0]?.roles ?? [];
  const signInActivity = tenant.premium && roles.includes('AuditLog.Read.All');
  const users = tenant.users.count;
  const groups = tenant.groups.count;
  let memberPages = 0;
  for (let g = 0; g < groups; g++) {
    const id = String(tenant.groups.get(g).id);
    memberPages += pages(tenant.groupMemberIds(id)?.length ?? 0, DIRECTORY_PAGE);
  }
  // Resource units: users 2, members 3, others 1; $select -1; floor 1.
  const directoryLimit = users < 50 ? 3500 : users <= 500 ? 5000 : 8000;
  const directory = service(
    {
      organization: 1,
      users: pages(users, signInActivity ? SIGN_IN_ACTIVITY_PAGE : DIRECTORY_PAGE) * 1,
      groups: pages(groups, DIRECTORY_PAGE) * 1,
      groupMembers: memberPages * 2,
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
  );
  const result: Record<string, ServiceMinimum> = { directory };

  // issue 16: the registration report (5 per 10 s) and Conditional Access (1 per s).
  if (tenant.premium) {
    result.identityReports = service(
      { userRegistrationDetails: pages(tenant.userRegistrationDetails.count, REGISTRATION_PAGE) },
      5,
      10,
    );
    result.conditionalAccess = service(
      {
        namedLocations: pages(tenant.namedLocations.length, IDENTITY_PAGE),
        policies: pages(tenant.conditionalAccessPolicies.length, IDENTITY_PAGE),
      },
      1,
      1,
    );
  }

  if (tenant.intune) {
    const devices = tenant.managedDevices.count;
    let perAppRoute = pages(tenant.detectedApps.count, INTUNE_PAGE);
    for (let a = 0; a < tenant.detectedApps.count; a++) {
      const id = String(tenant.detectedApps.get(a).id);
      perAppRoute += pages(tenant.deviceIdsOfDetectedApp(id)?.length ?? 0, INTUNE_PAGE);
    }
    result.intuneDevices = service(
      {
        managedDevices: pages(devices, INTUNE_PAGE),
        detectedApps: Math.min(devices, perAppRoute),
      },
      2000,
      20,
    );

    let statusPages = 0;
    for (const [source, collection] of [
      ['compliance', tenant.compliancePolicies],
      ['configuration', tenant.deviceConfigurations],
    ] as const) {
      for (let p = 0; p < collection.count; p++) {
        const id = String(collection.get(p).id);
        statusPages += pages(tenant.deviceStatuses(source, id)?.length ?? 0, INTUNE_PAGE);
      }
    }
    result.intuneConfiguration = service(
      {
        deviceManagement: 2,
        policies: pages(tenant.compliancePolicies.count, INTUNE_PAGE),
        configurations: pages(tenant.deviceConfigurations.count, INTUNE_PAGE),
        deviceStatuses: statusPages,
      },
      1000,
      20,
    );

    let reportPages = 0;
    for (let m = 0; m < tenant.mobileApps.count; m++) {
      const app = tenant.mobileApps.get(m);
      if (!isManagedApplication(app)) continue;
      reportPages += pages(tenant.installStatusRows(String(app.id)).length, REPORT_PAGE);
    }
    result.intuneApps = service(
      {
        mobileApps: pages(tenant.mobileApps.count, INTUNE_PAGE),
        installStatusReports: reportPages,
      },
      1000,
      20,
    );
  }

  const [bindingService, binding] = Object.entries(result).sort(
    (a, b) => b[1].seconds - a[1].seconds,
  )[0];
  return { seconds: binding.seconds, bindingService, services: result };
}
