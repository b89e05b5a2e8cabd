// prompts.js - #/t/DOMAIN/prompts: the tenant's own recordings, played
// instead of the stock prompt of the same id (an IVR greeting, `moh` the
// music on hold): listed with their length and date, heard in the page,
// uploaded from a sound file, deleted.
import * as api from '../api.js';
import {h, form, table, section, button, confirmBox, flash, clear, put, fmtTime, fmtDuration} from '../ui.js';

const MAX_BYTES = 20 * 1024 * 1024; // the API's limit (413 above)
const ID_RE = /^[a-z0-9_]{1,63}$/;

// "0:02.5": a prompt's length to the tenth of a second.
function length(sec) {
	if (sec === null)
		return h('span', {class: 'muted'}, 'not audio');
	const tenths = Math.round(sec * 10) % 10;
	return `${fmtDuration(Math.floor(sec))}.${tenths}`;
}

function size(bytes) {
	return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

export async function render(ctx) {
	const base = api.tpath(ctx.tenant, 'prompts');
	const list = h('div');
	let known = [];

	async function load() {
		known = (await api.get(base)).prompts;
		clear(list, table([
			{label: 'Id', value: (p) => h('code', {}, p.id)},
			{label: 'Length', cls: 'num', value: (p) => length(p.seconds)},
			{label: 'Size', cls: 'num', value: (p) => size(p.bytes)},
			{label: 'Uploaded', value: (p) => fmtTime(p.uploaded)},
			// The query tells the browser a replaced prompt is new audio.
			{label: 'Listen', value: (p) => h('audio', {controls: true, preload: 'none',
				src: `${api.tpath(ctx.tenant, 'prompts', p.id)}?v=${p.uploaded}-${p.bytes}`})},
			{label: '', cls: 'actions', value: (p) => button('Delete', () => remove(p), 'danger small')},
		], known.map((p) => ({...p, _data: {prompt: p.id}})),
		{name: 'prompts', empty: 'No prompts of your own yet: callers hear the stock ones.'}));
	}

	async function remove(p) {
		if (!await confirmBox(`Delete prompt ${p.id}? Callers hear the stock one again.`))
			return;
		try {
			await api.del(api.tpath(ctx.tenant, 'prompts', p.id));
			flash(ctx.view, `Prompt ${p.id} deleted.`);
			await load();
		} catch (err) {
			if (err.status !== 401)
				flash(ctx.view, err.message, 'error');
		}
	}

	const up = form({
		name: 'prompt-upload',
		cls: 'inline',
		fields: [
			{name: 'id', label: 'Id', placeholder: 'welcome', autocomplete: 'off',
				hint: 'a-z, 0-9 and _; the id an IVR menu names, or moh for the music on hold'},
			{name: 'file', label: 'Sound file', type: 'file', accept: 'audio/*,.wav,.flac,.ogg',
				hint: 'WAV, FLAC or OGG; at most 10 minutes and 20 MiB', wide: true},
		],
		submit: 'Upload',
		async onSubmit(v, f) {
			if (!ID_RE.test(v.id))
				throw new api.ApiError(422, 'id: a-z, 0-9 and _, at most 63 characters', 'id');
			if (!v.file)
				throw new api.ApiError(422, 'choose a sound file', 'file');
			if (v.file.size > MAX_BYTES)
				throw new api.ApiError(413, 'the file is larger than 20 MiB', 'file');
			if (known.some((p) => p.id === v.id) &&
			    !await confirmBox(`Replace prompt ${v.id} with ${v.file.name}?`, 'Replace'))
				return;
			const p = await api.put(api.tpath(ctx.tenant, 'prompts', v.id),
				new Blob([v.file], {type: v.file.type || 'application/octet-stream'}));
			f.reset();
			flash(ctx.view, `Prompt ${p.id} uploaded (${p.seconds} s).`);
			await load();
		},
	});

	put(ctx.view, h('h1', {}, 'Prompts'),
		h('p', {class: 'muted'}, 'Recordings of your own, played instead of the stock prompt of the same id. ',
			'Uploads are converted to 16 kHz mono WAV; ', h('code', {}, 'moh'), ' is the music on hold.'),
		section(null, list), section('Upload a prompt', up.el));
	await load();
}
