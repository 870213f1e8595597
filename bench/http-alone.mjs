/**
 * The transport's share of the main job: as many exchanges as the battery sends, over the same
 * HTTP stack (undici in two worker threads, `node:http` on the main thread, loopback, keep-alive,
 * five at a time per worker), with none of the suite's work: no signing, no verifying, no schema,
 * no checks, no test runner. A fixed answer the size of a short history.
 *
 *   node bench/http-alone.mjs EXCHANGES
 *
 * Plain JavaScript: a worker thread does not inherit tsx's loader. Prints one JSON line, { wallS,
 * cpuS }, of the exchanges alone: from when both workers have loaded undici to their last answer
 * (the CPU of every thread of the process).
 */
import { createServer } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const WORKERS = 2;
const AT_ONCE = 5;

if (isMainThread) {
  const exchanges = Number(process.argv[2]);
  if (!Number.isInteger(exchanges) || exchanges < WORKERS) {
    console.error(`usage: http-alone.mjs EXCHANGES (an integer of at least ${WORKERS}); got ${process.argv[2] ?? 'nothing'}`);
    process.exit(2);
  }
  const answer = JSON.stringify({
    events: Array.from({ length: 8 }, (_, i) => ({ eventId: i + 1, eventType: 'DecisionTaskScheduled', eventTimestamp: 1.7e9 + i })),
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': 'bench',
        'content-length': Buffer.byteLength(answer),
      });
      res.end(answer);
    });
  });
  server.listen(0, '127.0.0.1', async () => {
    const { port } = server.address();
    const each = Math.ceil(exchanges / WORKERS);
    const workers = Array.from({ length: WORKERS }, () => new Worker(new URL(import.meta.url), { workerData: { port, each } }));
    const message = (worker) =>
      new Promise((done, fail) => {
        worker.once('message', done).once('error', fail);
      });
    // The clock starts once every worker has loaded undici: what is timed is the exchanges alone.
    await Promise.all(workers.map(message));
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const worker of workers) worker.postMessage('go');
    await Promise.all(workers.map(message));
    const used = process.cpuUsage(cpu);
    console.log(JSON.stringify({ wallS: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6 }));
    server.close();
  });
} else {
  const { Agent, request } = await import('undici');
  const { port, each } = workerData;
  const agent = new Agent({ connections: 32 });
  const body = JSON.stringify({ domain: 'bench', execution: { workflowId: 'bench', runId: 'bench' } });
  let sent = 0;
  const go = new Promise((resolve) => parentPort.once('message', resolve));
  parentPort.postMessage('ready');
  await go;
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (sent < each) {
        sent += 1;
        const res = await request(`http://127.0.0.1:${port}/`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'SimpleWorkflowService.GetWorkflowExecutionHistory' },
          body,
        });
        JSON.parse(await res.body.text());
      }
    }),
  );
  parentPort.postMessage('done');
  await agent.close();
}
