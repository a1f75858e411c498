/**
 * Routes real host names to the loopback Graph simulator inside the test
 * process, so that the product runs with a plain config (`cloud: 'usgov'`,
 * no authorityHost or graphEndpoint) and still talks to the simulator.
 *
 * Both HTTP stacks open their TLS connections through `tls.connect`:
 * node:https (core-rest-pipeline, i.e. @azure/identity and MSAL) and Node
 * 20's bundled undici (global fetch, i.e. @microsoft/microsoft-graph-client).
 * The wrapper sends a connection to `<routed host>:443` to
 * `127.0.0.1:<simulator port>` and keeps the original host as `servername`,
 * so SNI and certificate verification still name the real host (the
 * simulator's certificate lists it). Every attempted host:port is recorded;
 * a connection to a host that is not routed is refused, never attempted.
 *
 * Both stacks keep connections alive in process-wide pools, so a socket
 * opened for one cloud could carry a later request without a new connect:
 * `route()` therefore closes every socket it routed before, and each run
 * starts from new connections that pass through the check.
 */
import * as net from 'net';
import type * as tlsTypes from 'tls';

// The module object itself (not an ES-module copy of it): both stacks look
// `connect` up on it for every connection.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const tls: typeof tlsTypes = require('tls');

export interface HostRouter {
  /** Every TLS connection attempted since the last reset, as "host:port", in order. */
  readonly connections: string[];
  /** The attempts that were refused (host not routed), as "host:port". */
  readonly refused: string[];
  /**
   * Routes only these hosts (port 443) from now on, closes every connection
   * routed so far (pooled keep-alive sockets included) and clears the records.
   * Call it while no request is in flight. `passThrough` names "host:port"
   * pairs connected to as they are (another loopback server, such as the
   * simulator's blob host).
   */
  route(hosts: string[], passThrough?: string[]): void;
  reset(): void;
  /** Closes the routed connections and puts tls.connect back. */
  restore(): void;
}

type ConnectArgs = Parameters<typeof tlsTypes.connect>;

export function routeHostsTo(port: number, hosts: string[] = []): HostRouter {
  const original = tls.connect;
  let routed = new Set(hosts.map((h) => h.toLowerCase()));
  let direct = new Set<string>();
  const connections: string[] = [];
  const refused: string[] = [];
  const open = new Set<tlsTypes.TLSSocket>();
  const closeRouted = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };

  function routedConnect(...args: ConnectArgs): tlsTypes.TLSSocket {
    const { options, callback } = normalise(args);
    const host = String(options.host ?? 'localhost').toLowerCase();
    const targetPort = Number(options.port ?? 443);
    const name = `${host}:${targetPort}`;
    connections.push(name);
    if (direct.has(name)) {
      const socket = original(...args);
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      return socket;
    }
    if (targetPort !== 443 || !routed.has(host)) {
      refused.push(name);
      const socket = new net.Socket() as tlsTypes.TLSSocket;
      process.nextTick(() =>
        socket.destroy(
          new Error(
            `route-hosts: connection to ${name} refused: it is not a host of the cloud under test`,
          ),
        ),
      );
      return socket;
    }
    const rerouted: tlsTypes.ConnectionOptions = {
      ...options,
      host: '127.0.0.1',
      port,
      servername: options.servername || host,
    };
    const socket = callback ? original(rerouted, callback) : original(rerouted);
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    return socket;
  }

  tls.connect = routedConnect as typeof tls.connect;
  return {
    connections,
    refused,
    route(next, passThrough = []) {
      routed = new Set(next.map((h) => h.toLowerCase()));
      direct = new Set(passThrough.map((h) => h.toLowerCase()));
      closeRouted();
      this.reset();
    },
    reset() {
      connections.length = 0;
      refused.length = 0;
    },
    restore() {
      closeRouted();
      if (tls.connect === (routedConnect as typeof tls.connect))
        tls.connect = original;
    },
  };
}

/** tls.connect(options[, cb]), (port[, host][, options][, cb]) or (path...): only the first is used by the stacks under test. */
function normalise(args: ConnectArgs): {
  options: tlsTypes.ConnectionOptions;
  callback?: () => void;
} {
  const callback = args.find((a) => typeof a === 'function') as
    | (() => void)
    | undefined;
  if (typeof args[0] === 'object' && args[0] !== null) {
    return { options: args[0] as tlsTypes.ConnectionOptions, callback };
  }
  const [port, second, third] = args as unknown[];
  const host = typeof second === 'string' ? second : undefined;
  const extra = (
    typeof second === 'object' ? second : typeof third === 'object' ? third : {}
  ) as tlsTypes.ConnectionOptions | undefined;
  return { options: { ...extra, port: Number(port), host }, callback };
}
