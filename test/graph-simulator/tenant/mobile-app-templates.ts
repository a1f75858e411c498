/**
 * Kinds of Intune mobile apps the simulator lists. The first mobile apps of
 * every tenant are these templates, in order, so even a tiny tenant has each
 * case of the managed-application rules of docs/data-model-rules.md:
 * assigned vs. unassigned, line-of-business by `@odata.type` or by
 * `appAvailability`, names equal (after normalisation) to a detected app of the
 * same platform family, and apps without a family (webApp) that manage nothing
 * even when their name matches.
 */
import { PlatformFamily } from './devices';

export type MobileAppNaming =
  /** Exactly the display name of a detected app of the app's family. */
  | { kind: 'detected' }
  /** A detected app's name with case / white space changed (equal after normalisation). */
  | { kind: 'detectedVariant' }
  /** A fixed name (may or may not equal a detected app). */
  | { kind: 'fixed'; value: string }
  /** A name no detected app has ("Contoso ..."). */
  | { kind: 'unique' };

export interface MobileAppTemplate {
  odataType: string;
  naming: MobileAppNaming;
  isAssigned: boolean;
  /** Only managedApp subtypes (managedIOSStoreApp, managedAndroidStoreApp, managed*LobApp) have it. */
  appAvailability?: 'global' | 'lineOfBusiness';
  publishingState: 'notPublished' | 'processing' | 'published';
  note: string;
}

/**
 * Platform family of a mobile app by its `@odata.type`, as the rules define it
 * (null: the app has no family and manages nothing).
 */
export function mobileAppFamily(odataType: string): PlatformFamily | null {
  const type = odataType.replace('#microsoft.graph.', '');
  const windows = [
    'win32LobApp',
    'windowsMobileMSI',
    'winGetApp',
    'windowsMicrosoftEdgeApp',
    'officeSuiteApp',
    'windowsStoreApp',
    'windowsUniversalAppX',
    'microsoftStoreForBusinessApp',
    'windowsAppX',
    'windowsWebApp',
  ];
  if (windows.includes(type)) return 'windows';
  if (type.startsWith('ios')) return 'ios';
  if (type.startsWith('macOS')) return 'macOS';
  if (type.startsWith('android') || type.startsWith('managedAndroid'))
    return 'android';
  return null;
}

/**
 * Whether the app is deployed (assigned, or line-of-business): only deployed
 * apps have install-report rows. Every app is an intune_managed_application
 * entity: the whole catalog the tenant approved (issue 14 §1).
 */
export function isDeployedApp(app: {
  '@odata.type': string;
  isAssigned?: boolean;
  appAvailability?: string;
}): boolean {
  return (
    app.isAssigned === true ||
    app['@odata.type'].endsWith('LobApp') ||
    app.appAvailability === 'lineOfBusiness'
  );
}

