/* test_media.c - the RTP relay on real loopback sockets (pbx/media/). */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "media/media.h"
#include "media/media_priv.h"
#include "ports.h"

#define NPORTS 12 /* three sessions' worth of pairs */

/* A fake phone: a UDP socket on ip, any port. */
static int phone(const char *ip, struct sockaddr_storage *addr)
{
	struct sockaddr_in *a = (struct sockaddr_in *)addr;
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(addr, 0, sizeof(*addr));
	a->sin_family = AF_INET;
	inet_pton(AF_INET, ip, &a->sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)a, sizeof(*a)), 0);
	getsockname(fd, (struct sockaddr *)a, &len);
	return fd;
}

static void send_to_pbx(int fd, int port, const char *payload)
{
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port)};

	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	assert_true(sendto(fd, payload, strlen(payload), 0,
			   (struct sockaddr *)&to, sizeof(to)) > 0);
}

/* Returns the payload received within ms, or "" if none. */
static const char *recv_within(int fd, int ms, struct sockaddr_in *from)
{
	static char buf[256];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	socklen_t len = sizeof(*from);
	ssize_t n;

	buf[0] = '\0';
	if (poll(&p, 1, ms) <= 0)
		return buf;
	n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)from,
		     &len);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

struct fix {
	struct media *m;
	struct msess *s;
	int a, b;
	struct sockaddr_storage aa, ba;
};

