/**
 * Group members that are neither users nor groups: Entra devices, service
 * principals and organizational contacts, with their directoryObject shapes.
 */
import { GraphObject } from './model';
import {
  COMPANIES,
  DEPARTMENTS,
  EXTERNAL_DOMAINS,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
} from './names';
import { IdKind, guid, isoSeconds, pastMs, rngFor } from './random';
import {
  buildServicePrincipal,
  poolServicePrincipalSpec,
} from './service-principals';

export function memberDeviceObject(
  seed: number,
  id: string,
  index: number,
): GraphObject {
  const rng = rngFor(seed, IdKind.memberDevice, index, 1);
  const os = rng.pick([
    'Windows',
    'Windows',
    'Windows',
    'iOS',
    'Android',
    'MacMDM',
  ] as const);
  const versions: Record<typeof os, string> = {
    Windows: '10.0.22631.3593',
    iOS: '17.5.1',
    Android: '14.0',
    MacMDM: '14.5 (23F79)',
  };
  const managed = rng.chance(0.8);
  const registered = isoSeconds(pastMs(rng, 10, 900));
  return {
    '@odata.type': '#microsoft.graph.device',
    id: id,
    deletedDateTime: null,
    accountEnabled: rng.chance(0.95),
    approximateLastSignInDateTime: isoSeconds(pastMs(rng, 0, 60)),
    complianceExpirationDateTime: null,
    createdDateTime: registered,
    deviceCategory: null,
    deviceId: guid(seed, IdKind.aadDevice, 1_000_000 + index),
    deviceMetadata: null,
    deviceOwnership: rng.chance(0.8) ? 'Company' : 'Personal',
    deviceVersion: 2,
    displayName:
      os === 'Windows'
        ? `DESKTOP-${rng.hex(7, true)}`
        : `${rng.pick(FIRST_NAMES)}'s ${
            os === 'iOS' ? 'iPhone' : os === 'Android' ? 'Android' : 'Mac'
          }`,
    domainName: null,
    enrollmentProfileName: null,
    enrollmentType: managed ? 'AzureDomainJoined' : null,
    externalSourceName: null,
    isCompliant: managed ? rng.chance(0.85) : null,
    isManaged: managed,
    isRooted: false,
    managementType: managed ? 'MDM' : null,
    manufacturer:
      os === 'Windows' ? 'Dell Inc.' : os === 'Android' ? 'samsung' : 'Apple',
    mdmAppId: managed ? '0000000a-0000-0000-c000-000000000000' : null,
    model:
      os === 'Windows'
        ? 'Latitude 5440'
        : os === 'iOS'
        ? 'iPhone 14'
        : os === 'Android'
        ? 'SM-A546B'
        : 'MacBook Air',
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    operatingSystem: os,
    operatingSystemVersion: versions[os],
    physicalIds: [],
    profileType: 'RegisteredDevice',
    registrationDateTime: registered,
    sourceType: null,
    systemLabels: [],
    trustType: os === 'Windows' ? 'AzureAd' : 'Workplace',
  };
}

/**
 * A service principal of the member pool, exactly as GET /servicePrincipals
 * lists it (with '@odata.type' first, as member lists show it): the pool is
 * the first stretch of the tenant's service principals (applications.ts).
 */
export function servicePrincipalObject(
  seed: number,
  id: string,
  index: number,
  tenantId: string,
): GraphObject {
  return buildServicePrincipal(
    poolServicePrincipalSpec(seed, id, index, tenantId),
  );
}

export function orgContactObject(
  seed: number,
  id: string,
  index: number,
): GraphObject {
  const rng = rngFor(seed, IdKind.orgContact, index, 1);
  const given = rng.pick(FIRST_NAMES);
  const surname = rng.pick(LAST_NAMES);
  const company = rng.pick(COMPANIES);
  const domain = rng.pick(EXTERNAL_DOMAINS);
  const nick = `${given}${surname}${index}`.toLowerCase();
  const mail = `${given}.${surname}@${domain}`.toLowerCase();
  return {
    '@odata.type': '#microsoft.graph.orgContact',
    id: id,
    deletedDateTime: null,
    companyName: company,
    department: rng.chance(0.5) ? rng.pick(DEPARTMENTS) : null,
    displayName: `${given} ${surname} (${company})`,
    givenName: given,
    jobTitle: rng.chance(0.5) ? rng.pick(JOB_TITLES) : null,
    mail,
    mailNickname: nick,
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    surname,
    addresses: [],
    phones: [],
    proxyAddresses: [`SMTP:${mail}`],
  };
}
