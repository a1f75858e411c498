/**
 * Microsoft national clouds: where to get tokens, where Graph lives, and which
 * scope to ask for (graph-api.md §8, learn.microsoft.com/graph/deployments).
 * GCC (moderate) uses the global endpoints; only GCC High and DoD use `.us`.
 */
export const CLOUDS = {
  global: {
    description: 'Microsoft global cloud (including GCC)',
    authorityHost: 'https://login.microsoftonline.com',
    graphEndpoint: 'https://graph.microsoft.com',
  },
  usgov: {
    description: 'US Government L4 (GCC High)',
    authorityHost: 'https://login.microsoftonline.us',
    graphEndpoint: 'https://graph.microsoft.us',
  },
  usgovdod: {
    description: 'US Government L5 (DoD)',
    authorityHost: 'https://login.microsoftonline.us',
    graphEndpoint: 'https://dod-graph.microsoft.us',
  },
  china: {
    description: 'China, operated by 21Vianet',
    authorityHost: 'https://login.chinacloudapi.cn',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
  },
} as const;

export type CloudName = keyof typeof CLOUDS;
export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];

/** Login hosts MSAL knows without network discovery (msal-common AuthorityMetadata). */
const MSAL_KNOWN_LOGIN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** Graph hosts to which graph-client attaches tokens by itself (GRAPH_URLS). */
const SDK_GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

export interface CloudSettings {
  cloud: CloudName;
  /** https origin of the Entra ID login service. */
  authorityHost: string;
  /**
   * Where the token requests really go: MSAL swaps China's
   * login.chinacloudapi.cn for its preferred login.partner.microsoftonline.cn
   * (graph-api.md §8). Used to name the endpoint in error messages.
   */
  tokenHost: string;
  /** https origin of Microsoft Graph, without version. */
  graphEndpoint: string;
  /** The `.default` scope of the cloud's Graph resource. */
  scope: string;
  /** MSAL must skip instance discovery (which needs the internet) for a host it does not know. */
  disableInstanceDiscovery: boolean;
  /** Hosts graph-client must be told about, or it strips the Authorization header. */
  customGraphHosts: string[];
}

export function resolveCloudSettings(options: {
  cloud?: string;
  authorityHost?: string;
  graphEndpoint?: string;
}): CloudSettings {
  const cloud = (options.cloud || 'global') as CloudName;
  const defaults = CLOUDS[cloud];
  const authorityHost =
    toOrigin(options.authorityHost) ?? defaults.authorityHost;
  const graphEndpoint =
    toOrigin(options.graphEndpoint) ?? defaults.graphEndpoint;
  const graphHost = new URL(graphEndpoint).hostname;
  return {
    cloud,
    authorityHost,
    tokenHost:
      authorityHost === CLOUDS.china.authorityHost
        ? 'https://login.partner.microsoftonline.cn'
        : authorityHost,
    graphEndpoint,
    // The token audience is the cloud's Graph resource even when requests are
    // routed elsewhere (a proxy or the simulator): that is what Graph checks.
    scope: `${defaults.graphEndpoint}/.default`,
    disableInstanceDiscovery: !MSAL_KNOWN_LOGIN_HOSTS.has(
      new URL(authorityHost).hostname,
    ),
    customGraphHosts: SDK_GRAPH_HOSTS.has(graphHost) ? [] : [graphHost],
  };
}

function toOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return new URL(value).origin;
}
