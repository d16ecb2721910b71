// Resolves a path taken from an untrusted project so that it can never leave the project's folder,
// neither by `..`, by being absolute, nor through a symlink pointing outside.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from './app-error.js';

export function resolveInsideRepo(repoDir: string, relative: string, what = 'path'): string {
  if (path.isAbsolute(relative) || /^[a-zA-Z]:[\\/]/.test(relative)) {
    throw new AppError('invalid-request', `${what} "${relative}" is absolute; only paths inside the project are allowed`);
  }
  const root = fs.realpathSync(repoDir);
  const candidate = path.resolve(root, relative);
  if (!isWithin(root, candidate)) {
    throw new AppError('invalid-request', `${what} "${relative}" escapes the project folder`);
  }
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    throw new AppError('not-found', `${what} "${relative}" does not exist in the project`);
  }
  if (!isWithin(root, real)) {
    throw new AppError('invalid-request', `${what} "${relative}" is a link that points outside the project folder`);
  }
  return real;
}

function isWithin(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
