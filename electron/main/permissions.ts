// Web permissions (camera, microphone, notifications, geolocation, clipboard reads, HID/USB/serial devices, …) for
// every window of the desktop app: denied, whoever asks. The app needs none of them, and a project's README or
// catalog text rendered in a window must never be able to ask.
import type { Session } from 'electron';

/** What any page of the app is granted: nothing. One function, so that a test can hold it to that. */
export function permissionDecision(_permission: string, _requestingOrigin: string): boolean {
  return false;
}

/** The slice of an Electron session this installs handlers on (both windows share the default session). */
export type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

export function denyPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionDecision(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin));
  session.setDevicePermissionHandler((details) => permissionDecision(`device:${details.deviceType}`, details.origin));
}
