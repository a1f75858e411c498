import { Entity, RelationshipClass } from '@jupiterone/integration-sdk-core';
// Imported for its matchers' types (toMatchGraphObjectSchema is registered by the jest preset).
import '@jupiterone/integration-sdk-testing';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  GraphDirectoryObject,
  GraphGroup,
  GraphUser,
} from '../../graph/directory';
import { Entities, MappedRelationships, Relationships } from '../constants';
import {
  memberKind,
  memberTypeOf,
  normalizeEmail,
  toAccountHasRelationship,
  toGroupEntity,
  toGroupHasMappedMemberRelationship,
  toGroupHasMemberRelationship,
  toGroupMemberEntity,
  toUserEntity,
} from './converters';
import { relationshipKey } from '../graph-objects';

const RECORDINGS = join(__dirname, '../../../test/fixtures/graph-recordings');

/** The `value` items of every Graph response in a HAR whose URL contains `path`. */
function recordedItems<T>(har: string, path: string): T[] {
  const log = JSON.parse(readFileSync(join(RECORDINGS, har), 'utf8')).log;
  const items: T[] = [];
  for (const entry of log.entries) {
    if (!entry.request.url.includes(path) || entry.response.status !== 200)
      continue;
    items.push(...JSON.parse(entry.response.content.text).value);
  }
  return items;
}

/** The group whose members iterateGroupMembers.har lists. */
function recordedGroupId(): string {
  const log = JSON.parse(
    readFileSync(join(RECORDINGS, 'iterateGroupMembers.har'), 'utf8'),
  ).log;
  const url = log.entries.find((e: { request: { url: string } }) =>
    e.request.url.includes('/members'),
  ).request.url;
  return /\/groups\/([^/]+)\/members/.exec(url)![1];
}

/** Graph user property -> entity property that carries it unchanged. */
const USER_PROPERTY_CARRIERS: Record<string, string> = {
  id: 'id',
  businessPhones: 'businessPhones',
  displayName: 'displayName',
  givenName: 'givenName',
  jobTitle: 'jobTitle',
  mail: 'mail',
  mobilePhone: 'mobilePhone',
  officeLocation: 'officeLocation',
  preferredLanguage: 'preferredLanguage',
  surname: 'surname',
  userPrincipalName: 'userPrincipalName',
};

