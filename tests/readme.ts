// What the docs test reads from a package's README: its install line (the first `npm install …`
// of a sh block), its first JavaScript or TypeScript example, the packages that example imports,
// and the outputs its comments promise.

export interface CodeBlock {
  /** The fence's language, lower case: `js`, `ts`, `sh`, … (`''` when it names none). */
  lang: string;
  code: string;
}

export interface InstallLine {
  /** The line as the README writes it, without a trailing `# comment`. */
  line: string;
  /** What it installs, as written (`@cnnlab/viz`, `vega`, `typescript@5.9.3`). */
  specs: string[];
  /** Its flags (`-g`, `--save-dev`). */
  flags: string[];
}

export interface Example {
  kind: 'js' | 'ts';
  code: string;
}

const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
const JS = new Set(['js', 'javascript', 'mjs']);
const TS = new Set(['ts', 'typescript', 'mts']);

/** Every fenced code block, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const fence = /^(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) {
    blocks.push({ lang: match[2].toLowerCase(), code: match[3] });
  }
  return blocks;
}

/** The first `npm install …` (or `npm i …`) line of the README's shell blocks. */
export function installLine(markdown: string): InstallLine | undefined {
  for (const block of codeBlocks(markdown)) {
    if (!SHELL.has(block.lang)) continue;
    for (const raw of block.code.split('\n')) {
      const line = raw
        .replace(/^\s*\$\s+/, '')
        .replace(/\s#.*$/, '')
        .trim();
      const words = line.split(/\s+/);
      if (words[0] !== 'npm' || (words[1] !== 'install' && words[1] !== 'i')) continue;
      const rest = words.slice(2);
      return {
        line,
        specs: rest.filter((word) => !word.startsWith('-')),
        flags: rest.filter((word) => word.startsWith('-')),
      };
    }
  }
  return undefined;
}

/** The first ```js or ```ts block, verbatim. */
export function firstExample(markdown: string): Example | undefined {
  for (const block of codeBlocks(markdown)) {
    if (JS.has(block.lang)) return { kind: 'js', code: block.code };
    if (TS.has(block.lang)) return { kind: 'ts', code: block.code };
  }
  return undefined;
}

/** The package an install spec or import specifier names: `@a/b@1` → `@a/b`, `x/y` → `x`. */
export function packageName(spec: string): string {
  if (spec.startsWith('@')) {
    const [scope, rest = ''] = spec.split('/');
    return `${scope}/${rest.split('@')[0]}`;
  }
  return spec.split('/')[0].split('@')[0];
}

/** The packages the code imports (static, dynamic and re-exports), without `node:` built-ins. */
export function importedPackages(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bimport\s+(?:type\s+)?[\w$*{}\s,]*?\s*from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bexport\s+[\w$*{}\s,]*?\s*from\s*['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1];
      if (specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z]+:/.test(specifier)) {
        continue;
      }
      found.add(packageName(specifier));
    }
  }
  return [...found].sort();
}

/**
 * The outputs the example's comments promise, in order: on a line `console.log(…); // <values>`
 * whose comment is only numbers, `null`, brackets and commas (`// [52, 416, 4]`, `// [3, 3] -7`),
 * the values, spacing normalised; a trailing `…` keeps only what comes before it. Comments
 * in words (`// e.g. …`, `// [{ class, probability }]`) are descriptions, not checked.
 */
export function promisedOutputs(code: string): string[] {
  const outputs: string[] = [];
  for (const line of code.split('\n')) {
    const match = /^\s*console\.log\(.*\);?\s*\/\/\s*(.+?)\s*$/.exec(line);
    if (!match) continue;
    const comment = match[1];
    if (!/^[\d\s,.[\]\-…]+$/.test(comment.replace(/\bnull\b/g, '0'))) continue;
    const values = normalize(comment.replace(/,?\s*….*$/, ''));
    if (values) outputs.push(values);
  }
  return outputs;
}

/** Output as compared: no space around brackets and commas (node breaks long arrays), others one. */
function normalize(text: string): string {
  return text
    .replace(/\s*([[\],])\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The promised outputs missing from stdout (searched in order, spacing normalised). */
export function missingOutputs(promised: string[], stdout: string): string[] {
  const text = normalize(stdout);
  const missing: string[] = [];
  let from = 0;
  for (const values of promised) {
    const at = text.indexOf(values, from);
    if (at < 0) missing.push(values);
    else from = at + values.length;
  }
  return missing;
}
