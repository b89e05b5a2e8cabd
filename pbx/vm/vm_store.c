/* vm_store.c - mailboxes and messages: the files and their rows together. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <sndfile.h>

#include "core/fsutil.h"
#include "vm/vm_priv.h"

#define DIR_MODE 0750

static const char *const greetings[] = {"unavail", "busy", "temp", "name"};

/* snprintf into buf; -ENAMETOOLONG if it did not fit. */
static int fmt_path(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fmt_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int vm_box_dir(char *buf, size_t len, const char *spool, const char *domain,
	       const char *ext)
{
	/* Both name folders: nothing that could climb out with "..". */
	if (!buf || !spool || !db_valid_domain(domain) || !db_valid_number(ext))
		return -EINVAL;
	return fmt_path(buf, len, "%s/tenants/%s/vm/%s", spool, domain, ext);
}

int vm_greeting_path(char *buf, size_t len, const char *spool,
		     const char *domain, const char *ext, enum vm_greeting g)
{
	char dir[PATH_MAX];
	int err;

	if ((int)g < 0 || (int)g > VM_GREET_NAME)
		return -EINVAL;
	err = vm_box_dir(dir, sizeof(dir), spool, domain, ext);
	return err ? err
		   : fmt_path(buf, len, "%s/greetings/%s.wav", dir,
			      greetings[g]);
}

const char *vm_greeting_name(enum vm_greeting g)
{
	return (int)g >= 0 && (int)g <= VM_GREET_NAME ? greetings[g] : "?";
}

int vm_greeting_parse(const char *name)
{
	for (int g = 0; name && g <= VM_GREET_NAME; g++)
		if (!strcmp(name, greetings[g]))
			return g;
	return -EINVAL;
}

int vm_msg_path(char *buf, size_t len, const char *spool,
		const struct db_vm_msg *m)
{
	if (!buf || !spool || !m)
		return -EINVAL;
	return fmt_path(buf, len, "%s/%s", spool, m->file);
}

int vm_rel_path(const char *spool, const char *path, const char **relp)
{
	size_t n = strlen(spool);

	while (n > 1 && spool[n - 1] == '/')
		n--;
	if (strncmp(path, spool, n) || path[n] != '/')
		return -EINVAL;
	*relp = path + n + 1;
	return 0;
}

int vm_locate(struct db *db, int64_t tenant_id, const char *ext,
	      struct vm_loc *l)
{
	struct db_tenant t;
	struct db_ext e;
	int err;

	if (!db || !db_valid_number(ext))
		return -EINVAL;
	err = db_tenant_by_id(db, tenant_id, &t);
	if (!err)
		err = db_ext_get(db, tenant_id, ext, &e);
	if (err)
		return err;
	l->tenant_id = tenant_id;
	l->ext_id = e.id;
	snprintf(l->domain, sizeof(l->domain), "%s", t.domain);
	snprintf(l->ext, sizeof(l->ext), "%s", e.number);
	return 0;
}

int64_t vm_wav_ms(const char *path)
{
	SF_INFO info = {0};
	SNDFILE *sf;
	int64_t ms = -EINVAL;

	if (access(path, R_OK) < 0)
		return -errno;
	sf = sf_open(path, SFM_READ, &info);
	if (!sf)
		return -EINVAL;
	if (info.samplerate > 0 && info.frames > 0)
		ms = (int64_t)info.frames * 1000 / info.samplerate;
	sf_close(sf);
	return ms;
}

/* ---- mailboxes ---- */

static bool box_full(const struct vm_box *b)
{
	return b->counts.new_msgs + b->counts.saved_msgs >= b->max_messages ||
	       b->counts.total_ms >= (int64_t)b->max_minutes * 60000;
}

int vm_box_get(struct db *db, int64_t tenant_id, const char *ext,
	       struct vm_box *b)
{
	struct db_vm_box s;
	int err;

	if (!db || !b || !db_valid_number(ext))
		return -EINVAL;
	memset(b, 0, sizeof(*b));
	err = db_vm_box_get(db, tenant_id, ext, &s);
	if (!err)
		err = db_vm_counts(db, s.ext_id, &b->counts);
	if (err)
		return err;
	b->ext_id = s.ext_id;
	b->enabled = s.enabled;
	b->has_pin = s.pin_hash[0] != '\0';
	b->max_messages = s.max_messages;
	b->max_minutes = s.max_minutes;
	snprintf(b->email, sizeof(b->email), "%s", s.email);
	b->email_attach = s.email_attach;
	b->full = box_full(b);
	return 0;
}

static int set_enabled_h(struct db_vm_box *b, void *arg)
{
	b->enabled = *(bool *)arg;
	return 0;
}

int vm_box_set_enabled(struct db *db, int64_t tenant_id, const char *ext,
		       bool enabled)
{
	return db_vm_box_update(db, tenant_id, ext, set_enabled_h, &enabled);
}

struct quota {
	int messages, minutes;
};

static int set_quota_h(struct db_vm_box *b, void *arg)
{
	const struct quota *q = arg;

	if (q->messages >= 0)
		b->max_messages = q->messages;
	if (q->minutes >= 0)
		b->max_minutes = q->minutes;
	return 0;
}

int vm_box_set_quota(struct db *db, int64_t tenant_id, const char *ext,
		     int max_messages, int max_minutes)
{
	struct quota q = {max_messages, max_minutes};

	if ((max_messages != -1 && (max_messages < VM_MAX_MESSAGES_MIN ||
				    max_messages > VM_MAX_MESSAGES_MAX)) ||
	    (max_minutes != -1 && (max_minutes < VM_MAX_MINUTES_MIN ||
				   max_minutes > VM_MAX_MINUTES_MAX)))
		return -EINVAL;
	return db_vm_box_update(db, tenant_id, ext, set_quota_h, &q);
}

bool vm_valid_email(const char *s)
{
	const char *at, *dot;

	if (!s || strnlen(s, DB_VM_EMAIL_LEN) >= DB_VM_EMAIL_LEN)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' ||
		    *p == '>' || *p == ',' || *p == '"')
			return false;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1];
}

