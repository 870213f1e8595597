/**
 * The load generator of `npm run bench`, run in its own process so that the server under test
 * does not share its event loop: CLIENTS concurrent clients, each looping Start →
 * RequestCancel → Terminate → GetWorkflowExecutionHistory against ENDPOINT, every request
 * SigV4-signed, until SECONDS have passed or LOOPS loops are done; then again, WINDOWS times
 * in all, on the same server: a server's first window starts from nothing, a later one from
 * what the earlier windows left it holding. Prints one JSON line, each window's figures in
 * `windows`, the first's also at the top.
 *
 *   node --import tsx bench/load.ts ENDPOINT CLIENTS SECONDS LOOPS [ACCESS_KEY SECRET [WINDOWS]]
 */
import { connect, type Socket } from 'node:net';
import { rootAuthorization, sha256Hex } from '../reference/sigv4.ts';
import { JSON_CONTENT_TYPE, SIGNING_NAME, TARGET_PREFIX } from '../src/contract/protocol.ts';

const [
  endpoint = '',
  clientsText = '8',
  secondsText = '5',
  loopsText = '1000000',
  accessKeyId = 'AKIDBENCH',
  secretAccessKey = 'bench',
  windowsText = '1',
] = process.argv.slice(2);
const url = new URL(endpoint);
const clients = Number(clientsText);

/**
 * One keep-alive HTTP/1.1 connection per client, requests written and answers read by hand: a
 * general HTTP client costs more per request than the servers measured here.
 */
class Connection {
  private socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting?: (answer: { status: number; body: string }) => void;
  private closed = false;

  constructor() {
    this.socket = this.open();
  }

  /** A server that closes the connection after an answer (HTTP/1.0 style) gets a new one per request. */
  private open(): Socket {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
    socket.on('error', () => undefined);
    const ended = () => {
      if (socket !== this.socket) return;
      this.closed = true;
      // An answer without a length ends with the connection.
      const end = this.buffer.indexOf('\r\n\r\n');
      if (this.waiting && end >= 0) {
        const answer = this.waiting;
        this.waiting = undefined;
        answer({ status: Number(this.buffer.subarray(9, 12).toString('latin1')), body: this.buffer.subarray(end + 4).toString('utf8') });
      } else if (this.waiting) {
        const answer = this.waiting;
        this.waiting = undefined;
        answer({ status: 0, body: '' });
      }
      this.buffer = Buffer.alloc(0);
    };
    socket.on('end', ended);
    socket.on('close', ended);
    return socket;
  }

