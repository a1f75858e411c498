/**
 * The enums of a managed device that the converters interpret: their
 * documented values (graph-api.md §9), what `complianceState` says about
 * `compliant`, and which values a device sent that Microsoft has not
 * documented (yet).
 */
import { ManagedDevice } from '../../graph/intune-devices';
import { presentString } from '../convert';

/** compliant / noncompliant as a boolean; states that decide nothing are absent. */
export const COMPLIANT_BY_STATE: Readonly<Record<string, boolean>> = {
  compliant: true,
  noncompliant: false,
  conflict: false,
  error: false,
  inGracePeriod: false,
};

/** The documented values of the enums the converters interpret (graph-api.md §9). */
const DOCUMENTED_VALUES = {
  deviceType: [
    'desktop',
    'windowsRT',
    'winMO6',
    'nokia',
    'windowsPhone',
    'mac',
    'winCE',
    'winEmbedded',
    'iPhone',
    'iPad',
    'iPod',
    'android',
    'iSocConsumer',
    'unix',
    'macMDM',
    'holoLens',
    'surfaceHub',
    'androidForWork',
    'androidEnterprise',
    'windows10x',
    'androidnGMS',
    'chromeOS',
    'linux',
    'blackberry',
    'palm',
    'unknown',
    'cloudPC',
  ],
  complianceState: [
    'unknown',
    'compliant',
    'noncompliant',
    'conflict',
    'error',
    'inGracePeriod',
    'configManager',
  ],
};
const DOCUMENTED = Object.fromEntries(
  Object.entries(DOCUMENTED_VALUES).map(([property, values]) => [
    property,
    new Set(values.map((v) => v.toLowerCase())),
  ]),
) as Record<keyof typeof DOCUMENTED_VALUES, Set<string>>;

/**
 * Enum values of the device that are not documented (Microsoft adds values):
 * they are kept as sent, but decide neither the kind nor `compliant`.
 */
export function undocumentedValues(
  managed: ManagedDevice,
): { property: keyof typeof DOCUMENTED_VALUES; value: string }[] {
  const found: { property: keyof typeof DOCUMENTED_VALUES; value: string }[] =
    [];
  for (const property of ['deviceType', 'complianceState'] as const) {
    const value = presentString(managed[property]);
    if (value && !DOCUMENTED[property].has(value.toLowerCase())) {
      found.push({ property, value });
    }
  }
  return found;
}
