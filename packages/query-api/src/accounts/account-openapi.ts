import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { SITE_ROLES } from '../access/principal.js';
import { ErrorBodySchema } from '../openapi/error-responses.js';

/**
 * The account routes in /openapi.json. The routes themselves are plain Hono handlers (account-routes.ts) that
 * check their bodies field by field; this describes them, with the credential each takes.
 */
const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBodySchema } } });
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const Role = z.enum(SITE_ROLES);
const Roles = z.record(z.string(), Role).openapi({ description: 'Site id → role.', example: { demo: 'analyst' } });
const SessionSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), display_name: z.string(), owner: z.boolean() }),
    sites: z.array(z.object({ site: z.string(), role: Role })),
    csrf_token: z.string().openapi({ description: 'Send as X-CSRF-Token with every POST/PUT/PATCH/DELETE made with the session cookie.' }),
    expires_at: z.string().nullable().openapi({ description: 'When the session ends without further requests (idle or absolute expiry, whichever is first).' }),
  })
  .openapi('Session');
const UserSchema = z
  .object({ id: z.string(), email: z.string(), display_name: z.string(), owner: z.boolean(), disabled: z.boolean(), has_password: z.boolean(), created_at: z.string(), roles: Roles })
  .openapi('User');
const SetupLinkSchema = z.object({ user_id: z.string(), email: z.string(), token: z.string(), link: z.string(), expires_at: z.string() }).openapi('SetupLink');

const COOKIE: Array<Record<string, string[]>> = [{ sessionCookie: [] }];
const COOKIE_OR_KEY: Array<Record<string, string[]>> = [{ sessionCookie: [] }, { bearerAuth: [] }];
const CSRF_HEADER = z.object({ 'x-csrf-token': z.string().optional().openapi({ description: 'Required with the session cookie (from GET /api/v1/session); not with a Bearer key.' }) });
const SIGNED_IN_ERRORS = { 401: error('Not signed in, or the session ended.'), 403: error('`csrf`: a cookie request without the X-CSRF-Token or from a foreign origin; `forbidden`: not allowed.') };
const ADMIN_NOTE = 'The owner manages everyone; an admin of a site names it in `site` and acts only on sites they administer (docs/admin.md "Users and sign-in").';

export function registerAccountOpenApi(app: Pick<OpenAPIHono, 'openAPIRegistry'>): void {
  const r = app.openAPIRegistry;
  r.registerComponent('securitySchemes', 'sessionCookie', { type: 'apiKey', in: 'cookie', name: '__Host-spoor_session', description: 'The session cookie from POST /api/v1/session (`spoor_session` over plain http).' });
  r.registerPath({
    method: 'post',
    path: '/api/v1/session',
    summary: 'Sign in with email and password: sets the session cookie',
    security: [],
    request: { body: json(z.object({ email: z.string(), password: z.string() })) },
    responses: {
      200: { description: 'Signed in (Set-Cookie)', ...json(SessionSchema) },
      400: error('A field is missing or malformed; `error.parameter` names it.'),
      401: error('`invalid_credentials`: the same answer for an unknown email, a wrong password and a disabled user.'),
      403: error('`csrf`: sent from a foreign origin.'),
      429: error('`too_many_sign_in_attempts` for this account or address; see Retry-After.'),
      503: error('`sign_in_busy`: too many sign-ins at once; see Retry-After.'),
    },
  });
  r.registerPath({ method: 'get', path: '/api/v1/session', summary: 'Who am I: the user, roles per site, the CSRF token', security: COOKIE, responses: { 200: { description: 'The session', ...json(SessionSchema) }, ...SIGNED_IN_ERRORS } });
  r.registerPath({ method: 'delete', path: '/api/v1/session', summary: 'Sign out: the session ends on the server', security: COOKIE, request: { headers: CSRF_HEADER }, responses: { 204: { description: 'Signed out' }, ...SIGNED_IN_ERRORS } });
  r.registerPath({
    method: 'post',
    path: '/api/v1/session/password',
    summary: "Change one's own password; the user's other sessions end",
    security: COOKIE,
    request: { headers: CSRF_HEADER, body: json(z.object({ current_password: z.string(), new_password: z.string().min(10).max(1024) })) },
    responses: { 200: { description: 'Changed; a new session cookie', ...json(SessionSchema) }, 400: error('A field is malformed, or `current_password` is wrong.'), 429: error('Too many wrong current passwords.'), ...SIGNED_IN_ERRORS },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/setup',
    summary: 'Set a password with a one-time set-up token',
    security: [],
    request: { body: json(z.object({ token: z.string(), password: z.string().min(10).max(1024) })) },
    responses: { 200: { description: 'Password set; sign in next', ...json(z.object({ email: z.string(), next: z.string() })) }, 400: error('`invalid_setup_token` (unknown, used or expired), or a malformed password.') },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/admin/users',
    summary: 'List users and their roles',
    description: `${ADMIN_NOTE} Needs \`admin\` (role, or key scope) on \`site\`, or the owner.`,
    security: COOKIE_OR_KEY,
    request: { query: z.object({ site: z.string().optional() }) },
    responses: { 200: { description: 'Users', ...json(z.object({ users: z.array(UserSchema) })) }, ...SIGNED_IN_ERRORS },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/admin/users',
    summary: 'Create a user (no password yet: send them a set-up link)',
    description: `${ADMIN_NOTE} Needs \`admin\` on \`site\` and on every site in \`roles\`, or the owner.`,
    security: COOKIE_OR_KEY,
    request: { headers: CSRF_HEADER, body: json(z.object({ email: z.string(), display_name: z.string().optional(), roles: Roles.optional(), site: z.string().optional() })) },
    responses: { 201: { description: 'Created', ...json(UserSchema) }, 400: error('A field is malformed; `error.parameter` names it.'), 422: error('`email_taken`.'), ...SIGNED_IN_ERRORS },
  });
  r.registerPath({
    method: 'patch',
    path: '/api/v1/admin/users/{id}',
    summary: 'Rename, disable or enable a user, or set their roles (null removes a role)',
    description: `${ADMIN_NOTE} Renaming and disabling need \`admin\` on every site the user has a role on.`,
    security: COOKIE_OR_KEY,
    request: {
      params: z.object({ id: z.string() }),
      headers: CSRF_HEADER,
      body: json(z.object({ display_name: z.string().optional(), disabled: z.boolean().optional(), roles: z.record(z.string(), Role.nullable()).optional(), site: z.string().optional() })),
    },
    responses: { 200: { description: 'The user after the change', ...json(UserSchema) }, 400: error('A field is malformed.'), 404: error('No such user.'), ...SIGNED_IN_ERRORS },
  });
  r.registerPath({
    method: 'post',
    path: '/api/v1/admin/users/{id}/setup-link',
    summary: 'A new one-time set-up link (72 hours; earlier links stop working)',
    description: `${ADMIN_NOTE} Needs \`admin\` on every site the user has a role on.`,
    security: COOKIE_OR_KEY,
    request: { params: z.object({ id: z.string() }), headers: CSRF_HEADER, body: json(z.object({ site: z.string().optional() })) },
    responses: { 201: { description: 'The link, shown once', ...json(SetupLinkSchema) }, 404: error('No such user.'), ...SIGNED_IN_ERRORS },
  });
}