struct email {
	const char *addr;
	int attach;
};

static int set_email_h(struct db_vm_box *b, void *arg)
{
	const struct email *e = arg;

	if (e->addr)
		snprintf(b->email, sizeof(b->email), "%s", e->addr);
	if (e->attach >= 0)
		b->email_attach = e->attach ? 1 : 0;
	return 0;
}

int vm_box_set_email(struct db *db, int64_t tenant_id, const char *ext,
		     const char *email, int attach)
{
	struct email e = {email, attach};

	if (email && email[0] && !vm_valid_email(email))
		return -EINVAL;
	return db_vm_box_update(db, tenant_id, ext, set_email_h, &e);
}

/* ---- deposit ---- */

int vm_deposit_path(struct db *db, const char *spool, int64_t tenant_id,
		    const char *ext, char *path, size_t len)
{
	char dir[PATH_MAX];
	struct vm_loc l;
	struct vm_box b;
	uint64_t rnd;
	int err;

	if (!spool || !path)
		return -EINVAL;
	if ((err = vm_locate(db, tenant_id, ext, &l)) ||
	    (err = vm_box_get(db, tenant_id, ext, &b)))
		return err;
	if (!b.enabled)
		return -EPERM;
	if (b.full)
		return -EDQUOT;
	err = vm_box_dir(dir, sizeof(dir), spool, l.domain, l.ext);
	if (err)
		return err;
	if (strlen(dir) + 4 >= sizeof(dir))
		return -ENAMETOOLONG;
	strcat(dir, "/new");
	if ((err = fs_mkdirs(dir, DIR_MODE, 0)))
		return err;
	/* The time sorts the files as they came; 64 random bits keep two
	 * deposits of the same second apart without asking the disk. */
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		return -errno;
	return fmt_path(path, len, "%s/%lld-%016" PRIx64 ".wav", dir,
			(long long)time(NULL), rnd);
}

/* The relative path of `path` if it is a message file straight in the
 * box's folder `folder`; else -EINVAL. */
