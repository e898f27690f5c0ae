// A HEAD request through the auth gateway answers with the vendor's status and Content-Length, and no body.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { Gateway } from '../../src/engine/gateway';
import { call, useGateway } from './gateway-fixtures';

/** The raw head of an answer, read off the socket (an HTTP client would hide a body sent after a HEAD answer). */
function rawHead(gw: Gateway, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(gw.port, '127.0.0.1', () => {
      s.write(`HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1:${gw.port}\r\nX-Api-Auth-Key: ${gw.key}\r\nConnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    s.on('error', reject);
  });
}

describe('auth gateway: HEAD answers', () => {
  const { start, commvault } = useGateway();

  it("a HEAD answer carries the vendor's Content-Length (the GET body's length) and no body", async () => {
    const { gw } = await start([commvault()]);
    const get = await call(gw, 'GET', '/cv/');
    assert.equal(get.status, 200, get.text);
    const head = await rawHead(gw, '/cv/');
    const [top, rest] = head.split('\r\n\r\n');
    assert.match(top, /^HTTP\/1\.1 200 /);
    assert.match(top, new RegExp(`\\r\\ncontent-length: ${Buffer.byteLength(get.text)}\\r\\n`, 'i'));
    assert.equal(rest, '', 'no body after the head');
  });
});
