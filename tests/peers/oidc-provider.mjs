// An independent OpenID provider (npm `oidc-provider` 9.x) for the end-to-end tests.
//
// Usage: node oidc-provider.mjs CONFIG.json
// CONFIG: { host, port (0 = ephemeral), keys_file, rotate_keys, clients: [oidc-provider
// client metadata], accounts: [{account_id, name, email, rrn, acr, amr}], acr_values,
// id_token_ttl_secs }.
//
// It prints `READY <port> <issuer>` on stdout once it listens. Logins happen without a
// browser: `/interaction/:uid` answers a plain HTML form listing the accounts and a POST
// with `account_id` (and optionally `acr`) finishes the login. Consent is implicit.
// Test-only admin routes (no authentication: loopback tests only):
//   POST /admin/clients         JSON client metadata: add or replace a client
//   POST /admin/accounts        JSON account: add or replace an account
//   GET  /admin/sessions        JSON [{account_id, clients: {client_id: sid}}]
//   POST /admin/backchannel-logout  JSON {account_id, client_id?}: end the account's
//        sessions and send a Back-Channel Logout token to every client of those sessions
//        that registered a backchannel_logout_uri; answers {sent: [{client_id, sid, ok, error}]}
//   GET  /admin/backchannel-log JSON [{client_id, account_id, sid, ok, error}] of every
//        back-channel call made so far (admin route and RP-initiated logout alike)
// It exits when its standard input closes, so that it never outlives the test process.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { generateKeyPairSync, randomUUID, randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const configPath = process.argv[2];
if (!configPath) {
  console.error('usage: node oidc-provider.mjs CONFIG.json');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));

// Never outlive the harness: it holds our stdin open.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

// ---- keys, stable across restarts (and rotated on demand) ----------------------------

function newKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const kid = () => randomBytes(8).toString('hex');
  return [
    { ...rsa, kid: kid(), alg: 'RS256', use: 'sig' },
    { ...ec, kid: kid(), alg: 'ES256', use: 'sig' },
    { ...ed, kid: kid(), alg: 'EdDSA', use: 'sig' },
  ];
}

let stored = null;
if (config.keys_file && existsSync(config.keys_file)) {
  stored = JSON.parse(readFileSync(config.keys_file, 'utf8'));
}
if (!stored) {
  stored = { keys: newKeys(), cookie_keys: [randomBytes(32).toString('hex')] };
} else if (config.rotate_keys) {
  // The new keys come first (they sign), the old ones stay published.
  stored.keys = [...newKeys(), ...stored.keys];
}
if (config.keys_file) {
  writeFileSync(config.keys_file, JSON.stringify(stored));
}

// ---- in-memory storage that can be enumerated ---------------------------------------

const store = new Map(); // `${model}:${id}` -> { payload, expiresAt }

class Adapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    store.set(this.key(id), { payload, expiresAt });
  }

  async find(id) {
    const entry = store.get(this.key(id));
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(this.key(id));
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid) {
    for (const [key, entry] of store) {
      if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid && entry.expiresAt > Date.now()) {
        return entry.payload;
      }
    }
    return undefined;
  }

  async findByUserCode(userCode) {
    for (const [key, entry] of store) {
      if (key.startsWith(`${this.model}:`) && entry.payload.userCode === userCode && entry.expiresAt > Date.now()) {
        return entry.payload;
      }
    }
    return undefined;
  }

  async consume(id) {
    const entry = store.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    for (const [key, entry] of store) {
      if (entry.payload.grantId === grantId && !key.startsWith('Session:')) {
        store.delete(key);
      }
    }
  }
}

function sessions() {
  const out = [];
  for (const [key, entry] of store) {
    if (key.startsWith('Session:') && entry.expiresAt > Date.now()) {
      out.push({ id: key.slice('Session:'.length), payload: entry.payload });
    }
  }
  return out;
}

// ---- accounts --------------------------------------------------------------------------

const accounts = new Map();
for (const account of config.accounts || []) {
  accounts.set(account.account_id, account);
}

