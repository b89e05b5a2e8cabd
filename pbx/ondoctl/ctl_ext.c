/* ctl_ext.c - ondoctl ext add | list | del | passwd | cos | did | record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_trunk.h"
#include "db_park.h"
#include "ondoctl/ondoctl.h"
#include "db_record.h"
#include "db_room.h"
#include "db_fwd.h"
#include "db_ringgroup.h"

#define PW_BUF 256

/* The password itself is never echoed: it may be on a shared screen. */
static int check_password(const char *pw)
{
	if (db_valid_password(pw))
		return OCTL_OK;
	return octl_err("invalid password (8 to 127 printable ASCII "
			"characters)");
}

static int parse_ring(const char *s, int *secondsp)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < DB_RING_TIMEOUT_MIN ||
	    v > DB_RING_TIMEOUT_MAX)
		return octl_err("invalid ring timeout '%s' (%d to %d seconds)",
				s, DB_RING_TIMEOUT_MIN, DB_RING_TIMEOUT_MAX);
	*secondsp = (int)v;
	return OCTL_OK;
}

/* Checks every argument of "ext add" before anything is written. */
static int check_add(const char *number, const char *name, const char *pw,
		     const char *ring, int *secondsp)
{
	if (octl_check_number(number))
		return OCTL_ERR;
	if (name && !db_valid_name(name))
		return octl_err("invalid display name '%s' (at most 127 "
				"characters, no control characters, quotes "
				"or backslashes)",
				name);
	if (check_password(pw))
		return OCTL_ERR;
	return ring ? parse_ring(ring, secondsp) : OCTL_OK;
}

int octl_ext_add(struct octl *o, int argc, char **argv)
{
	const char *pw_arg = NULL, *name = NULL, *ring = NULL, *pw;
	const struct octl_opt opts[] = {{"--password", &pw_arg},
					{"--name", &name},
					{"--ring-timeout", &ring},
					{NULL, NULL}};
	char buf[PW_BUF];
	struct db_tenant t;
	int n, err, seconds = 0;

	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (!pw_arg) {
		octl_err("ext add needs --password PW (there is no default "
			 "password)");
		return OCTL_USAGE;
	}
	if (octl_tenant(o, argv[0], &t) ||
	    octl_password(pw_arg, buf, sizeof(buf), &pw) ||
	    check_add(argv[1], name, pw, ring, &seconds))
		return OCTL_ERR;
	err = db_ext_add(o->db, t.id, argv[1], name, pw, NULL);
	if (err == -EEXIST) {
		struct db_room room;
		struct db_rg g;
		if (db_room_get(o->db, t.id, argv[1], &room) == 0)
			return octl_err("%s is a conference room of tenant %s",
					argv[1], t.domain);
		if (db_rg_get(o->db, t.id, argv[1], &g) == 0)
			return octl_err("%s is a ring group of tenant %s",
					argv[1], t.domain);
		if (db_park_takes(o->db, t.id, argv[1]))
			return octl_err("%s is the park number or a park slot "
					"of tenant %s (ondoctl park show)",
					argv[1], t.domain);
		return octl_err("extension %s already exists in tenant %s",
				argv[1], t.domain);
	}
	if (err == -EDQUOT)
		return octl_err("tenant %s has its maximum of extensions "
				"(ondoctl limits show %s)",
				t.domain, t.domain);
	if (err)
		return octl_err("cannot add extension %s to %s: %s", argv[1],
				t.domain, octl_strerror(err));
	if (ring) {
		err = db_ext_set_ring_timeout(o->db, t.id, argv[1], seconds);
		if (err)
			return octl_err("extension %s added to %s, but its "
					"ring timeout was not set: %s",
					argv[1], t.domain, octl_strerror(err));
	}
	printf("extension %s added to %s\n", argv[1], t.domain);
	return OCTL_OK;
}

struct ext_rows {
	struct octl *o;
	struct octl_table *table;
	int64_t now;
};

