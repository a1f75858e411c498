import { IntegrationStep } from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../config';
import { accountSteps } from './account';
import { applicationsSteps } from './applications';
import { complianceSteps } from './compliance';
import { intuneAppsSteps } from './intune-apps';
import { intuneDevicesSteps } from './intune-devices';
import { usersGroupsSteps } from './users-groups';
// issue 16
import { rolesSteps } from './roles';
import { signInSecuritySteps } from './sign-in-security';
// issue 15: settingsCatalog / endpointSecurity
import { settingsPolicySteps } from './compliance/settings-policies';

export const integrationSteps: IntegrationStep<IntegrationConfig>[] = [
  ...accountSteps,
  ...usersGroupsSteps,
  ...intuneDevicesSteps,
  ...intuneAppsSteps,
  ...complianceSteps,
  ...applicationsSteps,
  // issue 16
  ...rolesSteps,
  ...signInSecuritySteps,
  // issue 15: settingsCatalog / endpointSecurity
  ...settingsPolicySteps,
];
