/* vm_pin.c - mailbox PINs: the rules for a new one, hashing, checking. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "vm/vm_priv.h"

/*
 * Argon2id with 2 passes over 8 MiB: a few milliseconds per check. The
 * libsodium "interactive" preset takes 64 MiB per check, which a small
 * box answering several *97 calls at once cannot spare, and it would buy
 * nothing: a PIN has at most 10^10 values, 10^4 for the usual four
 * digits, so whoever holds a copy of the database can try them all
 * whatever the cost setting. What keeps a PIN safe is the retrieval
 * menu's three tries per call; the hash keeps it unreadable in the file
 * and in backups, and makes a long PIN expensive to search. The cost is
 * stored in each hash string, so raising it later needs no migration.
 */
#define PIN_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PIN_MEMLIMIT (8U << 20)

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;

static void sodium_start(void)
{
	sodium_ok = sodium_init() >= 0;
}

/* sodium_init() once per process, whichever thread comes first. */
static int sodium_ready(void)
{
	pthread_once(&sodium_once, sodium_start);
	return sodium_ok ? 0 : -EIO;
}

static int say(char *why, size_t len, const char *what)
{
	if (why && len)
		snprintf(why, len, "%s", what);
	return -EINVAL;
}

/* True if each digit is the one before plus `step`. */
static bool run_of(const char *pin, int step)
{
	for (size_t i = 1; pin[i]; i++)
		if (pin[i] - pin[i - 1] != step)
			return false;
	return true;
}

int vm_pin_rules(const char *pin, const char *ext, char *why, size_t len)
{
	size_t n;

	if (why && len)
		why[0] = '\0';
	if (!pin)
		return say(why, len, "no PIN given");
	n = strlen(pin);
	if (n < VM_PIN_MIN_LEN || n > VM_PIN_MAX_LEN ||
	    strspn(pin, "0123456789") != n)
		return say(why, len, "a PIN is 4 to 10 digits");
	if (run_of(pin, 0))
		return say(why, len, "one digit repeated is too easy to guess");
	if (run_of(pin, 1) || run_of(pin, -1))
		return say(why, len,
			   "a run of digits up or down is too easy to guess");
	if (ext && !strcmp(pin, ext))
		return say(why, len,
			   "the extension's own number is too easy to guess");
	return 0;
}

static int set_hash_h(struct db_vm_box *b, void *arg)
{
	snprintf(b->pin_hash, sizeof(b->pin_hash), "%s", (const char *)arg);
	return 0;
}

int vm_box_set_pin(struct db *db, int64_t tenant_id, const char *ext,
		   const char *pin, char *why, size_t len)
{
	char hash[crypto_pwhash_STRBYTES];
	int err;

	if (!db)
		return -EINVAL;
	err = vm_pin_rules(pin, ext, why, len);
	if (err)
		return err;
	if ((err = sodium_ready()))
		return err;
	/* Fails only when the memory limit cannot be had. */
	if (crypto_pwhash_str(hash, pin, strlen(pin), PIN_OPSLIMIT,
			      PIN_MEMLIMIT) != 0)
		return -ENOMEM;
	err = db_vm_box_update(db, tenant_id, ext, set_hash_h, hash);
	sodium_memzero(hash, sizeof(hash));
	return err;
}

int vm_box_check_pin(struct db *db, int64_t tenant_id, const char *ext,
		     const char *pin)
{
	struct db_vm_box b;
	int err;

	if (!db || !pin)
		return -EINVAL;
	if ((err = sodium_ready()))
		return err;
	err = db_vm_box_get(db, tenant_id, ext, &b);
	if (err)
		return err;
	if (!b.pin_hash[0])
		return -ENOKEY;
	/* Anything that is no PIN by the rules was never stored: still run
	 * the verify, so that a wrong guess of any shape costs the same. */
	return crypto_pwhash_str_verify(b.pin_hash, pin, strlen(pin)) == 0
		   ? 0
		   : -EACCES;
}
