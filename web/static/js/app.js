// app.js - the panel's shell: who is logged in, the hash routes
// (#/t/DOMAIN/extensions ...), the navigation each role sees, the
// superadmin's tenant picker, and the timers of live pages.
import * as api from './api.js';
import {h, clear} from './ui.js';

const LEVEL = {user: 0, admin: 1, superadmin: 2};

// path: segments, ':x' takes one into params.x; role: the least role
// that may open it; nav: its label in the menu (tenant pages need a
// tenant picked).
const ROUTES = [
	{path: 'login', page: 'login', title: 'Log in'},
	{path: 'tenants', page: 'tenants', role: 'superadmin', nav: 'Tenants', title: 'Tenants'},
	{path: 't/:t/dashboard', page: 'dashboard', role: 'admin', nav: 'Dashboard', title: 'Dashboard'},
	{path: 't/:t/extensions', page: 'extensions', role: 'admin', nav: 'Extensions', title: 'Extensions'},
	{path: 't/:t/extensions/:e', page: 'extension', role: 'user', title: 'Extension'},
	{path: 't/:t/registrations', page: 'registrations', role: 'admin', nav: 'Registrations', title: 'Registrations'},
	{path: 't/:t/calls', page: 'calls', role: 'admin', nav: 'Live calls', title: 'Live calls'},
	{path: 't/:t/rooms', page: 'rooms', role: 'admin', nav: 'Conference rooms', title: 'Conference rooms'},
	{path: 't/:t/rooms/:room', page: 'room', role: 'admin', title: 'Conference room'},
	{path: 't/:t/ringgroups', page: 'ringgroups', role: 'admin', nav: 'Ring groups', title: 'Ring groups'},
	{path: 't/:t/ringgroups/:group', page: 'ringgroup', role: 'admin', title: 'Ring group'},
	{path: 't/:t/ivr', page: 'ivr', role: 'admin', nav: 'IVR', title: 'IVR menus'},
	{path: 't/:t/ivr/:name', page: 'ivr_menu', role: 'admin', title: 'IVR menu'},
	{path: 't/:t/prompts', page: 'prompts', role: 'admin', nav: 'Prompts', title: 'Prompts'},
	{path: 't/:t/routes', page: 'routes', role: 'admin', nav: 'Routes', title: 'Routes'},
	{path: 't/:t/trunks', page: 'trunks', role: 'admin', nav: 'Trunks', title: 'Trunks and numbers'},
	{path: 't/:t/timeconds', page: 'timeconds', role: 'admin', nav: 'Time conditions', title: 'Time conditions'},
	{path: 't/:t/timeconds/:name', page: 'timecond', role: 'admin', title: 'Time condition'},
	{path: 't/:t/cdr', page: 'cdr', role: 'admin', nav: 'Call records', title: 'Call records'},
	{path: 't/:t/users', page: 'users', role: 'admin', nav: 'Users', title: 'Web users'},
	{path: 't/:t/settings', page: 'settings', role: 'admin', nav: 'Settings', title: 'Tenant settings'},
	{path: 'audit', page: 'audit', role: 'admin', nav: 'Audit log', title: 'Audit log'},
];

// A page of one item shows its list's menu entry as the current one.
const PARENT = {extension: 'extensions', ivr_menu: 'ivr', timecond: 'timeconds', room: 'rooms',
	ringgroup: 'ringgroups'};

const state = {
	user: null,        // {id, username, role, tenant, extension}
	tenant: '',        // the tenant pages are about
	tenants: [],       // the superadmin's picker
	leave: [],         // what to undo when the page changes
	page: '',          // the page module shown
	afterLogin: null,  // the hash a 401 interrupted
	notice: '',        // said on the log-in page
};

const $ = (id) => document.getElementById(id);

