import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve(import.meta.dirname, '..', 'src');

/**
 * Makes a source module and the modules it imports by relative path runnable by plain Node (a
 * child process a test kills): each file transpiled to JavaScript into `outDir`, keeping the
 * layout under src/. Only for modules whose imports are Node built-ins or relative (no tfjs at
 * run time). Resolves to the path of the entry's .js file.
 */
export function transpileForChild(entry: string, outDir: string): string {
  const seen = new Set<string>();
  const pending = [resolve(SRC, entry)];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(resolve(dirname(file), `${match[1]}.ts`));
    }
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    const out = join(outDir, relative(SRC, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  return join(outDir, entry).replace(/\.ts$/, '.js');
}
