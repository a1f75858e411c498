import { IntegrationStep } from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../../config';

export const usersGroupsSteps: IntegrationStep<IntegrationConfig>[] = [];
