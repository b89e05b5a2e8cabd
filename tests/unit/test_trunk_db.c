/* test_trunk_db.c - trunks, DIDs, classes of service and caller-ID
 * settings in the database (db/db_trunk.h), on a fresh SQLite file per
 * test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db_priv.h"
#include "dbcheck.h"
#include "tmpdb.h"

struct fx {
	struct tmpdb tmp;
	struct db *db;
	int64_t demo, acme; /* tenants demo.test and acme.test */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (tmpdb_open(&fx->tmp, "trunk", &fx->db) ||
	    db_tenant_add(fx->db, "Demo", "demo.test", &fx->demo) ||
	    db_tenant_add(fx->db, "Acme", "acme.test", &fx->acme) ||
	    db_ext_add(fx->db, fx->demo, "1001", "Alice", "secret123", NULL)) {
		if (fx->db)
			tmpdb_close(&fx->tmp, fx->db);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	tmpdb_close(&fx->tmp, fx->db);
	free(fx);
	return 0;
}

/* A register trunk `name` of the tenant that passes db_trunk_check. */
static void good_trunk(struct db_trunk *t, int64_t tenant_id, const char *name)
{
	db_trunk_defaults(t);
	t->tenant_id = tenant_id;
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(t->host, sizeof(t->host), "sip.carrier.example");
	snprintf(t->auth, sizeof(t->auth), "register");
	snprintf(t->username, sizeof(t->username), "acct-4711");
	snprintf(t->password, sizeof(t->password), "s3cret pass");
}

/* ---- db_trunk_defaults and db_trunk_check ----------------------------- */

static void test_trunk_defaults(void **state)
{
	struct db_trunk t;

	memset(&t, 0x5a, sizeof(t));
	db_trunk_defaults(&t);
	if (t.id || t.tenant_id || t.name[0] || t.host[0] || t.auth[0] ||
	    t.username[0] || t.password[0] || t.ips[0] || t.out_prefix[0] ||
	    t.in_prefix[0])
		fail_msg("db_trunk_defaults leaves ids or names set");
	if (t.port != 5060 || strcmp(t.transport, "udp") || t.expiry != 600 ||
	    strcmp(t.codecs, "PCMU,PCMA,G722") || strcmp(t.callerid, "did") ||
	    t.max_calls != 0 || t.out_strip || t.in_strip)
		fail_msg("the defaults are port %d, %s, expiry %d, codecs %s, "
			 "callerid %s, max %d: not the documented ones",
			 t.port, t.transport, t.expiry, t.codecs, t.callerid,
			 t.max_calls);
	if (db_trunk_check(&t) == NULL)
		fail_msg("a trunk with no name, host or auth passes the check");
	good_trunk(&t, 0, "carrier");
	if (db_trunk_check(&t))
		fail_msg("a complete register trunk fails on '%s'",
			 db_trunk_check(&t));
}

/* One bad value of a field, and the name db_trunk_check must give. */
struct bad_field {
	const char *field;
	void (*spoil)(struct db_trunk *t);
};

/* clang-format off */
static void no_name(struct db_trunk *t) { t->name[0] = '\0'; }
static void upper_name(struct db_trunk *t) { strcpy(t->name, "Carrier"); }
static void bad_host(struct db_trunk *t) { strcpy(t->host, "a..b"); }
static void port_0(struct db_trunk *t) { t->port = 0; }
static void port_big(struct db_trunk *t) { t->port = 65536; }
static void bad_transport(struct db_trunk *t) { strcpy(t->transport, "tls"); }
static void bad_auth(struct db_trunk *t) { strcpy(t->auth, "digest"); }
static void no_user(struct db_trunk *t) { t->username[0] = '\0'; }
static void at_user(struct db_trunk *t) { strcpy(t->username, "a@b"); }
static void no_pass(struct db_trunk *t) { t->password[0] = '\0'; }
static void tab_pass(struct db_trunk *t) { strcpy(t->password, "a\tb"); }
static void short_expiry(struct db_trunk *t) { t->expiry = 59; }
static void long_expiry(struct db_trunk *t) { t->expiry = 86401; }
static void bad_ips(struct db_trunk *t) { strcpy(t->ips, "192.0.2.1,"); }
static void hostbits_ips(struct db_trunk *t) { strcpy(t->ips, "10.0.0.1/24"); }
static void bad_codecs(struct db_trunk *t) { strcpy(t->codecs, "G729"); }
static void bad_callerid(struct db_trunk *t) { strcpy(t->callerid, "none"); }
static void neg_calls(struct db_trunk *t) { t->max_calls = -1; }
static void many_calls(struct db_trunk *t) { t->max_calls = 100001; }
static void out_strip(struct db_trunk *t) { t->out_strip = 16; }
static void out_prefix(struct db_trunk *t) { strcpy(t->out_prefix, "0a"); }
static void in_strip(struct db_trunk *t) { t->in_strip = -1; }
static void in_prefix(struct db_trunk *t) { strcpy(t->in_prefix, "+49 "); }
/* clang-format on */

