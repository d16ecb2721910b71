// Says plainly, once, whether the Electron spec runs.
import { electronBinary } from './electron-binary.js';

export default function globalSetup() {
  const binary = electronBinary();
  if (binary) console.log(`Electron e2e: runs against ${binary}`);
  else {
    console.log(
      'Electron e2e: DID NOT RUN — no Electron binary in node_modules/electron/dist (it downloads on the first `npm start`; ' +
        'this machine cannot download it). The same flow ran in Chromium against `modelcommons serve`.',
    );
  }
}
