import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createTestApp, TestApp } from './support/test-app.js';

/** The document of the built API (`npm test` builds first): the swagger compiler plugin runs in `nest build`. */
function builtOpenApiDocument(): {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
} {
  if (!existsSync('dist/src/openapi.js')) throw new Error('Run `npm run build` first (npm test does it).');
  return JSON.parse(execFileSync(process.execPath, ['dist/src/openapi.js'], { encoding: 'utf8' }));
}

describe('health', () => {
  it('is ok when PostgreSQL and Redis answer', async () => {
    const t = await createTestApp();
    try {
      const response = await t.http().get('/api/v1/health').expect(200);
      expect(response.body).toEqual({ status: 'ok', db: 'up', redis: 'up' });
    } finally {
      await t.close();
    }
  });

  it('answers 503 naming Redis when Redis is unreachable', async () => {
    // Nothing listens on this port: a real unreachable Redis, not a mock.
    const t = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:6399' });
    try {
      const response = await t.http().get('/api/v1/health').expect(503);
      expect(response.body).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        status: 'error',
        db: 'up',
        redis: 'down',
        details: [{ field: 'redis', code: 'DEPENDENCY_DOWN' }],
      });
    } finally {
      await t.close();
    }
  });
});

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes every route the application serves, with its DTOs', async () => {
    const document = builtOpenApiDocument();
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations))
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const router =
      t.app.getHttpAdapter().getInstance()._router ?? t.app.getHttpAdapter().getInstance().router;
    const served = new Set<string>();
    for (const layer of router.stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
      if (!layer.route?.path.startsWith('/api/v1')) continue;
      for (const method of Object.keys(layer.route.methods))
        served.add(`${method.toUpperCase()} ${layer.route.path}`);
    }
    expect(served.size).toBeGreaterThanOrEqual(8);
    expect([...served].filter((route) => !documented.has(route))).toEqual([]);
    const schemas = document.components.schemas;
    expect(Object.keys(schemas.RegisterDto.properties)).toEqual(
      expect.arrayContaining(['email', 'password', 'displayName', 'organization']),
    );
    expect(Object.keys(schemas.OrganizationInputDto.properties)).toEqual(
      expect.arrayContaining([
        'name',
        'legalForm',
        'siret',
        'rna',
        'address',
        'legalRepresentative',
        'contactEmail',
      ]),
    );
    expect(document.paths['/api/v1/auth/login'].post.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/LoginResultDto' } } },
    });
    expect(Object.keys(schemas.ThemeDto.properties)).toEqual(['code', 'label', 'stakes']);
  });

  it('is the document the running API serves at /api/docs-json', async () => {
    const served = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(served.body.paths).sort()).toEqual(Object.keys(builtOpenApiDocument().paths).sort());
  });

  it('serves the Swagger UI', async () => {
    const response = await t.http().get('/api/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger');
  });

  it('serves neither the UI nor the document when API_DOCS=false', async () => {
    const closed = await createTestApp({ API_DOCS: 'false' });
    try {
      await closed.http().get('/api/docs').redirects(1).expect(404);
      await closed.http().get('/api/docs-json').expect(404);
      await closed.http().get('/api/v1/health').expect(200);
    } finally {
      await closed.close();
    }
  });
});
