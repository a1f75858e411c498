import { ALL_ROLES, startTestTenant, TestTenant } from '../support/tenant';
import { runCollection } from '../support/collect';

describe('account step', () => {
  let t: TestTenant;
  afterEach(() => t?.close());

  test('a tenant with Intune: one account enriched with the Intune account', async () => {
    t = await startTestTenant('tiny');
    const result = await runCollection(t.config);
    expect(result.error).toBeUndefined();
    expect(result.stepStatus('fetch-account')).toBe('success');
    const accounts = result.entities.filter(
      (e) => e._type === 'microsoft_365_account',
    );
    expect(accounts).toHaveLength(1);
    const org = t.tenant.organization as any;
    expect(accounts[0]).toMatchObject({
      _key: `microsoft_365_account:${t.tenant.tenantId}`,
      _class: ['Account'],
      id: t.tenant.tenantId,
      tenantId: t.tenant.tenantId,
      name: org.displayName,
      displayName: org.displayName,
      defaultDomain: org.verifiedDomains.find((d: any) => d.isDefault).name,
      intuneEnabled: true,
      intuneAccountId: t.tenant.intune!.intuneAccountId,
      intuneSubscriptionState: t.tenant.intune!.subscriptionState,
      mdmAuthority: t.tenant.intune!.mdmAuthority,
    });
  });

  test('a tenant without Intune still yields the account, and the Intune steps are disabled with the reason logged', async () => {
    t = await startTestTenant('noIntune');
    const result = await runCollection(t.config);
    expect(result.error).toBeUndefined();
    const account = result.entities.find(
      (e) => e._type === 'microsoft_365_account',
    );
    expect(account).toMatchObject({ intuneEnabled: false });
    expect(account).not.toHaveProperty('intuneAccountId');
    const intuneSteps = result.summary.integrationStepResults.filter((s) =>
      [
        'fetch-devices',
        'build-user-device-relationships',
        'fetch-managed-applications',
        'fetch-detected-applications',
        'fetch-compliance-policies',
        'fetch-device-configurations',
      ].includes(s.id),
    );
    for (const step of intuneSteps) expect(step.status).toBe('disabled');
    expect(result.logs.map((r) => r.msg)).toContain(
      'The tenant has no Intune subscription (Microsoft Graph: "Request not applicable to target tenant."): the Intune device, application and compliance steps are disabled.',
    );
    expect(result.stepStatus('fetch-account')).toBe('success');
  });

  test('without an Intune service-configuration permission the account is still collected, with a warning', async () => {
    t = await startTestTenant('tiny', {
      roles: ALL_ROLES.filter(
        (r) =>
          r !== 'DeviceManagementServiceConfig.Read.All' &&
          r !== 'DeviceManagementConfiguration.Read.All',
      ),
    });
    const result = await runCollection(t.config);
    const account = result.entities.find(
      (e) => e._type === 'microsoft_365_account',
    );
    expect(account).toMatchObject({ intuneEnabled: false });
    const warning = result.logs.find((r) =>
      r.msg.startsWith('The account is not enriched with Intune details:'),
    );
    expect(warning?.msg).toContain('DeviceManagementServiceConfig.Read.All');
  });
});
