/**
 * `npm run build` (after `nest build`): compiles our theme of GOV.UK Frontend from its Sass and writes the
 * pages' script with GOV.UK Frontend's module beside it, each under a hashed name in `dist/public/`, and
 * `dist/public/manifest.json` naming them, so that pages link the hashed names and the app serves assets
 * with a year's cache (a new build, a new name).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as sass from 'sass';
import { projectRoot } from '../common/project-root.js';

const root = projectRoot();
const output = join(root, 'dist', 'public');
mkdirSync(output, { recursive: true });
const manifest: Record<string, string> = {};

function emit(name: string, content: string): string {
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 12);
  const hashed = name.replace(/(\.[^.]+)$/, `-${digest}$1`);
  writeFileSync(join(output, hashed), content);
  manifest[name] = hashed;
  const kilobytes = (bytes: number) => (bytes / 1024).toFixed(1);
  console.error(
    `dist/public/${hashed}: ${kilobytes(content.length)} kB, ${kilobytes(gzipSync(content).length)} kB gzipped`,
  );
  return hashed;
}

const { css } = sass.compile(join(root, 'src', 'web', 'styles', 'application.scss'), {
  loadPaths: [join(root, 'node_modules', 'govuk-frontend', 'dist')],
  style: 'compressed',
  quietDeps: true,
});
emit('application.css', css);
const govuk = emit(
  'govuk-frontend.js',
  readFileSync(join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk', 'govuk-frontend.min.js'), 'utf8')
    // Its source map is not shipped.
    .replace(/\n?\/\/# sourceMappingURL=.*$/m, ''),
);
emit(
  'application.js',
  readFileSync(join(root, 'src', 'web', 'scripts', 'application.js'), 'utf8').replace(
    '__GOVUK_FRONTEND__',
    govuk,
  ),
);
writeFileSync(join(output, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