  private drain(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.waiting) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    // The server ends the connection after this answer: the next request opens another.
    if (/\r\nconnection:\s*close/i.test(head)) this.closed = true;
    let body: string;
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      // Chunks: a hex size line, the data, until a chunk of size 0.
      const parts: Buffer[] = [];
      let at = end + 4;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = parseInt(this.buffer.subarray(at, lineEnd).toString('latin1'), 16);
        if (this.buffer.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          at = lineEnd + 4;
          break;
        }
        parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString('utf8');
      this.buffer = this.buffer.subarray(at);
    } else {
      const declared = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      if (declared === undefined) return; // read to the connection's end
      const length = Number(declared);
      if (this.buffer.length < end + 4 + length) return;
      body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
    }
    const answer = this.waiting;
    this.waiting = undefined;
    answer({ status: Number(head.slice(9, 12)), body });
  }

  /** Sends a request whose header lines (each ending in CRLF) are given. */
  request(head: string, body: string): Promise<{ status: number; body: string }> {
    if (this.closed) {
      this.closed = false;
      this.socket = this.open();
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(`POST / HTTP/1.1\r\n${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.socket.end();
  }
}

// Signed by the same direct computation the reference checks the common request with: the
// generator must cost less than the servers it measures, and a general signer costs as much as
// a server's verification. The servers that verify signatures check every one. The signed
// headers are always these four, in this order; X-Amz-Date changes once a second.
const names = ['content-type', 'host', 'x-amz-date', 'x-amz-target'] as const;
let second = 0;
let amzDate = '';
function signedHead(target: string, body: string): string {
  const now = Math.floor(Date.now() / 1000);
  if (now !== second) {
    second = now;
    amzDate = new Date(now * 1000).toISOString().replace(/[-:]|\.\d{3}/g, '');
  }
  const authorization = rootAuthorization(accessKeyId, {
    method: 'POST',
    names,
    values: [JSON_CONTENT_TYPE, url.host, amzDate, target],
    payloadHash: sha256Hex(body),
    amzDate,
    region: 'us-east-1',
    service: SIGNING_NAME,
    secretAccessKey,
  });
  return `content-type: ${JSON_CONTENT_TYPE}\r\nhost: ${url.host}\r\nx-amz-date: ${amzDate}\r\nx-amz-target: ${target}\r\nauthorization: ${authorization}\r\n`;
}
const requestMs: number[] = [];
const failures: Record<string, number> = {};

async function call(connection: Connection, operation: string, input: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = JSON.stringify(input);
  const head = signedHead(`${TARGET_PREFIX}${operation}`, body);
  const started = performance.now();
  const res = await connection.request(head, body);
  const text = res.body;
  requestMs.push(performance.now() - started);
  if (res.status !== 200) failures[`${operation} ${res.status}`] = (failures[`${operation} ${res.status}`] ?? 0) + 1;
  let json: Record<string, unknown> = {};
  try {
    if (text) json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    failures[`${operation}: not JSON`] = (failures[`${operation}: not JSON`] ?? 0) + 1;
  }
  return { status: res.status, json };
}

const domain = `bench-${process.pid}`;
const connections = Array.from({ length: clients }, () => new Connection());
const setup = connections[0]!;
await call(setup, 'RegisterDomain', { name: domain, workflowExecutionRetentionPeriodInDays: '1' });
await call(setup, 'RegisterWorkflowType', {
  domain,
  name: 'bench',
  version: '1',
  defaultChildPolicy: 'TERMINATE',
  defaultTaskList: { name: 'bench' },
  defaultExecutionStartToCloseTimeout: '3600',
  defaultTaskStartToCloseTimeout: '60',
});
requestMs.length = 0;

const maxLoops = Number(loopsText);
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

/** One window: every client loops until its time is up or LOOPS loops are done. */
async function window(index: number) {
  const loopMs: number[] = [];
  const deadline = performance.now() + Number(secondsText) * 1000;
  let loops = 0;
  requestMs.length = 0;
  for (const key of Object.keys(failures)) delete failures[key];
  async function client(n: number): Promise<void> {
    const connection = connections[n]!;
    for (let i = 0; performance.now() < deadline && loops < maxLoops; i++) {
      loops += 1;
      const started = performance.now();
      const workflowId = `bench-${index}-${n}-${i}`;
      const start = await call(connection, 'StartWorkflowExecution', { domain, workflowId, workflowType: { name: 'bench', version: '1' } });
      const runId = String(start.json.runId ?? '');
      await call(connection, 'RequestCancelWorkflowExecution', { domain, workflowId, runId });
      await call(connection, 'TerminateWorkflowExecution', { domain, workflowId, runId, reason: 'bench' });
      await call(connection, 'GetWorkflowExecutionHistory', { domain, execution: { workflowId, runId } });
      loopMs.push(performance.now() - started);
    }
  }
  const began = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
  const seconds = (performance.now() - began) / 1000;
  return {
    loops: loopMs.length,
    seconds,
    loopsPerSecond: loopMs.length / seconds,
    p50LoopMs: quantile(loopMs, 0.5),
    p99LoopMs: quantile(loopMs, 0.99),
    p50RequestMs: quantile(requestMs, 0.5),
    p99RequestMs: quantile(requestMs, 0.99),
    failures: { ...failures },
  };
}

const windows = [];
for (let i = 0; i < Number(windowsText); i++) windows.push(await window(i));
for (const c of connections) c.close();
console.log(JSON.stringify({ ...windows[0], windows }));
