/**
 * Reads the registration report for the users step, at the same time as the
 * users, into a RegistrationJoin (registration.ts). Never rejects: what went
 * wrong comes back as the outcome, so that the users step first writes
 * every user and then reports it.
 */
import { IntegrationStepContext } from '../../config';
import { GraphClient } from '../../graph/client';
import { SignInActivityGap } from '../../graph/directory';
import {
  iterateUserRegistrationDetailPages,
  registrationDetailsRefusal,
} from '../../graph/identity-reports';
import {
  describeMissing,
  isGranted,
  Permissions,
} from '../../graph/permissions';
import { warnMissing } from '../warnings';
import { RegistrationJoin } from './registration';

const WARNING_PREFIX =
  'Users are ingested without their authentication-method registration (MFA)';

/** The warning logged and published when users arrive without registration details. */
export function registrationWarning(gap: SignInActivityGap): string {
  return gap === 'permission'
    ? `${WARNING_PREFIX}: ${describeMissing(Permissions.REGISTRATION_DETAILS)}.`
    : `${WARNING_PREFIX}: Microsoft Graph answered Authentication_RequestFromNonPremiumTenantOrB2CTenant, the tenant has no Microsoft Entra ID P1 or P2 licence. Registration details are collected once it has one.`;
}

export interface RegistrationReportOutcome {
  status: 'read' | 'noPermission' | 'noLicence' | 'failed' | 'stopped';
  pages: number;
  error?: unknown;
}

export interface RegistrationReportRead {
  done: Promise<RegistrationReportOutcome>;
  /** Stop after the page in flight (the users walk failed). */
  stop(): void;
}

/**
 * The token tells whether AuditLog.Read.All is granted; only Graph can tell
 * whether the tenant has P1/P2, by refusing the first page (then one
 * warning, and the users are written without it). A refusal after a page was
 * read, or any other error, is a failure the users step reports.
 */
export function readRegistrationReport(
  context: IntegrationStepContext,
  client: GraphClient,
  join: RegistrationJoin,
  drain: () => Promise<void>,
): RegistrationReportRead {
  let stopped = false;
  const read = async (): Promise<RegistrationReportOutcome> => {
    let pages = 0;
    try {
      const roles = await client.grantedRoles();
      if (roles && !isGranted(Permissions.REGISTRATION_DETAILS, roles)) {
        warnMissing(context.logger, registrationWarning('permission'));
        return { status: 'noPermission', pages };
      }
      for await (const page of iterateUserRegistrationDetailPages(client)) {
        if (stopped) return { status: 'stopped', pages };
        pages++;
        join.addRecords(page);
        await drain();
      }
      return { status: 'read', pages };
    } catch (err) {
      const gap = pages === 0 ? registrationDetailsRefusal(err) : undefined;
      if (!gap) return { status: 'failed', pages, error: err };
      warnMissing(context.logger, registrationWarning(gap));
      return {
        status: gap === 'licence' ? 'noLicence' : 'noPermission',
        pages,
      };
    } finally {
      join.endReport();
    }
  };
  return {
    done: read(),
    stop: () => {
      stopped = true;
    },
  };
}
