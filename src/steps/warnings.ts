/**
 * Data left out for want of a permission or a licence: one warning in the
 * log and one warn event, which the JupiterOne platform shows the user.
 */
import {
  IntegrationLogger,
  IntegrationWarnEventName,
} from '@jupiterone/integration-sdk-core';

export function warnMissing(
  logger: IntegrationLogger,
  description: string,
): void {
  logger.warn(description);
  logger.publishWarnEvent({
    name: IntegrationWarnEventName.MissingPermission,
    description,
  });
}