static int box_file(const char *spool, const struct vm_loc *l,
		    const char *folder, const char *path, const char **relp)
{
	char dir[PATH_MAX];
	const char *name;
	size_t n;
	int err;

	err = vm_box_dir(dir, sizeof(dir), spool, l->domain, l->ext);
	if (err)
		return err;
	n = strlen(dir);
	if (strncmp(path, dir, n) || path[n] != '/' ||
	    strncmp(path + n + 1, folder, strlen(folder)) ||
	    path[n + 1 + strlen(folder)] != '/')
		return -EINVAL;
	name = path + n + 2 + strlen(folder);
	if (!name[0] || strchr(name, '/') || name[0] == '.' ||
	    strlen(name) < 5 || strcmp(name + strlen(name) - 4, ".wav"))
		return -EINVAL;
	return vm_rel_path(spool, path, relp);
}

/* Deletes `path` and makes that durable; a missing file is no error. */
static int remove_file(const char *path)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return fs_sync_parent(path);
}

int vm_deposit_commit(struct db *db, const char *spool, int64_t tenant_id,
		      const char *ext, const char *path, const char *caller,
		      const char *caller_name, int64_t *idp)
{
	struct db_vm_msg m = {0};
	const char *rel;
	struct vm_loc l;
	int64_t ms;
	int err;

	if (!spool || !path)
		return -EINVAL;
	if ((err = vm_locate(db, tenant_id, ext, &l)) ||
	    (err = box_file(spool, &l, "new", path, &rel)))
		return err;
	ms = vm_wav_ms(path);
	if (ms < 0)
		return (int)ms;
	if (ms < VM_MIN_MS) {
		err = remove_file(path);
		return err ? err : -ENODATA;
	}
	m.tenant_id = tenant_id;
	m.ext_id = l.ext_id;
	snprintf(m.folder, sizeof(m.folder), "new");
	snprintf(m.caller, sizeof(m.caller), "%s", caller ? caller : "");
	snprintf(m.caller_name, sizeof(m.caller_name), "%s",
		 caller_name ? caller_name : "");
	m.received_at = time(NULL);
	m.duration_ms = ms;
	snprintf(m.file, sizeof(m.file), "%s", rel);
	/* If this fails, the file stays: vm_reconcile indexes it at the next
	 * start rather than lose what the caller said. */
	return db_vm_msg_add(db, &m, idp);
}

/* ---- messages ---- */

int vm_msg_list(struct db *db, int64_t tenant_id, const char *ext,
		const char *folder,
		int (*h)(const struct db_vm_msg *m, void *arg), void *arg)
{
	struct vm_loc l;
	int err = vm_locate(db, tenant_id, ext, &l);

	return err ? err
		   : db_vm_msg_list(db, tenant_id, l.ext_id, folder, h, arg);
}

/* The box and its message `id`. */
static int locate_msg(struct db *db, int64_t tenant_id, const char *ext,
		      int64_t id, struct vm_loc *l, struct db_vm_msg *m)
{
	int err = vm_locate(db, tenant_id, ext, l);

	return err ? err : db_vm_msg_get(db, tenant_id, l->ext_id, id, m);
}

int vm_msg_get(struct db *db, int64_t tenant_id, const char *ext, int64_t id,
	       struct db_vm_msg *m)
{
	struct vm_loc l;

	return m ? locate_msg(db, tenant_id, ext, id, &l, m) : -EINVAL;
}

int vm_msg_file(struct db *db, const char *spool, int64_t tenant_id,
		const char *ext, int64_t id, char *path, size_t len)
{
	struct db_vm_msg m;
	struct vm_loc l;
	int err;

	if (!spool || !path)
		return -EINVAL;
	err = locate_msg(db, tenant_id, ext, id, &l, &m);
	if (err)
		return err;
	if (m.missing)
		return -ENODATA;
	return vm_msg_path(path, len, spool, &m);
}

/* The file name of a message, after its folder. */
static const char *base_name(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash ? slash + 1 : file;
}

