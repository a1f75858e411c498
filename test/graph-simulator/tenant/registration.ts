/**
 * The authentication-method registration report of a generated tenant
 * (issue 16): GET /reports/authenticationMethods/userRegistrationDetails.
 * Shape of the v1.0 docs example (docs-contrib
 * authenticationmethodsroot-list-userregistrationdetails.md); no capture of
 * a 200 exists (graph-recordings/entra has the non-premium 403 only).
 *
 * Harsher than /users in two ways: the report lists users in another order
 * (by userPrincipalName), so a client cannot pair the two lists page by
 * page; and it is a periodic report, so it misses the newest users and still
 * lists users deleted since /users was read.
 */
import { Directory, MemberType } from './directory';
import { Collection, GraphObject } from './model';
import { TenantProfile } from './profiles';
import { DAY_MS, isoSeconds, NOW_MS, rngFor, unit, IdKind } from './random';

const SALT_MFA = 31;
const SALT_MISSING = 32;

export interface MfaFacts {
  registered: boolean;
  capable: boolean;
  passwordless: boolean;
  methods: string[];
  defaultMethod: string;
}

export class RegistrationReport {
  /** Member codes (MemberType.user / ghostUser * 2^24 + index), in report order. */
  private order: Int32Array | undefined;
  readonly collection: Collection;

  constructor(
    private readonly profile: TenantProfile,
    private readonly directory: Directory,
    private readonly admins: ReadonlySet<number>,
    private readonly adminsWithoutMfa: ReadonlySet<number>,
  ) {
    const codes = () => this.codes();
    const record = (code: number) => this.record(code);
    this.collection = {
      get count() {
        return codes().length;
      },
      get: (i: number) => record(codes()[i]),
    };
  }

  /** Whether the report lists user `index` (a user created after its last refresh is not). */
  lists(index: number): boolean {
    const share = this.profile.identity.registrationMissingShare;
    if (share <= 0 || this.admins.has(index)) return true;
    if (index === this.newestUser()) return false;
    if (index < 8) return true;
    return unit(this.profile.seed, SALT_MISSING, index) >= share;
  }

  /** The last user who is not an admin: created after the report's last refresh (so small tenants have one). */
  private newestUser(): number {
    for (let i = this.directory.userCount - 1; i > 0; i--)
      if (!this.admins.has(i)) return i;
    return -1;
  }

  /** Registration of user `index` (listed or not). */
  mfa(index: number, ghost = false): MfaFacts {
    const registered = ghost
      ? false
      : index === 0
      ? true
      : this.adminsWithoutMfa.has(index)
      ? false
      : unit(this.profile.seed, SALT_MFA, index) <
        this.profile.identity.mfaRegisteredShare;
    const rng = rngFor(this.profile.seed, IdKind.user, index, 31);
    if (!registered) {
      const phone = rng.chance(0.3);
      return {
        registered: false,
        capable: false,
        passwordless: false,
        methods: phone ? ['mobilePhone'] : [],
        defaultMethod: 'none',
      };
    }
    const fido = index === 0 || rng.chance(0.15);
    const methods = fido
      ? ['fido2', 'microsoftAuthenticatorPush']
      : rng.pick([
          ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'],
          ['mobilePhone', 'microsoftAuthenticatorPush'],
          ['mobilePhone'],
        ]);
    return {
      registered: true,
      // A registered method the policy does not allow leaves the user registered but not capable.
      capable: index === 0 || rng.chance(0.92),
      passwordless: fido,
      methods,
      defaultMethod: methods.includes('microsoftAuthenticatorPush')
        ? 'push'
        : 'sms',
    };
  }

  /** Deleted users the report still lists. */
  get ghostRecords(): number {
    return this.directory.ghostUserCount;
  }

  private codes(): Int32Array {
    if (this.order) return this.order;
    const entries: { upn: string; code: number }[] = [];
    for (let i = 0; i < this.directory.userCount; i++) {
      if (this.lists(i))
        entries.push({
          upn: this.directory.identity(i).userPrincipalName.toLowerCase(),
          code: MemberType.user * 0x1000000 + i,
        });
    }
    for (let i = 0; i < this.directory.ghostUserCount; i++) {
      entries.push({
        upn: this.directory.identity(i, true).userPrincipalName.toLowerCase(),
        code: MemberType.ghostUser * 0x1000000 + i,
      });
    }
    entries.sort((a, b) => (a.upn < b.upn ? -1 : a.upn > b.upn ? 1 : 0));
    this.order = Int32Array.from(entries, (e) => e.code);
    return this.order;
  }

  private record(code: number): GraphObject {
    const ghost = Math.floor(code / 0x1000000) === MemberType.ghostUser;
    const index = code % 0x1000000;
    const who = this.directory.identity(index, ghost);
    const mfa = this.mfa(index, ghost);
    const rng = rngFor(this.profile.seed, IdKind.user, index, 32);
    const sspr = mfa.registered && rng.chance(0.8);
    return {
      id: who.id,
      userPrincipalName: who.userPrincipalName,
      userDisplayName: who.displayName,
      isAdmin: !ghost && this.admins.has(index),
      isSsprRegistered: sspr,
      isSsprEnabled: !who.guest,
      isSsprCapable: sspr && !who.guest,
      isMfaRegistered: mfa.registered,
      isMfaCapable: mfa.capable,
      isPasswordlessCapable: mfa.passwordless,
      lastUpdatedDateTime: isoSeconds(NOW_MS - (1 + (index % 5)) * DAY_MS),
      methodsRegistered: mfa.methods,
      isSystemPreferredAuthenticationMethodEnabled: true,
      systemPreferredAuthenticationMethods: mfa.registered
        ? [mfa.defaultMethod]
        : [],
      userPreferredMethodForSecondaryAuthentication: mfa.registered
        ? mfa.defaultMethod
        : 'none',
      userType: who.guest ? 'guest' : 'member',
    };
  }
}