static void test_trunk_check(void **state)
{
	static const struct bad_field bad[] = {
	    {"name", no_name},		{"name", upper_name},
	    {"host", bad_host},		{"port", port_0},
	    {"port", port_big},		{"transport", bad_transport},
	    {"auth", bad_auth},		{"username", no_user},
	    {"username", at_user},	{"password", no_pass},
	    {"password", tab_pass},	{"expiry", short_expiry},
	    {"expiry", long_expiry},	{"ips", bad_ips},
	    {"ips", hostbits_ips},	{"codecs", bad_codecs},
	    {"callerid", bad_callerid}, {"max-calls", neg_calls},
	    {"max-calls", many_calls},	{"out-strip", out_strip},
	    {"out-prefix", out_prefix}, {"in-strip", in_strip},
	    {"in-prefix", in_prefix},
	};
	struct db_trunk t;
	const char *got;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		good_trunk(&t, 0, "carrier");
		bad[i].spoil(&t);
		got = db_trunk_check(&t);
		if (!got || strcmp(got, bad[i].field))
			fail_msg("case %zu: a bad %s is reported as '%s'", i,
				 bad[i].field, got ? got : "(fine)");
	}
	/* An ip trunk needs no account; limits and lists at their edges
	 * pass. */
	good_trunk(&t, 0, "carrier");
	strcpy(t.auth, "ip");
	t.username[0] = t.password[0] = '\0';
	strcpy(t.ips, "192.0.2.1,198.51.100.7");
	strcpy(t.transport, "tcp");
	strcpy(t.callerid, "anonymous");
	t.port = 65535;
	t.expiry = 86400;
	t.max_calls = 100000;
	t.out_strip = t.in_strip = 15;
	strcpy(t.out_prefix, "00");
	strcpy(t.in_prefix, "+49");
	strcpy(t.codecs, "pcma, g722");
	if ((got = db_trunk_check(&t)))
		fail_msg("an ip trunk at every limit fails on '%s'", got);
}

/* ---- add, get, update, del, list -------------------------------------- */

/* Appends "TENANT/NAME " for each trunk to the string at arg. */
static int collect_trunk_h(const struct db_trunk *t, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%lld/%s ", (long long)t->tenant_id,
		 t->name);
	return 0;
}

