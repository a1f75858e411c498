/**
 * Table-driven from docs/device-classification.md: every row of every table
 * whose header starts with "| Rule |" is one case, so the page and the code
 * cannot drift apart.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { DEVICE_KINDS } from '../constants';
import { classifyDevice, DeviceSignals } from './classify';

interface Row {
  line: number;
  rule: number;
  example: string;
  signals: DeviceSignals;
  kind: string;
}

const DOC = join(__dirname, '../../../docs/device-classification.md');
const SIGNAL_COLUMNS: (keyof DeviceSignals)[] = [
  'deviceType',
  'operatingSystem',
  'osVersion',
  'chassisType',
  'model',
  'manufacturer',
  'skuFamily',
];

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

/** `value` -> value; an empty cell -> "" (Graph's empty string). */
function code(cell: string): string {
  const match = /^`(.*)`$/.exec(cell);
  if (cell !== '' && !match)
    throw new Error(`expected a \`code\` cell, got ${cell}`);
  return match ? match[1] : '';
}

function readRows(): { tables: number; rows: Row[] } {
  const lines = readFileSync(DOC, 'utf8').split('\n');
  const rows: Row[] = [];
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('| Rule |')) continue;
    tables++;
    const header = cells(lines[i]);
    expect(header).toEqual([
      'Rule',
      'Example device',
      ...SIGNAL_COLUMNS,
      '`_type`',
      'Why',
    ]);
    for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) {
      const row = cells(lines[i]);
      expect(row).toHaveLength(header.length);
      const signals: DeviceSignals = {};
      SIGNAL_COLUMNS.forEach((column, c) => {
        signals[column] = code(row[2 + c]);
      });
      rows.push({
        line: i + 1,
        rule: Number(row[0]),
        example: row[1],
        signals,
        kind: code(row[2 + SIGNAL_COLUMNS.length]),
      });
    }
  }
  return { tables, rows };
}

const { tables, rows } = readRows();

describe('docs/device-classification.md', () => {
  test('has the two tables, one example per rule first, and only known kinds', () => {
    expect(tables).toBe(2);
    expect(rows.slice(0, 11).map((r) => r.rule)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(rows.length).toBe(52);
    for (const row of rows) {
      expect(DEVICE_KINDS).toContain(row.kind);
    }
    // Every kind is produced by some row.
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(DEVICE_KINDS));
  });

  test.each(
    rows.map((r) => [
      `line ${r.line}: rule ${r.rule} ${r.example} -> ${r.kind}`,
      r,
    ]),
  )('%s', (_name, row) => {
    const { signals, rule, kind } = row as Row;
    expect(classifyDevice(signals)).toMatchObject({ rule, kind });
  });
});

describe('classifyDevice', () => {
  test('reads null and missing signals as empty', () => {
    expect(classifyDevice({})).toEqual({
      kind: 'user_endpoint',
      rule: 11,
      virtual: false,
    });
    expect(
      classifyDevice({
        deviceType: null,
        operatingSystem: null,
        osVersion: null,
        chassisType: null,
        model: null,
        manufacturer: null,
        skuFamily: null,
      }),
    ).toEqual({ kind: 'user_endpoint', rule: 11, virtual: false });
  });

  test('is case-insensitive and trims', () => {
    expect(
      classifyDevice({
        deviceType: ' IPHONE ',
        operatingSystem: 'ios',
        model: '',
      }),
    ).toEqual({ kind: 'smartphone', rule: 5, virtual: false });
    expect(classifyDevice({ operatingSystem: 'WINDOWS SERVER' })).toMatchObject(
      {
        kind: 'server',
        rule: 1,
      },
    );
    expect(
      classifyDevice({
        model: '  virtual machine ',
        operatingSystem: 'Windows',
      }),
    ).toEqual({ kind: 'workstation', rule: 4, virtual: true });
  });

  test('"Virtual Machine" must be the whole model; "Cloud PC" must start it', () => {
    expect(
      classifyDevice({
        operatingSystem: 'Windows',
        model: 'Not a Virtual Machine Desktop',
      }),
    ).toMatchObject({ kind: 'desktop', rule: 8 });
    expect(
      classifyDevice({
        operatingSystem: 'Windows',
        model: 'Contoso Cloud PC Desktop',
      }),
    ).toMatchObject({ kind: 'desktop', rule: 8 });
  });

  test('flags virtual signals even when an earlier rule decides', () => {
    expect(
      classifyDevice({
        operatingSystem: 'Windows Server',
        model: 'Virtual Machine',
        manufacturer: 'Microsoft Corporation',
      }),
    ).toEqual({ kind: 'server', rule: 1, virtual: true });
    expect(
      classifyDevice({
        deviceType: 'cloudPC',
        operatingSystem: 'Windows',
        skuFamily: 'EnterpriseMultisession',
      }),
    ).toEqual({ kind: 'server', rule: 2, virtual: true });
    expect(
      classifyDevice({ deviceType: 'macMDM', model: 'MacBook Pro' }),
    ).toEqual({
      kind: 'laptop',
      rule: 7,
      virtual: false,
    });
  });

  test('never makes a device without a model a server unless rule 1 or 2 says so', () => {
    for (const deviceType of [
      'unknown',
      'windowsRT',
      'desktop',
      'cloudPC',
      'linux',
      'macMDM',
      'iPhone',
    ]) {
      for (const chassisType of [
        'unknown',
        'desktop',
        'laptop',
        'phone',
        'tablet',
      ]) {
        const result = classifyDevice({
          deviceType,
          chassisType,
          operatingSystem: 'Windows',
          model: '',
          manufacturer: '',
        });
        expect(result.kind).not.toBe('server');
      }
    }
  });
});
