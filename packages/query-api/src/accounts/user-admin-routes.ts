import { Hono, type Context } from 'hono';
import { isAllowed } from '../access/permissions.js';
import type { Principal, SiteRole } from '../access/principal.js';
import { BadParameterError, ForbiddenError, NotFoundError } from '../errors/query-api-errors.js';
import { readJsonBody } from '../params/json-body.js';
import { malformedTextReason } from '../params/well-formed-text.js';
import { objectBody, onlyKeys, principalOf, type AccountServices } from './account-services.js';
import { ACCOUNT_BODY_LIMIT } from './session-routes.js';
import { checkRoles, createStoreUserAdmin, type UserAdmin, type UserView } from './user-admin.js';

/**
 * GET/POST /admin/users, PATCH /admin/users/:id, POST /admin/users/:id/setup-link. The instance owner (and the
 * local admin) manage everyone. An admin of a site manages only what lies within the sites they administer: they
 * see the users holding a role on such a site (and only those roles), grant or remove roles only on such sites, and
 * rename, disable or send a set-up link only to users whose every role is on such sites. Nobody but the owner touches
 * the owner. Checked here, whatever the route table's generic check already did.
 */
export function userAdminRoutes(s: AccountServices): Hono {
  const app = new Hono();
  const adminFor = (c: Context): UserAdmin =>
    createStoreUserAdmin({
      userStore: s.deps.userStore,
      actor: principalOf(c),
      address: s.address(c),
      now: s.now,
      ...(s.deps.audit ? { audit: s.deps.audit } : {}),
      ...(s.deps.setupTokenTtlMs !== undefined ? { setupTokenTtlMs: s.deps.setupTokenTtlMs } : {}),
      ...(s.deps.publicUrl !== undefined ? { publicUrl: s.deps.publicUrl } : {}),
    });

  app.get('/admin/users', s.signedIn, async (c) => {
    const p = principalOf(c);
    const site = c.req.query('site');
    if (site !== undefined) {
      const bad = malformedTextReason(site);
      if (bad) throw new BadParameterError('site', bad);
    }
    const all = await adminFor(c).list();
    if (isInstanceAdmin(p)) return c.json({ users: site === undefined ? all : all.filter((u) => site in u.roles) });
    if (site === undefined) {
      // Everyone a site admin may see: users with a role on a site they administer, showing only those roles.
      const mine = all.map((u) => ({ ...u, roles: administered(p, u.roles) })).filter((u) => !u.owner && Object.keys(u.roles).length > 0);
      return c.json({ users: mine });
    }
    if (!isAllowed(p, 'admin', site)) throw new ForbiddenError(`site: you do not administer ${JSON.stringify(site.slice(0, 128))}`);
    return c.json({ users: all.filter((u) => !u.owner && site in u.roles).map((u) => ({ ...u, roles: { [site]: u.roles[site]! } })) });
  });

  app.post('/admin/users', ACCOUNT_BODY_LIMIT, s.signedIn, async (c) => {
    const p = principalOf(c);
    const body = await objectBody(c);
    onlyKeys(body, ['site', 'email', 'display_name', 'roles']);
    if (body.email === undefined) throw new BadParameterError('email', 'required');
    const { site: _site, ...input } = body;
    if (!isInstanceAdmin(p)) {
      actingSite(p, body.site);
      const roles = body.roles === undefined ? {} : checkRoles(body.roles, { allowRemove: false });
      if (Object.keys(roles).length === 0) throw new BadParameterError('roles', 'required: a role on at least one site you administer');
      mayGrant(p, roles);
    }
    return c.json(await adminFor(c).create({ ...input, email: body.email }), 201);
  });

  app.patch('/admin/users/:id', ACCOUNT_BODY_LIMIT, s.signedIn, async (c) => {
    const p = principalOf(c);
    const body = await objectBody(c);
    onlyKeys(body, ['site', 'display_name', 'disabled', 'roles']);
    const { site: _site, ...patch } = body;
    const admin = adminFor(c);
    const target = await find(admin, c.req.param('id'));
    if (!isInstanceAdmin(p)) {
      actingSite(p, body.site);
      if (body.roles !== undefined) mayGrant(p, checkRoles(body.roles, { allowRemove: true }));
      if (body.display_name !== undefined || body.disabled !== undefined) mayManageWholly(p, target);
      else if (target.owner) throw new ForbiddenError('only the instance owner changes the owner');
    }
    const updated = await admin.update(target.id, patch);
    return c.json(isInstanceAdmin(p) ? updated : { ...updated, roles: administered(p, updated.roles) });
  });

  app.post('/admin/users/:id/setup-link', ACCOUNT_BODY_LIMIT, s.signedIn, async (c) => {
    const p = principalOf(c);
    const admin = adminFor(c);
    const target = await find(admin, c.req.param('id'));
    if (!isInstanceAdmin(p)) {
      const body = (await readJsonBody(c)) ?? {};
      actingSite(p, typeof body === 'object' && body !== null ? (body as Record<string, unknown>).site : undefined);
      mayManageWholly(p, target);
    }
    return c.json(await admin.createSetupLink(target.id), 201);
  });

  return app;
}

/**
 * A site admin names the site they act as admin of (`site`, as every per-site request does, so the route table's
 * generic check sees it); it must be one they administer. The owner may leave it out.
 */
function actingSite(p: Principal, site: unknown): string {
  if (typeof site !== 'string' || site.length === 0) throw new BadParameterError('site', 'required: the site you administer');
  if (!isAllowed(p, 'admin', site)) throw new ForbiddenError(`site: you do not administer ${JSON.stringify(site.slice(0, 128))}`);
  return site;
}

/** The owner and the local admin: isAllowed's instance-wide answer. */
const isInstanceAdmin = (p: Principal) => isAllowed(p, 'admin', undefined);

function administered(p: Principal, roles: Record<string, SiteRole>): Record<string, SiteRole> {
  return Object.fromEntries(Object.entries(roles).filter(([site]) => isAllowed(p, 'admin', site)));
}

function mayGrant(p: Principal, roles: Record<string, SiteRole | null>): void {
  const foreign = Object.keys(roles).find((site) => !isAllowed(p, 'admin', site));
  if (foreign !== undefined) throw new ForbiddenError(`roles.${foreign}: you do not administer this site`);
}

function mayManageWholly(p: Principal, target: UserView): void {
  if (target.owner) throw new ForbiddenError('only the instance owner changes the owner');
  const sites = Object.keys(target.roles);
  if (sites.length === 0 || sites.some((site) => !isAllowed(p, 'admin', site))) {
    throw new ForbiddenError('this user has roles on sites you do not administer: ask the instance owner');
  }
}

async function find(admin: UserAdmin, id: string): Promise<UserView> {
  if (id.length > 64 || malformedTextReason(id)) throw new NotFoundError('id: no such user');
  return admin.get(id);
}
