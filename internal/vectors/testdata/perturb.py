#!/usr/bin/python3
"""Write perturbed test vectors with the real Pyramid 2.0 / webob / PyNaCl.

Usage: perturb.py OUTDIR

Produces session_api.json, signed_cookies.json, encrypted_cookies.json and
nacl_settings.json in the shapes of the public vector files, from other
data: another clock, another secret, keys such as "üser", nested dicts and
lists in non-sorted order, ints, big ints and floats (0, -42,
9007199254740993, 2**70, 0.1, 1e100, -0.0). Nothing here is tuned to the Go
tests: they must read every input from these files.

Cookies are written and read by the library code itself: pyramid.session's
SignedCookieSessionFactory (session_api, signed cookies), webob's
SignedSerializer and JSONSerializer, and nacl.secret.SecretBox for the
encrypted cookie format (nonce || secretbox(payload), base64url without
padding). Only the clock and os.urandom are replaced, by deterministic
streams, as the public generator documents in its manifest.
"""

import binascii
import hashlib
import hmac
import json
import os
import sys
import types

import nacl.secret
import pyramid.session
from pyramid.request import Request
from pyramid.response import Response
from pyramid.session import SignedCookieSessionFactory
from webob.cookies import JSONSerializer, SignedSerializer

NOW = 1812345678.25          # the clock of every session_api vector
RENEWED = 1812345600.0       # when the "existing" cookie was written
CREATED = 1812344000.75
SECRET = "sëcret-ключ-2"
DATA_KEY = "üser"
TOKEN = "c" * 40


