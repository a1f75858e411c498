import { IntegrationStep } from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../config';
import { accountSteps } from './account';

export const integrationSteps: IntegrationStep<IntegrationConfig>[] = [
  ...accountSteps,
];