static void test_trunk_crud(void **state)
{
	struct fx *fx = *state;
	struct db_trunk t, got;
	int64_t id, shared_id;

	good_trunk(&t, fx->demo, "carrier");
	strcpy(t.codecs, "pcma, G722");
	OK(db_trunk_add(fx->db, &t, &id));
	OK(db_trunk_get(fx->db, fx->demo, "carrier", &got));
	if (got.id != id || got.tenant_id != fx->demo ||
	    strcmp(got.host, "sip.carrier.example") || got.port != 5060 ||
	    strcmp(got.auth, "register") || strcmp(got.username, "acct-4711"))
		fail_msg("trunk carrier of demo reads back wrong (id %lld, "
			 "host %s)",
			 (long long)got.id, got.host);
	/* The carrier's challenge is answered with it: kept as given. */
	if (strcmp(got.password, "s3cret pass"))
		fail_msg("the trunk password reads back as '%s'", got.password);
	if (strcmp(got.codecs, "PCMA,G722"))
		fail_msg("codecs 'pcma, G722' are stored as '%s', not "
			 "PCMA,G722",
			 got.codecs);
	FAILS_WITH(db_trunk_add(fx->db, &t, NULL), -EEXIST,
		   "a second trunk 'carrier' in demo");
	t.tenant_id = fx->acme;
	OK(db_trunk_add(fx->db, &t, NULL));
	t.tenant_id = 0;
	OK(db_trunk_add(fx->db, &t, &shared_id));
	FAILS_WITH(db_trunk_add(fx->db, &t, NULL), -EEXIST,
		   "a second shared trunk 'carrier'");
	t.tenant_id = 999;
	FAILS_WITH(db_trunk_add(fx->db, &t, NULL), -ENOENT,
		   "a trunk of a missing tenant");
	t.tenant_id = fx->demo;
	t.port = 0;
	FAILS_WITH(db_trunk_add(fx->db, &t, NULL), -EINVAL, "port 0");

	OK(db_trunk_by_id(fx->db, shared_id, &got));
	if (got.tenant_id != 0 || strcmp(got.name, "carrier"))
		fail_msg("the shared trunk reads back with tenant %lld",
			 (long long)got.tenant_id);
	FAILS_WITH(db_trunk_get(fx->db, fx->demo, "nope", &got), -ENOENT,
		   "getting a missing trunk");

	/* Update: everything, the name included. */
	OK(db_trunk_get(fx->db, fx->demo, "carrier", &t));
	strcpy(t.name, "backup");
	strcpy(t.auth, "ip");
	t.username[0] = t.password[0] = '\0';
	t.max_calls = 10;
	OK(db_trunk_update(fx->db, &t));
	FAILS_WITH(db_trunk_get(fx->db, fx->demo, "carrier", &got), -ENOENT,
		   "the old name after a rename");
	OK(db_trunk_get(fx->db, fx->demo, "backup", &got));
	if (got.id != id || strcmp(got.auth, "ip") || got.password[0] ||
	    got.max_calls != 10)
		fail_msg("the update did not replace the settings");
	strcpy(t.name, "carrier");
	t.tenant_id = fx->acme;
	FAILS_WITH(db_trunk_update(fx->db, &t), -EEXIST,
		   "moving a trunk onto a name acme has");
	t.id = 12345;
	FAILS_WITH(db_trunk_update(fx->db, &t), -ENOENT,
		   "updating a missing trunk");
	t.id = id;
	t.expiry = 5;
	FAILS_WITH(db_trunk_update(fx->db, &t), -EINVAL, "expiry 5");

	memset(&t, 0, sizeof(t));
	FAILS_WITH(db_trunk_add(fx->db, &t, NULL), -EINVAL, "an empty trunk");
	good_trunk(&t, -2, "carrier");
	FAILS_WITH(db_trunk_add(fx->db, &t, NULL), -EINVAL,
		   "a negative tenant id");
}

static void test_trunk_list_del(void **state)
{
	struct fx *fx = *state;
	char all[256] = "", want[256], one[256] = "";
	struct db_trunk t;
	const struct {
		int64_t tenant;
		const char *name;
	} add[] = {{fx->acme, "zeta"},
		   {0, "shared-b"},
		   {fx->demo, "beta"},
		   {fx->acme, "alpha"},
		   {0, "shared-a"}};

	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		good_trunk(&t, add[i].tenant, add[i].name);
		OK(db_trunk_add(fx->db, &t, NULL));
	}
	/* Shared first, then by tenant id (demo was added first), name. */
	OK(db_trunk_list(fx->db, -1, collect_trunk_h, all));
	snprintf(want, sizeof(want),
		 "0/shared-a 0/shared-b %lld/beta "
		 "%lld/alpha %lld/zeta ",
		 (long long)fx->demo, (long long)fx->acme, (long long)fx->acme);
	if (strcmp(all, want))
		fail_msg("list -1 gives '%s', expected '%s'", all, want);
	OK(db_trunk_list(fx->db, 0, collect_trunk_h, one));
	if (strcmp(one, "0/shared-a 0/shared-b "))
		fail_msg("list 0 gives '%s', not the shared ones", one);
	one[0] = '\0';
	OK(db_trunk_list(fx->db, fx->acme, collect_trunk_h, one));
	snprintf(want, sizeof(want), "%lld/alpha %lld/zeta ",
		 (long long)fx->acme, (long long)fx->acme);
	if (strcmp(one, want))
		fail_msg("acme's list is '%s', expected '%s'", one, want);

	/* A tenant cannot delete another's trunk, nor a shared one. */
	FAILS_WITH(db_trunk_del(fx->db, fx->demo, "zeta"), -ENOENT,
		   "demo deleting acme's trunk");
	FAILS_WITH(db_trunk_del(fx->db, fx->demo, "shared-a"), -ENOENT,
		   "demo deleting a shared trunk");
	OK(db_trunk_del(fx->db, fx->acme, "zeta"));
	OK(db_trunk_del(fx->db, 0, "shared-a"));
	FAILS_WITH(db_trunk_del(fx->db, 0, "shared-a"), -ENOENT,
		   "deleting the shared trunk twice");
	if (count_rows(fx->db, "SELECT count(*) FROM trunks") != 3)
		fail_msg("after two deletes %d trunks are left, not 3",
			 count_rows(fx->db, "SELECT count(*) FROM trunks"));
}

