/* ctl_table.c - aligned text columns for ondoctl's list commands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondoctl/ondoctl.h"

#define GAP 2 /* spaces between columns */

struct octl_table {
	int ncols;
	const char *const *header; /* borrowed */
	char **cells;		   /* nrows * ncols, each owned */
	int nrows, cap;
};

int octl_table_alloc(struct octl_table **tp, int ncols,
		     const char *const *header)
{
	struct octl_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->ncols = ncols;
	t->header = header;
	*tp = t;
	return 0;
}

static int grow(struct octl_table *t)
{
	int cap = t->cap ? t->cap * 2 : 16;
	char **cells = realloc(t->cells, sizeof(*cells) * cap * t->ncols);

	if (!cells)
		return -ENOMEM;
	t->cells = cells;
	t->cap = cap;
	return 0;
}

int octl_table_add(struct octl_table *t, ...)
{
	char **row;
	va_list ap;
	int err = 0;

	if (t->nrows == t->cap && grow(t))
		return -ENOMEM;
	row = t->cells + t->nrows * t->ncols;
	va_start(ap, t);
	for (int i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		row[i] = strdup(s ? s : "");
		if (!row[i])
			err = -ENOMEM;
	}
	va_end(ap);
	if (err) {
		for (int i = 0; i < t->ncols; i++)
			free(row[i]);
		return err;
	}
	t->nrows++;
	return 0;
}

int octl_table_rows(const struct octl_table *t)
{
	return t->nrows;
}

/* Characters on screen, not bytes: display names may be UTF-8. */
static int width(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void print_row(const struct octl_table *t, const char *const *row,
		      const int *w, FILE *out)
{
	for (int i = 0; i < t->ncols; i++) {
		/* No padding after the last column: no trailing blanks. */
		if (i == t->ncols - 1)
			fprintf(out, "%s\n", row[i]);
		else
			fprintf(out, "%s%*s", row[i],
				w[i] - width(row[i]) + GAP, "");
	}
}

void octl_table_print(const struct octl_table *t, FILE *out)
{
	int *w = calloc(t->ncols, sizeof(*w));

	if (!w)
		return;
	for (int i = 0; i < t->ncols; i++)
		w[i] = width(t->header[i]);
	for (int r = 0; r < t->nrows; r++)
		for (int i = 0; i < t->ncols; i++) {
			int n = width(t->cells[r * t->ncols + i]);

			if (n > w[i])
				w[i] = n;
		}
	print_row(t, t->header, w, out);
	for (int r = 0; r < t->nrows; r++)
		print_row(t, (const char *const *)t->cells + r * t->ncols, w,
			  out);
	free(w);
}

void octl_table_free(struct octl_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

int octl_list_begin(struct octl *o, int argc, char **argv, struct db_tenant *t,
		    int ncols, const char *const *header,
		    struct octl_table **tp)
{
	int n;

	memset(t, 0, sizeof(*t));
	*tp = NULL;
	if (octl_parse(o, argc, argv, NULL, 0, 1, &n))
		return OCTL_USAGE;
	if (n == 1 && octl_tenant(o, argv[0], t))
		return OCTL_ERR;
	if (octl_table_alloc(tp, ncols, header))
		return octl_err("out of memory");
	return OCTL_OK;
}

int octl_list_end(struct octl_table *t, int err, const char *what,
		  const char *empty)
{
	if (err)
		octl_err("cannot list %s: %s", what, octl_strerror(err));
	else if (octl_table_rows(t) == 0)
		printf("%s\n", empty);
	else
		octl_table_print(t, stdout);
	octl_table_free(t);
	return err ? OCTL_ERR : OCTL_OK;
}
