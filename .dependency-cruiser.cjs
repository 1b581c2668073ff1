/**
 * The module boundaries (docs/architecture.md): feature modules depend downward only, and `common` and
 * `config` on no feature. A lower module that must trigger a higher one exposes hooks the higher registers.
 * `npm run lint` runs this; a cycle or an upward import fails it.
 */
const LAYERS = [
  ['referential'],
  ['accounts'],
  ['access', 'checks', 'notifications'],
  ['campaigns', 'membership'],
  ['applications'],
  ['attachments', 'reviews', 'programming'],
  ['conventions', 'reports', 'reminders'],
  ['payments'],
  ['audit', 'national', 'health'],
];
const layerOf = new Map(LAYERS.flatMap((modules, layer) => modules.map((name) => [name, layer])));
const above = (name) => [...layerOf].filter(([, layer]) => layer > layerOf.get(name)).map(([other]) => other);
const alongside = (name) =>
  [...layerOf]
    .filter(([other, layer]) => other !== name && layer === layerOf.get(name))
    .map(([other]) => other);

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Files that import each other, directly or through others (type-only imports included).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...[...layerOf.keys()].map((name) => ({
      name: `${name}-depends-downward`,
      severity: 'error',
      comment: `${name} may import only the modules below it (LAYERS in .dependency-cruiser.cjs).`,
      from: { path: `^src/modules/${name}/` },
      to: { path: `^src/modules/(${[...above(name), ...alongside(name)].join('|')})/` },
    })),
    {
      name: 'shared-code-knows-no-feature',
      severity: 'error',
      comment: 'common and config are below every feature module.',
      from: { path: '^src/(common|config)/' },
      to: { path: '^src/(modules|jobs|web)/' },
    },
    {
      name: 'every-module-is-placed',
      severity: 'error',
      comment: 'A new feature module gets its layer in LAYERS before it is imported.',
      from: { path: '^src/modules/' },
      to: { path: `^src/modules/(?!(${[...layerOf.keys()].join('|')})/)` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