class Clock:
    """pyramid.session's time module: time() returns the frozen now."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


def urandom_stream(seed):
    """A deterministic os.urandom (sha256 counter stream)."""
    counter = [0]

    def urandom(n):
        out = b""
        while len(out) < n:
            counter[0] += 1
            out += hashlib.sha256(("%s/%d" % (seed, counter[0])).encode()).digest()
        return out[:n]

    return urandom


pyramid.session.os = types.SimpleNamespace(urandom=urandom_stream("perturbed-csrf"))


def existing_state():
    # Insertion order is deliberately not sorted; values nest.
    return {
        "_csrft_": TOKEN,
        DATA_KEY: {"name": "Jürgen ☃", "roles": ["admin", "ëditor"], "id": 9007199254740993},
        "nums": [0, -42, 9007199254740993, 2 ** 70, 0.1, 1e100, -0.0, 2.0],
        "_f_": ["m1"],
    }


def error_of(e):
    return {"type": type(e).__module__ + "." + type(e).__name__, "message": str(e)}


def snap(s):
    # dict.copy and dict() would go through the session's wrapped keys()
    # and touch its access time; read the state without the wrappers.
    state = {k: dict.__getitem__(s, k) for k in dict.__iter__(s)}
    return {
        "new": s.new, "created": s.created, "renewed": s.renewed,
        "accessed": s.accessed, "state": state, "dirty": s._dirty,
    }


def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


API_OPS = [
    # get and getitem read the second data key, so the tests must find
    # the key from the value returned (or the KeyError), not its position.
    ("get", lambda s: s.get("nums")),
    ("getitem", lambda s: s["nums"]),
    ("contains", lambda s: DATA_KEY in s),
    ("len", lambda s: len(s)),
    ("iter", lambda s: list(iter(s))),
    ("keys", lambda s: list(s.keys())),
    ("values", lambda s: list(s.values())),
    ("items", lambda s: [list(i) for i in s.items()]),
    ("copy_NOT_wrapped", lambda s: dict.copy(s)),
    ("ior_operator_NOT_wrapped_mutation_lost", lambda s: dict.__ior__(s, {"x": 1}) and None),
    ("setitem", lambda s: s.__setitem__("ñew", {"z": [1, 2.5, None], "a": -0.0, "m": {"y": 1e100, "b": 9007199254740993}})),
    ("delitem", lambda s: s.__delitem__(DATA_KEY)),
    ("setdefault_existing", lambda s: s.setdefault(DATA_KEY, {"z": 0, "a": -42})),
    ("pop_missing_with_default", lambda s: s.pop("absent ключ", 0.1)),
    ("popitem", lambda s: list(s.popitem())),
    ("update_empty", lambda s: s.update()),
    ("clear", lambda s: s.clear()),
    ("invalidate", lambda s: s.invalidate()),
    ("changed", lambda s: s.changed()),
    ("flash", lambda s: s.flash("é2")),
    ("flash_duplicate_disallowed_still_marks_changed", lambda s: s.flash("m1", allow_duplicate=False)),
    ("flash_queue", lambda s: s.flash("e1", "ërror")),
    ("flash_non_string", lambda s: s.flash({"z": [1, 0.1], "a": None, "ü": 9007199254740993})),
    ("peek_flash", lambda s: s.peek_flash()),
    ("pop_flash", lambda s: s.pop_flash()),
    ("pop_flash_empty_queue_still_changed", lambda s: s.pop_flash("nothing")),
    ("get_csrf_token_existing", lambda s: s.get_csrf_token()),
    ("new_csrf_token", lambda s: s.new_csrf_token()),
    ("mutate_nested_value_without_changed", lambda s: dict.__getitem__(s, "_f_").append("sneaky")),
]


def session_api():
    factory = SignedCookieSessionFactory(SECRET, reissue_time=None)
    ser = SignedSerializer(SECRET, "pyramid.session.", "sha512", serializer=JSONSerializer())
    existing_cookie = ser.dumps((RENEWED, CREATED, existing_state())).decode()
    out = []
    for name, op in API_OPS:
        for variant in ("existing", "new"):
            pyramid.session.time = Clock(NOW)
            headers = {"Cookie": "session=" + existing_cookie} if variant == "existing" else {}
            req = Request.blank("/", headers=headers)
            s = factory(req)
            vec = {"name": name + "/" + variant, "now": NOW, "before": snap(s)}
            try:
                vec["return"] = plain(op(s))
            except Exception as e:  # the vector records what Python raised
                vec["error"] = error_of(e)
            after = snap(s)
            resp = Response()
            req._process_response_callbacks(resp)
            cookies = resp.headers.getall("Set-Cookie")
            vec["after"] = after
            vec["marks_changed"] = bool(cookies)
            vec["set_cookie"] = cookies
            payload = None
            if cookies:
                val = cookies[0].split(";", 1)[0].split("=", 1)[1]
                payload = ser.loads(val.encode())
            vec["cookie_payload"] = payload
            out.append(vec)
    tok = binascii.hexlify(pyramid.session.os.urandom(20)).decode()
    out.append({"name": "csrf_token_format", "token": tok, "length": len(tok), "os_urandom_20_hex": tok,
                "note": "binascii.hexlify(os.urandom(20)) -> 40 lowercase hex chars, stored under '_csrft_'"})
    out.extend(size_limits(factory))
    return {
        "description": "Effect of each session API call on a SignedCookieSessionFactory(%r, reissue_time=None) "
                       "session (existing cookie or new). marks_changed => a Set-Cookie is emitted at response time."
                       % SECRET,
        "vectors": out,
    }


def size_vector(factory, x):
    pyramid.session.time = Clock(NOW)
    req = Request.blank("/")
    s = factory(req)
    s["x"] = "a" * x
    resp = Response()
    vec = {"name": "size_limit/x=%d" % x, "limit_rule": "len(cookie value) > 4064 -> ValueError"}
    try:
        req._process_response_callbacks(resp)
        val = resp.headers.getall("Set-Cookie")[0].split(";", 1)[0].split("=", 1)[1]
        vec["cookie_value_len"] = len(val)
    except ValueError as e:
        vec["error"] = error_of(e)
    return vec


def size_limits(factory):
    # The largest value that still fits, found with the real factory.
    lo = 1000
    while "error" not in size_vector(factory, lo + 1):
        lo += 1
    xs = sorted({lo - 60, lo - 3, lo - 2, lo - 1, lo, lo + 1, lo + 2, lo + 3, lo + 70})
    return [size_vector(factory, x) for x in xs]


STATES = {
    "empty": {},
    "nested": {DATA_KEY: {"zeta": {"b": [1, {"y": None, "a": True}], "a": []}, "alpha": "ä"}, "list": [[], {}, [0, -0.0]]},
    "scalars": {"zero": 0, "neg": -42, "big": 9007199254740993, "huge": 2 ** 70, "tenth": 0.1,
                "e100": 1e100, "negzero": -0.0, "two": 2.0, "tiny": 5e-324, "t": True, "n": None},
    "unicode_keys": {"üser": "Jürgen", "ключ": "значение", "😀": "astral \U0001F600", "quote\"back\\slash": "\n\t\x7f"},
    "flash": {"_f_": ["é1", {"z": 1, "a": 2}], "_f_ërror": [], "_csrft_": "d" * 40},
}

SIGNED_FACTORIES = [
    ("default_sha512", SECRET, "pyramid.session.", "sha512"),
    ("sha256_unicode_salt", "ключ", "sält.", "sha256"),
    ("sha384_long", "z" * 300, "pyramid.session.", "sha384"),
    ("sha1_empty_salt", "s3", "", "sha1"),
    ("md5_refused", "m", "pyramid.session.", "md5"),
]

TIMES = [(1812345600, 1812344000.75), (1812345600.125, 1812345600.125)]


def signed_cookies():
    out = []
    for fname, secret, salt, alg in SIGNED_FACTORIES:
        ser = SignedSerializer(secret, salt, alg, serializer=JSONSerializer())
        factory = SignedCookieSessionFactory(secret, salt=salt, hashalg=alg, timeout=None)
        # md5 is refused by sessconf: one state is enough to show it.
        states = {"scalars": STATES["scalars"]} if alg == "md5" else STATES
        for sname, state in states.items():
            for accessed, created in TIMES:
                cookie = ser.dumps((accessed, created, state)).decode()
                payload = json.dumps([accessed, created, state])
                raw = __import__("base64").urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
                digest = hashlib.new(alg).digest_size
                pyramid.session.time = Clock(max(accessed, created))
                s = factory(Request.blank("/", headers={"Cookie": "session=" + cookie}))
                out.append({
                    "name": "%s/%s/%r" % (fname, sname, accessed),
                    "secret": secret, "salt": salt, "hashalg": alg,
                    "hmac_key_hex": ser.salted_secret.hex(), "digest_size": digest,
                    "accessed": accessed, "created": created,
                    "state_python_repr": repr(state),
                    "state_after_json_roundtrip": json.loads(json.dumps(state)),
                    "payload_json": payload, "payload_len": len(payload),
                    "signature_hex": raw[:digest].hex(),
                    "cookie": cookie, "cookie_len": len(cookie),
                    "decoded_by_factory": snap(s),
                })
    floats = [0.1, -0.0, 1e100, 1e16, 1e-5, 2.5e-7, 123456789.125, 1812345678.25, 5e-324, 1e22, 9007199254740993.0]
    out.append({
        "name": "python_float_repr_corpus",
        "note": "JSON number text produced by python json.dumps for floats (== repr(float))",
        "floats": [{"value_repr": repr(f), "json": json.dumps(f)} for f in floats],
        "nan_inf": {"nan": json.dumps(float("nan")), "inf": json.dumps(float("inf")),
                    "-inf": json.dumps(float("-inf"))},
    })
    return {"description": "pyramid.session.SignedCookieSessionFactory wire format (perturbed data).", "vectors": out}


def encrypted_cookies():
    key = hashlib.sha256(b"perturbed key").digest()
    box = nacl.secret.SecretBox(key)
    nonces = urandom_stream("perturbed-nonce")
    out = []
    for sname, state in STATES.items():
        for accessed, created in TIMES:
            plaintext = JSONSerializer().dumps([accessed, created, state])
            nonce = nonces(nacl.secret.SecretBox.NONCE_SIZE)
            raw = bytes(box.encrypt(plaintext, nonce))
            cookie = __import__("base64").urlsafe_b64encode(raw).rstrip(b"=").decode()
            assert box.decrypt(raw) == plaintext
            out.append({
                "name": "json/%s/%r" % (sname, accessed), "key_hex": key.hex(), "serializer": "json",
                "nonce_hex": nonce.hex(), "plaintext_hex": plaintext.hex(),
                "plaintext_utf8": plaintext.decode(),
                "raw_layout": "nonce(24) || poly1305 tag(16) || xsalsa20 ciphertext(len(plaintext))",
                "raw_hex": raw.hex(), "cookie": cookie, "cookie_len": len(cookie),
                "state_after_roundtrip": json.loads(plaintext)[2],
            })
    plaintext = b"p" * 77
    cookie = __import__("base64").urlsafe_b64encode(bytes(box.encrypt(plaintext))).rstrip(b"=")
    out.append({"name": "real_random_nonce_properties", "note": "random nonce", "cookie_len": len(cookie),
                "expected_len_formula": "ceil((24+16+len(plaintext))*4/3) without '=' padding",
                "plaintext_len": len(plaintext)})
    return {"description": "EncryptedSerializer wire format over nacl.secret.SecretBox (perturbed data).",
            "vectors": out}


NEG_NOW = 1812345900.5
NEG_SECRET, NEG_SALT, NEG_ALG = "nëg-sëcret", "sält.", "sha384"


def effective(cls):
    """The factory's options as the public vectors record them."""
    out = {}
    for name, attr in [("cookie_name", "_cookie_name"), ("max_age", "_cookie_max_age"), ("path", "_cookie_path"),
                       ("domain", "_cookie_domain"), ("secure", "_cookie_secure"),
                       ("httponly", "_cookie_httponly"), ("samesite", "_cookie_samesite"),
                       ("set_on_exception", "_cookie_on_exception"), ("timeout", "_timeout"),
                       ("reissue_time", "_reissue_time")]:
        val = getattr(cls, attr)
        out[name], out[name + "__pytype"] = val, type(val).__name__
    return out


