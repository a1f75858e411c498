/**
 * Which settings of a compliance policy or device configuration its entity
 * carries: the security-relevant ones (passwords, encryption, boot
 * integrity, firewall, Defender, jailbreak...) as primitive properties.
 */
import { IntunePolicy } from '../../graph/compliance';

/**
 * Settings copied from a policy, by name prefix, one concern per line. Names
 * stay Graph's, so they can be looked up in the Intune docs; each derived type
 * spells them its own way (iOS `passcode*`, Windows and Android `password*`).
 */
const SECURITY_SETTING_PREFIXES = [
  // password / passcode rules
  'password',
  'passcode',
  'workProfilePassword',
  // operating system version bounds, patch level
  'osMinimum',
  'osMaximum',
  'mobileOsMinimum',
  'mobileOsMaximum',
  'minAndroidSecurityPatchLevel',
  // encryption
  'storageRequire',
  'bitLocker',
  'fileVault',
  // boot and system integrity, health attestation
  'secureBoot',
  'codeIntegrity',
  'earlyLaunchAntiMalware',
  'requireHealthyDeviceReport',
  'tpm',
  'systemIntegrityProtection',
  'deviceGuard',
  // firewall
  'firewall',
  'activeFirewall',
  // Defender, antivirus, threat protection, SmartScreen, Gatekeeper
  'defender',
  'antivirus',
  'antiSpyware',
  'rtpEnabled',
  'signatureOutOfDate',
  'deviceThreatProtection',
  'advancedThreatProtection',
  'smartScreen',
  'applicationGuard',
  'gatekeeper',
  // jailbreak / root, app and device integrity (SafetyNet, Play Integrity, USB debugging)
  'securityBlockJailbrokenDevices',
  'securityRequire',
  'securityPrevent',
  'securityDisableUsbDebugging',
];

/** Longest string setting copied: longer ones are documents (profile XML, payloads), not settings. */
const MAX_SETTING_STRING_LENGTH = 256;

function isSecuritySetting(name: string): boolean {
  if (/Xml$/.test(name)) return false;
  return SECURITY_SETTING_PREFIXES.some((prefix) => name.startsWith(prefix));
}

type Primitive = string | number | boolean;

function primitive(value: unknown): Primitive | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    return value.length <= MAX_SETTING_STRING_LENGTH ? value : undefined;
  }
  return undefined;
}

/**
 * The security-relevant settings of a policy as primitive properties:
 * settings named by SECURITY_SETTING_PREFIXES whose value is a boolean,
 * number or short string. Null means "not configured" and is left out.
 * Arrays (exclusion lists, allowed apps) are left out. An object setting
 * (`firewallProfileDomain`, `bitLockerSystemDrivePolicy`...) is flattened one
 * level: `firewallProfileDomain.firewallEnabled` becomes
 * `firewallProfileDomainFirewallEnabled`.
 */
export function securitySettingsOf(
  policy: IntunePolicy,
): Record<string, Primitive> {
  const settings: Record<string, Primitive> = {};
  for (const name of Object.keys(policy).sort()) {
    if (!isSecuritySetting(name)) continue;
    const value = policy[name];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const child of Object.keys(value).sort()) {
        if (child.startsWith('@')) continue;
        const flat = primitive((value as Record<string, unknown>)[child]);
        if (flat !== undefined) {
          settings[`${name}${child[0].toUpperCase()}${child.slice(1)}`] = flat;
        }
      }
      continue;
    }
    const flat = primitive(value);
    if (flat !== undefined) settings[name] = flat;
  }
  return settings;
}