function isEmpty(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

function serialized(entity: Entity): Record<string, unknown> {
  return JSON.parse(JSON.stringify(entity));
}

describe('toUserEntity', () => {
  const users = recordedItems<GraphUser>('iterateUsers.har', '/v1.0/users');

  test('the recording holds the four users of the captured tenant', () => {
    expect(users.map((u) => u.id)).toEqual([
      'd0e84358-ed79-4ae0-9157-83d3a0ef9b78',
      '1bc373cb-36d4-4fd9-8996-b77d3544a380',
      '894a1974-e9fa-4bcc-a560-91b58d1a224f',
      '001d35fc-dd2b-4d17-9ffc-3bafa265e7d9',
    ]);
  });

  test('every property Graph returned is carried, and nulls are left out', () => {
    for (const user of users) {
      const entity = serialized(toUserEntity(user));
      for (const [property, value] of Object.entries(user)) {
        const carrier = USER_PROPERTY_CARRIERS[property];
        expect({ property, carrier }).toEqual({
          property,
          carrier: expect.any(String),
        });
        if (isEmpty(value)) {
          expect({ property, value: entity[carrier] }).toEqual({
            property,
            value: undefined,
          });
        } else {
          expect({ property, value: entity[carrier] }).toEqual({
            property,
            value,
          });
        }
      }
    }
  });

  test('the tenant admin: key, class, names, and no email without a mailbox', () => {
    const entity = toUserEntity(users[0]);
    expect(serialized(entity)).toEqual({
      _key: 'd0e84358-ed79-4ae0-9157-83d3a0ef9b78',
      _type: 'azure_user',
      _class: ['User'],
      _rawData: [],
      id: 'd0e84358-ed79-4ae0-9157-83d3a0ef9b78',
      name: 'Adam Williams',
      displayName: 'Adam Williams',
      username: 'admin@adamjupiteronehotmailcom.onmicrosoft.com',
      userPrincipalName: 'admin@adamjupiteronehotmailcom.onmicrosoft.com',
      firstName: 'Adam',
      lastName: 'Williams',
      givenName: 'Adam',
      surname: 'Williams',
      preferredLanguage: 'en',
    });
    expect('email' in serialized(entity)).toBe(false);
    expect(entity).toMatchGraphObjectSchema({ _class: ['User'] });
  });

  test('a guest: email from mail, lower-case, with its domain', () => {
    const entity = toUserEntity({ ...users[1], mail: 'Adam@TheWilliams.WS' });
    expect(entity).toMatchObject({
      _key: '1bc373cb-36d4-4fd9-8996-b77d3544a380',
      name: 'adam',
      email: 'adam@thewilliams.ws',
      emailDomain: ['thewilliams.ws'],
      mail: 'Adam@TheWilliams.WS',
      username:
        'adam_thewilliams.ws#EXT#@adamjupiteronehotmailcom.onmicrosoft.com',
    });
    expect(entity).toMatchGraphObjectSchema({ _class: ['User'] });
  });

  test('every recorded user passes the User schema', () => {
    for (const user of users) {
      expect(toUserEntity(user)).toMatchGraphObjectSchema({ _class: ['User'] });
    }
  });

  test('the selected properties: account state, on-premises sync, organisation, sign-in', () => {
    const user: GraphUser = {
      id: '5b1c7e2a-40f1-4c9e-9d2b-0f6a1e3c5d7f',
      userPrincipalName: 'Jane.Doe@contoso.com',
      mail: 'Jane.Doe@Contoso.com',
      mailNickname: 'jane.doe',
      otherMails: [],
      displayName: 'Jane Doe',
      givenName: 'Jane',
      surname: 'Doe',
      accountEnabled: false,
      userType: 'Member',
      createdDateTime: '2021-03-04T05:06:07Z',
      creationType: null,
      externalUserState: null,
      externalUserStateChangeDateTime: null,
      lastPasswordChangeDateTime: '2024-01-02T03:04:05Z',
      passwordPolicies: 'DisablePasswordExpiration',
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: '2024-06-01T00:00:00Z',
      onPremisesImmutableId: 'q83vEjRWeJA=',
      onPremisesSamAccountName: 'jdoe',
      onPremisesUserPrincipalName: 'jdoe@corp.contoso.com',
      onPremisesDomainName: 'corp.contoso.com',
      onPremisesSecurityIdentifier: 'S-1-5-21-1-2-3-1104',
      onPremisesDistinguishedName:
        'CN=Jane Doe,OU=Users,DC=corp,DC=contoso,DC=com',
      jobTitle: 'Engineer',
      department: 'R&D',
      companyName: 'Contoso',
      employeeId: '100042',
      employeeType: 'Employee',
      officeLocation: 'Building 4',
      city: 'Redmond',
      state: 'WA',
      country: 'United States',
      usageLocation: 'US',
      preferredLanguage: 'en-US',
      businessPhones: ['+1 425 555 0100'],
      mobilePhone: null,
      signInActivity: {
        lastSignInDateTime: '2024-06-10T08:00:00Z',
        lastSignInRequestId: 'a',
        lastNonInteractiveSignInDateTime: '0001-01-01T00:00:00Z',
        lastNonInteractiveSignInRequestId: '',
        lastSuccessfulSignInDateTime: '2024-06-09T08:00:00Z',
        lastSuccessfulSignInRequestId: 'b',
      },
    };
    const entity = serialized(toUserEntity(user));
    expect(entity).toEqual({
      _key: user.id,
      _type: 'azure_user',
      _class: ['User'],
      _rawData: [],
      id: user.id,
      name: 'Jane Doe',
      displayName: 'Jane Doe',
      username: 'Jane.Doe@contoso.com',
      userPrincipalName: 'Jane.Doe@contoso.com',
      email: 'jane.doe@contoso.com',
      emailDomain: ['contoso.com'],
      mail: 'Jane.Doe@Contoso.com',
      mailNickname: 'jane.doe',
      firstName: 'Jane',
      lastName: 'Doe',
      givenName: 'Jane',
      surname: 'Doe',
      active: false,
      accountEnabled: false,
      userType: 'Member',
      createdOn: Date.parse('2021-03-04T05:06:07Z'),
      passwordChangedOn: Date.parse('2024-01-02T03:04:05Z'),
      passwordPolicies: 'DisablePasswordExpiration',
      onPremisesSyncEnabled: true,
      onPremisesLastSyncOn: Date.parse('2024-06-01T00:00:00Z'),
      onPremisesImmutableId: 'q83vEjRWeJA=',
      onPremisesSamAccountName: 'jdoe',
      onPremisesUserPrincipalName: 'jdoe@corp.contoso.com',
      onPremisesDomainName: 'corp.contoso.com',
      onPremisesSecurityIdentifier: 'S-1-5-21-1-2-3-1104',
      onPremisesDistinguishedName:
        'CN=Jane Doe,OU=Users,DC=corp,DC=contoso,DC=com',
      jobTitle: 'Engineer',
      department: 'R&D',
      companyName: 'Contoso',
      employeeId: '100042',
      employeeType: 'Employee',
      officeLocation: 'Building 4',
      city: 'Redmond',
      state: 'WA',
      country: 'United States',
      usageLocation: 'US',
      preferredLanguage: 'en-US',
      businessPhones: ['+1 425 555 0100'],
      lastSignInOn: Date.parse('2024-06-10T08:00:00Z'),
      lastSuccessfulSignInOn: Date.parse('2024-06-09T08:00:00Z'),
    });
    expect(toUserEntity(user)).toMatchGraphObjectSchema({ _class: ['User'] });
  });

  test('a user who never signed in (signInActivity null) has no sign-in times', () => {
    const entity = serialized(
      toUserEntity({
        id: '7d4f1c2b-0000-4000-8000-000000000001',
        signInActivity: null,
      }),
    );
    expect(entity.lastSignInOn).toBeUndefined();
    expect(entity.name).toBe('7d4f1c2b-0000-4000-8000-000000000001');
  });
});

describe('toGroupEntity', () => {
  const group: GraphGroup = {
    id: '58e48aba-cd45-440f-a851-2bf9715fadc1',
    displayName: 'Dynamic - Sales Users',
    description: null,
    mail: 'DynamicSales@Contoso.com',
    mailEnabled: true,
    mailNickname: 'DynamicSales',
    securityEnabled: true,
    groupTypes: ['Unified', 'DynamicMembership'],
    membershipRule: '(user.department -eq "Sales")',
    membershipRuleProcessingState: 'On',
    isAssignableToRole: null,
    visibility: 'Private',
    classification: null,
    createdDateTime: '2022-02-03T04:05:06Z',
    renewedDateTime: '2022-02-03T04:05:06Z',
    expirationDateTime: null,
    securityIdentifier: 'S-1-12-1-1-2-3-4',
    resourceProvisioningOptions: ['Team'],
    onPremisesSyncEnabled: null,
    onPremisesLastSyncDateTime: null,
    onPremisesSamAccountName: null,
    onPremisesDomainName: null,
    onPremisesNetBiosName: null,
    onPremisesSecurityIdentifier: null,
  };

  test('access-review properties, email lower-case, nulls left out', () => {
    const entity = toGroupEntity(group);
    expect(serialized(entity)).toEqual({
      _key: group.id,
      _type: 'azure_user_group',
      _class: ['UserGroup'],
      _rawData: [],
      id: group.id,
      name: 'Dynamic - Sales Users',
      displayName: 'Dynamic - Sales Users',
      email: 'dynamicsales@contoso.com',
      mail: 'DynamicSales@Contoso.com',
      mailEnabled: true,
      mailNickname: 'DynamicSales',
      securityEnabled: true,
      groupTypes: ['Unified', 'DynamicMembership'],
      unified: true,
      dynamicMembership: true,
      membershipRule: '(user.department -eq "Sales")',
      membershipRuleProcessingState: 'On',
      visibility: 'Private',
      createdOn: Date.parse('2022-02-03T04:05:06Z'),
      renewedOn: Date.parse('2022-02-03T04:05:06Z'),
      securityIdentifier: 'S-1-12-1-1-2-3-4',
      resourceProvisioningOptions: ['Team'],
    });
    expect(entity).toMatchGraphObjectSchema({ _class: ['UserGroup'] });
  });

  test('an on-premises security group without mail', () => {
    const entity = serialized(
      toGroupEntity({
        id: '1f0e2d3c-4b5a-4697-8877-665544332211',
        displayName: 'CORP-FINANCE',
        mail: null,
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: [],
        isAssignableToRole: false,
        onPremisesSyncEnabled: true,
        onPremisesLastSyncDateTime: '2024-06-01T00:00:00Z',
        onPremisesSamAccountName: 'CORP-FINANCE',
        onPremisesDomainName: 'corp.contoso.com',
        onPremisesNetBiosName: 'CORP',
        onPremisesSecurityIdentifier: 'S-1-5-21-1-2-3-5001',
      }),
    );
    expect(entity).toMatchObject({
      unified: false,
      dynamicMembership: false,
      isAssignableToRole: false,
      onPremisesSyncEnabled: true,
      onPremisesLastSyncOn: Date.parse('2024-06-01T00:00:00Z'),
      onPremisesNetBiosName: 'CORP',
    });
    expect('email' in entity).toBe(false);
    expect('groupTypes' in entity).toBe(false);
  });
});

describe('group members', () => {
  const members = recordedItems<GraphDirectoryObject>(
    'iterateGroupMembers.har',
    '/members',
  );
  const groupId = recordedGroupId();

  test('the recorded member is a user that /users also lists', () => {
    const users = recordedItems<GraphUser>('iterateUsers.har', '/v1.0/users');
    expect(members).toHaveLength(1);
    expect(memberTypeOf(members[0])).toBe('user');
    expect(memberKind(members[0])).toBe('user');
    expect(users.map((u) => u.id)).toContain(members[0].id);
  });

  test('group HAS user, keyed {groupId}|has|{userId}', () => {
    const relationship = toGroupHasMemberRelationship(
      groupId,
      members[0].id,
      Entities.USER._type,
    );
    expect(relationship).toEqual({
      _key: relationshipKey(
        '58e48aba-cd45-440f-a851-2bf9715fadc1|has|1bc373cb-36d4-4fd9-8996-b77d3544a380',
      ),
      _type: Relationships.GROUP_HAS_USER._type,
      _class: 'HAS',
      _fromEntityKey: '58e48aba-cd45-440f-a851-2bf9715fadc1',
      _toEntityKey: '1bc373cb-36d4-4fd9-8996-b77d3544a380',
      displayName: 'HAS',
    });
  });

  test('a member user missing from the collection: mapped group HAS azure_user, same key', () => {
    const relationship = toGroupHasMappedMemberRelationship(
      groupId,
      members[0],
      'user',
    );
    expect(relationship).toEqual({
      _key: relationshipKey(
        '58e48aba-cd45-440f-a851-2bf9715fadc1|has|1bc373cb-36d4-4fd9-8996-b77d3544a380',
      ),
      _type: MappedRelationships.GROUP_HAS_USER._type,
      _class: 'HAS',
      displayName: 'HAS',
      _mapping: {
        relationshipDirection: 'FORWARD',
        sourceEntityKey: '58e48aba-cd45-440f-a851-2bf9715fadc1',
        targetFilterKeys: [['_type', '_key']],
        skipTargetCreation: false,
        targetEntity: {
          _key: '1bc373cb-36d4-4fd9-8996-b77d3544a380',
          _type: 'azure_user',
          _class: ['User'],
          displayName: 'adam',
          name: 'adam',
          userPrincipalName:
            'adam_thewilliams.ws#EXT#@adamjupiteronehotmailcom.onmicrosoft.com',
        },
      },
    });
  });

  test('a member group missing from the collection: mapped group HAS azure_user_group', () => {
    const relationship = toGroupHasMappedMemberRelationship(
      groupId,
      {
        '@odata.type': '#microsoft.graph.group',
        id: '0a1b2c3d-1111-4222-8333-444455556666',
      },
      'group',
    );
    expect(relationship._type).toBe(MappedRelationships.GROUP_HAS_GROUP._type);
    expect(relationship._key).toBe(
      relationshipKey(
        '58e48aba-cd45-440f-a851-2bf9715fadc1|has|0a1b2c3d-1111-4222-8333-444455556666',
      ),
    );
    expect((relationship as { _mapping: unknown })._mapping).toMatchObject({
      targetEntity: {
        _key: '0a1b2c3d-1111-4222-8333-444455556666',
        _type: 'azure_user_group',
        _class: ['UserGroup'],
      },
    });
  });

  test('member types from @odata.type', () => {
    const of = (t?: string) =>
      memberTypeOf({ id: 'x', ...(t ? { '@odata.type': t } : {}) });
    expect(of('#microsoft.graph.user')).toBe('user');
    expect(of('#microsoft.graph.group')).toBe('group');
    expect(of('#microsoft.graph.device')).toBe('device');
    expect(of('#microsoft.graph.servicePrincipal')).toBe('servicePrincipal');
    expect(of('#microsoft.graph.orgContact')).toBe('orgContact');
    expect(of('#microsoft.graph.directoryObject')).toBe('directoryObject');
    expect(of(undefined)).toBe('directoryObject');
    expect(
      memberKind({ id: 'x', '@odata.type': '#microsoft.graph.device' }),
    ).toBe('other');
    // Related to their azure_service_principal, not made azure_group_members.
    expect(
      memberKind({
        id: 'x',
        '@odata.type': '#microsoft.graph.servicePrincipal',
      }),
    ).toBe('servicePrincipal');
  });

  test('a device member', () => {
    const entity = toGroupMemberEntity({
      '@odata.type': '#microsoft.graph.device',
      id: 'c0ffee00-1111-4222-8333-444455556666',
      displayName: 'DESKTOP-ABC1234',
      accountEnabled: true,
      createdDateTime: '2023-01-01T00:00:00Z',
      deviceId: 'd1d2d3d4-1111-4222-8333-444455556666',
      operatingSystem: 'Windows',
      operatingSystemVersion: '10.0.22631.3593',
      trustType: 'AzureAd',
      profileType: 'RegisteredDevice',
      deviceOwnership: 'Company',
      isCompliant: true,
      isManaged: true,
      managementType: 'MDM',
      manufacturer: 'Dell Inc.',
      model: 'Latitude 5440',
      registrationDateTime: '2023-01-01T00:00:00Z',
      approximateLastSignInDateTime: '2024-06-01T00:00:00Z',
      mail: null,
    });
    expect(serialized(entity)).toEqual({
      _key: 'c0ffee00-1111-4222-8333-444455556666',
      _type: 'azure_group_member',
      _class: ['User'],
      _rawData: [],
      id: 'c0ffee00-1111-4222-8333-444455556666',
      name: 'DESKTOP-ABC1234',
      displayName: 'DESKTOP-ABC1234',
      memberType: 'device',
      active: true,
      accountEnabled: true,
      createdOn: Date.parse('2023-01-01T00:00:00Z'),
      deviceId: 'd1d2d3d4-1111-4222-8333-444455556666',
      operatingSystem: 'Windows',
      operatingSystemVersion: '10.0.22631.3593',
      trustType: 'AzureAd',
      profileType: 'RegisteredDevice',
      deviceOwnership: 'Company',
      isCompliant: true,
      isManaged: true,
      managementType: 'MDM',
      manufacturer: 'Dell Inc.',
      model: 'Latitude 5440',
      registeredOn: Date.parse('2023-01-01T00:00:00Z'),
      approximateLastSignInOn: Date.parse('2024-06-01T00:00:00Z'),
    });
    expect(entity).toMatchGraphObjectSchema({ _class: ['User'] });
  });

  test('an organizational contact member: email from mail', () => {
    const entity = toGroupMemberEntity({
      '@odata.type': '#microsoft.graph.orgContact',
      id: '0c0c0c0c-1111-4222-8333-444455556666',
      displayName: 'Ana Silva (Fabrikam)',
      givenName: 'Ana',
      surname: 'Silva',
      mail: 'Ana.Silva@Fabrikam.com',
      mailNickname: 'anasilva7',
      companyName: 'Fabrikam',
      department: 'Sales',
      jobTitle: 'Buyer',
    });
    expect(serialized(entity)).toMatchObject({
      memberType: 'orgContact',
      email: 'ana.silva@fabrikam.com',
      mail: 'Ana.Silva@Fabrikam.com',
      firstName: 'Ana',
      lastName: 'Silva',
      companyName: 'Fabrikam',
      department: 'Sales',
      jobTitle: 'Buyer',
    });
    expect(entity).toMatchGraphObjectSchema({ _class: ['User'] });
  });

  test('a member Graph shows only as id and @odata.type', () => {
    for (const odataType of [
      '#microsoft.graph.device',
      '#microsoft.graph.directoryObject',
    ]) {
      const entity = toGroupMemberEntity({
        '@odata.type': odataType,
        id: 'ffffffff-1111-4222-8333-444455556666',
      });
      expect(serialized(entity)).toEqual({
        _key: 'ffffffff-1111-4222-8333-444455556666',
        _type: 'azure_group_member',
        _class: ['User'],
        _rawData: [],
        id: 'ffffffff-1111-4222-8333-444455556666',
        name: 'ffffffff-1111-4222-8333-444455556666',
        displayName: 'ffffffff-1111-4222-8333-444455556666',
        memberType: odataType.slice('#microsoft.graph.'.length),
      });
      expect(entity).toMatchGraphObjectSchema({ _class: ['User'] });
    }
  });
});

describe('account relationships', () => {
  test('account HAS user and account HAS group use the declared types', () => {
    const account = {
      _key: 'microsoft_365_account:a76fc728-0cba-45f0-a9eb-d45207e14513',
      _type: 'microsoft_365_account',
      _class: ['Account'],
    } as Entity;
    const toUser = toAccountHasRelationship(account, {
      _key: 'd0e84358-ed79-4ae0-9157-83d3a0ef9b78',
      _type: 'azure_user',
    });
    expect(toUser).toMatchObject({
      _key: relationshipKey(
        'microsoft_365_account:a76fc728-0cba-45f0-a9eb-d45207e14513|has|d0e84358-ed79-4ae0-9157-83d3a0ef9b78',
      ),
      _type: Relationships.ACCOUNT_HAS_USER._type,
      _class: RelationshipClass.HAS,
    });
    expect(
      toAccountHasRelationship(account, {
        _key: 'g',
        _type: 'azure_user_group',
      })._type,
    ).toBe(Relationships.ACCOUNT_HAS_GROUP._type);
  });
});

describe('value helpers', () => {
  test('normalizeEmail: lower-case, trimmed, only addresses the data model accepts', () => {
    expect(normalizeEmail('John.Smith@Contoso.COM')).toBe(
      'john.smith@contoso.com',
    );
    expect(normalizeEmail(' a@b.io ')).toBe('a@b.io');
    expect(normalizeEmail(null)).toBeUndefined();
    expect(normalizeEmail(undefined)).toBeUndefined();
    expect(normalizeEmail('')).toBeUndefined();
    expect(normalizeEmail('not an address')).toBeUndefined();
    expect(normalizeEmail('user@localhost')).toBeUndefined();
    expect(normalizeEmail('jürgen@münchen.de')).toBeUndefined();
  });
});
