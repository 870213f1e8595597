/**
 * The load generator of `npm run bench`, run in its own process so that the server under test
 * does not share its event loop: CLIENTS concurrent clients, each looping Start →
 * RequestCancel → Terminate → GetWorkflowExecutionHistory against ENDPOINT, every request
 * SigV4-signed, until SECONDS have passed or LOOPS loops are done. Prints one JSON line.
 *
 *   node --import tsx bench/load.ts ENDPOINT CLIENTS SECONDS LOOPS [ACCESS_KEY SECRET]
 */
import { createHash, createHmac } from 'node:crypto';
import { Pool } from 'undici';

const [endpoint = '', clientsText = '8', secondsText = '5', loopsText = '1000000', accessKeyId = 'AKIDBENCH', secretAccessKey = 'bench'] = process.argv.slice(2);
const url = new URL(endpoint);
const clients = Number(clientsText);
const pool = new Pool(url.origin, { connections: clients, pipelining: 1 });

/**
 * SigV4 for this one request shape (POST /, three signed headers), by hand: the generator must
 * cost less than the servers it measures, and a general signer costs as much as a server's
 * verification. The servers that verify signatures (the reference with auth) check every one.
 */
const region = 'us-east-1';
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const signingKeys = new Map<string, Buffer>();
function signedHeaders(target: string, body: string): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  let key = signingKeys.get(day);
  if (!key) signingKeys.set(day, (key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), 'swf'), 'aws4_request')));
  const headers = { 'content-type': 'application/x-amz-json-1.0', host: url.host, 'x-amz-date': amzDate, 'x-amz-target': target };
  const names = 'content-type;host;x-amz-date;x-amz-target';
  const canonical = ['POST', '/', '', ...Object.entries(headers).map(([k, v]) => `${k}:${v}`), '', names, sha256(body)].join('\n');
  const scope = `${day}/${region}/swf/aws4_request`;
  const signature = createHmac('sha256', key).update(['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n')).digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names}, Signature=${signature}` };
}
const requestMs: number[] = [];
const failures: Record<string, number> = {};

async function call(operation: string, input: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = JSON.stringify(input);
  const headers = signedHeaders(`SimpleWorkflowService.${operation}`, body);
  const started = performance.now();
  const res = await pool.request({ method: 'POST', path: '/', headers, body });
  const text = await res.body.text();
  requestMs.push(performance.now() - started);
  if (res.statusCode !== 200) failures[`${operation} ${res.statusCode}`] = (failures[`${operation} ${res.statusCode}`] ?? 0) + 1;
  let json: Record<string, unknown> = {};
  try {
    if (text) json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    failures[`${operation}: not JSON`] = (failures[`${operation}: not JSON`] ?? 0) + 1;
  }
  return { status: res.statusCode, json };
}

const domain = `bench-${process.pid}`;
await call('RegisterDomain', { name: domain, workflowExecutionRetentionPeriodInDays: '1' });
await call('RegisterWorkflowType', {
  domain, name: 'bench', version: '1', defaultChildPolicy: 'TERMINATE', defaultTaskList: { name: 'bench' },
  defaultExecutionStartToCloseTimeout: '3600', defaultTaskStartToCloseTimeout: '60',
});
requestMs.length = 0;

const deadline = performance.now() + Number(secondsText) * 1000;
const maxLoops = Number(loopsText);
const loopMs: number[] = [];
let loops = 0;
async function client(n: number): Promise<void> {
  for (let i = 0; performance.now() < deadline && loops < maxLoops; i++) {
    loops += 1;
    const started = performance.now();
    const workflowId = `bench-${n}-${i}`;
    const start = await call('StartWorkflowExecution', { domain, workflowId, workflowType: { name: 'bench', version: '1' } });
    const runId = String(start.json.runId ?? '');
    await call('RequestCancelWorkflowExecution', { domain, workflowId, runId });
    await call('TerminateWorkflowExecution', { domain, workflowId, runId, reason: 'bench' });
    await call('GetWorkflowExecutionHistory', { domain, execution: { workflowId, runId } });
    loopMs.push(performance.now() - started);
  }
}
const began = performance.now();
await Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
const seconds = (performance.now() - began) / 1000;
await pool.close();
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
console.log(JSON.stringify({
  loops: loopMs.length, seconds, loopsPerSecond: loopMs.length / seconds,
  p50LoopMs: quantile(loopMs, 0.5), p99LoopMs: quantile(loopMs, 0.99),
  p50RequestMs: quantile(requestMs, 0.5), p99RequestMs: quantile(requestMs, 0.99), failures,
}));
