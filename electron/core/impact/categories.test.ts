// Tests of categories.ts: the default path rules, project overrides and the glob syntax.
import { describe, expect, it } from 'vitest';
import { createCategorizer, DEFAULT_CATEGORY_RULES, globToRegExp } from './categories.js';

describe('categories', () => {
  const categorize = createCategorizer();

  it.each([
    ['modelcommons.json', 'config'],
    ['models/mnist/model.json', 'config'],
    ['weights/best.h5', 'config'],
    ['export/model.onnx', 'config'],
    ['tfjs/group1-shard1of1.bin', 'config'],
    ['.github/workflows/ci.yml', 'config'],
    ['Dockerfile', 'config'],
    ['package.json', 'config'],
    ['requirements.txt', 'config'],
    ['pyproject.toml', 'config'],
    ['settings.yaml', 'config'],
    ['tests/test_model.py', 'tests'],
    ['src/model.test.ts', 'tests'],
    ['pkg/train_test.go', 'tests'],
    ['src/__tests__/a.js', 'tests'],
    ['tests/fixtures/sample.csv', 'tests'],
    ['README.md', 'docs'],
    ['docs/guide.md', 'docs'],
    ['docs/img/arch.png', 'docs'],
    ['LICENSE', 'docs'],
    ['notes.txt', 'docs'],
    ['data/train.csv', 'data'],
    ['data/labels.txt', 'data'],
    ['datasets/a/b.json', 'data'],
    ['samples/cat.PNG', 'data'],
    ['corpus.jsonl', 'data'],
    ['src/model.py', 'code'],
    ['src/layers/dense.ts', 'code'],
    ['train.ipynb', 'docs'],
    ['notebooks/explore.py', 'docs'],
    // Model projects: image folders and train/test/validation splits are data, not tests.
    ['images/test/7/00012.png', 'data'],
    ['mnist/test/3/x.png', 'data'],
    ['dataset/val/labels.csv', 'data'],
    ['splits/validation/part-0.parquet', 'data'],
    ['tests/data/expected.csv', 'data'],
    // The formats the data readers take: gzip'd tables and MNIST's IDX files, inside split folders and out.
    ['test/t10k-images-idx3-ubyte.gz', 'data'],
    ['raw/train-labels-idx1-ubyte', 'data'],
    ['test/digits.csv.gz', 'data'],
    ['test/test_images.py', 'tests'],
    ['data/README.md', 'docs'],
    ['Makefile.am', 'code'],
  ] as const)('%s is %s', (path, category) => {
    expect(categorize(path)).toBe(category);
  });

  it('puts project rules before the defaults, or replaces them', () => {
    const custom = createCategorizer({ rules: [{ pattern: 'notebooks/**', category: 'docs' }, { pattern: '*.csv', category: 'tests' }] });
    expect(custom('notebooks/intro.ipynb')).toBe('docs');
    expect(custom('data/train.csv')).toBe('tests');
    expect(custom('README.md')).toBe('docs');
    const only = createCategorizer({ rules: [{ pattern: '*.py', category: 'data' }], replaceDefaults: true, fallback: 'docs' });
    expect(only('src/model.py')).toBe('data');
    expect(only('modelcommons.json')).toBe('docs');
  });

  it('rejects an unknown category', () => {
    expect(() => createCategorizer({ rules: [{ pattern: '*', category: 'art' as never }] })).toThrow(/Unknown category/);
  });

  it('reads globs like gitignore patterns', () => {
    expect(globToRegExp('*.md').test('a/b/c.md')).toBe(true);
    expect(globToRegExp('*.md').test('a/b/c.mdx')).toBe(false);
    expect(globToRegExp('docs/**').test('docs/a/b.txt')).toBe(true);
    expect(globToRegExp('docs/**').test('src/docs/a.txt')).toBe(false);
    expect(globToRegExp('**/docs/**').test('src/docs/a.txt')).toBe(true);
    expect(globToRegExp('src/*.py').test('src/a/b.py')).toBe(false);
    expect(globToRegExp('*.{png,jpg}').test('x/y.JPG')).toBe(true);
    expect(globToRegExp('file?.txt').test('file1.txt')).toBe(true);
    expect(globToRegExp('a+b(c).txt').test('a+b(c).txt')).toBe(true);
  });

  it('gives for every path what testing each rule\'s RegExp in order gives (names compared as strings where the glob allows)', () => {
    const rules = [{ pattern: 'Notes*', category: 'docs' as const }, { pattern: '*.IPYNB', category: 'data' as const }, ...DEFAULT_CATEGORY_RULES];
    const byRegExp = (path: string) => rules.find((r) => globToRegExp(r.pattern).test(path))?.category ?? 'code';
    const names = [
      'Makefile', 'MAKEFILE', 'makefile.bak', 'README', 'readme.rst', 'ReadMe_old', 'Dockerfile', 'Dockerfile.gpu', 'dockerfile.',
      'model.BIN', 'x.bin.txt', 'a.config.JS', 'config.js', 'NOTES.txt', 'notes', 'nb.ipynb', 'package.json', 'Package.JSON',
      'requirements-dev.txt', 'test_model.py', 'model_test.py', 'conftest.py', 'ſetup.py', 'setup.py', 'ſ.md', 'K.md', 'İNSTALL.md',
      'READMEK', '.github', '.gitignore', '.GITIGNORE', 'x', '', 'weights.safetensors', 'data.CSV', 'Jenkinsfile', 'jenkinsfile',
    ];
    const dirs = ['', 'src/', 'docs/', 'a/test/', 'deep/er/data/', '.github/workflows/', 'Docs/', 'TESTS/', 'x.md/'];
    let compared = 0;
    for (const dir of dirs) {
      for (const name of names) {
        const path = `${dir}${name}`;
        expect(createCategorizer({ rules })(path), path).toBe(byRegExp(path));
        compared++;
      }
    }
    expect(compared).toBe(names.length * dirs.length);
    expect(createCategorizer()('README\u212a')).toBe('docs'); // "README*" takes any ending
    expect(createCategorizer()('ſetup.py')).toBe('code'); // the long s is not an ASCII s to a case-insensitive RegExp
  });
});

