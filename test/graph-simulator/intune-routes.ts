/**
 * Intune endpoints: the deviceManagement singleton, managed devices, detected
 * apps, mobile apps, compliance policies, device configurations and their
 * device statuses (graph-api.md §2.3).
 */
import {
  filtered,
  fromArray,
  fromCollection,
  fromIds,
  ListSource,
  samplesOf,
} from './collections';
import { serializeEntity, serializePage } from './envelope';
import { GraphHttpError, intuneErrorMessage, unknownProperty } from './errors';
import {
  compileFilter,
  FilterPropertyError,
  FilterSyntaxError,
} from './filter';
import {
  GraphCall,
  GraphPayload,
  GraphRoute,
  intuneBackendUrl,
  intunePageSize,
  rejectExpand,
  rejectFilter,
  resolveSelect,
  withSelect,
} from './graph-call';
import { Permissions } from './permissions';
import { expandsAssignments } from './report-policy-routes';
import {
  EntityTypeName,
  forVersion,
  pickProperties,
  pickSelected,
} from './schema';
import { DeviceStatusSource, GraphObject } from './tenant/model';

export const intuneRoutes: GraphRoute[] = [
  {
    method: 'GET',
    path: '/deviceManagement',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneServiceConfig,
    requiresIntune: true,
    handle: getDeviceManagement,
  },
  {
    method: 'GET',
    path: '/deviceManagement/managedDeviceOverview',
    service: 'intuneDevices',
    permissions: Permissions.intuneDevices,
    requiresIntune: true,
    handle: getManagedDeviceOverview,
  },
  {
    method: 'GET',
    path: '/deviceManagement/subscriptionState',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneServiceConfig,
    requiresIntune: true,
    handle: getSubscriptionState,
  },
  {
    method: 'GET',
    path: '/deviceManagement/managedDevices',
    service: 'intuneDevices',
    permissions: Permissions.intuneDevices,
    requiresIntune: true,
    handle: listManagedDevices,
  },
  {
    method: 'GET',
    path: '/deviceManagement/managedDevices/{id}',
    service: 'intuneDevices',
    permissions: Permissions.intuneDevices,
    requiresIntune: true,
    handle: getManagedDevice,
  },
  {
    method: 'GET',
    path: '/deviceManagement/detectedApps',
    service: 'intuneDevices',
    permissions: Permissions.intuneDevices,
    requiresIntune: true,
    handle: (call) =>
      listIntune(call, {
        type: 'detectedApp',
        source: fromCollection(call.tenant.detectedApps),
        contextFragment: 'deviceManagement/detectedApps',
      }),
  },
  {
    method: 'GET',
    path: '/deviceManagement/detectedApps/{id}/managedDevices',
    service: 'intuneDevices',
    permissions: Permissions.intuneDevices,
    requiresIntune: true,
    handle: listDevicesOfDetectedApp,
  },
  {
    method: 'GET',
    path: '/deviceAppManagement/mobileApps',
    service: 'intuneApps',
    permissions: Permissions.intuneApps,
    requiresIntune: true,
    handle: listMobileApps,
  },
  {
    method: 'GET',
    path: '/deviceManagement/deviceCompliancePolicies',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneConfiguration,
    requiresIntune: true,
    handle: (call) => listPolicies(call, 'compliance'),
  },
  {
    method: 'GET',
    path: '/deviceManagement/deviceCompliancePolicies/{id}/deviceStatuses',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneConfiguration,
    requiresIntune: true,
    handle: (call) => listDeviceStatuses(call, 'compliance'),
  },
  {
    method: 'GET',
    path: '/deviceManagement/deviceCompliancePolicies/{id}/deviceStatusOverview',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneConfiguration,
    requiresIntune: true,
    handle: (call) => getStatusOverview(call, 'compliance'),
  },
  {
    method: 'GET',
    path: '/deviceManagement/deviceConfigurations',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneConfiguration,
    requiresIntune: true,
    handle: (call) => listPolicies(call, 'configuration'),
  },
  {
    method: 'GET',
    path: '/deviceManagement/deviceConfigurations/{id}/deviceStatuses',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneConfiguration,
    requiresIntune: true,
    handle: (call) => listDeviceStatuses(call, 'configuration'),
  },
  {
    method: 'GET',
    path: '/deviceManagement/deviceConfigurations/{id}/deviceStatusOverview',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneConfiguration,
    requiresIntune: true,
    handle: (call) => getStatusOverview(call, 'configuration'),
  },
];

