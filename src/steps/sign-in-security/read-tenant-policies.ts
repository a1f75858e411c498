/**
 * Reads the tenant policies the account carries (tenant-policies.ts). An app
 * without Policy.Read.All, or a 403, still yields the account, with one
 * warning; any other failure fails the account step, loudly.
 */
import { IntegrationStepContext } from '../../config';
import { GraphClient } from '../../graph/client';
import { isGraphError } from '../../graph/errors';
import {
  describeMissing,
  isGranted,
  Permissions,
} from '../../graph/permissions';
import {
  readAuthenticationMethodsPolicy,
  readAuthorizationPolicy,
  readSecurityDefaults,
} from '../../graph/policies';
import { warnMissing } from '../warnings';
import { TenantPolicies } from './tenant-policies';

export const TENANT_POLICIES_WARNING = `The account is not enriched with security defaults, the authorization policy and the authentication-methods policy: ${describeMissing(
  Permissions.TENANT_POLICIES,
)}.`;

export async function readTenantPolicies(
  context: IntegrationStepContext,
  client: GraphClient,
): Promise<TenantPolicies> {
  const roles = await client.grantedRoles();
  if (roles && !isGranted(Permissions.TENANT_POLICIES, roles)) {
    warnMissing(context.logger, TENANT_POLICIES_WARNING);
    return {};
  }
  let refused = false;
  const read = async <T>(reader: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await reader();
    } catch (err) {
      if (!isGraphError(err, { status: 403 })) throw err;
      refused = true;
      return undefined;
    }
  };
  const [securityDefaults, authorization, authenticationMethods] =
    await Promise.all([
      read(() => readSecurityDefaults(client)),
      read(() => readAuthorizationPolicy(client)),
      read(() => readAuthenticationMethodsPolicy(client)),
    ]);
  if (refused) warnMissing(context.logger, TENANT_POLICIES_WARNING);
  return { securityDefaults, authorization, authenticationMethods };
}
