// api.js - the REST API from the page: JSON over fetch with the session
// cookie, the CSRF token sent back on every change, errors as ApiError.
//
// The token comes from POST /api/v1/login or GET /api/v1/me and is kept
// in memory only (a reload asks /me again). A 401 anywhere but the log-in
// itself calls the handler set with onUnauthorized (the app shows the
// log-in page).

let csrf = null;
let unauthorized = () => {};

export class ApiError extends Error {
	// status: HTTP status (0: the server could not be reached);
	// field: the request field the error is about, or null.
	constructor(status, message, field = null, retryAfter = null) {
		super(message);
		this.status = status;
		this.field = field;
		this.retryAfter = retryAfter;
	}
}

export function setCsrf(token) {
	csrf = token || null;
}

export function onUnauthorized(fn) {
	unauthorized = fn;
}

// One path segment. encodeURIComponent leaves !'()* alone; '*' is an IVR
// digit and goes as %2A like '#' goes as %23.
export function seg(s) {
	return encodeURIComponent(String(s)).replace(/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// '/api/v1/tenants/DOMAIN/a/b' with every part encoded.
export function tpath(domain, ...parts) {
	return ['/api/v1/tenants', seg(domain), ...parts.map(seg)].join('/');
}

// '?a=1&b=x' from an object; empty, null and undefined values are left out.
export function query(params = {}) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== '' && v !== null && v !== undefined)
			q.set(k, String(v));
	const s = q.toString();
	return s ? '?' + s : '';
}

// The parsed JSON answer (null for 204); throws ApiError. A Blob or File
// body is sent as it is (an upload), anything else as JSON.
export async function request(method, path, body) {
	const headers = {Accept: 'application/json'};
	const raw = body instanceof Blob;
	if (body !== undefined)
		headers['Content-Type'] = raw ? body.type || 'application/octet-stream'
			: 'application/json';
	if (method !== 'GET' && method !== 'HEAD' && csrf)
		headers['X-CSRF-Token'] = csrf;
	let resp;
	try {
		resp = await fetch(path, {
			method,
			headers,
			credentials: 'same-origin',
			cache: 'no-store',
			body: body === undefined || raw ? body : JSON.stringify(body),
		});
	} catch (e) {
		throw new ApiError(0, 'the server cannot be reached');
	}
	let data = null;
	if ((resp.headers.get('Content-Type') || '').startsWith('application/json'))
		data = await resp.json().catch(() => null);
	if (resp.ok)
		return data;
	const msg = (data && data.error) || `${resp.status} ${resp.statusText}`;
	const err = new ApiError(resp.status, msg, (data && data.field) || null,
		resp.headers.get('Retry-After'));
	if (resp.status === 401 && path !== '/api/v1/login')
		unauthorized(err);
	throw err;
}

export const get = (path, params) => request('GET', path + query(params));
export const post = (path, body = {}) => request('POST', path, body);
export const patch = (path, body) => request('PATCH', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

// An endpoint the server does not have yet (404 "no such resource" for an
// unknown path, 405 for a known path without that method).
export function missingEndpoint(err) {
	return err instanceof ApiError &&
		((err.status === 404 && err.message === 'no such resource') ||
		 err.status === 405);
}
