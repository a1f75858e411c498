import { IntegrationStep } from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../config';
import { accountSteps } from './account';
import { applicationsSteps } from './applications';
import { complianceSteps } from './compliance';
import { intuneAppsSteps } from './intune-apps';
import { intuneDevicesSteps } from './intune-devices';
import { usersGroupsSteps } from './users-groups';

export const integrationSteps: IntegrationStep<IntegrationConfig>[] = [
  ...accountSteps,
  ...usersGroupsSteps,
  ...intuneDevicesSteps,
  ...intuneAppsSteps,
  ...complianceSteps,
  ...applicationsSteps,
];
