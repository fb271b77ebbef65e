import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { ConfigError, loadConfig } from '../../src/config';

/** loadConfig is the only reader of the environment: every setting is checked once, at start-up. */

const SECRET = 's'.repeat(40);
let root: string;

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'vigie-config-'));
});
after(() => {
  rmSync(root, { recursive: true, force: true });
});

let dirs = 0;
function freshDir(): string {
  dirs += 1;
  return path.join(root, `data-${dirs}`);
}

/** Loads with a fresh data directory and a fixed secret, so no test writes into the project. */
function load(env: Record<string, string | undefined>) {
  return loadConfig({ DATA_DIR: freshDir(), ...env }, { sessionSecret: SECRET });
}

/** The ConfigError thrown for env, checked to name the variable at fault. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    load(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig: defaults', () => {
  it('listens on 3000 with a local http address and safe defaults', () => {
    const dataDir = freshDir();
    const config = loadConfig({ DATA_DIR: dataDir }, { sessionSecret: SECRET });
    assert.equal(config.port, 3000);
    assert.equal(config.baseUrl, 'http://localhost:3000');
    assert.equal(config.secureCookies, false);
    assert.equal(config.trustProxy, false);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.smtp, null);
    assert.equal(config.requestRetentionDays, 90);
    assert.equal(config.closedCaseRetentionDays, 1095);
    assert.equal(config.auditRetentionDays, 365);
    assert.equal(config.dataDir, path.resolve(dataDir));
    assert.equal(config.databaseFile, path.join(path.resolve(dataDir), 'vigie.db'));
    assert.deepEqual(config.session, { idleMinutes: 120, absoluteHours: 12, anonymousMinutes: 120, maxAnonymous: 10_000 });
    assert.equal(config.setupLinkHours, 24);
    assert.equal(config.invitationLinkDays, 7);
    assert.ok(Object.isFrozen(config));
  });

  it('puts the data directory under ./data when DATA_DIR is unset', () => {
    const config = loadConfig({}, { sessionSecret: SECRET });
    assert.equal(config.dataDir, path.resolve('data'));
  });

  it('derives BASE_URL from PORT', () => {
    const config = load({ PORT: '8080' });
    assert.equal(config.port, 8080);
    assert.equal(config.baseUrl, 'http://localhost:8080');
  });

  it('takes BASE_URL as given, without trailing slashes; https turns on Secure cookies', () => {
    const config = load({ BASE_URL: 'https://vigie.exemple.fr//' });
    assert.equal(config.baseUrl, 'https://vigie.exemple.fr');
    assert.equal(config.secureCookies, true);
    assert.equal(load({ BASE_URL: 'http://vigie.local:8000' }).secureCookies, false);
  });

  it('takes the retention periods given', () => {
    const config = load({ REQUEST_RETENTION_DAYS: '30', CLOSED_CASE_RETENTION_DAYS: '730', AUDIT_RETENTION_DAYS: '183' });
    assert.equal(config.requestRetentionDays, 30);
    assert.equal(config.closedCaseRetentionDays, 730);
    assert.equal(config.auditRetentionDays, 183);
  });

  it('treats empty strings as unset', () => {
    const config = load({ BASE_URL: '', SMTP_HOST: '  ', SESSION_SECRET: '' });
    assert.equal(config.baseUrl, 'http://localhost:3000');
    assert.equal(config.smtp, null);
  });
});

describe('loadConfig: invalid values name the variable', () => {
  const cases: Array<{ env: Record<string, string>; variable: string; message?: RegExp }> = [
    { env: { PORT: 'abc' }, variable: 'PORT', message: /doit être un nombre/ },
    { env: { PORT: '70000' }, variable: 'PORT', message: /entre 0 et 65535/ },
    { env: { PORT: '-1' }, variable: 'PORT' },
    { env: { PORT: '80.5' }, variable: 'PORT', message: /entier/ },
    { env: { BASE_URL: 'vigie.exemple.fr' }, variable: 'BASE_URL' },
    { env: { BASE_URL: 'ftp://vigie.exemple.fr' }, variable: 'BASE_URL', message: /http\(s\)/ },
    { env: { LOG_LEVEL: 'verbose' }, variable: 'LOG_LEVEL' },
    { env: { SMTP_HOST: 'smtp.exemple.fr' }, variable: 'SMTP_FROM', message: /obligatoire quand SMTP_HOST est défini/ },
    { env: { SMTP_HOST: 'smtp.exemple.fr', SMTP_FROM: 'pas-une-adresse' }, variable: 'SMTP_FROM' },
    { env: { SMTP_PORT: '0' }, variable: 'SMTP_PORT' },
    { env: { SMTP_SECURE: 'peut-être' }, variable: 'SMTP_SECURE' },
    { env: { REQUEST_RETENTION_DAYS: '0' }, variable: 'REQUEST_RETENTION_DAYS' },
    { env: { CLOSED_CASE_RETENTION_DAYS: 'trois ans' }, variable: 'CLOSED_CASE_RETENTION_DAYS', message: /doit être un nombre de jours/ },
    { env: { CLOSED_CASE_RETENTION_DAYS: '0' }, variable: 'CLOSED_CASE_RETENTION_DAYS', message: /au moins 1/ },
    { env: { AUDIT_RETENTION_DAYS: '182.5' }, variable: 'AUDIT_RETENTION_DAYS', message: /nombre entier de jours/ },
    { env: { AUDIT_RETENTION_DAYS: '4000' }, variable: 'AUDIT_RETENTION_DAYS', message: /au plus 3650/ },
    { env: { TRUST_PROXY: 'bad;value' }, variable: 'TRUST_PROXY' },
  ];

  for (const { env, variable, message } of cases) {
    it(`${JSON.stringify(env)} → ConfigError naming ${variable}`, () => {
      const err = configError(env);
      assert.match(err.message, new RegExp(`\\b${variable}\\b`));
      assert.match(err.message, /Configuration invalide/);
      assert.ok(err.problems.some((p) => p.startsWith(`${variable} `)), err.problems.join('; '));
      if (message) assert.match(err.message, message);
    });
  }

  it('reports every problem at once', () => {
    const err = configError({ PORT: 'abc', LOG_LEVEL: 'bavard' });
    assert.equal(err.problems.length, 2);
    assert.match(err.message, /PORT/);
    assert.match(err.message, /LOG_LEVEL/);
  });

  it('refuses a SESSION_SECRET shorter than 32 characters', () => {
    try {
      loadConfig({ DATA_DIR: freshDir(), SESSION_SECRET: 'trop-court' });
      assert.fail('a short secret was accepted');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /SESSION_SECRET/);
      assert.match(err.message, /32 caractères/);
      assert.doesNotMatch(err.message, /trop-court/, 'the secret itself is never echoed');
    }
  });
});

describe('loadConfig: SMTP', () => {
  it('builds the SMTP settings when host and sender are set', () => {
    const config = load({
      SMTP_HOST: 'smtp.exemple.fr',
      SMTP_FROM: 'vigie@exemple.fr',
      SMTP_PORT: '465',
      SMTP_SECURE: 'yes',
      SMTP_USER: 'vigie',
      SMTP_PASSWORD: 'motdepasse',
    });
    assert.deepEqual(config.smtp, {
      host: 'smtp.exemple.fr',
      port: 465,
      secure: true,
      user: 'vigie',
      password: 'motdepasse',
      from: 'vigie@exemple.fr',
    });
  });

  it('defaults to port 587 without implicit TLS', () => {
    const config = load({ SMTP_HOST: 'smtp.exemple.fr', SMTP_FROM: 'vigie@exemple.fr' });
    assert.equal(config.smtp?.port, 587);
    assert.equal(config.smtp?.secure, false);
  });
});

describe('loadConfig: TRUST_PROXY', () => {
  const cases: Array<[string | undefined, boolean | number | string]> = [
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    [' true ', true],
    ['1', 1],
    ['2', 2],
    ['loopback', 'loopback'],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
    ['loopback, ::1', 'loopback, ::1'],
  ];

  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} → ${JSON.stringify(expected)}`, () => {
      const config = load({ TRUST_PROXY: raw });
      assert.equal(config.trustProxy, expected);
      // Whatever loadConfig accepts, express must accept too.
      assert.doesNotThrow(() => express().set('trust proxy', config.trustProxy));
    });
  }

  it('refuses at load time, naming TRUST_PROXY, values express cannot use', () => {
    // Each of these passes loadConfig today and only fails later, inside createApp,
    // with "invalid IP address: …" that names no variable.
    for (const raw of ['TRUE', 'yes', 'on', 'proxy']) {
      let accepted: unknown;
      try {
        accepted = load({ TRUST_PROXY: raw }).trustProxy;
      } catch (err) {
        assert.ok(err instanceof ConfigError, `${raw}: ${String(err)}`);
        assert.match(err.message, /TRUST_PROXY/);
        continue;
      }
      assert.doesNotThrow(
        () => express().set('trust proxy', accepted),
        `TRUST_PROXY=${raw} was accepted by loadConfig (as ${JSON.stringify(accepted)}) but express refuses it`,
      );
    }
  });
});

describe('loadConfig: session secret', () => {
  it('generates a secret into DATA_DIR/session-secret and reuses it on the next load', () => {
    const dataDir = freshDir();
    const file = path.join(dataDir, 'session-secret');
    assert.equal(existsSync(file), false);

    const first = loadConfig({ DATA_DIR: dataDir });
    assert.ok(existsSync(file), 'the secret file is created, with its directory');
    assert.ok(first.sessionSecret.length >= 32);
    assert.equal(readFileSync(file, 'utf8').trim(), first.sessionSecret);
    if (process.platform !== 'win32') {
      assert.equal(statSync(file).mode & 0o777, 0o600, 'only the owner can read the secret');
    }

    const second = loadConfig({ DATA_DIR: dataDir });
    assert.equal(second.sessionSecret, first.sessionSecret, 'sessions survive a restart');

    const elsewhere = loadConfig({ DATA_DIR: freshDir() });
    assert.notEqual(elsewhere.sessionSecret, first.sessionSecret, 'each installation has its own secret');
  });

  it('replaces a stored secret that is too short', () => {
    const dataDir = freshDir();
    loadConfig({ DATA_DIR: dataDir });
    const file = path.join(dataDir, 'session-secret');
    writeFileSync(file, 'court\n');
    const config = loadConfig({ DATA_DIR: dataDir });
    assert.ok(config.sessionSecret.length >= 32);
    assert.notEqual(config.sessionSecret, 'court');
    assert.equal(readFileSync(file, 'utf8').trim(), config.sessionSecret);
  });

  it('prefers SESSION_SECRET, and then writes no file', () => {
    const dataDir = freshDir();
    const secret = 'une-phrase-secrete-de-plus-de-32-caracteres';
    const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: secret });
    assert.equal(config.sessionSecret, secret);
    assert.equal(existsSync(path.join(dataDir, 'session-secret')), false);
  });

  it('prefers the secret passed in options over everything else', () => {
    const dataDir = freshDir();
    const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) }, { sessionSecret: SECRET });
    assert.equal(config.sessionSecret, SECRET);
    assert.equal(existsSync(path.join(dataDir, 'session-secret')), false);
  });
});
