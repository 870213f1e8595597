import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReference, type RunningReference } from '../../reference/server.ts';
import { suiteVersion } from '../../src/contract/paths.ts';
import { detectImplementation, expectationsWarning, parseImplementation } from '../../src/report/implementation.ts';

describe('parseImplementation', () => {
  test.for([
    ['moto 5.2.1', { name: 'moto', version: '5.2.1' }],
    ['moto 5.2.1 (image)', { name: 'moto', version: '5.2.1' }],
    ['LocalStack 2026.3.0', { name: 'localstack', version: '2026.3.0' }],
    ['fakecloud v0.51.0', { name: 'fakecloud', version: '0.51.0' }],
    ['reference (image)', { name: 'reference' }],
    ['my emulator', { name: 'my emulator' }],
    ['my emulator 1.0.0-rc.1', { name: 'my emulator', version: '1.0.0-rc.1' }],
    ['5.2.1', { name: '5.2.1' }],
  ] as const)('%s', ([text, parsed]) => {
    expect(parseImplementation(text)).toEqual(parsed);
  });
});

describe('expectationsWarning', () => {
  test('another version of the same implementation: both versions named', () => {
    const w = expectationsWarning('localstack.yaml', 'localstack 4.14.0', 'localstack 2026.3.0');
    expect(w).toMatch(/^localstack\.yaml was made against localstack 4\.14\.0; the target is localstack 2026\.3\.0: /);
    expect(w).toContain('--implementation "localstack 2026.3.0"');
  });
  test('another implementation', () => {
    expect(expectationsWarning('moto.yaml', 'moto 5.2.1', 'reference 0.9.0')).toMatch(
      /made against moto 5\.2\.1, but the target is reference 0\.9\.0/,
    );
  });
  test('no warning when they agree, when a qualifier is all that differs, or when a version is not known', () => {
    expect(expectationsWarning('m.yaml', 'moto 5.2.1', 'moto 5.2.1')).toBeUndefined();
    expect(expectationsWarning('m.yaml', 'moto 5.2.1', 'Moto 5.2.1 (image)')).toBeUndefined();
    expect(expectationsWarning('m.yaml', 'moto 5.2.1', 'moto')).toBeUndefined();
    expect(expectationsWarning('m.yaml', 'moto', 'moto 5.2.5')).toBeUndefined();
    expect(expectationsWarning('m.yaml', 'moto 5.2.1', undefined)).toBeUndefined();
  });
});

describe('detectImplementation', () => {
  let reference: RunningReference;
  let other: Server;
  let otherUrl: string;
  const served: string[] = [];
  beforeAll(async () => {
    reference = await startReference();
    // A LocalStack-like health page, and nothing else.
    other = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/_localstack/health')
        return void res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end('{"services":{"swf":"running"},"edition":"community","version":"2026.3.0"}');
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await reference.close();
    await new Promise((done) => other.close(done));
  });

  test('the reference names itself and its version', async () => {
    expect(await detectImplementation(reference.url)).toBe(`reference ${suiteVersion()}`);
  });
  test("LocalStack's health page gives its version", async () => {
    expect(await detectImplementation(otherUrl)).toBe('localstack 2026.3.0');
  });
  test('a target that says nothing, or does not answer, is not named', async () => {
    expect(await detectImplementation(otherUrl.replace(/\d+$/, '1'))).toBeUndefined();
    const silent = createServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end('[1]'));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    try {
      expect(await detectImplementation(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`)).toBeUndefined();
    } finally {
      await new Promise((done) => silent.close(done));
    }
  });
  test('a target that never answers is given up on within the time allowed', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((done) => hanging.listen(0, '127.0.0.1', done));
    try {
      const started = Date.now();
      expect(await detectImplementation(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, { timeoutMs: 200 })).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      hanging.closeAllConnections();
      await new Promise((done) => hanging.close(done));
    }
  });
  test('AWS is not asked', async () => {
    let asked = 0;
    const fetch = async () => {
      asked += 1;
      return { ok: true, json: async () => ({ version: '1' }) };
    };
    expect(await detectImplementation('https://swf.us-east-1.amazonaws.com', { fetch })).toBeUndefined();
    expect(asked).toBe(0);
  });
});
