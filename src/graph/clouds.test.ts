import { resolveCloudSettings } from './clouds';

describe('resolveCloudSettings', () => {
  test.each([
    [
      'global',
      'https://login.microsoftonline.com',
      'https://graph.microsoft.com',
    ],
    ['usgov', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
    [
      'usgovdod',
      'https://login.microsoftonline.us',
      'https://dod-graph.microsoft.us',
    ],
    [
      'china',
      'https://login.chinacloudapi.cn',
      'https://microsoftgraph.chinacloudapi.cn',
    ],
  ])(
    '%s uses its own login host, Graph host and scope',
    (cloud, login, graph) => {
      expect(resolveCloudSettings({ cloud })).toEqual({
        cloud,
        authorityHost: login,
        tokenHost:
          cloud === 'china'
            ? 'https://login.partner.microsoftonline.cn'
            : login,
        graphEndpoint: graph,
        scope: `${graph}/.default`,
        disableInstanceDiscovery: false,
        customGraphHosts: [],
      });
    },
  );

  test('global is the default', () => {
    expect(resolveCloudSettings({}).graphEndpoint).toBe(
      'https://graph.microsoft.com',
    );
  });

  test('overridden hosts keep the cloud scope and are told to MSAL and graph-client', () => {
    expect(
      resolveCloudSettings({
        cloud: 'usgov',
        authorityHost: 'https://localhost:8443/',
        graphEndpoint: 'https://localhost:8443',
      }),
    ).toEqual({
      cloud: 'usgov',
      authorityHost: 'https://localhost:8443',
      tokenHost: 'https://localhost:8443',
      graphEndpoint: 'https://localhost:8443',
      scope: 'https://graph.microsoft.us/.default',
      disableInstanceDiscovery: true,
      customGraphHosts: ['localhost'],
    });
  });
});
