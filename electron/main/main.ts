// The desktop app's main process: one window, the renderer served from a private scheme, the contract over IPC, and
// a hidden trainer window for WebGPU/WebGL runs.
import { app, BrowserWindow, dialog, net, protocol, safeStorage, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveDataHome } from '../core/data-home.js';
import { createTokenProvider } from '../core/forge/token-provider.js';
import { createServices, type Services } from '../core/services.js';
import { keychainTokenKeeper } from './forge-token-keychain.js';
import { CONTENT_SECURITY_POLICY } from '../server/static-files.js';
import { forwardEvents, registerIpcHandlers } from './ipc-handlers.js';
import { denyPermissions } from './permissions.js';
import { hiddenTrainerWindow, type TrainerWindow } from './trainer-window.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, 'renderer');
export const APP_ORIGIN = 'modelcommons://app';

protocol.registerSchemesAsPrivileged([
  { scheme: 'modelcommons', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let services: Services | undefined;
let mainWindow: BrowserWindow | null = null;
let trainerWindow: TrainerWindow | undefined;

function serveRenderer() {
  protocol.handle('modelcommons', async (request) => {
    const url = new URL(request.url);
    const file = path.resolve(rendererDir, decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html');
    if (url.host !== 'app' || !(file === rendererDir || file.startsWith(rendererDir + path.sep))) {
      return new Response('not found', { status: 404 });
    }
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'ModelCommons',
    show: false,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  win.on('closed', () => {
    mainWindow = null;
    // The hidden trainer window must not keep the app alive once the person closed the app's window.
    if (process.platform !== 'darwin') app.quit();
  });
  mainWindow = win;
  return win;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
});

void app.whenReady().then(() => {
  // Before any window exists: the app window and the hidden trainer window both use the default session.
  denyPermissions(session.defaultSession);
  const home = resolveDataHome();
  services = createServices({
    home,
    // Tokens entered in the app are sealed by the OS keychain in their own file, never in the store.
    forgeTokens: createTokenProvider(process.env, keychainTokenKeeper(safeStorage, path.join(home, 'forge-tokens.json'))),
    version: app.getVersion(),
    ...(process.env.MODELCOMMONS_SQLITE_BINDING ? { nativeBinding: process.env.MODELCOMMONS_SQLITE_BINDING } : {}),
    trainerScript: { file: path.join(here, 'trainer.js'), execArgv: [] },
    chooseFolder: async (title) => {
      const options = { title, properties: ['openDirectory', 'createDirectory', 'promptToCreate'] as ('openDirectory' | 'createDirectory' | 'promptToCreate')[] };
      const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
    // Unpacked from the asar archive (see build/electron-builder.yml): git reads these bare repositories.
    bundledCatalogDir: path.join(here.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`), 'bundled-catalog'),
  });
  serveRenderer();
  registerIpcHandlers(services, APP_ORIGIN);
  forwardEvents(services);
  trainerWindow = hiddenTrainerWindow(path.join(here, 'preload.cjs'), APP_ORIGIN);
  services.chromium.useContexts(trainerWindow);
  createWindow();
  app.on('activate', () => {
    if (!mainWindow) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  trainerWindow?.close();
  services?.close();
});
