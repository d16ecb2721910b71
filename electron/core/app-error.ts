// The core's typed error lives in portable/ (a Chromium trainer throws it too); the rest of the core imports it here.
export { AppError, oneLine, toErrorShape, type AppErrorKind } from './portable/app-error.js';
