/** The pages' foundation: the home page, its assets, its security headers and the HTML error pages. */
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { createTestApp, loginAdmin, TestApp } from './support/test-app.js';
import { createCampaign } from './factories/campaign.factory.js';

describe('web pages: foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await createCampaign(t, {
      adminToken: await loginAdmin(t),
      body: { title: 'Appel à projets 2027 de démonstration' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the public home page in French with the open calls, in GOV.UK Frontend’s markup', async () => {
    const response = await t.http().get('/').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<html lang="fr"');
    expect(response.text).toContain('Contrat de ville : appel à projets');
    expect(response.text).toContain('Appel à projets 2027 de démonstration');
    expect(response.text).toContain('Contrat de ville de Montélimar Agglomération');
    // The header names the service and the contract (the deployment hosts one).
    expect(response.text).toMatch(
      /<span class="cdv-header__contract">Contrat de ville de Montélimar Agglomération<\/span>/,
    );
    expect(response.text).toMatch(/class="govuk-table"/);
    // No crown, no GDS Transport: the State's identity is not ours.
    expect(response.text).not.toMatch(/crown|GDS Transport/i);
  });

  it('allows no inline script but the one carrying this response’s nonce, and no inline style', async () => {
    const response = await t.http().get('/').expect(200);
    const policy = response.headers['content-security-policy'];
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("style-src 'self'");
    const nonce = /'nonce-([^']+)'/.exec(policy)![1];
    expect(response.text).toContain(`<script nonce="${nonce}">`);
    const again = await t.http().get('/').expect(200);
    expect(again.headers['content-security-policy']).not.toContain(nonce);
  });

  it('serves the built stylesheet under its hashed name for a year, without GDS Transport', async () => {
    const home = await t.http().get('/').expect(200);
    const href = /<link rel="stylesheet" href="(\/assets\/application-[0-9a-f]{12}\.css)">/.exec(
      home.text,
    )![1];
    const css = await t.http().get(href).expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.text).toContain('.govuk-button');
    expect(css.text).not.toContain('GDS Transport');
    expect(css.text).toContain('system-ui');
  });

  it('answers an unknown page with a French HTML 404 that shows no internals', async () => {
    const response = await t.http().get('/nulle-part').expect(404);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('Page introuvable');
    expect(response.text).toContain(response.headers['x-request-id']);
    expect(response.text).not.toMatch(/Error|at \w+ \(|Cannot GET/);
  });

  it('publishes the accessibility statement, linked from every page’s footer', async () => {
    const home = await t.http().get('/').expect(200);
    expect(home.text).toContain('href="/accessibilite"');
    const statement = await t.http().get('/accessibilite').expect(200);
    expect(statement.text).toContain('<h1 class="govuk-heading-xl">Déclaration d’accessibilité</h1>');
    expect(statement.text).toContain('RGAA 4.1');
    expect(statement.text).toContain('Défenseur des droits');
  });

  it('lets the application start without HTTP, as the demo seed and the CLI do', async () => {
    const context = await NestFactory.createApplicationContext(AppModule.forRoot(t.config), {
      logger: false,
    });
    await context.close();
  });

  it('keeps the API’s errors in JSON', async () => {
    const response = await t.http().get('/api/v1/nulle-part').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404 });
  });
});
