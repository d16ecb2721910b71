// Sorts changed paths into the five line categories (code, docs, data, config, tests) by ordered glob
// rules over the path; a project can put its own rules first or replace the defaults.

export const CATEGORIES = ['code', 'docs', 'data', 'config', 'tests'] as const;
export type Category = (typeof CATEGORIES)[number];

export function isCategory(name: string): name is Category {
  return (CATEGORIES as readonly string[]).includes(name);
}

/** Why rule `index` (from 0) cannot be kept because its category is unknown, in one line; null when it is known. */
export function unknownCategory(index: number, pattern: string, category: string): string | null {
  return isCategory(category) ? null : `Rule ${index + 1} ("${pattern}"): "${category}" is not a category (${CATEGORIES.join(', ')})`;
}

export interface CategoryRule {
  /**
   * A glob over the repository path, matched case-insensitively. Without a `/` it matches the file name
   * at any depth (`*.md`); with one it matches from the root (`docs/**`, `**\/fixtures/**`).
   * `*` stays within a folder, `**` crosses folders, `?` is one character, `{a,b}` is either.
   */
  readonly pattern: string;
  readonly category: Category;
}

export interface CategoryOptions {
  /** Checked before the defaults; the first matching rule wins. */
  readonly rules?: readonly CategoryRule[];
  /** Drop the default rules and use only `rules`. */
  readonly replaceDefaults?: boolean;
  /** Category of a path no rule matches; default `code`. */
  readonly fallback?: Category;
}

/** Tables, arrays, images and audio: what a split folder (train/, test/, val/) holds as data. */
// `gz` covers `train.csv.gz` and MNIST's `*-idx3-ubyte.gz`; `*-ubyte` (no extension) is IDX as MNIST ships it.
const DATA_EXTENSIONS = 'csv,tsv,jsonl,ndjson,parquet,npy,npz,gz,png,jpg,jpeg,gif,bmp,tif,tiff,webp,wav,mp3,flac,ogg';

const rules = (category: Category, patterns: string): CategoryRule[] =>
  patterns.split(/\s+/).filter(Boolean).map((pattern) => ({ pattern, category }));

/** The default rules, in the order they are tried; anything else is `code`. Documented in README.md. */
export const DEFAULT_CATEGORY_RULES: readonly CategoryRule[] = [
  // 1. The project manifest and model files.
  ...rules('config', `modelcommons.json model.json *.h5 *.hdf5 *.keras *.onnx *.tflite *.pb *.pt *.pth *.ckpt
    *.safetensors *.gguf *.mlmodel *.bin`),
  // 2. Build, packaging, CI and tool configuration.
  ...rules('config', `.github/** .gitlab/** .gitlab-ci.yml .circleci/** .travis.yml azure-pipelines.yml appveyor.yml
    .buildkite/** Jenkinsfile Dockerfile Dockerfile.* *.dockerfile docker-compose*.yml docker-compose*.yaml .dockerignore
    Makefile makefile GNUmakefile CMakeLists.txt *.cmake package.json package-lock.json npm-shrinkwrap.json yarn.lock
    pnpm-lock.yaml pnpm-workspace.yaml .npmrc .nvmrc tsconfig*.json jsconfig*.json requirements*.txt constraints*.txt
    setup.py setup.cfg pyproject.toml Pipfile Pipfile.lock poetry.lock uv.lock environment*.yml environment*.yaml
    tox.ini noxfile.py .pre-commit-config.yaml Cargo.toml Cargo.lock go.mod go.sum build.gradle* settings.gradle* pom.xml
    .gitignore .gitattributes .gitmodules .mailmap .git-blame-ignore-revs .editorconfig .eslintrc* eslint.config.*
    .prettierrc* prettier.config.* *.config.js *.config.mjs *.config.cjs *.config.ts .babelrc babel.config.*`),
  // 3. Well-known documents, documentation folders, and notebooks: mostly prose, plots and outputs stored as JSON
  //    lines, which would swamp the code's lines (a project whose training code is a notebook can say `*.ipynb = code`).
  ...rules('docs', `README* LICENSE* LICENCE* COPYING* CHANGELOG* CHANGES* HISTORY* AUTHORS* CONTRIBUTORS*
    CONTRIBUTING* CODE_OF_CONDUCT* NOTICE* CITATION* **/docs/** **/doc/** **/documentation/** **/notebooks/** *.ipynb`),
  // 4. Data: data and image folders, and data files in train/test/validation split folders, all before the tests
  //    rules — a model project's `images/test/**` is its test split, not its tests.
  ...rules('data', `**/data/** **/dataset/** **/datasets/** **/images/** **/imgs/**`),
  ...rules('data', `**/{train,training,test,testing,val,valid,validation,dev,eval}/**/*.{${DATA_EXTENSIONS}}
    **/{train,training,test,testing,val,valid,validation,dev,eval}/**/*-ubyte`),
  // 5. Tests, wherever they live.
  ...rules('tests', `**/test/** **/tests/** **/__tests__/** **/spec/** **/specs/** **/e2e/** *.test.* *.spec.*
    test_*.py *_test.py *_test.go conftest.py`),
  // 6. By extension.
  ...rules('docs', `*.md *.markdown *.mdx *.rst *.adoc *.asciidoc *.txt *.tex *.pdf`),
  ...rules('data', `*.{${DATA_EXTENSIONS}} *.feather *.arrow *.avro *.pkl *.pickle *.xls *.xlsx *.sqlite *.db *.mp4 *.avi
    *.zip *.tar *.tgz *-ubyte`),
  ...rules('config', `*.json *.yml *.yaml *.toml *.ini *.cfg *.conf *.env *.properties`),
];

