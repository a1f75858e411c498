// Tests talk HTTPS to the Graph simulator, whose CA Node only trusts when
// NODE_EXTRA_CA_CERTS is set at process start: `npm test` does that.
if (!process.env.NODE_EXTRA_CA_CERTS) {
  throw new Error(
    'NODE_EXTRA_CA_CERTS is not set: run the tests with `npm test` (or `node test/graph-simulator/with-test-ca.js jest <args>`), which trusts the Graph simulator\'s test CA.',
  );
}