/** Intune's 404: its own error document inside `message`, like its 403 (graph-api.md §5). */
function intuneNotFound(call: GraphCall): GraphHttpError {
  return new GraphHttpError(
    404,
    'ResourceNotFound',
    intuneErrorMessage(
      'Resource not found',
      call.requestId,
      intuneBackendUrl(call),
    ),
  );
}

// ---- deviceManagement singleton ----------------------------------------------------------

function deviceManagementObject(call: GraphCall): GraphObject {
  const intune = call.tenant.intune!;
  const accountId = call.behaviour.deviceManagementWithoutAccountId
    ? null
    : intune.intuneAccountId;
  return {
    id: intune.intuneAccountId,
    intuneAccountId: accountId,
    subscriptionState: intune.subscriptionState,
    settings: null,
    intuneBrand: null,
  };
}

/** A singleton: `#deviceManagement(a,b)` without `/$entity` (HAR getStepStartStatesWithIntune). */
function getDeviceManagement(call: GraphCall): GraphPayload {
  rejectExpand(call, 'deviceManagement');
  const object = deviceManagementObject(call);
  const select = resolveSelect(call, 'deviceManagement', () => [object]);
  const entity = select ? pickProperties(object, select) : object;
  return {
    body: serializeEntity(
      call.origin,
      call.version,
      withSelect('deviceManagement', select),
      entity,
    ),
    itemsServed: 1,
  };
}

/**
 * The managed-device summary (learn.microsoft.com/graph/api/resources/
 * intune-devices-manageddeviceoverview): `enrolledDeviceCount` is every
 * managed device the list serves.
 */
function getManagedDeviceOverview(call: GraphCall): GraphPayload {
  const count = call.tenant.managedDevices.count;
  const object: GraphObject = {
    id: 'managedDeviceOverview',
    enrolledDeviceCount: count,
    mdmEnrolledCount: count,
    dualEnrolledDeviceCount: 0,
  };
  const select = call.query.select;
  const entity = select
    ? Object.fromEntries(
        Object.entries(object).filter(([key]) => select.includes(key)),
      )
    : object;
  return {
    body: serializeEntity(
      call.origin,
      call.version,
      select
        ? `deviceManagement/managedDeviceOverview(${select.join(',')})`
        : 'deviceManagement/managedDeviceOverview',
      entity,
    ),
    itemsServed: 1,
  };
}

/** `{"@odata.context":"…#deviceManagement/subscriptionState","value":"active"}` (HAR fetchAccount). */
function getSubscriptionState(call: GraphCall): GraphPayload {
  return {
    body: serializeEntity(
      call.origin,
      call.version,
      'deviceManagement/subscriptionState',
      {
        value: call.tenant.intune!.subscriptionState,
      },
    ),
    itemsServed: 1,
  };
}

// ---- lists ---------------------------------------------------------------------------------------

interface IntuneListOptions {
  type: EntityTypeName;
  source: ListSource;
  contextFragment: string;
  /** Override of the `@odata.count` value (mobileApps with $filter: see listMobileApps). */
  count?: number;
  /** Filtering done by the caller; otherwise $filter is refused. */
  filterApplied?: boolean;
  /** The caller handles `$expand`, and this adds to each item what it expands. */
  expanded?: (item: GraphObject) => GraphObject;
}

/**
 * Beta Intune lists carry `@odata.count` unasked; v1.0 lists do not, except
 * device statuses (graph-api.md §2.2, HARs).
 */
function listIntune(call: GraphCall, options: IntuneListOptions): GraphPayload {
  if (!options.filterApplied) rejectFilter(call, 'intuneDevices', options.type);
  if (!options.expanded) rejectExpand(call, options.type);
  const select = resolveSelect(call, options.type, () =>
    samplesOf(options.source),
  );
  const isStatusList = options.type.endsWith('DeviceStatus');
  const writesCount = call.version === 'beta' || isStatusList;
  return serializePage(call.page, {
    source: options.source,
    contextFragment: withSelect(options.contextFragment, select),
    pageSize: intunePageSize(call),
    count: writesCount ? options.count ?? options.source.count : undefined,
    cacheVariant: call.query.filter ?? '',
    project: (item) => {
      const visible = forVersion(options.type, call.version, item);
      const picked = select ? pickSelected(visible, select) : visible;
      return options.expanded ? options.expanded(picked) : picked;
    },
  });
}

// ---- issue 15: policies with their assignments ---------------------------------------------

