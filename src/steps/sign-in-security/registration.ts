/**
 * Users' authentication-method registration (MFA, SSPR, passwordless) as
 * properties of their `azure_user` entities (docs/identity-security.md,
 * "MFA registration").
 *
 * The registration report is one paged list for the tenant, throttled at 5
 * requests per 10 s; /users is much faster. The users step walks both at
 * once and joins them as they arrive (a symmetric hash join): a user whose
 * record is in is written at once, the others wait, as compact JSON, for
 * their record or for the end of the report. So the users step ends when the
 * slower of the two walks ends, never later, and holds in memory only the
 * users whose record has not arrived yet.
 */
import { GraphUser } from '../../graph/directory';
import { GraphUserRegistrationDetails } from '../../graph/identity-reports';
import {
  presentBoolean,
  presentString,
  presentStrings,
  toEpochMs,
  withoutUndefined,
} from '../convert';

export type UserRegistrationProperties = Record<
  string,
  string | boolean | number | string[]
>;

/** The registration record as user properties; names as Graph's, plus the User class's mfaEnabled/mfaType. */
export function toRegistrationProperties(
  details: GraphUserRegistrationDetails,
): UserRegistrationProperties {
  const isMfaRegistered = presentBoolean(details.isMfaRegistered);
  const defaultMfaMethod = presentString(
    details.userPreferredMethodForSecondaryAuthentication,
  );
  return withoutUndefined({
    isMfaRegistered,
    isMfaCapable: presentBoolean(details.isMfaCapable),
    isPasswordlessCapable: presentBoolean(details.isPasswordlessCapable),
    isSsprRegistered: presentBoolean(details.isSsprRegistered),
    isSsprCapable: presentBoolean(details.isSsprCapable),
    isSsprEnabled: presentBoolean(details.isSsprEnabled),
    isAdmin: presentBoolean(details.isAdmin),
    methodsRegistered: presentStrings(details.methodsRegistered),
    defaultMfaMethod,
    isSystemPreferredAuthenticationMethodEnabled: presentBoolean(
      details.isSystemPreferredAuthenticationMethodEnabled,
    ),
    systemPreferredAuthenticationMethods: presentStrings(
      details.systemPreferredAuthenticationMethods,
    ),
    registrationDetailsUpdatedOn: toEpochMs(details.lastUpdatedDateTime),
    // The data model's User.mfaEnabled / mfaType, for queries across integrations.
    mfaEnabled: isMfaRegistered,
    mfaType: defaultMfaMethod,
  }) as UserRegistrationProperties;
}

export interface RegistrationJoinCounts {
  usersWithRecord: number;
  usersWithoutRecord: number;
  /** Records whose user /users did not list (deleted between the two walks). */
  recordsWithoutUser: number;
  /** Most users held at once, waiting for their record. */
  mostUsersWaiting: number;
}

/**
 * The join. `write` receives each user exactly once, with its registration
 * properties when its record arrived before the report ended.
 */
export class RegistrationJoin {
  private readonly records = new Map<string, UserRegistrationProperties>();
  private readonly waiting = new Map<string, string>();
  private reportEnded = false;
  private readonly counts: RegistrationJoinCounts = {
    usersWithRecord: 0,
    usersWithoutRecord: 0,
    recordsWithoutUser: 0,
    mostUsersWaiting: 0,
  };

  constructor(
    private readonly write: (
      user: GraphUser,
      registration?: UserRegistrationProperties,
    ) => void,
  ) {}

  /** A user from /users. */
  addUser(user: GraphUser): void {
    const record = this.records.get(user.id);
    if (record) {
      this.records.delete(user.id);
      this.emit(user, record);
    } else if (this.reportEnded) {
      this.emit(user);
    } else if (!this.waiting.has(user.id)) {
      this.waiting.set(user.id, JSON.stringify(user));
      this.counts.mostUsersWaiting = Math.max(
        this.counts.mostUsersWaiting,
        this.waiting.size,
      );
    }
  }

  /** A page of the registration report. */
  addRecords(page: GraphUserRegistrationDetails[]): void {
    if (this.reportEnded) return;
    for (const details of page) {
      const id = presentString(details?.id);
      if (!id) continue;
      const properties = toRegistrationProperties(details);
      const user = this.waiting.get(id);
      if (user !== undefined) {
        this.waiting.delete(id);
        this.emit(JSON.parse(user), properties);
      } else {
        this.records.set(id, properties);
      }
    }
  }

  /**
   * The report was read to its end, refused, or failed: every waiting user
   * is written now (without a record), and later ones at once.
   */
  endReport(): void {
    if (this.reportEnded) return;
    this.reportEnded = true;
    for (const user of this.waiting.values()) this.emit(JSON.parse(user));
    this.waiting.clear();
  }

  /** After the last user: what the join did. */
  finish(): RegistrationJoinCounts {
    this.endReport();
    this.counts.recordsWithoutUser = this.records.size;
    this.records.clear();
    return { ...this.counts };
  }

  private emit(user: GraphUser, registration?: UserRegistrationProperties) {
    if (registration) this.counts.usersWithRecord++;
    else this.counts.usersWithoutRecord++;
    this.write(user, registration);
  }
}
