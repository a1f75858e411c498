/**
 * Reading an export file (ReportFile.forEachBatch) from zips made here with
 * yazl: RFC 4180 quoting, embedded commas and line breaks, a byte-order
 * mark, header matching, short rows, CRC and size checks. The download
 * itself runs against the simulator's blob host in
 * test/steps/detected-apps-export.test.ts.
 */
import { createWriteStream, promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ZipFile } from 'yazl';
import {
  columnIndex,
  DEFAULT_REPORT_FILE_LIMITS,
  ReportFile,
} from './report-download';

let directory: string;
beforeAll(async () => {
  directory = await fs.mkdtemp(join(tmpdir(), 'report-download-test-'));
});
afterAll(() => fs.rm(directory, { recursive: true, force: true }));

async function zipOf(
  files: Record<string, string | Buffer>,
  name = 'report.zip',
): Promise<string> {
  const path = join(directory, name);
  const zip = new ZipFile();
  for (const [entry, content] of Object.entries(files))
    zip.addBuffer(Buffer.from(content), entry);
  zip.end();
  await new Promise<void>((resolve, reject) =>
    zip.outputStream
      .pipe(createWriteStream(path))
      .on('close', () => resolve())
      .on('error', reject),
  );
  return path;
}

async function readAll(
  path: string,
  columns: string[],
  limits = DEFAULT_REPORT_FILE_LIMITS,
  verify = true,
) {
  const file = await ReportFile.local(path, limits);
  const rows: Record<string, string>[] = [];
  const result = await file.forEachBatch(
    columns,
    ['Platform_loc'],
    (batch, index) => {
      for (const row of batch)
        rows.push(
          Object.fromEntries(
            Object.entries(index).map(([column, at]) => [column, row[at]]),
          ),
        );
    },
    { verify },
  );
  return { ...result, rows };
}

test('RFC 4180: quotes, doubled quotes, commas and line breaks inside fields, CRLF, a BOM', async () => {
  const csv =
    '\ufeff"DeviceId","ApplicationName","Platform","Platform_loc"\r\n' +
    '"d1","Visual C++ 2015-2022, x64","Windows","Windows"\r\n' +
    '"d2","The ""Best"" App","macOS","macOS"\r\n' +
    '"d3","Two\r\nLines","iOS","iOS"\r\n' +
    'd4,plain,Android,Android\r\n';
  const { rows, entryName } = await readAll(await zipOf({ 'x.csv': csv }), [
    'DeviceId',
    'ApplicationName',
    'Platform',
  ]);
  expect(entryName).toBe('x.csv');
  expect(rows).toEqual([
    {
      DeviceId: 'd1',
      ApplicationName: 'Visual C++ 2015-2022, x64',
      Platform: 'Windows',
      Platform_loc: 'Windows',
    },
    {
      DeviceId: 'd2',
      ApplicationName: 'The "Best" App',
      Platform: 'macOS',
      Platform_loc: 'macOS',
    },
    {
      DeviceId: 'd3',
      ApplicationName: 'Two\r\nLines',
      Platform: 'iOS',
      Platform_loc: 'iOS',
    },
    {
      DeviceId: 'd4',
      ApplicationName: 'plain',
      Platform: 'Android',
      Platform_loc: 'Android',
    },
  ]);
});

test('header names are matched without regard to case; optional columns may be missing', async () => {
  const { rows } = await readAll(
    await zipOf({ 'r.csv': 'deviceid,APPLICATIONNAME\nd1,App\n' }),
    ['DeviceId', 'ApplicationName'],
  );
  expect(rows).toEqual([{ DeviceId: 'd1', ApplicationName: 'App' }]);
  expect(() => columnIndex(['A', 'B'], ['C'], [])).toThrow(
    'the export CSV has no column "C" (its header: A, B)',
  );
});

test('more than one batch of rows, in order', async () => {
  const lines = ['DeviceId'];
  for (let i = 0; i < 1234; i++) lines.push(`d${i}`);
  const { rows } = await readAll(await zipOf({ 'r.csv': lines.join('\n') }), [
    'DeviceId',
  ]);
  expect(rows.map((r) => r.DeviceId)).toEqual(lines.slice(1));
});

test('a row of another length than the header is an error, not a short row', async () => {
  await expect(
    readAll(await zipOf({ 'r.csv': 'A,B\n1,2\n3\n' }), ['A']),
  ).rejects.toThrow(
    /^the export file could not be read: Invalid Record Length/,
  );
});

test('an unclosed quote is an error', async () => {
  await expect(
    readAll(await zipOf({ 'r.csv': 'A,B\n"1,2\n' }), ['A']),
  ).rejects.toThrow(/^the export file could not be read: Quote Not Closed/);
});

test('no .csv, two .csv, an empty CSV, not a zip', async () => {
  await expect(
    readAll(await zipOf({ 'r.txt': 'A\n1\n' }), ['A']),
  ).rejects.toThrow(
    'the export zip holds no .csv files instead of one (entries: r.txt)',
  );
  await expect(
    readAll(await zipOf({ 'a.csv': 'A\n', 'b.CSV': 'A\n' }), ['A']),
  ).rejects.toThrow(
    'the export zip holds 2 .csv files instead of one (entries: a.csv, b.CSV)',
  );
  await expect(readAll(await zipOf({ 'r.csv': '' }), ['A'])).rejects.toThrow(
    'the export CSV is empty: it has no header row',
  );
  const notZip = join(directory, 'not.zip');
  await fs.writeFile(notZip, 'PK but not really a zip file at all');
  await expect(readAll(notZip, ['A'])).rejects.toThrow(
    /^the export file is not a valid zip: /,
  );
});

test('the declared size is bounded before anything is inflated (zip bomb)', async () => {
  const bomb = await zipOf(
    { 'r.csv': `A\n${'0'.repeat(5_000_000)}\n` },
    'bomb.zip',
  );
  expect((await fs.stat(bomb)).size).toBeLessThan(20_000);
  await expect(
    readAll(bomb, ['A'], {
      ...DEFAULT_REPORT_FILE_LIMITS,
      maxUncompressedBytes: 1_000_000,
    }),
  ).rejects.toThrow(
    'the export CSV is 5000003 bytes, over the limit of 1000000 bytes (a zip bomb, or a report larger than this integration reads)',
  );
});

test('a CRC-32 that does not match is found by the verifying pass', async () => {
  // Stored (uncompressed) entries: a flipped byte changes the data, not its size.
  const path = join(directory, 'stored.zip');
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from('A\nhello\n'), 'r.csv', { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const at = bytes.indexOf('hello');
  bytes[at] = 'j'.charCodeAt(0);
  await fs.writeFile(path, bytes);
  await expect(readAll(path, ['A'])).rejects.toThrow(
    'the export zip is corrupt: the CRC-32 of r.csv does not match its directory entry',
  );
  // the writing pass does not check it: it only runs after a verifying one
  expect(
    (await readAll(path, ['A'], DEFAULT_REPORT_FILE_LIMITS, false)).rows,
  ).toEqual([{ A: 'jello' }]);
});
