import { IntegrationIngestionConfigFieldMap } from '@jupiterone/integration-sdk-core';
import { IngestionSources } from './steps/constants';

/** Data sources a JupiterOne user can switch off; the account is always collected. */
export const ingestionConfig: IntegrationIngestionConfigFieldMap = {
  [IngestionSources.USERS_GROUPS]: {
    title: 'Entra ID users and groups',
    description: 'Users, groups and every kind of group member.',
  },
  [IngestionSources.INTUNE_DEVICES]: {
    title: 'Intune managed devices',
    description: 'Managed devices, their Intune host agents, owners and users.',
  },
  [IngestionSources.INTUNE_APPS]: {
    title: 'Intune applications',
    description:
      'Managed applications with per-device install state, and applications detected on devices.',
  },
  [IngestionSources.COMPLIANCE]: {
    title: 'Intune compliance',
    description:
      'Compliance policies, device configurations, per-device status and noncompliance findings.',
  },
  [IngestionSources.APPLICATIONS]: {
    title: 'App registrations and service principals',
    description:
      'App registrations, service principals, their credentials and owners, and the application and delegated permissions granted to them.',
  },
  // issue 16
  [IngestionSources.ROLES]: {
    title: 'Entra ID privileged roles',
    description:
      'Role definitions, and active and PIM-eligible role assignments of users, groups and service principals.',
  },
  [IngestionSources.CONDITIONAL_ACCESS]: {
    title: 'Conditional Access',
    description:
      'Conditional Access policies, named locations, and the users, groups, roles and service principals each policy includes or excludes.',
  },
};
