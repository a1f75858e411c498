import {
  GraphApiError,
  GraphAuthorizationError,
  GraphFailure,
} from '../../graph/errors';
import {
  groupMembersRequest,
  signInActivityRefusal,
  usersRequest,
} from '../../graph/directory';
import { signInActivityWarning } from '.';

function forbidden(code: string, message: string): GraphAuthorizationError {
  const failure: GraphFailure = {
    method: 'GET',
    url: 'https://graph.microsoft.com/v1.0/users?$top=120',
    status: 403,
    code,
    message,
  };
  return new GraphAuthorizationError(failure, 'To fix it, grant something.');
}

describe('signInActivityRefusal', () => {
  test('missing AuditLog.Read.All', () => {
    expect(
      signInActivityRefusal(
        forbidden(
          'Authentication_MSGraphPermissionMissing',
          'Calling principal does not have required MSGraph permissions AuditLog.Read.All',
        ),
      ),
    ).toBe('permission');
  });

  test('no premium licence, in the old and the new wording (the code decides)', () => {
    for (const message of [
      "Neither tenant is B2C or tenant doesn't have premium license",
      "Tenant is not a B2C tenant and doesn't have premium license",
      'some future wording',
    ]) {
      expect(
        signInActivityRefusal(
          forbidden(
            'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
            message,
          ),
        ),
      ).toBe('licence');
    }
  });

  test('any other failure is not a refusal of signInActivity', () => {
    expect(
      signInActivityRefusal(
        forbidden(
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        ),
      ),
    ).toBeUndefined();
    expect(
      signInActivityRefusal(
        new GraphApiError({
          method: 'GET',
          url: 'https://graph.microsoft.com/v1.0/users',
          status: 400,
          code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        }),
      ),
    ).toBeUndefined();
    expect(
      signInActivityRefusal(
        new Error('Authentication_MSGraphPermissionMissing'),
      ),
    ).toBeUndefined();
  });
});

describe('requests', () => {
  test('users: 999 per page, or 120 with signInActivity (the most Graph returns then)', () => {
    const plain = usersRequest({ signInActivity: false });
    const withSignIn = usersRequest({ signInActivity: true });
    expect(plain).toMatchObject({
      version: 'v1.0',
      path: '/users',
      query: { $top: 999 },
    });
    expect(withSignIn).toMatchObject({
      version: 'v1.0',
      path: '/users',
      query: { $top: 120 },
    });
    expect(String(plain.query!.$select).split(',')).not.toContain(
      'signInActivity',
    );
    expect(String(withSignIn.query!.$select).split(',')).toContain(
      'signInActivity',
    );
    expect(String(plain.query!.$select).split(',')).toEqual(
      expect.arrayContaining([
        'id',
        'userPrincipalName',
        'mail',
        'accountEnabled',
        'userType',
      ]),
    );
  });

  test('members: beta (v1.0 omits service principals), 999 per page', () => {
    expect(
      groupMembersRequest('58e48aba-cd45-440f-a851-2bf9715fadc1'),
    ).toMatchObject({
      version: 'beta',
      path: '/groups/58e48aba-cd45-440f-a851-2bf9715fadc1/members',
      query: { $top: 999 },
    });
  });
});

describe('signInActivityWarning', () => {
  test('names the permission, or the licence', () => {
    expect(signInActivityWarning('permission')).toBe(
      "Users are ingested without signInActivity (last sign-in times): grant the Microsoft Graph application permission AuditLog.Read.All to read users' sign-in activity, then grant admin consent.",
    );
    expect(signInActivityWarning('licence')).toBe(
      'Users are ingested without signInActivity (last sign-in times): Microsoft Graph answered Authentication_RequestFromNonPremiumTenantOrB2CTenant, the tenant has no Microsoft Entra ID P1 or P2 licence. Sign-in activity is collected once it has one.',
    );
  });
});
