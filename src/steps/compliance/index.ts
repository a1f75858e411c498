import { IntegrationStep } from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../../config';

export const complianceSteps: IntegrationStep<IntegrationConfig>[] = [];
