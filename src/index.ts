import { IntegrationInvocationConfig } from '@jupiterone/integration-sdk-core';
import {
  instanceConfigFields,
  IntegrationConfig,
  loadExecutionConfig,
  validateInvocation,
} from './config';
import { getStepStartStates } from './getStepStartStates';
import { ingestionConfig } from './ingestionConfig';
import { integrationSteps } from './steps';
import { RELATIONSHIP_GRAPH_ID } from './steps/constants';

export const invocationConfig: IntegrationInvocationConfig<IntegrationConfig> = {
  instanceConfigFields,
  validateInvocation,
  getStepStartStates,
  loadExecutionConfig,
  ingestionConfig,
  integrationSteps,
  dependencyGraphOrder: [RELATIONSHIP_GRAPH_ID],
};