export const MOBILE_APP_TEMPLATES: readonly MobileAppTemplate[] = [
  {
    odataType: 'webApp',
    naming: { kind: 'fixed', value: 'Contoso Intranet' },
    isAssigned: true,
    publishingState: 'published',
    note: 'assigned web link; install rows for every kind of device and every install state',
  },
  {
    odataType: 'windowsMicrosoftEdgeApp',
    naming: { kind: 'fixed', value: 'Microsoft Edge' },
    isAssigned: true,
    publishingState: 'published',
    note: 'manages the Windows detected app "Microsoft Edge"',
  },
  {
    odataType: 'win32LobApp',
    naming: { kind: 'detected' },
    isAssigned: true,
    publishingState: 'published',
    note: 'packaged Win32 app with the name of a Windows detected app',
  },
  {
    odataType: 'win32LobApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    publishingState: 'published',
    note: 'unassigned, but line-of-business by type: still an entity',
  },
  {
    odataType: 'officeSuiteApp',
    naming: { kind: 'fixed', value: 'Microsoft 365 Apps for Windows 10' },
    isAssigned: true,
    publishingState: 'published',
    note: 'Office suite; its name differs from the detected "Microsoft 365 Apps for enterprise - en-us"',
  },
  {
    odataType: 'winGetApp',
    naming: { kind: 'detected' },
    isAssigned: true,
    publishingState: 'published',
    note: 'Store (WinGet) app with the name of a Windows detected app',
  },
  {
    odataType: 'windowsMobileMSI',
    naming: { kind: 'unique' },
    isAssigned: true,
    publishingState: 'published',
    note: 'assigned MSI line-of-business app',
  },
  {
    odataType: 'windowsStoreApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    publishingState: 'published',
    note: 'unassigned store app: not an entity',
  },
  {
    odataType: 'iosStoreApp',
    naming: { kind: 'detected' },
    isAssigned: true,
    publishingState: 'published',
    note: 'assigned App Store app named like an iOS detected app',
  },
  {
    odataType: 'iosStoreApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    publishingState: 'published',
    note: 'unassigned store app: not an entity',
  },
  {
    odataType: 'iosVppApp',
    naming: { kind: 'detectedVariant' },
    isAssigned: true,
    publishingState: 'published',
    note: 'VPP app whose name differs from the detected one only by case / white space',
  },
  {
    odataType: 'iosLobApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    publishingState: 'published',
    note: 'unassigned iOS line-of-business app: an entity',
  },
  {
    odataType: 'managedIOSStoreApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    appAvailability: 'global',
    publishingState: 'published',
    note: 'managed store app, global availability, unassigned: not an entity',
  },
  {
    odataType: 'managedIOSLobApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    appAvailability: 'lineOfBusiness',
    publishingState: 'published',
    note: 'managed iOS LOB app (no family: managedIOS* is not ios*)',
  },
  {
    odataType: 'androidManagedStoreApp',
    naming: { kind: 'detected' },
    isAssigned: true,
    publishingState: 'published',
    note: 'managed Google Play app named like an Android detected app',
  },
  {
    odataType: 'androidManagedStoreApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    publishingState: 'published',
    note: 'approved but unassigned Play app (the HAR\'s "Managed Home Screen"): not an entity',
  },
  {
    odataType: 'androidLobApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    publishingState: 'notPublished',
    note: 'unassigned, unpublished APK: line-of-business by type, an entity',
  },
  {
    odataType: 'managedAndroidStoreApp',
    naming: { kind: 'detected' },
    isAssigned: false,
    appAvailability: 'lineOfBusiness',
    publishingState: 'published',
    note: 'entity only through appAvailability lineOfBusiness; manages an Android detected app',
  },
  {
    odataType: 'macOSLobApp',
    naming: { kind: 'detected' },
    isAssigned: true,
    publishingState: 'published',
    note: 'macOS package named like a macOS detected app',
  },
  {
    odataType: 'macOSOfficeSuiteApp',
    naming: { kind: 'fixed', value: 'Microsoft 365 Apps for macOS' },
    isAssigned: true,
    publishingState: 'published',
    note: 'Office for Mac (as in the HAR)',
  },
  {
    odataType: 'macOSMicrosoftEdgeApp',
    naming: { kind: 'fixed', value: 'Microsoft Edge' },
    isAssigned: true,
    publishingState: 'published',
    note: 'manages the macOS "Microsoft Edge", not the Windows one',
  },
  {
    odataType: 'webApp',
    naming: { kind: 'fixed', value: 'Microsoft Teams' },
    isAssigned: true,
    publishingState: 'published',
    note: 'web link named like a detected app: no platform family, manages nothing',
  },
  {
    odataType: 'webApp',
    naming: { kind: 'unique' },
    isAssigned: false,
    publishingState: 'published',
    note: 'unassigned web link: not an entity',
  },
  {
    odataType: 'microsoftStoreForBusinessApp',
    naming: { kind: 'detected' },
    isAssigned: false,
    publishingState: 'published',
    note: 'unassigned store app named like a detected app: not an entity, so no MANAGES',
  },
];

/** `@odata.type`s used for the mobile apps after the templates, with weights. */
export const EXTRA_MOBILE_APP_TYPES: readonly {
  odataType: string;
  weight: number;
  store: boolean;
}[] = [
  { odataType: 'win32LobApp', weight: 30, store: false },
  { odataType: 'winGetApp', weight: 8, store: true },
  { odataType: 'windowsMobileMSI', weight: 4, store: false },
  { odataType: 'microsoftStoreForBusinessApp', weight: 3, store: true },
  { odataType: 'iosStoreApp', weight: 12, store: true },
  { odataType: 'iosVppApp', weight: 6, store: true },
  { odataType: 'iosLobApp', weight: 3, store: false },
  { odataType: 'androidManagedStoreApp', weight: 12, store: true },
  { odataType: 'androidLobApp', weight: 2, store: false },
  { odataType: 'macOSLobApp', weight: 5, store: false },
  { odataType: 'webApp', weight: 5, store: true },
];
