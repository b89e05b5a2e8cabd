"""rfc4475_answers.py - what the PBX may answer to each RFC 4475 message.

Read by sip_torture.py --rfc4475-exact. One row per file of RFC 4475
Appendix A (49 messages of section 3, plus the authors' stray test.dat):

    name: (section, codes, why)

codes are the acceptable final answers; 0 stands for "no answer at all"
(dropped). The expectations are the RFC's text for each message, read
for what this PBX is: a registrar and user agent server that
authenticates before it looks at what is asked. test_torture.sh serves
example.com as a tenant (with no extensions), so the valid messages
reach the same code a phone's request would:

- an INVITE, MESSAGE or REGISTER without credentials for example.com is
  challenged (407 / 401). RFC 3261 8.2 has a UAS authenticate first, and
  10.3 has a registrar authenticate before it reads the To header. For
  a user example.com does not have, 404 is right too: the PBX challenges
  first so that nobody can list its extensions by trying names, but it
  may give up that secrecy;
- a request for a domain not served here (example.net, example.org) is
  404;
- OPTIONS is 200 whoever it names;
- a request with a To tag and no such dialog is 481 (RFC 3261 12.2.2);
- an unknown method is 501 (405 would say the method is known but not
  allowed; both are what RFC 3261 8.2.1 allows).

Of the invalid messages (3.1.2) the RFC says a 400 is right and that a
"liberal" element may also accept some: where it names that leniency,
the normal answer is in the row as well. Where a message cannot be
answered (no Via, a Via that does not parse) or is invalid framing,
dropping it is right. Responses in the corpus must never be answered.

KNOWN holds outcomes that are wrong by the RFC but come from sofia-sip,
not from our code; they are reported as "known", not as failures, and
each says why.
"""

# Answers of a user agent server that authenticates first (see above).
INVITE = (407, 404)      # INVITE for example.com, no credentials
REGISTER = (401,)        # REGISTER for example.com, no credentials
OPTIONS = (200,)
UNKNOWN_METHOD = (501, 405)
BAD = (400, 0)           # 400 Bad Request, or dropped