/* ---- DIDs ---------------------------------------------------------------- */

static int did(struct fx *fx, int64_t tenant, const char *number,
	       const char *type, const char *dest)
{
	struct db_did d = {.tenant_id = tenant};

	snprintf(d.number, sizeof(d.number), "%s", number);
	snprintf(d.dest_type, sizeof(d.dest_type), "%s", type);
	snprintf(d.dest, sizeof(d.dest), "%s", dest);
	return db_did_add(fx->db, &d, NULL);
}

static int set_dest(struct fx *fx, int64_t tenant, const char *number,
		    const char *type, const char *dest)
{
	struct db_did d = {.tenant_id = tenant};

	snprintf(d.number, sizeof(d.number), "%s", number);
	snprintf(d.dest_type, sizeof(d.dest_type), "%s", type);
	snprintf(d.dest, sizeof(d.dest), "%s", dest);
	return db_did_set_dest(fx->db, &d);
}

static int collect_did_h(const struct db_did *d, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%s=%s:%s ", d->number, d->dest_type,
		 d->dest);
	return 0;
}

static void test_did(void **state)
{
	struct fx *fx = *state;
	struct db_ivr_menu m;
	struct db_did d;
	char list[256] = "";

	db_ivr_menu_defaults(&m);
	m.tenant_id = fx->demo;
	strcpy(m.name, "main");
	strcpy(m.greeting, "welcome");
	OK(db_ivr_menu_add(fx->db, &m, NULL));

	OK(did(fx, fx->demo, "+4930123456", "extension", "1001"));
	OK(did(fx, fx->demo, "+4930123457", "ivr", "main"));
	OK(did(fx, fx->demo, "+4930123458", "number", "+4989555"));
	FAILS_WITH(did(fx, fx->demo, "+4930123459", "extension", "1009"),
		   -ENOENT, "a DID to a missing extension");
	FAILS_WITH(did(fx, fx->demo, "+4930123459", "ivr", "sales"), -ENOENT,
		   "a DID to a missing menu");
	FAILS_WITH(did(fx, fx->acme, "+4930123459", "extension", "1001"),
		   -ENOENT, "a DID of acme to demo's extension");
	FAILS_WITH(did(fx, fx->demo, "030123459", "extension", "1001"), -EINVAL,
		   "a DID that is not E.164");
	FAILS_WITH(did(fx, fx->demo, "+4930123459", "parking", "1001"),
		   -EINVAL, "an unknown destination type");
	FAILS_WITH(did(fx, fx->demo, "+4930123459", "extension", "10a"),
		   -EINVAL, "an extension that is not a number");
	FAILS_WITH(did(fx, fx->demo, "+4930123459", "number", "1 2"), -EINVAL,
		   "a number that cannot be dialled");
	FAILS_WITH(did(fx, fx->acme, "+4930123458", "number", "100"), -EEXIST,
		   "acme adding demo's number");
	if (count_rows(fx->db, "SELECT count(*) FROM dids") != 3)
		fail_msg("refused DIDs were stored");

	OK(db_did_get(fx->db, "+4930123457", &d));
	if (d.tenant_id != fx->demo || strcmp(d.dest_type, "ivr") ||
	    strcmp(d.dest, "main"))
		fail_msg("DID +4930123457 reads back as %s %s", d.dest_type,
			 d.dest);
	FAILS_WITH(db_did_get(fx->db, "+4930999", &d), -ENOENT,
		   "getting a missing DID");

	OK(set_dest(fx, fx->demo, "+4930123457", "number", "200"));
	FAILS_WITH(set_dest(fx, fx->demo, "+4930123457", "extension", "1009"),
		   -ENOENT, "pointing a DID at a missing extension");
	FAILS_WITH(set_dest(fx, fx->acme, "+4930123457", "number", "200"),
		   -ENOENT, "acme changing demo's DID");
	OK(db_did_get(fx->db, "+4930123457", &d));
	if (strcmp(d.dest_type, "number") || strcmp(d.dest, "200"))
		fail_msg("after set_dest the DID goes to %s %s", d.dest_type,
			 d.dest);

	OK(did(fx, fx->acme, "+12125550100", "number", "100"));
	OK(db_did_list(fx->db, fx->demo, collect_did_h, list));
	if (strcmp(list, "+4930123456=extension:1001 +4930123457=number:200 "
			 "+4930123458=number:+4989555 "))
		fail_msg("demo's DIDs list as '%s'", list);
	list[0] = '\0';
	OK(db_did_list(fx->db, 0, collect_did_h, list));
	if (strncmp(list, "+12125550100=number:100 +4930123456", 35))
		fail_msg("all DIDs list as '%s', not by number", list);

	FAILS_WITH(db_did_del(fx->db, fx->acme, "+4930123456"), -ENOENT,
		   "acme deleting demo's DID");
	OK(db_did_get(fx->db, "+4930123456", &d));
	OK(db_did_del(fx->db, fx->demo, "+4930123456"));
	FAILS_WITH(db_did_del(fx->db, fx->demo, "+4930123456"), -ENOENT,
		   "deleting a DID twice");
	/* A freed number can be taken by another tenant. */
	OK(did(fx, fx->acme, "+4930123456", "number", "100"));
}