static int setup(void **state)
{
	static struct fix f;

	int lo = unit_free_ports(NPORTS);

	memset(&f, 0, sizeof(f));
	assert_true(lo > 0);
	assert_int_equal(media_alloc(&f.m, "127.0.0.1", lo, lo + NPORTS - 1, 2),
			 0);
	assert_int_equal(msess_alloc(&f.s, f.m, "test"), 0);
	f.a = phone("127.0.0.1", &f.aa);
	f.b = phone("127.0.0.1", &f.ba);
	/* Both phones announce their sockets in SDP. */
	assert_int_equal(msess_set_remote(f.s, MSIDE_A, &f.aa, NULL), 0);
	assert_int_equal(msess_set_remote(f.s, MSIDE_B, &f.ba, NULL), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	if (f->s)
		msess_release(f->s);
	media_free(f->m);
	close(f->a);
	close(f->b);
	return 0;
}

static void test_relays_both_ways(void **state)
{
	struct fix *f = *state;
	struct sockaddr_in from;
	const char *got;

	send_to_pbx(f->a, msess_port(f->s, MSIDE_A), "from-a");
	got = recv_within(f->b, 1000, &from);
	if (strcmp(got, "from-a"))
		fail_msg("callee heard nothing the caller sent (got '%s')", got);
	/* It comes from the PBX's B-side port, not from phone A. */
	assert_int_equal(ntohs(from.sin_port), msess_port(f->s, MSIDE_B));
	send_to_pbx(f->b, msess_port(f->s, MSIDE_B), "from-b");
	got = recv_within(f->a, 1000, &from);
	if (strcmp(got, "from-b"))
		fail_msg("caller heard nothing the callee sent (got '%s')", got);
	assert_int_equal(ntohs(from.sin_port), msess_port(f->s, MSIDE_A));
}

static void test_stranger_dropped(void **state)
{
	struct fix *f = *state;
	struct sockaddr_storage sa;
	struct sockaddr_in from;
	struct msess_stats st;
	int x = phone("127.0.0.2", &sa);
	const char *got;

	send_to_pbx(x, msess_port(f->s, MSIDE_A), "injected");
	got = recv_within(f->b, 300, &from);
	if (*got)
		fail_msg("RTP from a stranger's address reached the callee: '%s'",
			 got);
	/* The worker counts it when it gets to it: on a loaded machine that
	 * may be after the 300 ms above, so wait for the count (2 s at most)
	 * rather than read it once. */
	for (int i = 0; i < 200; i++) {
		msess_stats(f->s, &st);
		if (st.dropped[MSIDE_A])
			break;
		usleep(10000);
	}
	assert_int_equal(st.dropped[MSIDE_A], 1);
	close(x);
}

/* A phone behind NAT sends from another port than its SDP says: the PBX
 * must answer to where the packets really come from. */
static void test_symmetric_latching(void **state)
{
	struct fix *f = *state;
	struct sockaddr_storage sa;
	struct sockaddr_in from, *mine = (struct sockaddr_in *)&sa;
	int nat = phone("127.0.0.1", &sa);
	const char *got;

	send_to_pbx(nat, msess_port(f->s, MSIDE_A), "via-nat");
	assert_string_equal(recv_within(f->b, 1000, &from), "via-nat");
	send_to_pbx(f->b, msess_port(f->s, MSIDE_B), "reply");
	got = recv_within(nat, 1000, &from);
	if (strcmp(got, "reply"))
		fail_msg("the reply did not go back to the NAT address %d",
			 ntohs(mine->sin_port));
	close(nat);
}

/* A softphone on the PBX's own machine may send from another local
 * address than its SDP names: after a few packets in a row from that one
 * source, and nothing else latched, it is learned. */
static void test_learns_other_source(void **state)
{
	struct fix *f = *state;
	struct sockaddr_storage sa;
	struct sockaddr_in from;
	int alt = phone("127.0.0.3", &sa), heard = 0;
	char pkt[16];

	for (int i = 0; i < 8; i++) {
		snprintf(pkt, sizeof(pkt), "alt-%d", i);
		send_to_pbx(alt, msess_port(f->s, MSIDE_A), pkt);
		if (*recv_within(f->b, 100, &from))
			heard++;
	}
	if (heard < 4)
		fail_msg("a phone sending from its other address was never "
			 "learned: callee heard %d of 8 packets", heard);
	send_to_pbx(f->b, msess_port(f->s, MSIDE_B), "back");
	assert_string_equal(recv_within(alt, 1000, &from), "back");
	close(alt);
}

/* Once a side is latched, a stranger cannot take it over, however many
 * packets it sends. */
static void test_stranger_cannot_take_over(void **state)
{
	struct fix *f = *state;
	struct sockaddr_storage sa;
	struct sockaddr_in from;
	int x = phone("127.0.0.2", &sa);

	send_to_pbx(f->a, msess_port(f->s, MSIDE_A), "real");
	assert_string_equal(recv_within(f->b, 1000, &from), "real");
	for (int i = 0; i < 20; i++)
		send_to_pbx(x, msess_port(f->s, MSIDE_A), "injected");
	if (*recv_within(f->b, 300, &from))
		fail_msg("a stranger's RTP reached the callee after the caller's "
			 "stream was latched");
	close(x);
}

static void test_ports_released(void **state)
{
	struct media *m;
	struct msess *s[4];
	int lo = unit_free_ports(8);

	assert_true(lo > 0);
	assert_int_equal(media_alloc(&m, "127.0.0.1", lo, lo + 7, 1), 0);
	/* 8 ports = 4 pairs = 2 sessions; the third must be refused. */
	assert_int_equal(msess_alloc(&s[0], m, "a"), 0);
	assert_int_equal(msess_alloc(&s[1], m, "b"), 0);
	assert_int_equal(media_ports_in_use(m), 4);
	if (msess_alloc(&s[2], m, "c") != -EAGAIN)
		fail_msg("a session was created beyond the RTP port range");
	msess_release(s[0]);
	msess_release(s[1]);
	/* Release happens on the worker; wait for it, bounded. */
	for (int i = 0; i < 100 && media_ports_in_use(m); i++)
		usleep(10000);
	if (media_ports_in_use(m))
		fail_msg("RTP ports not freed after the call ended: %d in use",
			 media_ports_in_use(m));
	assert_int_equal(msess_alloc(&s[3], m, "d"), 0);
	msess_release(s[3]);
	media_free(m);
}

/* Out of file descriptors: the call is refused at once, without trying
 * every other pair of the range (each would fail the same way; under
 * overload that search pinned the SIP thread), and nothing stays taken.
 * With descriptors back, calls get ports again. */
static void test_out_of_fds(void **state)
{
	struct media *m;
	struct msess *s;
	struct rlimit was, low;
	int lo = unit_free_ports(400), next;
	unsigned long takes0;

	assert_true(lo > 0);
	assert_int_equal(media_alloc(&m, "127.0.0.1", lo, lo + 399, 1), 0);
	next = dup(0); /* the lowest free descriptor */
	assert_true(next >= 0);
	close(next);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &was), 0);
	low = was;
	low.rlim_cur = (rlim_t)next;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	takes0 = m->takes;
	next = msess_alloc(&s, m, "no fds");
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &was), 0);
	if (next != -EAGAIN)
		fail_msg("a session without descriptors: %d, want -EAGAIN", next);
	if (m->takes - takes0 > 1)
		fail_msg("%lu pairs were tried with no descriptor left",
			 m->takes - takes0);
	assert_int_equal(media_ports_in_use(m), 0);
	assert_int_equal(msess_alloc(&s, m, "fds back"), 0);
	assert_int_equal(media_ports_in_use(m), 2);
	msess_release(s);
	media_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_relays_both_ways, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stranger_dropped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_symmetric_latching, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_learns_other_source, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stranger_cannot_take_over,
						setup, teardown),
		cmocka_unit_test(test_out_of_fds),
		cmocka_unit_test(test_ports_released),
	};
	return cmocka_run_group_tests_name("media", tests, NULL, NULL);
}
