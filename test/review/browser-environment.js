/* global globalThis */
// The shared test environment plus the web-stream globals that playwright-core
// reads when it loads (jest 27's node environment does not copy them in).
const NodeWithFetchEnvironment = require('../support/jest-environment');

const STREAM_GLOBALS = [
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'TextEncoderStream',
  'TextDecoderStream',
  'CompressionStream',
  'DecompressionStream',
];

class BrowserTestEnvironment extends NodeWithFetchEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of STREAM_GLOBALS) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = BrowserTestEnvironment;