static void test_cascade(void **state)
{
	struct fx *fx = *state;
	struct db_trunk t;

	good_trunk(&t, fx->demo, "carrier");
	OK(db_trunk_add(fx->db, &t, NULL));
	t.tenant_id = fx->acme;
	OK(db_trunk_add(fx->db, &t, NULL));
	t.tenant_id = 0;
	OK(db_trunk_add(fx->db, &t, NULL));
	OK(did(fx, fx->demo, "+4930123456", "extension", "1001"));
	OK(did(fx, fx->acme, "+4930123457", "number", "100"));

	OK(db_tenant_del(fx->db, "demo.test"));
	if (count_rows(fx->db, "SELECT count(*) FROM trunks") != 2 ||
	    count_rows(fx->db, "SELECT count(*) FROM trunks WHERE tenant_id "
			       "IS NULL") != 1)
		fail_msg("deleting demo left its trunk, or took another");
	if (count_rows(fx->db, "SELECT count(*) FROM dids") != 1)
		fail_msg("deleting demo left its DID, or took acme's");
	/* Its number is free again. */
	OK(did(fx, fx->acme, "+4930123456", "number", "100"));
}

/* ---- validators and pure helpers --------------------------------------- */

static void test_validators(void **state)
{
	static const char *const good_e164[] = {"+4930123", "+12",
						"+123456789012345"};
	static const char *const bad_e164[] = {"",
					       "+",
					       "+1",
					       "+0123",
					       "4930",
					       "+49 30",
					       "+49a30",
					       "++4930",
					       "+1234567890123456",
					       "+12345678901234567"};
	static const char *const good_prefix[] = {
	    "", "0", "00", "+49", "*31#", "012345678901234"};
	static const char *const bad_prefix[] = {"a", "0 ", "-1",
						 "0123456789012345"};
	static const char *const good_name[] = {
	    "a", "carrier-1", "x_y", "abcdefghijklmnopqrstuvwxyz012345"};
	static const char *const bad_name[] = {
	    "", "Carrier", "a b", "a.b", "abcdefghijklmnopqrstuvwxyz0123456"};
	static const char *const good_ips[] = {
	    "", "192.0.2.1", "192.0.2.1,198.51.100.255", "a.example",
	    "192.0.2.0/24,2001:db8::/32,2001:db8::1"};
	static const char *const bad_ips[] = {
	    ",",	  "192.0.2.1,",
	    ",192.0.2.1", "192.0.2.1, 198.51.100.1",
	    "192.0.2",	  "192.0.2.256",
	    "a..example", "192.0.2.1,,192.0.2.2",
	    "10.0.0.1/24"};
	static const char *const good_emergency[] = {"", "112", "112,911",
						     "110,112,*55#"};
	static const char *const bad_emergency[] = {",",    "112,",	",112",
						    " 112", "112, 911", "1 12"};

	CHECK_VALID(db_valid_e164, good_e164, true);
	CHECK_VALID(db_valid_e164, bad_e164, false);
	CHECK_VALID(db_valid_prefix, good_prefix, true);
	CHECK_VALID(db_valid_prefix, bad_prefix, false);
	CHECK_VALID(db_valid_trunk_name, good_name, true);
	CHECK_VALID(db_valid_trunk_name, bad_name, false);
	CHECK_VALID(db_valid_ip_list, good_ips, true);
	CHECK_VALID(db_valid_ip_list, bad_ips, false);
	CHECK_VALID(db_valid_emergency, good_emergency, true);
	CHECK_VALID(db_valid_emergency, bad_emergency, false);
	if (db_valid_e164(NULL) || db_valid_prefix(NULL) ||
	    db_valid_trunk_name(NULL) || db_valid_ip_list(NULL) ||
	    db_valid_emergency(NULL))
		fail_msg("a validator accepts NULL");
}