/**
 * The compliance policy and device configuration lists, with
 * `$expand=assignments` (and nothing else) allowed. The list docs
 * (intune-deviceconfig-devicecompliancepolicy-list, ...-deviceconfiguration-list)
 * name no query parameters, but the expansion is what the Intune admin
 * center and Microsoft's own Zero Trust Assessment (microsoft/zerotrustassessment,
 * test 24541: `deviceManagement/deviceCompliancePolicies?$expand=assignments`
 * on v1.0) read. Each policy then carries `assignments` (id, target) and
 * `assignments@odata.context`, as OData writes for an expanded collection.
 */
function listPolicies(
  call: GraphCall,
  source: DeviceStatusSource,
): GraphPayload {
  const collection =
    source === 'compliance'
      ? 'deviceCompliancePolicies'
      : 'deviceConfigurations';
  const type: EntityTypeName =
    source === 'compliance' ? 'deviceCompliancePolicy' : 'deviceConfiguration';
  const expandAssignments = expandsAssignments(call, type);
  return listIntune(call, {
    type,
    source: fromCollection(
      source === 'compliance'
        ? call.tenant.compliancePolicies
        : call.tenant.deviceConfigurations,
    ),
    contextFragment: expandAssignments
      ? `deviceManagement/${collection}(assignments())`
      : `deviceManagement/${collection}`,
    expanded: expandAssignments
      ? (item) => ({
          ...item,
          'assignments@odata.context': `${call.origin}/${
            call.version
          }/$metadata#deviceManagement/${collection}('${item.id}')/${String(
            item['@odata.type'] ?? '',
          ).replace(/^#/, '')}/assignments`,
          assignments:
            call.tenant.policyAssignments?.(source, item.id as string) ?? [],
        })
      : undefined,
  });
}

function listManagedDevices(call: GraphCall): GraphPayload {
  return listIntune(call, {
    type: 'managedDevice',
    source: fromCollection(call.tenant.managedDevices),
    contextFragment: 'deviceManagement/managedDevices',
  });
}

function listDevicesOfDetectedApp(call: GraphCall): GraphPayload {
  const [appId] = call.params;
  const deviceIds = call.tenant.deviceIdsOfDetectedApp(appId);
  if (!deviceIds) throw intuneNotFound(call);
  // A `$select=id` page (the per-app route reads nothing else) needs no
  // device objects: building ~1M of them made the simulator the bottleneck
  // of the L benchmark.
  const select = call.query.select;
  const idsOnly = select?.length === 1 && select[0].toLowerCase() === 'id';
  return listIntune(call, {
    type: 'managedDevice',
    source: fromIds(deviceIds, (id) =>
      idsOnly ? { id } : call.tenant.managedDevice(id),
    ),
    contextFragment: `deviceManagement/detectedApps('${appId}')/managedDevices`,
  });
}

function listDeviceStatuses(
  call: GraphCall,
  source: DeviceStatusSource,
): GraphPayload {
  const [policyId] = call.params;
  const statuses = call.tenant.deviceStatuses(source, policyId);
  if (!statuses) throw intuneNotFound(call);
  const collection =
    source === 'compliance'
      ? 'deviceCompliancePolicies'
      : 'deviceConfigurations';
  // issue 15: the list ends early and looks complete (statusListShortOfOverview).
  const served = call.behaviour.statusListShortOfOverview
    ? statuses.slice(0, Math.ceil(statuses.length / 2))
    : statuses;
  return listIntune(call, {
    type:
      source === 'compliance'
        ? 'deviceComplianceDeviceStatus'
        : 'deviceConfigurationDeviceStatus',
    source: fromArray(served),
    contextFragment: `deviceManagement/${collection}('${policyId}')/deviceStatuses`,
  });
}

/**
 * issue 15: `{policy}/deviceStatusOverview`, a deviceComplianceDeviceOverview
 * / deviceConfigurationDeviceOverview (learn.microsoft.com/graph/api/resources/
 * intune-deviceconfig-devicecompliancedeviceoverview): v1.0 has pendingCount,
 * notApplicableCount, successCount, errorCount, failedCount,
 * lastUpdateDateTime and configurationVersion; beta adds
 * notApplicablePlatformCount and conflictCount. Which status value falls in
 * which count is not documented: here unknown is pending, compliant and
 * remediated are success, nonCompliant is failed, error is error, conflict
 * is error in v1.0 and conflict in beta; notAssigned devices are not counted.
 */