/** Turns one glob of a CategoryRule into an anchored, case-insensitive RegExp over the whole path. */
export function globToRegExp(glob: string): RegExp {
  const trimmed = glob.replace(/^\/+/, '');
  const anchored = glob.includes('/');
  let re = '';
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i]!;
    if (ch === '*') {
      if (trimmed[i + 1] === '*') {
        const atStart = i === 0 || trimmed[i - 1] === '/';
        const slashAfter = trimmed[i + 2] === '/';
        if (atStart && slashAfter) {
          re += '(?:.*/)?';
          i += 2;
        } else if (atStart && i + 2 === trimmed.length && i > 0) {
          re = re.slice(0, -1) + '(?:/.*)?'; // "dir/**" matches dir itself and everything under it
          i += 1;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const close = trimmed.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${trimmed.slice(i + 1, close).split(',').map(escapeRegExp).join('|')})`;
        i = close;
      }
    } else re += escapeRegExp(ch);
  }
  return new RegExp(anchored ? `^${re}$` : `(?:^|/)${re}$`, 'i');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type Categorizer = (path: string) => Category;

/** A compiled rule: tests the whole path, or (rules without `/`) the file name lower-cased in ASCII. */
type Matcher = (path: string, name: string) => boolean;

/** Lower-cases A–Z only: what a case-insensitive RegExp does for ASCII pattern text (no other letter folds to ASCII). */
function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : text;
}

/**
 * The rule as a Matcher. The common globs — an exact file name (`Makefile`), `*` + an ending (`*.md`), a start +
 * `*` (`README*`) — are string comparisons; everything else is globToRegExp's RegExp. Both say the same (a test
 * compares them), but a history has thousands of paths and the default rules are many.
 */
function compileRule(pattern: string): Matcher {
  const re = globToRegExp(pattern);
  const literal = (text: string) => /^[\x20-\x7e]*$/.test(text) && !/[*?{/\\]/.test(text);
  if (!pattern.includes('/')) {
    const lower = asciiLower(pattern);
    if (literal(lower)) return (_, name) => name === lower;
    if (lower.startsWith('*') && literal(lower.slice(1))) {
      const end = lower.slice(1);
      return (_, name) => name.endsWith(end);
    }
    if (lower.endsWith('*') && literal(lower.slice(0, -1))) {
      const start = lower.slice(0, -1);
      return (_, name) => name.startsWith(start);
    }
  }
  return (path) => re.test(path);
}

export function createCategorizer(options: CategoryOptions = {}): Categorizer {
  const all = [...(options.rules ?? []), ...(options.replaceDefaults ? [] : DEFAULT_CATEGORY_RULES)];
  for (const rule of all) {
    if (!(CATEGORIES as readonly string[]).includes(rule.category)) throw new Error(`Unknown category "${String(rule.category)}" for ${rule.pattern}`);
  }
  const compiled = all.map((rule) => ({ matches: compileRule(rule.pattern), category: rule.category }));
  const fallback = options.fallback ?? 'code';
  const cache = new Map<string, Category>();
  return (path) => {
    let hit = cache.get(path);
    if (hit === undefined) {
      const name = asciiLower(path.slice(path.lastIndexOf('/') + 1));
      hit = compiled.find((r) => r.matches(path, name))?.category ?? fallback;
      cache.set(path, hit);
    }
    return hit;
  };
}