int vm_msg_mark_heard(struct db *db, const char *spool, int64_t tenant_id,
		      const char *ext, int64_t id)
{
	char dir[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	const char *rel;
	struct db_vm_msg m;
	struct vm_loc l;
	int err;

	if (!spool)
		return -EINVAL;
	err = locate_msg(db, tenant_id, ext, id, &l, &m);
	if (err)
		return err;
	if (!strcmp(m.folder, "saved"))
		return 0;
	if (m.missing)
		return -ENODATA;
	if ((err = vm_box_dir(dir, sizeof(dir), spool, l.domain, l.ext)) ||
	    (err = vm_msg_path(from, sizeof(from), spool, &m)) ||
	    (err = fmt_path(to, sizeof(to), "%s/saved/%s", dir,
			    base_name(m.file))) ||
	    (err = fs_mkdirs(to, DIR_MODE, 1)))
		return err;
	/* File first: a crash before the row follows leaves the row naming
	 * new/NAME while the file is saved/NAME, which vm_reconcile sees and
	 * repairs. Row first would leave the same, the other way round. A
	 * file already moved by such an attempt is taken as it is. */
	if (rename(from, to) < 0 && (errno != ENOENT || access(to, F_OK) < 0))
		return errno == ENOENT ? -ENODATA : -errno;
	if ((err = fs_sync_parent(to)) || (err = fs_sync_parent(from)))
		return err;
	vm_rel_path(spool, to, &rel);
	return db_vm_msg_move(db, m.id, "saved", rel);
}

int vm_msg_delete(struct db *db, const char *spool, int64_t tenant_id,
		  const char *ext, int64_t id)
{
	char path[PATH_MAX];
	struct db_vm_msg m;
	struct vm_loc l;
	int err;

	if (!spool)
		return -EINVAL;
	err = locate_msg(db, tenant_id, ext, id, &l, &m);
	if (!err)
		err = vm_msg_path(path, sizeof(path), spool, &m);
	if (err)
		return err;
	/*
	 * Flag, unlink, delete, each step durable before the next. A crash
	 * after the flag leaves a flagged row with its file (vm_reconcile
	 * unflags it: the delete did not happen); after the unlink, a
	 * flagged row without a file, listed as missing until deleted
	 * again. Row first would instead leave a file with no row, which
	 * would come back at the next start as a message from "unknown".
	 */
	if ((err = db_vm_msg_set_missing(db, m.id, 1)) ||
	    (err = remove_file(path)))
		return err;
	return db_vm_msg_del(db, m.id);
}

/* Copies the open `in` to the new file `out`; 0 or -errno. */
static int copy_fd(int in, int out)
{
	char buf[65536];
	ssize_t n, w, off;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (off = 0; off < n; off += w) {
			w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0)
				return -errno;
		}
	}
	return fsync(out) < 0 ? -errno : 0;
}

/* cp `from` `to`, through `to`.part-XXXXXX renamed when complete. */
int vm_copy_file(const char *from, const char *to)
{
	char tmp[PATH_MAX];
	int in, out, err;

	if ((err = fmt_path(tmp, sizeof(tmp), "%s.part-XXXXXX", to)))
		return err;
	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? -ENODATA : -errno;
	out = mkostemp(tmp, O_CLOEXEC);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	/* mkostemp makes it 0600; an export is for the admin to pass on. */
	fchmod(out, 0640);
	err = copy_fd(in, out);
	close(in);
	if (close(out) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, to) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int vm_msg_export(struct db *db, const char *spool, int64_t tenant_id,
		  const char *ext, int64_t id, const char *dest)
{
	char path[PATH_MAX];
	int err;

	if (!dest || !dest[0])
		return -EINVAL;
	err = vm_msg_file(db, spool, tenant_id, ext, id, path, sizeof(path));
	return err ? err : vm_copy_file(path, dest);
}

int vm_counts(struct db *db, int64_t tenant_id, const char *ext, int *newp,
	      int *savedp)
{
	struct db_vm_counts c;
	struct vm_loc l;
	int err = vm_locate(db, tenant_id, ext, &l);

	if (!err)
		err = db_vm_counts(db, l.ext_id, &c);
	if (err)
		return err;
	if (newp)
		*newp = c.new_msgs;
	if (savedp)
		*savedp = c.saved_msgs;
	return 0;
}