static int count_reg_h(const struct db_reg *r, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int ext_row_h(const struct db_ext *e, void *arg)
{
	struct ext_rows *rows = arg;
	char ring[16], contacts[16], cos[DB_WORD_LEN], did[DB_NUMBER_LEN];
	char fwd[160];
	struct db_fwd f;
	int n = 0, err;

	err = db_reg_load(rows->o->db, e->id, rows->now, count_reg_h, &n);
	if (!err)
		err =
		    db_ext_out(rows->o->db, e->tenant_id, e->number, cos, did);
	if (!err)
		err = db_fwd_get(rows->o->db, e->tenant_id, e->number, &f);
	if (err)
		return err;
	snprintf(ring, sizeof(ring), "%ds", e->ring_timeout);
	snprintf(contacts, sizeof(contacts), "%d", n);
	octl_fwd_summary(&f, fwd, sizeof(fwd));
	return octl_table_add(rows->table, e->number, e->name, ring, contacts,
			      cos, did[0] ? did : "-", fwd);
}

int octl_ext_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {
	    "NUMBER", "NAME", "RING", "REGISTERED", "COS", "DID", "FORWARD"};
	struct ext_rows rows = {.o = o, .now = time(NULL)};
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	if (octl_table_alloc(&rows.table, 7, header))
		return octl_err("out of memory");
	err = db_ext_list(o->db, t.id, ext_row_h, &rows);
	if (err)
		octl_err("cannot list the extensions of %s: %s", t.domain,
			 octl_strerror(err));
	else if (octl_table_rows(rows.table) == 0)
		printf("no extensions in %s yet\n", t.domain);
	else
		octl_table_print(rows.table, stdout);
	octl_table_free(rows.table);
	return err ? OCTL_ERR : OCTL_OK;
}

int octl_ext_del(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	err = db_ext_del(o->db, t.id, argv[1]);
	if (err == -ENOENT)
		return octl_err("no extension %s in tenant %s", argv[1],
				t.domain);
	if (err)
		return octl_err("cannot delete extension %s of %s: %s", argv[1],
				t.domain, octl_strerror(err));
	printf("extension %s deleted from %s\n", argv[1], t.domain);
	return OCTL_OK;
}

int octl_ext_passwd(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	char buf[PW_BUF];
	const char *pw;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]) ||
	    octl_password(argv[2], buf, sizeof(buf), &pw) || check_password(pw))
		return OCTL_ERR;
	err = db_ext_passwd(o->db, t.id, argv[1], pw);
	if (err == -ENOENT)
		return octl_err("no extension %s in tenant %s", argv[1],
				t.domain);
	if (err)
		return octl_err("cannot change the password of %s in %s: %s",
				argv[1], t.domain, octl_strerror(err));
	printf("password of extension %s in %s changed\n", argv[1], t.domain);
	return OCTL_OK;
}

/* The words of "ext cos" and "ext did": the tenant and a valid number. */
static int ext_target(struct octl *o, int argc, char **argv,
		      struct db_tenant *t)
{
	int n;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	return OCTL_OK;
}

/* What a setter's errno means to the admin; OCTL_OK for 0. */
static int ext_set_result(int err, const struct db_tenant *t,
			  const char *number, const char *what)
{
	if (err == -ENOENT)
		return octl_err("no extension %s in tenant %s", number,
				t->domain);
	if (err)
		return octl_err("cannot set the %s of %s in %s: %s", what,
				number, t->domain, octl_strerror(err));
	return OCTL_OK;
}

int octl_ext_cos(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int status = ext_target(o, argc, argv, &t);

	if (status)
		return status;
	if (octl_check_cos(argv[2]))
		return OCTL_ERR;
	status = ext_set_result(db_ext_set_cos(o->db, t.id, argv[1], argv[2]),
				&t, argv[1], "class of service");
	if (status == OCTL_OK)
		printf("extension %s of %s: class of service %s\n", argv[1],
		       t.domain, argv[2]);
	return status;
}

int octl_ext_record(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int status = ext_target(o, argc, argv, &t);

	if (status)
		return status;
	if (octl_check_record(argv[2]))
		return OCTL_ERR;
	status = ext_set_result(
	    db_ext_set_record(o->db, t.id, argv[1], argv[2]), &t, argv[1],
	    "recording");
	if (status == OCTL_OK && !strcmp(argv[2], "on-demand")) {
		char code[DB_REC_CODE_LEN];
		db_tenant_record_code(o->db, t.id, code);
		printf("extension %s of %s: recording on-demand (%s during a "
		       "call)\n",
		       argv[1], t.domain, code);
	} else if (status == OCTL_OK) {
		printf("extension %s of %s: recording %s\n", argv[1], t.domain,
		       argv[2]);
	}
	return status;
}

int octl_ext_did(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int status = ext_target(o, argc, argv, &t);

	if (status)
		return status;
	if (octl_check_e164("DID", argv[2], true))
		return OCTL_ERR;
	status = ext_set_result(db_ext_set_did(o->db, t.id, argv[1], argv[2]),
				&t, argv[1], "DID");
	if (status == OCTL_OK && argv[2][0])
		printf("extension %s of %s: DID %s\n", argv[1], t.domain,
		       argv[2]);
	else if (status == OCTL_OK)
		printf("extension %s of %s: no DID\n", argv[1], t.domain);
	return status;
}
