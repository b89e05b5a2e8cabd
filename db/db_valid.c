/* db_valid.c - checks on what users type before it is stored. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db_priv.h"
#include "core/ipnet.h"

#define DOMAIN_MAX   253 /* RFC 1035: 255 octets on the wire */
#define LABEL_MAX    63
#define PASSWORD_MIN 8
#define PASSWORD_MAX 127

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Dotted quad, each part 0-255 without leading zeros: "010" is octal to
 * inet_aton and decimal to people, so it is refused rather than guessed. */
static bool valid_ipv4(const char *s)
{
	int parts = 0;

	while (parts < 4) {
		int v = 0, n = 0;

		while (is_digit(s[n]) && n < 4)
			v = v * 10 + (s[n++] - '0');
		if (n == 0 || n > 3 || v > 255 || (n > 1 && s[0] == '0'))
			return false;
		s += n;
		parts++;
		if (parts < 4 && *s++ != '.')
			return false;
	}
	return *s == '\0';
}

/* One label of `len` characters at `s`. */
static bool valid_label(const char *s, size_t len)
{
	if (len == 0 || len > LABEL_MAX || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

bool db_valid_domain(const char *s)
{
	const char *label, *dot;
	size_t len;

	if (!s || !*s || strnlen(s, DOMAIN_MAX + 1) > DOMAIN_MAX)
		return false;
	/* Digits and dots only: meant as an address, so it must be one. */
	if (s[strspn(s, "0123456789.")] == '\0')
		return valid_ipv4(s);
	for (label = s;; label = dot + 1) {
		dot = strchr(label, '.');
		len = dot ? (size_t)(dot - label) : strlen(label);
		if (!valid_label(label, len))
			return false;
		/* RFC 3696: a top-level domain is never all digits, so
		 * "10.0.0.300" is a typo, not a name. */
		if (!dot)
			return !all_digits(label, len);
	}
}

bool db_valid_number(const char *s)
{
	size_t len;

	if (!s)
		return false;
	len = strnlen(s, DB_NUMBER_LEN);
	return len > 0 && len < DB_NUMBER_LEN && all_digits(s, len);
}

/* Length of the UTF-8 sequence at `s`, or 0 if it is not well formed
 * (overlong forms, surrogates and values above U+10FFFF included). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], min, n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000, c &= 0x07;
	else
		return 0;
	for (unsigned int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

bool db_valid_name(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (!s || strnlen(s, DB_NAME_LEN) >= DB_NAME_LEN)
		return false;
	while (*p) {
		/* Quotes and backslashes would need escaping inside the
		 * quoted display name of a From header; refusing them is
		 * simpler than getting the escaping right everywhere. */
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			return false;
		n = utf8_len(p);
		if (n == 0)
			return false;
		p += n;
	}
	return true;
}

bool db_valid_password(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	if (!s)
		return false;
	len = strnlen(s, PASSWORD_MAX + 1);
	if (len < PASSWORD_MIN || len > PASSWORD_MAX)
		return false;
	/* ASCII only: phones differ on how they encode anything else
	 * before hashing, and the HA1 would not match. */
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

bool db_valid_dialable(const char *s)
{
	size_t len;

	if (!s)
		return false;
	len = strnlen(s, DB_NUMBER_LEN);
	if (len == 0 || len >= DB_NUMBER_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_alnum(s[i]) && !strchr("*#+._-", s[i]))
			return false;
	return true;
}

/* 1 to len - 1 characters, each a-z, 0-9 or one of `extra`. */
static bool valid_lower_word(const char *s, size_t len, const char *extra)
{
	size_t n;

	if (!s)
		return false;
	n = strnlen(s, len);
	if (n == 0 || n >= len)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'z') &&
		    !strchr(extra, s[i]))
			return false;
	return true;
}

bool db_valid_prompt(const char *s)
{
	return valid_lower_word(s, DB_IVR_PROMPT_LEN, "_");
}

bool db_valid_ivr_name(const char *s)
{
	return valid_lower_word(s, DB_IVR_NAME_LEN, "_-");
}

bool db_valid_trunk_name(const char *s)
{
	return valid_lower_word(s, DB_TRUNK_NAME_LEN, "_-");
}

bool db_valid_e164(const char *s)
{
	size_t len;

	if (!s || s[0] != '+')
		return false;
	/* ITU-T E.164: at most 15 digits; a country code never starts
	 * with 0, so "+0..." is a national number with a stray '+'. */
	len = strnlen(s + 1, 16);
	return len >= 2 && len <= 15 && s[1] != '0' && all_digits(s + 1, len);
}

bool db_valid_prefix(const char *s)
{
	size_t len;

	if (!s)
		return false;
	len = strnlen(s, DB_PREFIX_LEN);
	return len < DB_PREFIX_LEN && strspn(s, "0123456789+*#") == len;
}

/* True if `s` is "" or items separated by single commas (none empty,
 * no comma at either end), each shorter than `max` bytes and accepted
 * by `ok`. */