static void test_cos_words(void **state)
{
	static const char *const words[] = {"internal", "local", "national",
					    "international"};

	for (int i = 0; i < 4; i++) {
		if (db_cos_parse(words[i]) != i)
			fail_msg("db_cos_parse('%s') is %d, not %d", words[i],
				 db_cos_parse(words[i]), i);
		if (strcmp(db_cos_name((enum db_cos)i), words[i]))
			fail_msg("db_cos_name(%d) is '%s'", i,
				 db_cos_name((enum db_cos)i));
	}
	if (!(DB_COS_INTERNAL < DB_COS_LOCAL &&
	      DB_COS_LOCAL < DB_COS_NATIONAL &&
	      DB_COS_NATIONAL < DB_COS_INTERNATIONAL))
		fail_msg("the classes are not in order of reach");
	FAILS_WITH(db_cos_parse("National"), -EINVAL, "a capitalised class");
	FAILS_WITH(db_cos_parse(""), -EINVAL, "an empty class");
	FAILS_WITH(db_cos_parse("world"), -EINVAL, "an unknown class");
	FAILS_WITH(db_cos_parse(NULL), -EINVAL, "no class");
	if (db_cos_name((enum db_cos)4) || db_cos_name((enum db_cos) - 1))
		fail_msg("db_cos_name names a class that is not one");
}

