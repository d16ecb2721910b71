// The desktop app's hardening, checked without an Electron binary: the fuses electron-builder flips in the packaged
// app, and the permission handlers main installs on the session both windows share (every permission denied).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { denyPermissions, permissionDecision, type PermissionSession } from './permissions.js';

const builderConfig = fileURLToPath(new URL('../../build/electron-builder.yml', import.meta.url));
const mainSource = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('Electron fuses in build/electron-builder.yml', () => {
  it('keep RunAsNode (the trainer is forked with ELECTRON_RUN_AS_NODE) and turn off the code-injection ones', () => {
    const config = parse(fs.readFileSync(builderConfig, 'utf8')) as { electronFuses?: Record<string, boolean> };
    expect(config.electronFuses).toEqual({
      runAsNode: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });
});

describe('web permissions', () => {
  const permissions = ['media', 'notifications', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'hid', 'usb', 'serial', 'openExternal', 'fullscreen', 'unknown'];

  it('are all denied, to the app’s own origin and to any other', () => {
    for (const origin of ['modelcommons://app', 'https://evil.example', '']) {
      for (const p of permissions) expect(permissionDecision(p, origin), `${p} for ${origin}`).toBe(false);
    }
  });

  it('denyPermissions installs request, check and device handlers that answer no', () => {
    const installed: Partial<Record<'request' | 'check' | 'device', (...args: never[]) => unknown>> = {};
    const session = {
      setPermissionRequestHandler: (h: unknown) => void (installed.request = h as never),
      setPermissionCheckHandler: (h: unknown) => void (installed.check = h as never),
      setDevicePermissionHandler: (h: unknown) => void (installed.device = h as never),
    } as unknown as PermissionSession;
    denyPermissions(session);
    const answers: boolean[] = [];
    const request = installed.request as unknown as (c: null, p: string, cb: (granted: boolean) => void, d: { requestingUrl: string }) => void;
    for (const p of permissions) request(null, p, (granted) => answers.push(granted), { requestingUrl: 'modelcommons://app/index.html' });
    expect(answers).toEqual(permissions.map(() => false));
    const check = installed.check as unknown as (c: null, p: string, origin: string) => boolean;
    expect(permissions.map((p) => check(null, p, 'modelcommons://app'))).toEqual(permissions.map(() => false));
    const device = installed.device as unknown as (d: { deviceType: string; origin: string }) => boolean;
    expect(device({ deviceType: 'usb', origin: 'modelcommons://app' })).toBe(false);
  });

  it('main installs them on the default session before any window is created', () => {
    const source = fs.readFileSync(mainSource, 'utf8');
    const ready = source.indexOf('app.whenReady()');
    const deny = source.indexOf('denyPermissions(session.defaultSession)');
    expect(deny).toBeGreaterThan(ready);
    expect(deny).toBeLessThan(source.indexOf('hiddenTrainerWindow(', ready));
    expect(deny).toBeLessThan(source.indexOf('createWindow();', ready));
    // Both windows use the default session: neither sets a partition or a session of its own.
    expect(source).not.toMatch(/partition\s*:|session\s*:/);
    expect(fs.readFileSync(fileURLToPath(new URL('./trainer-window.ts', import.meta.url)), 'utf8')).not.toMatch(/partition\s*:|session\s*:/);
  });
});
