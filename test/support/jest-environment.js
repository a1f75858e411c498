/* global globalThis */
// jest 27's node environment builds a fresh global object and does not copy
// Node 20's fetch API into it. @microsoft/microsoft-graph-client needs a global
// fetch, and production runs on Node 20's, so expose exactly that one.
const NodeEnvironment = require('jest-environment-node');

const FETCH_GLOBALS = [
  'fetch',
  'Request',
  'Response',
  'Headers',
  'FormData',
  'Blob',
  'AbortController',
  'AbortSignal',
  'ReadableStream',
  'TextEncoder',
  'TextDecoder',
  'structuredClone',
  // msal-node 5 (@azure/identity 4) uses the global WebCrypto `crypto`.
  'crypto',
];

class NodeWithFetchEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of FETCH_GLOBALS) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = NodeWithFetchEnvironment;
