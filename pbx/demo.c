/* demo.c - seeds a demo tenant so that a first start can take calls at once. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "db.h"
#include "db_web.h"
#include "web/web_pass.h"
#include "core/log.h"

static int count_h(const struct db_tenant *t, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* 12 characters from a 56-letter alphabet without look-alikes: about 70
 * bits, read once from the console and typed into a phone. */
static int make_password(char out[13])
{
	static const char abc[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char raw[12];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, raw, sizeof(raw));
	close(fd);
	if (n != (ssize_t)sizeof(raw))
		return -EIO;
	for (int i = 0; i < 12; i++)
		out[i] = abc[raw[i] % (sizeof(abc) - 1)];
	out[12] = '\0';
	return 0;
}

/* The demo tenant's admin for the web panel. */
static int add_admin(struct db *db, int64_t tid, char pw[13])
{
	struct db_web_user u = {.role = DB_WEB_ADMIN, .tenant_id = tid};
	int err = make_password(pw);

	snprintf(u.username, sizeof(u.username), "admin");
	if (!err)
		err = web_pass_hash(pw, u.pass_hash);
	return err ? err : db_web_user_add(db, &u, NULL);
}

int demo_seed(const char *db_path, const char *domain, const char *http)
{
	static const char *const exts[][2] = {{"1001", "Demo Alice"},
					      {"1002", "Demo Bob"}};
	char pw[2][13], apw[13];
	struct db *db;
	int64_t tid;
	int n = 0, err;

	err = db_open(&db, db_path);
	if (err)
		return err;
	err = db_tenant_list(db, count_h, &n);
	if (err || n)
		goto out;
	err = db_tenant_add(db, "Demo", domain, &tid);
	for (int i = 0; !err && i < 2; i++) {
		err = make_password(pw[i]);
		if (!err)
			err = db_ext_add(db, tid, exts[i][0], exts[i][1], pw[i],
					 NULL);
	}
	if (!err)
		err = add_admin(db, tid, apw);
	if (err)
		goto out;
	printf("\nDemo tenant %s created. Register two softphones:\n", domain);
	for (int i = 0; i < 2; i++)
		printf("  user %s@%s  password %s\n", exts[i][0], domain, pw[i]);
	printf("Web panel: http://%s/  user admin  password %s\n", http, apw);
	printf("(shown once; set new ones with: ondoctl ext passwd %s 1001 "
	       "NEWPASSWORD, ondoctl user passwd admin NEWPASSWORD)\n\n",
	       domain);
	fflush(stdout);
out:
	db_close(db);
	return err;
}
