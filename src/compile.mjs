// `npm run compile`: the TypeScript sources to dist/, as nest-cli.json describes the build (its tsconfig,
// its emptied output directory, its compiler plugins: @nestjs/swagger's OpenAPI metadata). The Nest CLI did
// this; it is gone because its schematics require Node.js 22.22 or 24.15, and we support Node.js 20.19 too.
// Plain JavaScript: it runs before anything is compiled.
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const nest = JSON.parse(readFileSync('nest-cli.json', 'utf8'));
const { tsConfigPath, deleteOutDir, plugins = [] } = nest.compilerOptions;

const config = ts.getParsedCommandLineOfConfigFile(
  tsConfigPath,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
if (deleteOutDir) rmSync(config.options.outDir, { recursive: true, force: true });

const program = ts.createProgram(config.fileNames, config.options);
const before = plugins.map(({ name, options }) => require(`${name}/plugin`).before(options, program));
const result = program.emit(undefined, undefined, undefined, false, { before });
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
if (diagnostics.length) {
  const host = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: ts.sys.getCurrentDirectory,
    getNewLine: () => ts.sys.newLine,
  };
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}