static void test_emergency_match(void **state)
{
	static const struct {
		const char *list, *number;
		bool want;
	} cases[] = {
	    {"112,911", "112", true},	  {"112,911", "911", true},
	    {"112,911", "1120", false},	  {"112,911", "11", false},
	    {"112,911", "", false},	  {"112,911", "112,911", false},
	    {"", "112", false},		  {"110", "110", true},
	    {"110,112,999", "112", true},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (db_emergency_match(cases[i].list, cases[i].number) !=
		    cases[i].want)
			fail_msg("'%s' in '%s' says %s: %s", cases[i].number,
				 cases[i].list, cases[i].want ? "no" : "yes",
				 cases[i].want
				     ? "an emergency call would be blocked"
				     : "it would pass as an emergency call, "
				       "whatever the caller's class");
	if (db_emergency_match(NULL, "112") || db_emergency_match("112", NULL))
		fail_msg("db_emergency_match matches NULL");
}

/* ---- settings for calls out -------------------------------------------- */

static void test_ext_out(void **state)
{
	struct fx *fx = *state;
	char cos[DB_WORD_LEN], did_[DB_NUMBER_LEN];

	OK(db_ext_out(fx->db, fx->demo, "1001", cos, did_));
	if (strcmp(cos, DB_COS_EXT_DEFAULT) || did_[0])
		fail_msg("a new extension has class '%s' and DID '%s'", cos,
			 did_);
	OK(db_ext_set_cos(fx->db, fx->demo, "1001", "international"));
	OK(db_ext_set_did(fx->db, fx->demo, "1001", "+4930123456"));
	OK(db_ext_out(fx->db, fx->demo, "1001", cos, did_));
	if (strcmp(cos, "international") || strcmp(did_, "+4930123456"))
		fail_msg("ext 1001 reads back class '%s', DID '%s'", cos, did_);
	FAILS_WITH(db_ext_set_cos(fx->db, fx->demo, "1001", "world"), -EINVAL,
		   "class 'world'");
	FAILS_WITH(db_ext_set_did(fx->db, fx->demo, "1001", "030123"), -EINVAL,
		   "a DID that is not E.164");
	FAILS_WITH(db_ext_set_cos(fx->db, fx->acme, "1001", "local"), -ENOENT,
		   "acme setting demo's extension");
	FAILS_WITH(db_ext_set_did(fx->db, fx->demo, "1009", ""), -ENOENT,
		   "a missing extension");
	FAILS_WITH(db_ext_out(fx->db, fx->acme, "1001", cos, did_), -ENOENT,
		   "reading demo's extension as acme");
	OK(db_ext_set_did(fx->db, fx->demo, "1001", ""));
	OK(db_ext_out(fx->db, fx->demo, "1001", cos, did_));
	if (did_[0] || strcmp(cos, "international"))
		fail_msg("clearing the DID left '%s' (class '%s')", did_, cos);
}

static void test_tenant_out(void **state)
{
	struct fx *fx = *state;
	char main_no[DB_NUMBER_LEN], emerg[DB_EMERGENCY_LEN];

	OK(db_tenant_out(fx->db, fx->demo, main_no, emerg));
	if (main_no[0] || strcmp(emerg, "112,911"))
		fail_msg("a new tenant has main number '%s', emergency '%s'",
			 main_no, emerg);
	OK(db_tenant_set_main_number(fx->db, "DEMO.test", "+4930123450"));
	OK(db_tenant_set_emergency(fx->db, "demo.test", "110,112"));
	OK(db_tenant_out(fx->db, fx->demo, main_no, emerg));
	if (strcmp(main_no, "+4930123450") || strcmp(emerg, "110,112"))
		fail_msg("demo reads back main '%s', emergency '%s'", main_no,
			 emerg);
	OK(db_tenant_out(fx->db, fx->acme, main_no, emerg));
	if (main_no[0] || strcmp(emerg, "112,911"))
		fail_msg("setting demo changed acme");
	FAILS_WITH(db_tenant_set_main_number(fx->db, "demo.test", "0301234"),
		   -EINVAL, "a main number that is not E.164");
	FAILS_WITH(db_tenant_set_main_number(fx->db, "nope.test", ""), -ENOENT,
		   "a missing tenant");
	FAILS_WITH(db_tenant_set_emergency(fx->db, "demo.test", "112, 911"),
		   -EINVAL, "a blank in the emergency list");
	FAILS_WITH(db_tenant_set_emergency(fx->db, "demo.test", "112,"),
		   -EINVAL, "an empty emergency number");
	FAILS_WITH(db_tenant_set_emergency(
		       fx->db, "demo.test",
		       "1111111111,2222222222,3333333333,4444444444,"
		       "5555555555,666666666"),
		   -EINVAL, "an emergency list of 64 bytes");
	OK(db_tenant_set_emergency(fx->db, "demo.test",
				   "1111111111,2222222222,3333333333,"
				   "4444444444,5555555555,66666666"));
	FAILS_WITH(db_tenant_out(fx->db, 999, main_no, emerg), -ENOENT,
		   "a missing tenant's settings");
	OK(db_tenant_set_main_number(fx->db, "demo.test", ""));
	OK(db_tenant_set_emergency(fx->db, "demo.test", ""));
	OK(db_tenant_out(fx->db, fx->demo, main_no, emerg));
	if (main_no[0] || emerg[0])
		fail_msg("clearing left main '%s', emergency '%s'", main_no,
			 emerg);
}

static int route_cos_h(const struct db_route *r, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	if (!strcmp(r->app, "forward"))
		return 0; /* migration 0015's feature codes */
	snprintf(out + n, 128 - n, "%s:%s ", r->pattern, r->cos);
	return 0;
}

static void test_route_cos(void **state)
{
	struct fx *fx = *state;
	struct db_route r = {.tenant_id = fx->demo, .priority = 100};
	char cos[DB_WORD_LEN], list[128] = "";
	int64_t plain, intl;

	strcpy(r.app, "dial");
	strcpy(r.pattern, "_1XXX");
	OK(db_route_add(fx->db, &r, &plain));
	strcpy(r.pattern, "_00.");
	strcpy(r.cos, "international");
	OK(db_route_add(fx->db, &r, &intl));
	strcpy(r.pattern, "_0.");
	strcpy(r.cos, "world");
	FAILS_WITH(db_route_add(fx->db, &r, NULL), -EINVAL,
		   "a route of class 'world'");
	OK(db_route_list(fx->db, fx->demo, route_cos_h, list));
	if (strcmp(list, "*97:internal *98:internal _1XXX:internal "
			 "_00.:international "))
		fail_msg("routes list with classes '%s'", list);

	OK(db_route_cos(fx->db, fx->demo, plain, cos));
	if (strcmp(cos, DB_COS_ROUTE_DEFAULT))
		fail_msg("a route added without a class has '%s'", cos);
	OK(db_route_set_cos(fx->db, fx->demo, plain, "local"));
	OK(db_route_cos(fx->db, fx->demo, plain, cos));
	if (strcmp(cos, "local"))
		fail_msg("the route's class reads back as '%s'", cos);
	FAILS_WITH(db_route_set_cos(fx->db, fx->demo, plain, "Local"), -EINVAL,
		   "class 'Local'");
	FAILS_WITH(db_route_set_cos(fx->db, fx->acme, plain, "national"),
		   -ENOENT, "acme setting demo's route");
	FAILS_WITH(db_route_cos(fx->db, fx->acme, intl, cos), -ENOENT,
		   "acme reading demo's route");
}

/* A database of schema version 5 (before trunks): opening it keeps its
 * rows and gives them the defaults of the new columns. */
static void test_migrate_from_v5(void **state)
{
	struct fx *fx = *state;
	char a[DB_EMERGENCY_LEN], b[DB_EMERGENCY_LEN];
	struct db_tenant t;

	db_close(fx->db);
	fx->db = NULL;
	tmpdb_unlink(&fx->tmp);
	/* db_migrations[0..3] are 0002 to 0005. */
	OK(db_open_with(&fx->db, fx->tmp.path, db_migrations, 4));
	if (db_schema_version(fx->db) != 5)
		fail_msg("the old database is at version %d, not 5",
			 db_schema_version(fx->db));
	if (sqlite3_exec(fx->db->sql,
			 "INSERT INTO tenants (name, domain) "
			 "VALUES ('Old', 'old.test');"
			 "INSERT INTO extensions (tenant_id, number, ha1) "
			 "SELECT id, '100', '' FROM tenants;"
			 "INSERT INTO routes (tenant_id, pattern, app) "
			 "SELECT id, '_0.', 'dial' FROM tenants",
			 NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("cannot fill the old database: %s",
			 sqlite3_errmsg(fx->db->sql));
	db_close(fx->db);
	fx->db = NULL;

	OK(db_open(&fx->db, fx->tmp.path));
	if (db_schema_version(fx->db) != 1 + db_nmigrations)
		fail_msg("after the upgrade the database is at version %d",
			 db_schema_version(fx->db));
	OK(db_tenant_by_domain(fx->db, "old.test", &t));
	OK(db_ext_out(fx->db, t.id, "100", a, b));
	if (strcmp(a, "national") || b[0])
		fail_msg("an upgraded extension has class '%s', DID '%s'", a,
			 b);
	OK(db_tenant_out(fx->db, t.id, a, b));
	if (a[0] || strcmp(b, "112,911"))
		fail_msg("an upgraded tenant has main '%s', emergency '%s'", a,
			 b);
	if (count_rows(fx->db, "SELECT count(*) FROM routes "
			       "WHERE cos = 'internal' AND pattern NOT IN "
			       "('*97', '*98') AND app != 'forward'") != 1)
		fail_msg("an upgraded route does not stay open to every "
			 "extension (class internal)");
	fx->demo = fx->acme = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    cmocka_unit_test(test_trunk_defaults),
	    cmocka_unit_test(test_trunk_check),
	    T(test_trunk_crud),
	    T(test_trunk_list_del),
	    T(test_did),
	    T(test_cascade),
	    cmocka_unit_test(test_validators),
	    cmocka_unit_test(test_cos_words),
	    cmocka_unit_test(test_emergency_match),
	    T(test_ext_out),
	    T(test_tenant_out),
	    T(test_route_cos),
	    T(test_migrate_from_v5),
#undef T
	};

	return cmocka_run_group_tests_name("trunks and DIDs", tests, NULL,
					   NULL);
}
