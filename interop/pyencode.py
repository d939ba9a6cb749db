"""Python -> Go: write session cookies with real Pyramid.

Reads {"config": {...}} on stdin. For each backend and each scenario it
builds a Pyramid CookieSession with factory(request), performs the
scenario's operations through the session API, runs the response
callbacks (Pyramid's _set_cookie and webob's set_cookie) and reports:

  name, backend, set_cookie   the Set-Cookie header(s)
  payload     the bytes that were signed or encrypted, i.e.
              json.dumps((accessed, created, dict(session)))
  accessed, created, state    read back from payload (state re-dumped)
  keys        list(dict(session))
  csrf        the CSRF token, if any
  flash       {queue: messages}

Scenarios that need an existing session first write one and feed its
cookie back in a second request, as a browser would.

Run with /usr/bin/python3 -B.
"""

import json

import pycommon

# Strings Go must carry through unchanged: non-ASCII, astral (surrogate
# pairs in JSON), control characters, DEL, line/paragraph separators,
# HTML-ish characters Python does not escape, a lone surrogate.
UNICODE = "é ß 秘密 😀 𝄞 \x00\x01\x1f\x7f \n\r\t\b\f \u2028\u2029 </script>&'\" \\ /"


def sc_empty_changed(s):
    s.changed()  # new session, no access: accessed stays a float


def sc_simple(s):
    s["user"] = "alice"
    s["n"] = 42


def sc_unicode(s):
    s["text"] = UNICODE
    s["ключ 😀"] = "value"
    s[""] = "empty key"
    s["lone"] = "\ud800 and \udfff"


def sc_nested(s):
    s["tree"] = {"b": [1, 2, {"c": None, "d": [True, False]}], "a": {}}
    s["list"] = []
    s["obj"] = {}
    s["deep"] = [[[[[[{"x": [1]}]]]]]]


def sc_numbers(s):
    s["ints"] = [0, -1, 2**53 + 1, 2**63 - 1, -(2**63), 2**64, -(2**70), 10**30]
    s["floats"] = [
        1e16, 0.1, -0.0, 1e-05, 1.2345678901234568e17, 5e-324,
        1.7976931348623157e308, 1.0, 100.0, 1e15, 123456789.125, -2.5e-7,
    ]
    s["big"] = 2**100
    s["f"] = 1e16


def sc_key_types(s):
    s.update({1: "one", 2.5: "two and a half", None: "none", False: "false"})


def sc_order(s):
    s["z"] = 1
    s["a"] = 2
    s["m"] = 3
    del s["a"]
    s["a"] = 4
    s["z"] = 5  # keeps its place


def sc_flash(s):
    s.flash("hello")
    s.flash("hello", allow_duplicate=False)  # suppressed
    s.flash({"msg": "x", "level": 2}, "error")
    s.flash(["a", 1], "error")


def sc_csrf(s):
    s.new_csrf_token()


def sc_large(s):
    s["big"] = "x" * 2900


def sc_setdefault_pop(s):
    s.setdefault("k", [1, 2])
    s.setdefault("k", "ignored")
    s["gone"] = 1
    s.pop("gone")
    s.pop("missing", None)


# Two-step scenarios: first on a new session, then on the session loaded
# from the first cookie.
def st_seed(s):
    s["keep"] = "me"
    s["n"] = 1.5
    s.new_csrf_token()


def st_invalidate(s):
    s.invalidate()


def st_invalidate_then_set(s):
    s.invalidate()
    s["after"] = "invalidate"


def st_changed_without_access(s):
    s.changed()  # accessed stays the float read from the cookie


def st_read_only_reissue(s):
    # reissue_time=0: a read in a later second than the cookie's int
    # accessed re-sets the cookie; here accessed is a float from time.time(),
    # so int(now) - renewed > 0 only once the second has passed. Force it
    # with changed() after the read, which keeps accessed as int(now).
    s.get("keep")
    s.changed()


def st_pop_flash(s):
    s.flash("one")
    s.flash("two")
    s.pop_flash()
    s.flash("three", "q")


ONE_STEP = [
    ("empty_changed", sc_empty_changed),
    ("simple", sc_simple),
    ("unicode", sc_unicode),
    ("nested", sc_nested),
    ("numbers", sc_numbers),
    ("key_types", sc_key_types),
    ("order", sc_order),
    ("flash", sc_flash),
    ("csrf", sc_csrf),
    ("large", sc_large),
    ("setdefault_pop", sc_setdefault_pop),
]

TWO_STEP = [
    ("invalidate", st_invalidate),
    ("invalidate_then_set", st_invalidate_then_set),
    ("changed_without_access", st_changed_without_access),
    ("read_then_changed", st_read_only_reissue),
    ("pop_flash", st_pop_flash),
]


def cookie_value(headers, name="session"):
    assert len(headers) == 1, headers
    first = headers[0].split(";", 1)[0]
    k, v = first.split("=", 1)
    assert k == name, headers
    return v


def run(factory, cookie, op):
    request = pycommon.request_with_cookie("session", cookie)
    session = factory(request)
    op(session)
    return pycommon.render_set_cookie(request)


def describe(name, backend, serializer, headers):
    payload = pycommon.raw_payload(backend, serializer, cookie_value(headers))
    accessed, created, wire = json.loads(payload)
    return {
        "name": name,
        "backend": backend,
        "set_cookie": headers,
        "payload": payload,
        "accessed": accessed,
        "created": created,
        "state": json.dumps(wire),
        "keys": list(wire),
        "csrf": wire.get("_csrft_"),
        "flash": {k[3:]: v for k, v in wire.items() if k.startswith("_f_")},
    }


def main():
    data = pycommon.read_input()
    facs = pycommon.factories(data["config"])
    out = []
    for backend, (factory, serializer) in sorted(facs.items()):
        for name, op in ONE_STEP:
            headers = run(factory, None, op)
            out.append(describe(name, backend, serializer, headers))
        for name, op in TWO_STEP:
            seed_headers = run(factory, None, st_seed)
            headers = run(factory, cookie_value(seed_headers), op)
            out.append(describe(name, backend, serializer, headers))
    pycommon.write_output(out)


if __name__ == "__main__":
    main()
