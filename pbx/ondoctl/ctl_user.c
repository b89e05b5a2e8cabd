/* ctl_user.c - ondoctl user add | list | del | passwd, and token add:
 * the web panel's users, made here first (the first superadmin cannot be
 * made through the API). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "db_web.h"
#include "ondoctl/ondoctl.h"
#include "web/web_pass.h"

#define PW_BUF 256

static int check_pw(const char *pw)
{
	return web_pass_valid(pw)
		   ? OCTL_OK
		   : octl_err("invalid password (8 to 128 characters)");
}

/* Role, tenant and extension of "user add", checked into *u. */
static int user_fields(struct octl *o, const char *role, const char *domain,
		       const char *ext, struct db_web_user *u)
{
	struct db_tenant t;
	struct db_ext e;
	int r = db_web_role_parse(role);

	if (r < 0)
		return octl_err("invalid role '%s' (superadmin, admin or user)",
				role);
	u->role = (enum db_web_role)r;
	if ((u->role == DB_WEB_SUPERADMIN) != !domain)
		return octl_err(u->role == DB_WEB_SUPERADMIN
				    ? "a superadmin has no --tenant"
				    : "an %s needs --tenant DOMAIN",
				role);
	if ((u->role == DB_WEB_USER) != !!ext)
		return octl_err("--ext EXT goes with role user, and only with "
				"it");
	if (domain) {
		if (octl_tenant(o, domain, &t))
			return OCTL_ERR;
		u->tenant_id = t.id;
	}
	if (ext) {
		if (octl_check_number(ext) || db_ext_get(o->db, t.id, ext, &e))
			return octl_err("no extension %s in tenant %s", ext,
					domain);
		u->ext_id = e.id;
	}
	return OCTL_OK;
}

int octl_user_add(struct octl *o, int argc, char **argv)
{
	const char *role = NULL, *domain = NULL, *ext = NULL, *pwa = NULL, *pw;
	const struct octl_opt opts[] = {{"--role", &role},
					{"--tenant", &domain},
					{"--ext", &ext},
					{"--password", &pwa},
					{NULL, NULL}};
	struct db_web_user u = {0};
	char buf[PW_BUF];
	int n, err;

	if (octl_parse(o, argc, argv, opts, 1, 1, &n) || !role || !pwa)
		return octl_usage(o);
	if (!db_web_valid_username(argv[0]))
		return octl_err("invalid username '%s' (1 to 63 of a-z A-Z 0-9 "
				". _ @ -)",
				argv[0]);
	snprintf(u.username, sizeof(u.username), "%s", argv[0]);
	if (user_fields(o, role, domain, ext, &u) ||
	    octl_password(pwa, buf, sizeof(buf), &pw) || check_pw(pw))
		return OCTL_ERR;
	err = web_pass_hash(pw, u.pass_hash);
	sodium_memzero(buf, sizeof(buf));
	if (!err)
		err = db_web_user_add(o->db, &u, NULL);
	if (err == -EEXIST)
		return octl_err("user '%s' exists already", u.username);
	if (err)
		return octl_err("cannot add user %s: %s", u.username,
				octl_strerror(err));
	printf("user %s added (%s%s%s)\n", u.username, role,
	       domain ? " of " : "", domain ? domain : "");
	return OCTL_OK;
}

static int row_h(const struct db_web_user *u, void *arg)
{
	return octl_table_add(arg, u->username, db_web_role_name(u->role),
			      u->domain[0] ? u->domain : "-",
			      u->ext[0] ? u->ext : "-");
}

int octl_user_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"USERNAME", "ROLE", "TENANT",
					     "EXTENSION"};
	struct octl_table *t;
	struct db_tenant ten = {0};
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 0, 1, &n))
		return OCTL_USAGE;
	if (n == 1 && octl_tenant(o, argv[0], &ten))
		return OCTL_ERR;
	if (octl_table_alloc(&t, 4, header))
		return octl_err("out of memory");
	err = db_web_user_list(o->db, ten.id, row_h, t);
	if (!err && !octl_table_rows(t))
		printf("no web users yet (add one with ondoctl user add)\n");
	else if (!err)
		octl_table_print(t, stdout);
	octl_table_free(t);
	return err ? octl_err("cannot list users: %s", octl_strerror(err))
		   : OCTL_OK;
}

static int user_by_name(struct octl *o, const char *name,
			struct db_web_user *u)
{
	int err = db_web_user_by_name(o->db, name, u);

	if (err == -ENOENT)
		return octl_err("no user '%s'", name);
	if (err)
		return octl_err("cannot read user %s: %s", name,
				octl_strerror(err));
	octl_audit_tenant(o, u->domain);
	return OCTL_OK;
}

int octl_user_del(struct octl *o, int argc, char **argv)
{
	struct db_web_user u;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (user_by_name(o, argv[0], &u))
		return OCTL_ERR;
	if ((err = db_web_user_del(o->db, 0, u.id)))
		return octl_err("cannot delete user %s: %s", u.username,
				octl_strerror(err));
	printf("user %s deleted\n", u.username);
	return OCTL_OK;
}

int octl_user_passwd(struct octl *o, int argc, char **argv)
{
	char buf[PW_BUF], hash[DB_WEB_HASH_LEN];
	struct db_web_user u;
	const char *pw;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (user_by_name(o, argv[0], &u) ||
	    octl_password(argv[1], buf, sizeof(buf), &pw) || check_pw(pw))
		return OCTL_ERR;
	err = web_pass_hash(pw, hash);
	sodium_memzero(buf, sizeof(buf));
	if (!err)
		err = db_web_user_set_hash(o->db, u.id, hash);
	if (err)
		return octl_err("cannot set the password of %s: %s",
				u.username, octl_strerror(err));
	printf("password of %s set\n", u.username);
	return OCTL_OK;
}
