import * as http from 'http';
import { AddressInfo } from 'net';

/** One PUT the server received. */
export interface ReceivedResponse {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as sent. */
  readonly body: string;
  /** The body, parsed. */
  readonly json: any;
}

/**
 * A loopback HTTP server (127.0.0.1, a random port) standing in for the pre-signed S3 URL that
 * CloudFormation gives a custom resource to answer to: it records what the Lambda entrypoint
 * PUTs, and can drop requests or answer errors to exercise its retries.
 */
export class ResponseServer {
  /** The secret part of {@link url}, which must never be logged. */
  public static readonly SIGNATURE = 'd0e1a2d3b4e5e6f7secret';

  /** Start a server; `close()` it after the test. */
  public static async start(): Promise<ResponseServer> {
    const server = new ResponseServer();
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** The PUTs answered (dropped ones excluded), in order. */
  public readonly received: ReceivedResponse[] = [];
  /** Every request that arrived, dropped or answered. */
  public requests = 0;
  /** Requests still to drop (the connection is destroyed before any answer). */
  public dropNext = 0;
  /** Requests still to leave unanswered (the connection stays open, silent). */
  public hangNext = 0;
  /** HTTP statuses to answer, one per request, before the default 200. */
  public readonly statuses: number[] = [];

  private readonly server: http.Server;

  private constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests++;
        if (this.dropNext > 0) {
          this.dropNext--;
          req.socket.destroy();
          return;
        }
        if (this.hangNext > 0) {
          this.hangNext--;
          return;
        }
        const status = this.statuses.shift() ?? 200;
        if (status === 200) {
          const body = Buffer.concat(chunks).toString('utf8');
          this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) });
        }
        res.writeHead(status).end();
      });
    });
  }

  /** The response URL, with a query string that stands for the pre-signed URL's signature. */
  public get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/cloudformation-response/stack/request?X-Amz-Signature=${ResponseServer.SIGNATURE}`;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }
}
