/**
 * The listing as the authority for what must not depend on the route:
 * entity naming, INSTALLED sizes, and an export row's identity.
 */
import { DetectedCatalog } from './detected-catalog';
import { detectedApplicationKey, reportPlatformFamily } from './converters';

const listing = [
  {
    id: '1',
    displayName: 'Slack',
    version: '4.1',
    platform: 'macOS',
    publisher: 'Slack Technologies',
    sizeInByte: 10,
  },
  {
    id: '2',
    displayName: 'Slack',
    version: '4.1',
    platform: 'ios',
    publisher: 'Slack Technologies',
    sizeInByte: 0,
  },
  {
    id: '3',
    displayName: 'Notepad++ ',
    version: '8.6',
    platform: 'windows',
    publisher: null,
    sizeInByte: 5,
  },
  {
    id: '4',
    displayName: 'notepad++',
    version: '8.6',
    platform: 'windows',
    publisher: 'Don Ho',
    sizeInByte: 7,
  },
  {
    id: '5',
    displayName: 'Teams',
    version: '1',
    platform: 'androidWorkProfile',
    publisher: 'Microsoft',
  },
  {
    id: '6',
    displayName: 'Old',
    version: '1',
    platform: null,
    publisher: null,
    sizeInByte: 1,
  },
];

test('report Platform texts map to the detectedApp enum families; unknown texts to nothing', () => {
  expect(
    [
      'Windows',
      'macOS',
      'Mac OS X',
      'iOS',
      'iPadOS',
      'Android Work Profile',
      'android',
      'Chrome OS',
      'Windows Holographic',
      'Unknown',
    ].map(reportPlatformFamily),
  ).toEqual([
    'windows',
    'macOS',
    'macOS',
    'ios',
    'ios',
    'android',
    'android',
    'chromeOS',
    'windowsHolographic',
    'unknown',
  ]);
  expect(['', '3', 'Linux', undefined].map(reportPlatformFamily)).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
});

test('naming: the smallest name of the identity, the publisher of the first that has one; not the order seen', () => {
  const forward = new DetectedCatalog(listing);
  const backward = new DetectedCatalog([...listing].reverse());
  const key = detectedApplicationKey('windows', 'notepad++');
  expect(forward.namingOf(key)).toEqual({
    name: 'Notepad++',
    publisher: undefined,
  });
  expect(backward.namingOf(key)).toEqual(forward.namingOf(key));
  // rows and items never rename a listed identity
  const identity = forward.identityOfRow(
    'notepad++',
    '8.6',
    'Windows',
    undefined,
  )!;
  forward.observe(identity, 'A notepad++', 'Someone');
  expect(forward.namingOf(key)).toEqual({
    name: 'Notepad++',
    publisher: undefined,
  });
  expect(forward.sizeOf(key, '8.6')).toBe(7);
});

test('a row takes its family from the listing; its Platform only picks among several', () => {
  const catalog = new DetectedCatalog(listing);
  // one family listed for the name: the listing decides, whatever the text says
  expect(
    catalog.identityOfRow('TEAMS', '1', 'Android', undefined)?.family,
  ).toBe('android');
  expect(catalog.identityOfRow('Old', '1', 'Windows', undefined)?.family).toBe(
    'unknown',
  );
  expect(catalog.identityOfRow('Teams', '9', '7', undefined)?.family).toBe(
    'android',
  );
  // two families listed: the text (or its _loc twin) picks
  expect(catalog.identityOfRow('Slack', '4.1', 'iOS', undefined)?.family).toBe(
    'ios',
  );
  expect(catalog.identityOfRow('Slack', '4.1', '2', 'macOS')?.family).toBe(
    'macOS',
  );
  expect(() => catalog.identityOfRow('Slack', '4.1', '2', undefined)).toThrow(
    'the platform "2" of "Slack" is not one this integration knows, and the listing has that name on macOS, ios',
  );
  // not listed: the text, or unknown when there is none
  expect(catalog.identityOfRow('New App', '1', 'Windows', undefined)?.key).toBe(
    detectedApplicationKey('windows', 'new app'),
  );
  expect(catalog.identityOfRow('New App', '1', '', undefined)?.family).toBe(
    'unknown',
  );
  expect(() =>
    catalog.identityOfRow('New App', '1', 'Linux', undefined),
  ).toThrow(
    'the platform "Linux" of "New App" is not one this integration knows',
  );
  expect(
    catalog.identityOfRow('  ', '1', 'Windows', undefined),
  ).toBeUndefined();
});

test('an unlisted identity is named by the smallest name seen, in any order', () => {
  const catalog = new DetectedCatalog([]);
  const identity = catalog.identityOfRow('zoom', '1', 'Windows', undefined)!;
  catalog.observe(identity, 'zoom', '');
  catalog.observe(identity, 'Zoom', 'Zoom Video');
  catalog.observe(identity, 'ZOOM ', undefined);
  expect(catalog.namingOf(identity.key)).toEqual({
    name: 'ZOOM',
    publisher: undefined,
  });
});
