import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Request } from 'express';
import { refuseCrossSite } from '../../src/web/csrf';
import { HttpError } from '../../src/web/errors';

function run(method: string, headers: Record<string, string>, protocol = 'https', host = 'vigie.exemple.fr', baseUrl = 'https://vigie.exemple.fr'): unknown {
  const req = { method, protocol, host, get: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
  let passed: unknown = 'not called';
  refuseCrossSite(baseUrl)(req, {} as never, (err?: unknown) => {
    passed = err;
  });
  return passed;
}

describe('refuseCrossSite', () => {
  const cases: Array<[string, string, Record<string, string>, 'pass' | 'refuse']> = [
    ['a GET from anywhere', 'GET', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 'pass'],
    ['a POST from the same origin', 'POST', { origin: 'https://vigie.exemple.fr', 'sec-fetch-site': 'same-origin' }, 'pass'],
    ['a POST without these headers (older browser, script with the token)', 'POST', {}, 'pass'],
    ['a POST from another origin', 'POST', { origin: 'https://evil.example' }, 'refuse'],
    ['a POST from the same host over http when the app is served over https', 'POST', { origin: 'http://vigie.exemple.fr' }, 'refuse'],
    ['a POST with an opaque origin (null) from our no-referrer page, same-origin', 'POST', { origin: 'null', 'sec-fetch-site': 'same-origin' }, 'pass'],
    ['a POST with an opaque origin (null) marked cross-site', 'POST', { origin: 'null', 'sec-fetch-site': 'cross-site' }, 'refuse'],
    ['a POST the browser marks cross-site', 'POST', { 'sec-fetch-site': 'cross-site' }, 'refuse'],
    ['a POST the browser marks same-site (another subdomain) but from our origin', 'POST', { origin: 'https://vigie.exemple.fr', 'sec-fetch-site': 'same-site' }, 'pass'],
  ];
  it('lets through our configured origin behind a proxy that rewrites Host', () => {
    assert.equal(run('POST', { origin: 'https://vigie.exemple.fr' }, 'http', '127.0.0.1:3000', 'https://vigie.exemple.fr/'), undefined);
  });

  it('lets through the origin a trusted proxy forwarded (protocol and host as Express derives them)', () => {
    assert.equal(run('POST', { origin: 'https://vigie.syndicat.fr' }, 'https', 'vigie.syndicat.fr', 'http://localhost:3000'), undefined);
  });

  for (const [name, method, headers, expected] of cases) {
    it(`${expected === 'pass' ? 'lets through' : 'refuses'} ${name}`, () => {
      const result = run(method, headers);
      if (expected === 'pass') assert.equal(result, undefined);
      else {
        assert.ok(result instanceof HttpError, 'refused with an HttpError');
        assert.equal(result.status, 403);
      }
    });
  }
});
