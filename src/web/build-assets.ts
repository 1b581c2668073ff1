/**
 * `npm run build` (after `nest build`): compiles our theme of GOV.UK Frontend from its Sass into
 * `dist/public/application-<digest>.css` and writes `dist/public/manifest.json`, so that pages link the
 * hashed name and the app serves assets with a year's cache (a new build, a new name).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sass from 'sass';
import { projectRoot } from '../common/project-root.js';

const root = projectRoot();
const output = join(root, 'dist', 'public');
const { css } = sass.compile(join(root, 'src', 'web', 'styles', 'application.scss'), {
  loadPaths: [join(root, 'node_modules', 'govuk-frontend', 'dist')],
  style: 'compressed',
  quietDeps: true,
});
const digest = createHash('sha256').update(css).digest('hex').slice(0, 12);
const name = `application-${digest}.css`;
mkdirSync(output, { recursive: true });
writeFileSync(join(output, name), css);
writeFileSync(join(output, 'manifest.json'), `${JSON.stringify({ 'application.css': name }, null, 2)}\n`);
console.error(`dist/public/${name}: ${Math.round(css.length / 1024)} kB`);