function getStatusOverview(
  call: GraphCall,
  source: DeviceStatusSource,
): GraphPayload {
  const [policyId] = call.params;
  const counts = call.tenant.policyStatusOverview?.(source, policyId);
  if (!counts) throw intuneNotFound(call);
  const beta = call.version === 'beta';
  const overview: GraphObject = {
    id: policyId,
    pendingCount: counts.unknown ?? 0,
    notApplicableCount: counts.notApplicable ?? 0,
    ...(beta ? { notApplicablePlatformCount: 0 } : {}),
    successCount: (counts.compliant ?? 0) + (counts.remediated ?? 0),
    errorCount: (counts.error ?? 0) + (beta ? 0 : counts.conflict ?? 0),
    failedCount: counts.nonCompliant ?? 0,
    ...(beta ? { conflictCount: counts.conflict ?? 0 } : {}),
    lastUpdateDateTime: '2026-01-01T00:00:00Z',
    configurationVersion: 1,
  };
  const collection =
    source === 'compliance'
      ? 'deviceCompliancePolicies'
      : 'deviceConfigurations';
  return {
    body: serializeEntity(
      call.origin,
      call.version,
      `deviceManagement/${collection}('${policyId}')/deviceStatusOverview/$entity`,
      overview,
    ),
    itemsServed: 1,
  };
}

/**
 * mobileApps accepts the anchor's $filter (HAR fetchManagedApplications).
 * With a $filter, `@odata.count` is 0 whatever the page holds, as captured
 * (9 items, count 0): clients must not trust it (graph-api.md §0 item 12).
 */
function listMobileApps(call: GraphCall): GraphPayload {
  const apps = fromCollection(call.tenant.mobileApps);
  const filter = call.query.filter;
  if (filter === undefined) {
    return listIntune(call, {
      type: 'mobileApp',
      source: apps,
      contextFragment: 'deviceAppManagement/mobileApps',
    });
  }
  let keep: (item: GraphObject) => boolean;
  try {
    const known = new Set(
      samplesOf(apps, 50).flatMap((app) =>
        Object.keys(app).map((key) => key.toLowerCase()),
      ),
    );
    keep = compileFilter(
      filter,
      (name) =>
        known.has(name.toLowerCase()) ||
        call.catalog.resolve('mobileApp', call.version, name, () => []) !==
          undefined,
    );
  } catch (error) {
    if (error instanceof FilterPropertyError) {
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Invalid filter clause: Could not find a property named '${error.property}' on type 'microsoft.graph.mobileApp'.`,
      );
    }
    if (error instanceof FilterSyntaxError) {
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Invalid filter clause: ${error.message}.`,
      );
    }
    throw error;
  }
  return listIntune(call, {
    type: 'mobileApp',
    source: filtered(apps, keep),
    contextFragment: 'deviceAppManagement/mobileApps',
    count: 0,
    filterApplied: true,
  });
}

// ---- single device -----------------------------------------------------------------------------

/**
 * One device; beta can inline its detectedApps with $expand (HAR
 * fetchDetectedApplications: `managedDevices(detectedApps())/$entity`, no
 * nested context, not paged). v1.0 has no detectedApps navigation.
 */
function getManagedDevice(call: GraphCall): GraphPayload {
  const [deviceId] = call.params;
  const device = call.tenant.managedDevice(deviceId);
  if (!device) throw intuneNotFound(call);
  const expand = call.query.expand ?? [];
  let expandDetectedApps = false;
  for (const item of expand) {
    const name = item.replace(/\(.*$/, '');
    if (call.version === 'beta' && name.toLowerCase() === 'detectedapps')
      expandDetectedApps = true;
    else throw unknownProperty(name, 'managedDevice');
  }
  const select = resolveSelect(call, 'managedDevice', () => [device]);
  const visible = forVersion('managedDevice', call.version, device);
  const entity = select ? pickSelected(visible, select) : { ...visible };
  let itemsServed = 1;
  if (expandDetectedApps) {
    const apps = call.tenant.detectedAppsOfDevice(deviceId);
    entity.detectedApps = apps;
    itemsServed += apps.length;
  }
  const fragment = `deviceManagement/managedDevices${
    select || expandDetectedApps
      ? `(${[
          ...(select ?? []),
          ...(expandDetectedApps ? ['detectedApps()'] : []),
        ].join(',')})`
      : ''
  }/$entity`;
  return {
    body: serializeEntity(call.origin, call.version, fragment, entity),
    itemsServed,
  };
}