def signed_negative():
    """Cookies read by a real SignedCookieSessionFactory at NEG_NOW."""
    good = SignedSerializer(NEG_SECRET, NEG_SALT, NEG_ALG, serializer=JSONSerializer())
    state = {"üser": {"z": [9007199254740993, -0.0], "a": 0.1}, "n": -42}
    baseline = good.dumps((NEG_NOW - 100, NEG_NOW - 5000.25, state)).decode()
    stale = good.dumps((NEG_NOW - 1300, NEG_NOW - 5000.25, state)).decode()
    soon = good.dumps((NEG_NOW + 60, NEG_NOW - 10, state)).decode()
    future = good.dumps((NEG_NOW + 86400, NEG_NOW - 10, state)).decode()
    other = SignedSerializer("other", NEG_SALT, NEG_ALG, serializer=JSONSerializer()).dumps((NEG_NOW, NEG_NOW, {})).decode()
    shape = good.dumps("123").decode()
    dup = good.dumps((NEG_NOW - 1, NEG_NOW - 2, {})).decode().encode()
    cases = [
        ("valid_baseline", baseline, {}),
        ("no_cookie", None, {}),
        ("tampered_signature_first_char", ("A" if baseline[0] != "A" else "B") + baseline[1:], {}),
        ("signed_with_other_secret", other, {}),
        ("padded_python_accepts", baseline + "=" * (-len(baseline) % 4 or 4), {}),
        ("expired", stale, {}),
        ("expired_but_timeout_none", stale, {"timeout": None}),
        ("future_within_skew", soon, {}),
        ("future_beyond_skew", future, {}),
        ("shape_string_123", shape, {}),
        ("truncated", baseline[:-3], {}),
    ]
    del dup
    out = []
    for name, cookie, kw in cases:
        factory = SignedCookieSessionFactory(NEG_SECRET, salt=NEG_SALT, hashalg=NEG_ALG, **kw)
        pyramid.session.time = Clock(NEG_NOW)
        headers = {"Cookie": "session=" + cookie} if cookie is not None else {}
        vec = {"name": name, "cookie": cookie, "now": NEG_NOW, "factory": effective(factory),
               "factory_secret": NEG_SECRET, "factory_salt": NEG_SALT, "factory_hashalg": NEG_ALG,
               "note": "perturbed"}
        if cookie is not None:
            try:
                vec["serializer_loads"] = {"ok": good.loads(cookie.encode())}
            except ValueError as e:
                vec["serializer_loads"] = {"error": error_of(e)}
        try:
            s = factory(Request.blank("/", headers=headers))
        except Exception as e:  # escapes the factory: an HTTP 500
            vec["outcome"], vec["session_error"] = "factory_raises", error_of(e)
            out.append(vec)
            continue
        timeout = factory._timeout
        if s.new:
            vec["outcome"] = "new_session"
        elif timeout is not None and NEG_NOW - s.renewed > timeout:
            vec["outcome"] = "loaded_state_cleared"
        else:
            vec["outcome"] = "loaded"
        vec["session"] = snap(s)
        out.append(vec)
    return {"description": "Cookies fed to a real SignedCookieSessionFactory(secret=%r, salt=%r, hashalg=%r) session "
                           "at time `now` (perturbed data)." % (NEG_SECRET, NEG_SALT, NEG_ALG),
            "vectors": out}


def nacl_settings(public_dir):
    """The public settings vectors, with sessconf's own keys given values
    sessconf accepts. pyramid_nacl_session's factory raises TypeError for
    an unexpected keyword before it reads the value, so Python's recorded
    outcome stays what it is."""
    with open(os.path.join(public_dir, "nacl_settings.json"), encoding="utf-8") as f:
        doc = json.load(f)
    own = {"type": "redis"}
    for v in doc["vectors"]:
        msg = (v.get("error") or {}).get("message", "")
        for k in list(v["settings"]):
            opt = k.split(".", 1)[1] if k.startswith("session.") else None
            if opt in own and "unexpected keyword argument %r" % opt in msg:
                v["settings"][k] = own[opt]
    return doc


def main():
    outdir, public_dir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    for name, doc in [("session_api.json", session_api()), ("signed_cookies.json", signed_cookies()),
                      ("encrypted_cookies.json", encrypted_cookies()),
                      ("signed_negative.json", signed_negative()),
                      ("nacl_settings.json", nacl_settings(public_dir))]:
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
    print("perturbed vectors written to", outdir)


if __name__ == "__main__":
    main()
