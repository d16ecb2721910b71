// Preloaded (--require) into Electronegativity's process by check-electronegativity.mjs: gives it the commander 5 it
// was written for (it declares none and would pick up our commander 14), and no network (it fetches translations
// and Electron's release list with `got`; offline, it falls back to its bundled files).
const Module = process.getBuiltinModule('node:module');
const path = process.getBuiltinModule('node:path');

const root = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const fromTool = Module.createRequire(path.join(root, 'package.json'));
const commander5 = Module.createRequire(fromTool.resolve('@electron/asar')).resolve('commander');

const offline = () => Promise.reject(new Error('offline: electronegativity runs without network here'));
offline.head = offline;

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (parent && typeof parent.filename === 'string' && parent.filename.startsWith(root + path.sep)) {
    if (request === 'commander') return load.call(this, commander5, parent, isMain);
    if (request === 'got') return offline;
  }
  return load.call(this, request, parent, isMain);
};