function accountClaims(account) {
  const claims = { sub: account.account_id };
  if (account.name != null) {
    claims.name = account.name;
    const parts = String(account.name).split(' ');
    claims.given_name = parts[0];
    claims.family_name = parts.slice(1).join(' ') || parts[0];
  }
  if (account.email != null) {
    claims.email = account.email;
    claims.email_verified = true;
  }
  if (account.rrn != null) {
    claims.rrn = account.rrn;
  }
  return claims;
}

// ---- the provider ---------------------------------------------------------------------

const backchannelLog = [];
const host = config.host || '127.0.0.1';

function html(res, status, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>oidc-provider test login</title></head><body>${body}</body></html>`);
}

function json(res, status, value) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(value));
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function grantFor(ctx, provider) {
  const { client, session, params } = ctx.oidc;
  const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
  let grant = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!grant) {
    grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  }
  grant.addOIDCScope(String(params.scope || 'openid'));
  const requested = ctx.oidc.claims || {};
  const claimNames = new Set(['sub', 'acr', 'amr', 'auth_time', 'sid', 'rrn', 'name', 'given_name', 'family_name', 'email', 'email_verified']);
  for (const section of ['id_token', 'userinfo']) {
    for (const name of Object.keys(requested[section] || {})) claimNames.add(name);
  }
  grant.addOIDCClaims([...claimNames]);
  await grant.save();
  return grant;
}

let provider;
let issuer;

async function interaction(req, res, uid) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (err) {
    html(res, 400, `<h1>Unknown or expired interaction</h1><p>${escapeHtml(err.message)}</p>`);
    return;
  }
  if (details.uid !== uid) {
    html(res, 400, '<h1>Interaction mismatch</h1>');
    return;
  }
  if (details.prompt.name === 'consent') {
    // Consent is implicit: grant what was asked and go on.
    const grant = new provider.Grant({ clientId: details.params.client_id, accountId: details.session?.accountId });
    grant.addOIDCScope(String(details.params.scope || 'openid'));
    grant.addOIDCClaims(['sub', 'acr', 'amr', 'auth_time', 'sid', 'rrn', 'name', 'given_name', 'family_name', 'email', 'email_verified']);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  if (req.method === 'GET') {
    const options = [...accounts.values()].map((a) => `<li><label><input type="radio" name="account_id" value="${escapeHtml(a.account_id)}"> ${escapeHtml(a.name || a.account_id)}</label></li>`).join('');
    html(res, 200, `<h1>Sign in</h1><form id="login" method="post" action="/interaction/${escapeHtml(uid)}"><ul>${options}</ul><button type="submit">Sign in</button></form>`);
    return;
  }
  if (req.method !== 'POST') {
    html(res, 405, '<h1>Method not allowed</h1>');
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const account = accounts.get(form.get('account_id') || '');
  if (!account) {
    html(res, 400, '<h1>Unknown account</h1>');
    return;
  }
  const login = {
    accountId: account.account_id,
    acr: form.get('acr') || account.acr || undefined,
    amr: account.amr && account.amr.length ? account.amr : undefined,
    remember: true,
  };
  await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
}

async function backchannelLogout(accountId, onlyClientId) {
  const sent = [];
  for (const { id, payload } of sessions()) {
    if (payload.accountId !== accountId) continue;
    for (const [clientId, authorization] of Object.entries(payload.authorizations || {})) {
      if (onlyClientId && clientId !== onlyClientId) continue;
      const client = await provider.Client.find(clientId);
      if (!client || !client.backchannelLogoutUri) continue;
      const entry = { client_id: clientId, account_id: accountId, sid: authorization.sid, ok: true, error: null };
      try {
        await client.backchannelLogout(accountId, authorization.sid);
      } catch (err) {
        entry.ok = false;
        entry.error = err.message;
      }
      backchannelLog.push(entry);
      sent.push(entry);
    }
    if (!onlyClientId) {
      for (const authorization of Object.values(payload.authorizations || {})) {
        if (authorization.grantId) await new Adapter('Grant').revokeByGrantId(authorization.grantId);
      }
      store.delete(`Session:${id}`);
    }
  }
  return sent;
}

async function admin(req, res, path) {
  try {
    if (req.method === 'GET' && path === '/admin/sessions') {
      json(res, 200, sessions().map(({ payload }) => ({
        account_id: payload.accountId,
        clients: Object.fromEntries(Object.entries(payload.authorizations || {}).map(([c, a]) => [c, a.sid])),
      })));
    } else if (req.method === 'GET' && path === '/admin/backchannel-log') {
      json(res, 200, backchannelLog);
    } else if (req.method === 'POST' && path === '/admin/clients') {
      const metadata = JSON.parse(await readBody(req));
      await new Adapter('Client').upsert(metadata.client_id, metadata);
      const client = await provider.Client.find(metadata.client_id);
      if (!client) throw new Error('client refused');
      json(res, 200, { client_id: metadata.client_id });
    } else if (req.method === 'POST' && path === '/admin/accounts') {
      const account = JSON.parse(await readBody(req));
      accounts.set(account.account_id, account);
      json(res, 200, { account_id: account.account_id });
    } else if (req.method === 'POST' && path === '/admin/backchannel-logout') {
      const body = JSON.parse(await readBody(req));
      json(res, 200, { sent: await backchannelLogout(body.account_id, body.client_id) });
    } else {
      json(res, 404, { error: 'not found' });
    }
  } catch (err) {
    json(res, 400, { error: err.message, details: err.error_description });
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const match = url.pathname.match(/^\/interaction\/([^/]+)$/);
  let handled;
  if (match) {
    handled = interaction(req, res, match[1]);
  } else if (url.pathname.startsWith('/admin/')) {
    handled = admin(req, res, url.pathname);
  } else {
    provider.callback()(req, res);
    return;
  }
  handled.catch((err) => {
    console.error(err);
    if (!res.headersSent) html(res, 500, '<h1>Internal error</h1>');
    else res.end();
  });
});

server.on('error', (err) => {
  console.error(`listen failed: ${err.message}`);
  process.exit(1);
});

// Always bound to 127.0.0.1; `host` only names it in the issuer (e.g. `localhost`).
server.listen(config.port || 0, '127.0.0.1', () => {
  const { port } = server.address();
  issuer = `http://${host}:${port}`;
  const clients = (config.clients || []).map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...c,
  }));
  provider = new Provider(issuer, {
    adapter: Adapter,
    clients,
    jwks: { keys: stored.keys },
    cookies: { keys: stored.cookie_keys },
    findAccount: async (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => accountClaims(account) };
    },
    claims: {
      acr: null,
      amr: null,
      sid: null,
      auth_time: null,
      iss: null,
      openid: ['sub', 'acr', 'amr', 'auth_time', 'sid', 'rrn'],
      profile: ['name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    acrValues: config.acr_values || [],
    pkce: { required: () => true },
    // The relying parties under test live on loopback, which the provider's SSRF guard
    // refuses; and a debug build on a busy machine may need more than its 2.5 s.
    fetch: (url, options) => {
      const { dispatcher, signal, ...rest } = options;
      return globalThis.fetch(url, { ...rest, signal: AbortSignal.timeout(30000) });
    },
    loadExistingGrant: (ctx) => grantFor(ctx, provider),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Logout</title></head><body><h1>Sign out?</h1>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></body></html>`;
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signed out</title></head><body><h1>Signed out</h1></body></html>';
        },
      },
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: config.id_token_ttl_secs || 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Error</title></head><body><h1>Error</h1>${Object.entries(out).map(([k, v]) => `<p><strong>${escapeHtml(k)}</strong>: <span class="${escapeHtml(k)}">${escapeHtml(v)}</span></p>`).join('')}</body></html>`;
    },
  });
  provider.on('backchannel.success', (_ctx, client, accountId, sid) => {
    backchannelLog.push({ client_id: client.clientId, account_id: accountId, sid, ok: true, error: null });
  });
  provider.on('backchannel.error', (_ctx, err, client, accountId, sid) => {
    backchannelLog.push({ client_id: client.clientId, account_id: accountId, sid, ok: false, error: err.message });
  });
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
  // Unique marker so the harness can tell this start from a previous one.
  console.log(`READY ${port} ${issuer} ${randomUUID()}`);
});
