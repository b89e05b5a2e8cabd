/* conf.h - the daemon's configuration: defaults and the INI file. */
#ifndef ONDO_CONF_H
#define ONDO_CONF_H

#include <limits.h>
#include <stddef.h>

enum log_level { LOGL_ERROR = 0, LOGL_WARN, LOGL_INFO, LOGL_DEBUG };

/* [smtp] starttls: whether the connection to the server is encrypted. */
enum conf_starttls {
	CONF_STARTTLS_NO,	/* never: plain SMTP */
	CONF_STARTTLS_TRY,	/* if the server offers it */
	CONF_STARTTLS_REQUIRED, /* or no mail is sent */
};

/* [smtp]: the server that voicemail email goes through (pbx/vm/vm_mail.h).
 * An empty host turns email off. */
struct conf_smtp {
	char host[256];	    /* [smtp] host: name or IP, "" = email off */
	int port;	    /* [smtp] port, default 25 */
	enum conf_starttls starttls; /* [smtp] starttls, default try */
	char user[256];	    /* [smtp] user: "" = no AUTH */
	char password[256]; /* [smtp] password */
	char from[256];	    /* [smtp] from: the envelope and From address */
	char link[512];	    /* [smtp] link: base URL of link-only mails, the
			     * message id is appended; "" = no link */
	int retry_min;	    /* [smtp] retry_min: seconds before the first
			     * retry, doubling after each failure ... */
	int retry_max;	    /* [smtp] retry_max: ... up to this */
	int give_up;	    /* [smtp] give_up: seconds after the message
			     * when an unsent mail is dropped */
	int timeout;	    /* [smtp] timeout: seconds one try may take */
};

/* [cluster]: this node sits behind a SIP front (Kamailio, deploy/kamailio/)
 * that routes each tenant's requests to the node owning it
 * (docs/scale-out.md). An empty front means a stand-alone PBX. */
struct conf_cluster {
	char front[64];	      /* [cluster] front: the front's IP address;
			       * requests from it carry the phone's own
			       * address in their second Via */
	int node;	      /* [cluster] node: this node's id (1-9999), its
			       * dispatcher set on the front */
	char api[512];	      /* [cluster] api: base URL of the front's
			       * tenant table, "" = ondoctl keeps none */
	char api_secret[128]; /* [cluster] api_secret: sent with each change */
};

/* Every field has a default (conf_init); a config file overrides them. */
struct conf {
	char sip_listen[128];	 /* [sip] listen: IP:PORT, UDP and TCP */
	char sip_public[64];	 /* [sip] public_ip: address put in SDP and
				  * Contact; empty = the listen IP, or the
				  * first non-loopback address if that is
				  * 0.0.0.0 */
	char default_tenant[256]; /* [sip] default_tenant: domain used for
				   * requests to the server's own address */
	int rtp_min, rtp_max;	 /* [rtp] ports = MIN-MAX */
	int media_workers;	 /* [rtp] workers, 0 = one per core */
	char db_path[PATH_MAX];	 /* [db] path */
	char spool_dir[PATH_MAX]; /* [spool] dir */
	char sounds_dir[PATH_MAX]; /* [sounds] dir: stock prompts, with
				    * 8000/ and 16000/ inside */
	char ctl_socket[PATH_MAX]; /* [ctl] socket */
	enum log_level log_level; /* [log] level: error|warn|info|debug */
	char http_listen[128];	 /* [http] listen: web panel and REST API */
	char web_dir[PATH_MAX];	 /* [http] web_dir: the panel's files */
	char http_cert[PATH_MAX]; /* [http] cert, key: PEM files; both or */
	char http_key[PATH_MAX];  /* neither (then plain HTTP) */
	struct conf_smtp smtp;	 /* [smtp] */
	struct conf_cluster cluster; /* [cluster] */
	/* [security]: failed digest authentications past fail_max within
	 * fail_window seconds, from one address or against one extension,
	 * block it for ban_time seconds, doubling with each new block up to
	 * a day (pbx/sip/ban.c) */
	int fail_max, fail_window, ban_time;
	/* [security] flood limits (pbx/sip/rate.c): new requests a second
	 * from one source address (a burst of twice as many), INVITEs a
	 * minute from one extension (all of them at once at most); 0 no
	 * limit */
	int req_rate, invite_rate;
};

/* Fills the embedded defaults: state under ./ondo-data, SIP on
 * 0.0.0.0:5060, RTP 10000-20000, default tenant demo.localhost. */
void conf_init(struct conf *c);

/* Reads an INI file over the current values. On error returns a negative
 * errno and writes "FILE:LINE: what is wrong" into err. */
int conf_load(struct conf *c, const char *path, char *err, size_t errlen);

/* Parses "IP:PORT" or "[IPv6]:PORT" into its parts; 0 or -EINVAL. */
int conf_split_hostport(const char *s, char *host, size_t hostlen, int *port);

#endif
