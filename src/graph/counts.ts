/**
 * Graph's own counts of what a walk should have read: the completeness
 * guard (src/steps/completeness.ts) checks the objects collected against
 * them before the platform deletes what a collection did not see.
 */
import { GraphClient, GraphRequest } from './client';
import { GraphApiError } from './errors';

/**
 * How many users or groups the directory holds: GET /v1.0/{users|groups}/$count
 * with `ConsistencyLevel: eventual` (without it Graph answers 400 "$count is
 * not currently supported."). The count is eventually consistent: objects
 * created or deleted in the last moments may or may not be in it.
 * Needs the permission of the list itself.
 * https://learn.microsoft.com/graph/api/user-list (example 3)
 */
export async function countDirectoryObjects(
  client: GraphClient,
  collection: 'users' | 'groups',
): Promise<number> {
  const request: GraphRequest = {
    version: 'v1.0',
    path: `/${collection}/$count`,
    headers: { ConsistencyLevel: 'eventual' },
  };
  return readCount(client, request, await client.get<unknown>(request));
}

/** A `$count` answer (text/plain) as a number; anything else is an error. */
export function readCount(
  client: GraphClient,
  request: GraphRequest,
  answer: unknown,
): number {
  const count =
    typeof answer === 'number' ? answer : Number(String(answer).trim());
  if (!Number.isInteger(count) || count < 0) {
    throw new GraphApiError(
      {
        method: 'GET',
        url: client.urlOf(request),
        status: 200,
        code: 'UnexpectedCount',
      },
      'The count was not a whole number.',
    );
  }
  return count;
}

/**
 * How many devices Intune says it manages: `enrolledDeviceCount` of GET
 * /v1.0/deviceManagement/managedDeviceOverview, one small request. Chosen
 * over `@odata.count` on the managedDevices list, which Intune sends unasked
 * and which is not reliable (graph-api.md §1 item 12: 0 next to 9 items).
 * The overview is a summary Intune computes itself, so it may lag a device
 * enrolled or retired moments ago (UNCONFIRMED how much).
 * Needs DeviceManagementManagedDevices.Read.All.
 * https://learn.microsoft.com/graph/api/intune-devices-manageddeviceoverview-get
 */
export async function readEnrolledDeviceCount(
  client: GraphClient,
): Promise<number> {
  const request: GraphRequest = {
    version: 'v1.0',
    path: '/deviceManagement/managedDeviceOverview',
    query: { $select: 'enrolledDeviceCount' },
  };
  const overview = await client.get<{ enrolledDeviceCount?: unknown }>(request);
  return readCount(client, request, overview?.enrolledDeviceCount);
}
