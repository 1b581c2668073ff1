// ts-jest wrapper around the compiler plugins of nest-cli.json (@nestjs/swagger's), so that tests see the
// same OpenAPI metadata as `npm run compile` (src/compile.mjs), with the same options read from that file.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const { plugins = [] } = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'nest-cli.json'), 'utf8'),
).compilerOptions;

module.exports.name = 'nest-cli-plugins-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) => {
  const transformers = plugins.map(({ name, options }) =>
    require(`${name}/plugin`).before(options, compiler.program),
  );
  return (context) => (file) => transformers.reduce((node, transformer) => transformer(context)(node), file);
};
