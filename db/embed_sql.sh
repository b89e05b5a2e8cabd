#!/bin/sh
# embed_sql.sh - turn db/schema.sql and db/migrations/*.sql into C strings.
#
# Usage: sh db/embed_sql.sh SRCDIR/db > db/sql_embed.c
#
# Writes db_sql_schema, db_migrations[] (sorted by number) and
# db_nmigrations, as declared in db/db_priv.h. POSIX sh and sed only, and it
# reads nothing from the current directory, so it runs the same from a
# separate build tree (make distcheck).
set -e

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh embed_sql.sh DBDIR > sql_embed.c" >&2
	exit 2
fi
dir=$1
if [ ! -r "$dir/schema.sql" ]; then
	echo "embed_sql.sh: no $dir/schema.sql" >&2
	exit 1
fi

# One C string literal line per SQL line. Backslashes first, then quotes,
# so the backslashes added for quotes are not doubled again.
literal() {
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$/\\n"/' "$1"
}

echo "/* sql_embed.c - made by db/embed_sql.sh from db/schema.sql and"
echo " * db/migrations; do not edit. */"
echo '#include <stddef.h>'
echo
echo '#include "db_priv.h"'
echo
echo 'const char *const db_sql_schema ='
literal "$dir/schema.sql"
echo '	"";'
echo
echo 'const struct db_migration db_migrations[] = {'

# The shell sorts glob results, and the numbers are zero-padded to four
# digits, so this loop walks the migrations in version order.
n=0
last=1
for f in "$dir"/migrations/[0-9][0-9][0-9][0-9]_*.sql; do
	[ -e "$f" ] || continue
	base=${f##*/}
	num=${base%%_*}
	# Leading zeros would make the C literal octal.
	ver=$(echo "$num" | sed 's/^0*//')
	case $ver in
	'' | *[!0-9]*)
		echo "embed_sql.sh: $base: name must be NNNN_what.sql" >&2
		exit 1
		;;
	esac
	# A gap or a repeat would leave databases at different schemas
	# depending on when they were created; catch it at build time.
	if [ "$ver" -ne $((last + 1)) ]; then
		echo "embed_sql.sh: $base: expected version $((last + 1))" \
			"(1 is schema.sql; numbers go up by one)" >&2
		exit 1
	fi
	last=$ver
	echo "	{$ver, /* $base */"
	literal "$f"
	echo '	""},'
	n=$((n + 1))
done

# The terminator keeps the array non-empty while there are no migrations
# (an empty initializer is not ISO C); db_nmigrations excludes it.
echo '	{0, NULL},'
echo '};'
echo
echo "const int db_nmigrations = $n;"
