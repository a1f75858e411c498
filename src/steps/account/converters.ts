import {
  createIntegrationEntity,
  Entity,
  parseTimePropertyValue,
} from '@jupiterone/integration-sdk-core';
import { IntuneAccount, Organization } from '../../graph/organization';
import { Entities } from '../constants';
import {
  tenantPolicyProperties,
  TenantPolicies,
} from '../sign-in-security/tenant-policies';

export function accountKey(organizationId: string): string {
  return `${Entities.ACCOUNT._type}:${organizationId}`;
}

export function toAccountEntity(
  organization: Organization,
  intune: IntuneAccount | undefined,
  policies: TenantPolicies = {},
): Entity {
  const domains = organization.verifiedDomains ?? [];
  const defaultDomain = domains.find((d) => d.isDefault)?.name;
  const initialDomain = domains.find((d) => d.isInitial)?.name;
  const name = organization.displayName || defaultDomain || organization.id;
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: accountKey(organization.id),
        _type: Entities.ACCOUNT._type,
        _class: Entities.ACCOUNT._class,
        id: organization.id,
        tenantId: organization.id,
        name,
        displayName: name,
        organizationName: organization.displayName ?? undefined,
        tenantType: organization.tenantType ?? undefined,
        countryLetterCode: organization.countryLetterCode ?? undefined,
        defaultDomain,
        initialDomain,
        verifiedDomains: domains.map((d) => d.name),
        onPremisesSyncEnabled: organization.onPremisesSyncEnabled ?? undefined,
        onPremisesLastSyncOn: parseTimePropertyValue(
          organization.onPremisesLastSyncDateTime,
        ),
        createdOn: parseTimePropertyValue(organization.createdDateTime),
        intuneEnabled: Boolean(intune),
        intuneAccountId: intune?.intuneAccountId,
        intuneSubscriptionState: intune?.subscriptionState,
        mdmAuthority: intune?.mdmAuthority,
        // issue 16: security defaults, authorization and authentication-methods policies
        ...tenantPolicyProperties(policies),
      },
    },
  });
}