static bool valid_list(const char *s, size_t max, bool (*ok)(const char *))
{
	char one[DB_NUMBER_LEN]; /* the longest item: a dialable */
	size_t len;

	if (max > sizeof(one))
		return false;
	for (; *s; s += len + (s[len] == ',')) {
		len = strcspn(s, ",");
		if (len == 0 || len >= max || (s[len] == ',' && !s[len + 1]))
			return false;
		memcpy(one, s, len);
		one[len] = '\0';
		if (!ok(one))
			return false;
	}
	return true;
}

/* One entry of a trunk's ips: an address or a prefix (core/ipnet.h), or
 * a host name the daemon resolves. Something with a ':' or '/' was meant
 * as an address or a prefix, digits and dots as an IPv4 address: those
 * are never taken as names. */
static bool ip_entry_why(const char *e, char *why, size_t len)
{
	struct ipnet net;
	char text[IPNET_TEXT_LEN];
	int err = ipnet_parse(e, &net);

	if (!err)
		return true;
	if (err == -EDOM) {
		/* the network with the stray bits cleared: most likely what
		 * was meant, and the admin's to confirm */
		ipnet_clear_host_bits(&net);
		ipnet_format(&net, text, sizeof(text));
		if (why)
			snprintf(why, len,
				 "'%s' has bits set past /%d (the network is "
				 "%s)",
				 e, net.prefix, text);
		return false;
	}
	if (!strpbrk(e, ":/") && e[strspn(e, "0123456789.")] != '\0' &&
	    db_valid_domain(e))
		return true;
	if (why)
		snprintf(why, len,
			 "'%s' is not an IPv4 or IPv6 address, a prefix such "
			 "as 10.0.0.0/24 or a host name",
			 e);
	return false;
}

bool db_ip_list_why(const char *s, char *why, size_t len)
{
	char one[DB_TRUNK_IPS_LEN];
	size_t n;
	int count = 0;

	if (why && len)
		why[0] = '\0';
	if (!db_fits(s, DB_TRUNK_IPS_LEN)) {
		if (why)
			snprintf(why, len, "longer than %d characters",
				 DB_TRUNK_IPS_LEN - 1);
		return false;
	}
	for (; *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (n == 0 || (s[n] == ',' && !s[n + 1])) {
			if (why)
				snprintf(why, len,
					 "an empty entry (two commas, or a "
					 "comma at either end)");
			return false;
		}
		if (++count > DB_TRUNK_IPS_MAX) {
			if (why)
				snprintf(why, len, "more than %d entries",
					 DB_TRUNK_IPS_MAX);
			return false;
		}
		memcpy(one, s, n);
		one[n] = '\0';
		if (!ip_entry_why(one, why, len))
			return false;
	}
	return true;
}

bool db_valid_ip_list(const char *s)
{
	return db_ip_list_why(s, NULL, 0);
}

/* db_emergency_match compares whole items: a blank or an empty item
 * would never match, and the admin would believe 112 is kept open when
 * it is not. */
bool db_valid_emergency(const char *s)
{
	return db_fits(s, DB_EMERGENCY_LEN) &&
	       valid_list(s, DB_NUMBER_LEN, db_valid_dialable);
}

/* The codecs a tenant may prefer: those pbx/media/codec.h implements. */
static const char *const codec_names[] = {"PCMU", "PCMA", "G722"};

int db_codecs_parse(const char *s, char names[DB_CODECS_MAX][DB_CODEC_NAME_LEN],
		    int *n)
{
	const char *p, *end;
	size_t len;
	int count = 0;

	if (!n)
		return -EINVAL;
	*n = 0;
	if (!s || !names || strnlen(s, DB_CODECS_LEN) >= DB_CODECS_LEN)
		return -EINVAL;
	for (p = s;; p = end + 1) {
		const char *name = NULL;

		p += strspn(p, " \t");
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		for (size_t i = 0;
		     i < sizeof(codec_names) / sizeof(*codec_names); i++)
			if (strlen(codec_names[i]) == len &&
			    !strncasecmp(codec_names[i], p, len))
				name = codec_names[i];
		if (!name || count == DB_CODECS_MAX)
			return -EINVAL;
		for (int i = 0; i < count; i++)
			if (!strcmp(names[i], name))
				return -EINVAL;
		strcpy(names[count++], name);
		if (!*end)
			break;
	}
	*n = count;
	return 0;
}

int db_codecs_canon(const char *s, char out[DB_CODECS_LEN])
{
	char names[DB_CODECS_MAX][DB_CODEC_NAME_LEN];
	int n;

	if (!out || db_codecs_parse(s, names, &n))
		return -EINVAL;
	/* At most 3 names of 4 letters and their commas: it fits. */
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, names[i]);
	}
	return 0;
}

bool db_valid_codecs(const char *s)
{
	char names[DB_CODECS_MAX][DB_CODEC_NAME_LEN];
	int n;

	return db_codecs_parse(s, names, &n) == 0;
}