EXPECT = {
    # 3.1.1 Valid messages: parsed, and answered as any request would be.
    "wsinv": ("3.1.1.1", (481,),
              "an INVITE with a To tag: a re-INVITE for a dialog that does"
              " not exist"),
    "intmeth": ("3.1.1.2", UNKNOWN_METHOD,
                "an unknown method made of every token character"),
    "esc01": ("3.1.1.3", (404, 407),
              "escapes are valid; its Request-URI is for example.net, a"
              " domain not served here"),
    "escnull": ("3.1.1.4", REGISTER,
                "escaped NULs in the user part are valid"),
    "esc02": ("3.1.1.5", UNKNOWN_METHOD,
              "RE%47IST%45R is not REGISTER: % is no escape in a method"),
    "lwsdisp": ("3.1.1.6", OPTIONS,
                "no space between display name and < is accepted"),
    "longreq": ("3.1.1.7", INVITE, "long header values are valid"),
    "dblreq": ("3.1.1.8", REGISTER,
               "the INVITE after the REGISTER in the datagram is noise"
               " (RFC 3261 18.3) and must get no answer of its own"),
    "semiuri": ("3.1.1.9", OPTIONS,
                "a ; in the Request-URI's user part is valid"),
    "transports": ("3.1.1.10", OPTIONS,
                   "unknown transports below the top Via are valid"),
    "mpart01": ("3.1.1.11", (404, 407),
                "a multipart MESSAGE for example.org, not served here"),
    "unreason": ("3.1.1.12", (0,), "a response: nothing to answer"),
    "noreason": ("3.1.1.13", (0,), "a response: nothing to answer"),

    # 3.1.2 Invalid messages: 400, or dropped; "liberal" where the RFC
    # says an element may accept the message.
    "badinv01": ("3.1.2.1", BAD,
                 "empty Via and Contact parameters; the Via does not"
                 " parse, so there may be nowhere to answer"),
    "clerr": ("3.1.2.2", BAD, "Content-Length past the datagram"),
    "ncl": ("3.1.2.3", BAD, "a negative Content-Length"),
    "scalar02": ("3.1.2.4", BAD,
                 "a CSeq number past 2**32-1 (Expires and Max-Forwards"
                 " too large as well)"),
    "scalarlg": ("3.1.2.5", (0,), "a response: nothing to answer"),
    "quotbal": ("3.1.2.6", BAD,
                "an unterminated quoted display name in To"),
    "ltgtruri": ("3.1.2.7", BAD, "a Request-URI in <>"),
    "lwsruri": ("3.1.2.8", BAD, "white space inside the Request-URI"),
    "lwsstart": ("3.1.2.9", BAD + INVITE,
                 "several spaces between the request-line's parts;"
                 " liberal: ignore them"),
    "trws": ("3.1.2.10", BAD + OPTIONS,
             "spaces after SIP/2.0; liberal: ignore them"),
    "escruri": ("3.1.2.11", BAD + INVITE,
                "an escaped header in the Request-URI; liberal: ignore"
                " it"),
    "baddate": ("3.1.2.12", BAD + INVITE,
                "a Date not in GMT; liberal: ignore the Date we do not"
                " use"),
    "regbadct": ("3.1.2.13", BAD + REGISTER,
                 "a Contact with ? not in <>; liberal: infer the"
                 " brackets"),
    "badaspec": ("3.1.2.14", BAD + OPTIONS,
                 "spaces inside the To addr-spec; liberal: ignore them"),
    "baddn": ("3.1.2.15", BAD + OPTIONS,
              "an unquoted display name with non-token characters;"
              " liberal: infer the quotes"),
    "badvers": ("3.1.2.16", (505,), "SIP/7.0: 505 Version Not Supported"),
    "mismatch01": ("3.1.2.17", (400,),
                   "OPTIONS with a CSeq method of INVITE"),
    "mismatch02": ("3.1.2.18", (501, 400),
                   "an unknown method with a CSeq method of INVITE: 501"
                   " preferred, 400 also right"),
    "bigcode": ("3.1.2.19", (0,),
                "a response with a status code past 699: dropped"),

    # 3.2 Transaction layer.
    "badbranch": ("3.2.1", OPTIONS + (400,),
                  "a branch of only the magic cookie: 400, or treat it"
                  " the RFC 2543 way"),

    # 3.3 Application layer.
    "insuf": ("3.3.1", BAD, "no Call-ID, From or To"),
    "unkscm": ("3.3.2", (416,),
               "an unknown Request-URI scheme: 416, never routed by To"),
    "novelsc": ("3.3.3", (416, 404),
                "a registered but unsupported scheme (soap.beep): 416, or"
                " 404 where some such URIs could be served"),
    "unksm2": ("3.3.4", (400,) + REGISTER,
               "To and From of unknown schemes: a registrar says 400, but"
               " only once it reads the To, after it authenticates (RFC"
               " 3261 10.3), so the challenge comes first"),
    "bext01": ("3.3.5", (420,),
               "Require and Proxy-Require of unknown extensions: 420"),
    "invut": ("3.3.6", (415,) + INVITE,
              "an unknown Content-Type: 415, but only after"
              " authentication (RFC 3261 8.2)"),
    "regaut01": ("3.3.7", REGISTER,
                 "an unknown Authorization scheme: challenge with ours"),
    "multi01": ("3.3.8", (400,),
                "two Call-IDs, CSeqs, Froms and Tos"),
    "mcl01": ("3.3.9", BAD,
              "two different Content-Lengths: a framing error"),
    "bcast": ("3.3.10", (0,),
              "a 200 whose second Via is the broadcast address: dropped"),
    "zeromf": ("3.3.11", OPTIONS + (483,),
               "Max-Forwards 0 on OPTIONS: an endpoint answers as usual,"
               " a proxy 483"),
    "cparam01": ("3.3.12", REGISTER, "a Contact parameter: a normal"
                 " REGISTER"),
    "cparam02": ("3.3.13", REGISTER, "a Contact URI parameter: a normal"
                 " REGISTER"),
    "regescrt": ("3.3.14", REGISTER,
                 "a Contact URI with an escaped header: a normal"
                 " REGISTER"),
    "sdp01": ("3.3.15", (406, 400) + INVITE,
              "an Accept without application/sdp: 406 or 400, but only"
              " after authentication (RFC 3261 8.2)"),

    # 3.4 Backward compatibility.
    "inv2543": ("3.4.1", INVITE,
                "RFC 2543 syntax (no branch, From tag, Max-Forwards or"
                " Content-Length over UDP): answered as any INVITE"),

    # Not one of the RFC's messages: the authors' stray file.
    "test": ("-", BAD,
             "no SIP-Version in the request-line and no Via"),
}

# Outcomes that are wrong by the RFC but decided inside sofia-sip: shown
# as "known", not counted as failures.
KNOWN = {
    # sofia-sip's sip_method_d() takes only "unreserved" characters in an
    # unknown method name, not the whole token set: "+" and "`" make the
    # request-line invalid and the message is dropped before the
    # application sees it (an unknown method with neither gets 501).
    "intmeth": (0,),
}