function parseHash() {
	const raw = location.hash.replace(/^#\/?/, '');
	const [path, qs] = raw.split('?');
	return {
		parts: path.split('/').filter(Boolean).map(decodeURIComponent),
		query: Object.fromEntries(new URLSearchParams(qs || '')),
	};
}

function match(parts) {
	for (const r of ROUTES) {
		const want = r.path.split('/');
		if (want.length !== parts.length)
			continue;
		const params = {};
		if (want.every((w, i) => w.startsWith(':')
			? (params[w.slice(1)] = parts[i], true) : w === parts[i]))
			return {route: r, params};
	}
	return null;
}

// '#/t/DOMAIN/extensions/1001' from its parts (each one encoded).
export function link(...parts) {
	return '#/' + parts.map((p) => encodeURIComponent(p)).join('/');
}

export function tlink(...parts) {
	return link('t', state.tenant, ...parts);
}

function home() {
	const u = state.user;
	if (!u)
		return '#/login';
	if (u.role === 'user')
		return link('t', u.tenant, 'extensions', u.extension);
	if (u.role === 'admin')
		return link('t', u.tenant, 'dashboard');
	const last = localStorage.getItem('ondo.tenant');
	return last && state.tenants.some((t) => t.domain === last)
		? link('t', last, 'dashboard') : '#/tenants';
}

export function go(hash, replace = false) {
	if (location.hash === hash)
		return route();
	if (replace)
		location.replace(hash);
	else
		location.hash = hash;
}

// ---- session ----

async function loadTenants() {
	if (state.user?.role !== 'superadmin')
		return;
	const r = await api.get('/api/v1/tenants');
	state.tenants = r.tenants;
	const sel = $('tenant-select');
	clear(sel, h('option', {value: ''}, 'Pick a tenant…'),
		...r.tenants.map((t) => h('option', {value: t.domain},
			`${t.name} (${t.domain})`)));
	sel.value = state.tenant;
}

// After the tenants page changed the list: the picker follows, and a
// picked tenant that is gone is dropped.
export async function refreshTenants() {
	await loadTenants();
	if (state.tenant && !state.tenants.some((t) => t.domain === state.tenant)) {
		state.tenant = '';
		localStorage.removeItem('ondo.tenant');
		$('tenant-select').value = '';
		renderNav(state.page);
	}
}

export async function startSession(user, csrf) {
	state.user = user;
	api.setCsrf(csrf);
	state.tenant = user.role === 'superadmin' ? '' : user.tenant;
	await loadTenants();
	$('top').hidden = false;
	$('who').textContent = `${user.username} (${user.role})`;
	$('tenant-pick').hidden = user.role !== 'superadmin';
	$('tenant-name').textContent = user.role === 'superadmin' ? '' : user.tenant;
	const next = state.afterLogin;
	state.afterLogin = null;
	go(next || home(), true);
}

function endSession(notice = '') {
	state.user = null;
	state.tenants = [];
	api.setCsrf(null);
	state.notice = notice;
	$('top').hidden = true;
	$('nav').hidden = true;
}

api.onUnauthorized(() => {
	if (!state.user)
		return;
	state.afterLogin = location.hash;
	endSession('Your session has ended: log in again.');
	go('#/login', true);
});

// ---- navigation ----

function renderNav(current) {
	const u = state.user, nav = $('nav');
	const items = [];
	if (u.role === 'user') {
		items.push(['My extension', link('t', u.tenant, 'extensions', u.extension), 'extension']);
	} else {
		for (const r of ROUTES) {
			if (!r.nav || LEVEL[u.role] < LEVEL[r.role])
				continue;
			if (r.path.startsWith('t/') && !state.tenant)
				continue;
			items.push([r.nav, '#/' + r.path.replace(':t',
				encodeURIComponent(state.tenant)), r.page]);
		}
	}
	clear(nav, h('ul', {}, items.map(([label, href, page]) =>
		h('li', {}, h('a', {href, 'aria-current': page === current ||
			page === PARENT[current] ? 'page' : null}, label)))));
	nav.hidden = false;
}

function leavePage() {
	for (const fn of state.leave.splice(0))
		try { fn(); } catch (e) { /* the page is gone either way */ }
}

// ctx.every(ms, fn, status): runs fn ms after the page showed and then ms
// after each run ends, while the page is shown; skipped while the browser
// tab is hidden. A failed run is said in the element `status`.
function repeater(ms, fn, status) {
	let timer = null, stopped = false;
	const run = async () => {
		timer = null;
		if (stopped)
			return;
		if (!document.hidden) {
			try {
				await fn();
			} catch (err) {
				if (status && !stopped)
					status.textContent = `Not updated: ${err.message}`;
			}
		}
		if (!stopped)
			timer = setTimeout(run, ms);
	};
	state.leave.push(() => { stopped = true; clearTimeout(timer); });
	timer = setTimeout(run, ms);
}

async function route() {
	const {parts, query} = parseHash();
	const main = $('main');
	leavePage();
	$('nav').classList.remove('open');
	$('menu-toggle').setAttribute('aria-expanded', 'false');

	if (!state.user) {
		if (parts[0] !== 'login') {
			state.afterLogin = location.hash || null;
			return go('#/login', true);
		}
	}
	const m = match(parts);
	if (!m || (m.route.page === 'login' && state.user))
		return go(home(), true);
	const {route: r, params} = m;

	state.page = r.page;
	const view = h('div', {class: 'view', dataset: {page: r.page}});
	clear(main, view);
	document.title = `${r.title} · Ondo PBX`;
	if (r.page !== 'login') {
		if (params.t !== undefined && params.t !== state.tenant) {
			state.tenant = params.t;
			if (state.user.role === 'superadmin')
				localStorage.setItem('ondo.tenant', params.t);
		}
		$('tenant-select').value = state.tenant;
		renderNav(r.page);
		if (LEVEL[state.user.role] < LEVEL[r.role]) {
			view.append(h('h1', {}, r.title),
				h('p', {class: 'flash error'}, `Your role (${state.user.role}) may not open this page.`));
			return;
		}
	}
	const ctx = {
		view, params, query, user: state.user, tenant: state.tenant,
		isAdmin: LEVEL[state.user?.role] >= LEVEL.admin,
		every: repeater,
		onLeave: (fn) => state.leave.push(fn),
		notice: state.notice,
		// Rewrites the hash's query (search, page) without a new render.
		setQuery(q) {
			const s = api.query(q);
			history.replaceState(null, '', location.hash.split('?')[0] + s);
		},
	};
	state.notice = '';
	try {
		const mod = await import(`./pages/${r.page}.js`);
		await mod.render(ctx);
	} catch (err) {
		if (err instanceof api.ApiError && err.status === 401)
			return;
		view.append(h('p', {class: 'flash error', role: 'alert'},
			err instanceof api.ApiError ? err.message : `The page failed: ${err.message}`));
		if (!(err instanceof api.ApiError))
			console.error(err);
	}
}

// ---- start ----

function wireShell() {
	$('logout').addEventListener('click', async () => {
		try { await api.post('/api/v1/logout'); } catch (e) { /* gone anyway */ }
		endSession('You are logged out.');
		go('#/login');
	});
	$('tenant-select').addEventListener('change', (ev) => {
		const dom = ev.target.value;
		if (!dom)
			return go('#/tenants');
		const {parts} = parseHash();
		// Stay on the same kind of page in the other tenant (its list,
		// not one item of the old tenant).
		const page = parts[0] === 't' && parts[2] ? parts[2] : 'dashboard';
		go(link('t', dom, page));
	});
	$('menu-toggle').addEventListener('click', () => {
		const open = $('nav').classList.toggle('open');
		$('menu-toggle').setAttribute('aria-expanded', String(open));
	});
	window.addEventListener('hashchange', route);
}

async function start() {
	wireShell();
	try {
		const me = await api.get('/api/v1/me');
		const target = location.hash && !location.hash.startsWith('#/login')
			? location.hash : null;
		state.afterLogin = target;
		await startSession(me.user, me.csrf);
	} catch (err) {
		if (!(err instanceof api.ApiError) || err.status !== 401)
			state.notice = err.message;
		await route();
	}
}

start();
