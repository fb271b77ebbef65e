import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config';

/**
 * deploy/'s systemd units: accepted by systemd itself (systemd-analyze verify), and hardened as the
 * README promises. verify only warns, exit code 0, about an unknown key or a value it cannot parse,
 * so any line it prints about our units is a failure.
 */

const DEPLOY = path.resolve(import.meta.dirname, '../../deploy');
const UNITS = ['vigie.service', 'vigie-purge.service', 'vigie-purge.timer', 'vigie-backup.service', 'vigie-backup.timer'];
const SERVICES = UNITS.filter((u) => u.endsWith('.service'));
const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

const work = mkdtempSync(path.join(tmpdir(), 'vigie-units-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The unit's [Service] settings, a key given several times keeping its last value. */
function serviceSettings(unit: string): Map<string, string> {
  const settings = new Map<string, string>();
  let section = '';
  for (const line of readFileSync(path.join(DEPLOY, unit), 'utf8').split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line.trim());
    if (header) section = header[1]!;
    const pair = /^(\w+)=(.*)$/.exec(line);
    if (section === 'Service' && pair) settings.set(pair[1]!, pair[2]!);
  }
  return settings;
}

describe('deploy/ systemd units', () => {
  it('pass systemd-analyze verify without a warning', { skip: SYSTEMD_ANALYZE ? false : 'systemd-analyze is not installed (Debian package systemd): the units are not verified' }, () => {
    // verify checks that ExecStart's program exists: node may live elsewhere than /usr/bin/node here.
    for (const unit of UNITS) {
      writeFileSync(path.join(work, unit), readFileSync(path.join(DEPLOY, unit), 'utf8').replaceAll('/usr/bin/node', process.execPath));
    }
    const res = spawnSync(SYSTEMD_ANALYZE!, ['verify', '--man=no', ...UNITS.map((u) => path.join(work, u))], { encoding: 'utf8', timeout: 60_000 });
    const aboutOurs = `${res.stdout}\n${res.stderr}`.split('\n').filter((line) => UNITS.some((u) => line.includes(u)));
    assert.deepEqual(aboutOurs, [], 'systemd-analyze has nothing to say about our units');
    assert.equal(res.status, 0, res.stderr);
  });

  it('run every service as vigie, hardened, writing to the data folder only (and the backup folder for backups)', () => {
    for (const unit of SERVICES) {
      const s = serviceSettings(unit);
      const expected: Record<string, string> = {
        User: 'vigie',
        Group: 'vigie',
        NoNewPrivileges: 'yes',
        ProtectSystem: 'strict',
        ProtectHome: 'yes',
        PrivateTmp: 'yes',
        PrivateDevices: 'yes',
        UMask: '0077',
        CapabilityBoundingSet: '',
        EnvironmentFile: '/etc/vigie/vigie.env',
        StateDirectoryMode: '0700',
      };
      for (const [key, value] of Object.entries(expected)) assert.equal(s.get(key), value, `${unit}: ${key}=${value}`);
      assert.match(s.get('Environment') ?? '', /\bDATA_DIR=\/var\/lib\/vigie\b/, `${unit}: DATA_DIR is the folder it may write to`);
      const writable = (s.get('ReadWritePaths') ?? '').split(/\s+/);
      assert.deepEqual(writable, unit === 'vigie-backup.service' ? ['/var/lib/vigie', '/var/backups/vigie'] : ['/var/lib/vigie'], `${unit}: ReadWritePaths`);
    }
    const app = serviceSettings('vigie.service');
    assert.equal(app.get('Restart'), 'on-failure');
    assert.match(app.get('ExecStart') ?? '', /^\/usr\/bin\/node --import tsx src\/server\.ts$/);
    assert.match(serviceSettings('vigie-purge.service').get('ExecStart') ?? '', /src\/cli\.ts purge$/);
  });

  it('ship a command wrapper that runs the CLI as the service does', () => {
    const wrapper = path.join(DEPLOY, 'vigie-cli');
    assert.equal(statSync(wrapper).mode & 0o111, 0o111, 'executable');
    const syntax = spawnSync('sh', ['-n', wrapper], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
    const text = readFileSync(wrapper, 'utf8');
    assert.match(text, /done < \/etc\/vigie\/vigie\.env/, 'the settings file, read line by line');
    assert.doesNotMatch(text, /^\s*\. /m, 'never sourced by the shell');
    assert.match(text, /NODE_ENV=production DATA_DIR=\/var\/lib\/vigie BACKUP_DIR=\/var\/backups\/vigie/);
    assert.match(text, /setpriv --reuid=vigie --regid=vigie --init-groups/);
  });

  it('the wrapper loads the settings file and runs the command with them', { skip: process.getuid?.() === 0 ? false : 'the wrapper runs as root only' }, () => {
    // The wrapper as shipped, with this machine's paths and this user instead of vigie's.
    const data = path.join(work, 'wrapper-data');
    const envFile = path.join(work, 'wrapper.env');
    // Quotes taken off as systemd does; a password's `$(…)` is text, never run (as root) by the shell.
    const canary = path.join(work, 'canary-ran');
    writeFileSync(envFile, `# comment\nBASE_URL="https://vigie.exemple.fr"\nTRUST_PROXY=1\nSMTP_HOST=\nSMTP_PASSWORD=pa$(touch ${canary})\`x\`ss\n`);
    const wrapper = path.join(work, 'vigie-cli');
    writeFileSync(
      wrapper,
      readFileSync(path.join(DEPLOY, 'vigie-cli'), 'utf8')
        .replaceAll('/etc/vigie/vigie.env', envFile)
        .replaceAll('/var/lib/vigie', data)
        .replace('BACKUP_DIR=/var/backups/vigie', `BACKUP_DIR=${path.join(work, 'wrapper-backups')}`)
        .replace('cd /opt/vigie', `cd '${path.resolve(DEPLOY, '..')}'`)
        .replace('--reuid=vigie --regid=vigie', `--reuid=${process.getuid!()} --regid=${process.getgid!()}`)
        .replace('/usr/bin/node', process.execPath),
    );
    const res = spawnSync('sh', [wrapper, 'doctor'], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH } });
    assert.match(res.stdout, new RegExp(`vérification de l’installation \\(DATA_DIR=${data}\\)`), res.stderr);
    assert.match(res.stdout, /✔ Adresse publique en https : https:\/\/vigie\.exemple\.fr/, 'BASE_URL came from the settings file');
    assert.match(res.stdout, /✔ Proxy pris en compte \(TRUST_PROXY=1\)/);
    assert.match(res.stdout, /✘ Le dossier de sauvegarde .*wrapper-backups n’existe pas/, 'BACKUP_DIR came from the wrapper');
    assert.equal(res.status, 1, 'doctor found something to fix, and the wrapper passed its exit code on');
    assert.equal(existsSync(canary), false, 'nothing in the settings file was run');
  });

  it('ship an environment file that keeps the app behind the proxy', () => {
    const env = Object.fromEntries(
      readFileSync(path.join(DEPLOY, 'vigie.env.example'), 'utf8')
        .split('\n')
        .filter((line) => /^\w+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    // A valid configuration as it stands, once BASE_URL names the server.
    const config = loadConfig({ ...env, NODE_ENV: 'production', DATA_DIR: work }, { sessionSecret: 'x'.repeat(40) });
    assert.deepEqual([config.host, config.trustProxy, config.secureCookies, config.smtp], ['127.0.0.1', 1, true, null]);
    assert.equal(env.HOST, '127.0.0.1');
    assert.equal(env.TRUST_PROXY, '1');
    assert.match(env.BASE_URL ?? '', /^https:\/\//);
    assert.match(readFileSync(path.join(DEPLOY, 'Caddyfile'), 'utf8'), new RegExp(`reverse_proxy 127\\.0\\.0\\.1:${env.PORT}\\b`));
  });
});
