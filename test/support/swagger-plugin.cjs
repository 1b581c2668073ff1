// ts-jest wrapper around the @nestjs/swagger compiler plugin, so that tests see the same OpenAPI
// metadata as `nest build` (see nest-cli.json for the options, kept identical).
const transformer = require('@nestjs/swagger/plugin');

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) =>
  transformer.before(
    { classValidatorShim: true, introspectComments: true, dtoFileNameSuffix: ['.dto.ts'] },
    compiler.program,
  );
