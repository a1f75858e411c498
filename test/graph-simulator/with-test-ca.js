#!/usr/bin/env node
/**
 * Runs a command with the simulator's test CA trusted:
 *
 *   node test/graph-simulator/with-test-ca.js jest [jest args...]
 *
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts, so the CA must
 * exist before the child starts and the variable must be in its environment.
 * That single setting makes both node:https (@azure/identity) and undici fetch
 * (@microsoft/microsoft-graph-client) trust the loopback simulator
 * (graph-api.md §1.1 item 7). Stdio and the exit code pass through.
 */
'use strict';

const { spawn } = require('child_process');
const path = require('path');

function loadTls() {
  // tls.ts is TypeScript: compile it on the fly (types are checked by tsc, not here).
  require('ts-node').register({
    transpileOnly: true,
    compilerOptions: { module: 'commonjs' },
  });
  return require('./tls.ts');
}

function main(argv) {
  if (argv.length === 0) {
    console.error(
      'usage: node test/graph-simulator/with-test-ca.js <command> [args...]',
    );
    return process.exit(2);
  }
  const { ensureTestCa } = loadTls();
  const ca = ensureTestCa();
  const [command, ...args] = argv;
  const child = spawn(resolveCommand(command), args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: ca.certPath,
      // The SDK runtime loads aws-sdk v2, which prints an end-of-support
      // notice in every jest worker; it says nothing about this project.
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    },
    shell: process.platform === 'win32',
  });
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (error) => {
    console.error(`with-test-ca: cannot start ${command}: ${error.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code === null ? 1 : code);
  });
}

/** Prefer the project's own binaries (jest, ts-node) the way npm scripts do. */
function resolveCommand(command) {
  if (command.includes('/') || command.includes('\\')) return command;
  const local = path.resolve(
    __dirname,
    '..',
    '..',
    'node_modules',
    '.bin',
    command,
  );
  return require('fs').existsSync(local) ? local : command;
}

main(process.argv.slice(2));
