import {
  knownString,
  mapEnum,
  presentBoolean,
  presentGuid,
  presentNumber,
  presentString,
  presentText,
  presentStrings,
  toEmailAddress,
  toEpochMs,
  withoutUndefined,
} from './convert';

describe('toEpochMs', () => {
  test('a Graph date-time is epoch milliseconds', () => {
    expect(toEpochMs('2021-06-17T16:41:33Z')).toBe(
      Date.UTC(2021, 5, 17, 16, 41, 33),
    );
    expect(toEpochMs('2021-03-10T00:24:15.04Z')).toBe(
      Date.parse('2021-03-10T00:24:15.04Z'),
    );
    expect(toEpochMs(' 2021-02-17T18:30:00Z ')).toBe(1613586600000);
  });

  test('"not set" sentinels, missing and unreadable values are no time', () => {
    for (const value of [
      '0001-01-01T00:00:00Z',
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '',
      '   ',
      'garbage',
      null,
      undefined,
      0,
      1613586600000,
    ]) {
      expect(toEpochMs(value)).toBeUndefined();
    }
  });
});

describe('toEmailAddress', () => {
  test('trimmed addresses, case kept', () => {
    expect(toEmailAddress('John.Smith@Contoso.COM')).toBe(
      'John.Smith@Contoso.COM',
    );
    expect(toEmailAddress(' a@b.io ')).toBe('a@b.io');
  });

  test('anything that is no internet address is absent', () => {
    for (const value of [
      null,
      undefined,
      '',
      'not an address',
      'user@localhost',
      'a..b@contoso.com',
      'jürgen@münchen.de',
      42,
    ]) {
      expect(toEmailAddress(value)).toBeUndefined();
    }
  });
});

describe('absent values', () => {
  test('strings: null, blank and non-strings are absent; "Unknown" too where it is a placeholder', () => {
    expect(presentString('  x ')).toBe('x');
    expect(presentString(' ')).toBeUndefined();
    expect(presentString(null)).toBeUndefined();
    expect(presentString(3)).toBeUndefined();
    expect(presentText(' Comp  Portal ')).toBe(' Comp  Portal ');
    expect(presentText(' ')).toBeUndefined();
    expect(knownString('Unknown')).toBeUndefined();
    expect(knownString('unknown')).toBeUndefined();
    expect(knownString('Dell Inc.')).toBe('Dell Inc.');
  });

  test('GUIDs: lower-cased; the all-zero GUID is absent', () => {
    expect(presentGuid('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(presentGuid('')).toBeUndefined();
    expect(presentGuid('683DBFF1-C8FF-4996-91AE-85484DE46CFC')).toBe(
      '683dbff1-c8ff-4996-91ae-85484de46cfc',
    );
  });

  test('booleans, numbers and lists', () => {
    expect(presentBoolean(false)).toBe(false);
    expect(presentBoolean('true')).toBeUndefined();
    expect(presentNumber(0)).toBe(0);
    expect(presentNumber(NaN)).toBeUndefined();
    expect(presentNumber('1')).toBeUndefined();
    expect(presentStrings(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(presentStrings(null)).toBeUndefined();
  });

  test('withoutUndefined leaves null and false, drops undefined', () => {
    expect(withoutUndefined({ a: undefined, b: null, c: false })).toEqual({
      b: null,
      c: false,
    });
    expect(Object.keys(withoutUndefined({ a: undefined, b: 1 }))).toEqual([
      'b',
    ]);
  });
});

describe('mapEnum', () => {
  const table = { compliant: true, noncompliant: false } as const;
  test('known values map; unknown ones, inherited names and non-strings are absent', () => {
    expect(mapEnum('compliant', table)).toBe(true);
    expect(mapEnum('noncompliant', table)).toBe(false);
    expect(mapEnum('unknownFutureValue', table)).toBeUndefined();
    expect(mapEnum('toString', table)).toBeUndefined();
    expect(mapEnum(null, table)).toBeUndefined();
  });
});
