/**
 * The simulator's device catalogue was written from docs/data-model-rules.md
 * independently of the classifier: each template names the kind and the rule
 * the table must give it. A disagreement here is either a classifier bug or a
 * template that contradicts the table (to report, not to patch).
 */
import { classifyDevice } from '../../src/steps/intune-devices/classify';
import { DEVICE_TEMPLATES } from '../graph-simulator/tenant/devices';

const cases = DEVICE_TEMPLATES.flatMap((template) =>
  template.osVersions.map((osVersion) => ({ template, osVersion })),
);

describe('the simulator device catalogue (test/graph-simulator/tenant/devices.ts)', () => {
  test('covers every rule of the table and every kind', () => {
    expect(new Set(DEVICE_TEMPLATES.map((t) => t.rule))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    );
    expect(new Set(DEVICE_TEMPLATES.map((t) => t.expectedKind)).size).toBe(7);
  });

  test.each(
    cases.map(({ template, osVersion }) => [
      `${template.id} (${osVersion || 'no osVersion'}): rule ${
        template.rule
      } -> ${template.expectedKind}`,
      template,
      osVersion,
    ]),
  )('%s', (_name, template, osVersion) => {
    const t = template as (typeof DEVICE_TEMPLATES)[number];
    expect(
      classifyDevice({
        deviceType: t.deviceType,
        operatingSystem: t.operatingSystem,
        osVersion: osVersion as string,
        chassisType: t.chassisType,
        model: t.model,
        manufacturer: t.manufacturer,
        skuFamily: t.skuFamily,
      }),
    ).toMatchObject({ kind: t.expectedKind, rule: t.rule });
  });
});
