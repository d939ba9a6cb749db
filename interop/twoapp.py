"""The Pyramid half of TestTwoApps (run with /usr/bin/python3).

    python3 -B twoapp.py NAME=path/to/app.ini [NAME=...]

loads each INI file the way `pserve` does (pyramid.paster.get_app: Paste
Deploy reads [app:main], whose `use = call:twoapp:main` calls main() below
with the file's settings), mounts the app at /py/NAME/, listens on a free
127.0.0.1 port, prints "LISTEN <port>" and serves until stdin closes (so
it never outlives the Go test that started it). An app whose INI file
makes the factory fail answers every request with 503 and the error.

The session factory comes from the same settings the Go app reads:

* session.type = signed: pyramid.session.SignedCookieSessionFactory.
  Pyramid has no settings parser for it; signed_factory_from_settings
  reads the session.* keys as pyramid_nacl_session reads its own (the
  same coercions), session.type excepted (it picks the Go backend).
* otherwise: encrypted cookies as pyramid_nacl_session 1.0 builds them
  (not packaged by Debian): nacl_factory_from_settings and
  nacl_cookie_factory are what its session_factory_from_settings and
  EncryptedCookieSessionFactory amount to, over pycommon's SecretBox
  serializer; unknown keys raise TypeError and a missing serializer
  means pickle, as there.

The clock Pyramid's session code reads (time.time in pyramid.session),
and webob's for a cookie's expires, is set by GET /py/_clock?t=SECONDS so
that both apps see the same instant.
"""

import binascii
import datetime
import json
import math
import os
import sys
import threading
import types
import warnings
from wsgiref.simple_server import WSGIRequestHandler, make_server

# Importing PickleSerializer (pyramid_nacl_session's default serializer)
# warns; the probe that needs it is about exactly that default.
warnings.filterwarnings("ignore", message="PickleSerializer", category=DeprecationWarning)

import pyramid.paster  # noqa: E402 (after the warnings filter)
import pyramid.session  # noqa: E402
import webob.cookies  # noqa: E402
from pyramid.config import Configurator  # noqa: E402
from pyramid.csrf import check_csrf_token  # noqa: E402
from pyramid.session import (  # noqa: E402
    BaseCookieSessionFactory,
    JSONSerializer,
    PickleSerializer,
    SignedCookieSessionFactory,
)
from pyramid.settings import asbool  # noqa: E402

import pycommon  # noqa: E402

# ---------------------------------------------------------------- clock

_now = [None]
_real_time = pyramid.session.time.time


def _time():
    return _real_time() if _now[0] is None else _now[0]


# pyramid.session calls time.time() through its module global "time";
# webob computes a cookie's expires from datetime.utcnow().
pyramid.session.time = types.SimpleNamespace(time=_time)


class _ClockDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return datetime.datetime.fromtimestamp(_time(), datetime.timezone.utc).replace(tzinfo=None)


webob.cookies.datetime = _ClockDatetime

# ------------------------------------------------------- session factories

PREFIXES = ("session.", "pynacl.session.")
BOOL_OPTIONS = {"secure", "httponly", "set_on_exception"}
SERIALIZERS = {"json": JSONSerializer, "pickle": PickleSerializer}


def _options(settings, prefixes, skip=()):
    options = {}
    for key, value in settings.items():
        for prefix in prefixes:
            if not key.startswith(prefix):
                continue
            name = key[len(prefix):]
            if name in skip:
                continue
            if name in BOOL_OPTIONS:
                value = asbool(value)
            elif name == "serializer":
                value = SERIALIZERS[value]() if value in SERIALIZERS else value
            options[name] = value
    return options


def nacl_cookie_factory(
    secret,
    cookie_name="session",
    max_age=None,
    path="/",
    domain=None,
    secure=False,
    httponly=False,
    timeout=1200,
    reissue_time=0,
    set_on_exception=True,
    serializer=None,
    samesite="Lax",
):
    if serializer is None:
        serializer = PickleSerializer()
    return BaseCookieSessionFactory(
        pycommon.EncryptedSerializer(secret, serializer),
        cookie_name=cookie_name,
        max_age=max_age,
        path=path,
        domain=domain,
        secure=secure,
        httponly=httponly,
        timeout=timeout,
        reissue_time=reissue_time,
        set_on_exception=set_on_exception,
        samesite=samesite,
    )


def nacl_factory_from_settings(settings):
    options = _options(settings, PREFIXES)
    if "secret" in options and not isinstance(options["secret"], bytes):
        options["secret"] = binascii.unhexlify(options["secret"])
    return nacl_cookie_factory(**options)


def signed_factory_from_settings(settings):
    return SignedCookieSessionFactory(**_options(settings, ("session.",), skip={"type"}))


def main(global_config, **settings):
    config = Configurator(settings=settings)
    if settings.get("session.type") == "signed":
        factory = signed_factory_from_settings(settings)
        kind = "signed"
    else:
        factory = nacl_factory_from_settings(settings)
        kind = "encrypted"
    config.set_session_factory(factory)
    config.registry.settings["twoapp.kind"] = kind
    for name, view in VIEWS.items():
        config.add_route(name, "/py/{cfg}/" + name)
        config.add_view(view, route_name=name, renderer="json")
    return config.make_wsgi_app()


# ------------------------------------------------------------------ views
# Each has a twin in goapp_test.go; both answer the same JSON.


def v_info(request):
    return {"kind": request.registry.settings["twoapp.kind"]}


def v_state(request):
    s = request.session
    return {
        "new": s.new,
        "created": s.created,
        "user": s.get("user"),
        "csrf": s.get("_csrft_"),
        "counter": s.get("counter"),
        "flash": s.peek_flash(),
        "keys": list(s.keys()),
        "big": len(s.get("big", "")),
    }


def v_login(request):
    s = request.session
    user = request.POST["user"]
    s["user"] = user
    s.flash("welcome, " + user)
    token = s.new_csrf_token()
    return {"csrf": token, "created": s.created}


def v_incr(request):
    s = request.session
    s["counter"] = s.get("counter", 0) + 1
    return {"counter": s["counter"]}


def v_flash(request):
    request.session.flash(request.POST["msg"])
    return {}


def v_popflash(request):
    return {"messages": request.session.pop_flash()}


def v_form(request):
    if not check_csrf_token(request, raises=False):
        request.response.status = 403
        return {"ok": False}
    request.session["posted"] = request.POST.get("value", "")
    return {"ok": True}


def v_logout(request):
    request.session.invalidate()
    return {}


def v_fill(request):
    request.session["big"] = "x" * int(request.POST["n"])
    return {}


def v_put(request):
    request.session[request.POST["key"]] = json.loads(request.POST["json"])
    return {}


# Values Python writes for the Go app to read and write back (issue 8
# item 2); every key starts with "v.".
VALUES = {
    "v.int_zero": 0,
    "v.int_neg": -42,
    "v.int_2p53_plus_1": 9007199254740993,
    "v.int_2p64": 2**64,
    "v.int_2p100": 2**100,
    "v.float_tenth": 0.1,
    "v.float_1e100": 1e100,
    "v.float_neg_zero": -0.0,
    "v.float_one": 1.0,
    "v.float_1e16": 1e16,
    "v.float_tiny": 5e-324,
    "v.nested": {
        "z": 1,
        "a": [0, 2.5, {"y": -0.0, "b": 9007199254740993}],
        "é": {"ü": [True, None, "ß"]},
    },
    "v.list": [1, 1.0, -1, "1", [[]], {}, 1e100],
    "v.ключ ü 😀": {"秘密": 7, "ключ": 0.5},
}


def describe(v, ordered):
    """v with its Python types spelled out (bool before int: it is one);
    dict members in their order, or sorted when not ordered."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return ["int", str(v)]
    if isinstance(v, float):
        return ["float", repr(v), math.copysign(1.0, v) < 0]
    if isinstance(v, str):
        return ["str", v]
    if isinstance(v, list):
        return ["list", [describe(x, ordered) for x in v]]
    if isinstance(v, dict):
        items = [[k, describe(x, ordered)] for k, x in v.items()]
        return ["dict", items if ordered else sorted(items)]
    return ["other", repr(v)]


def v_values_write(request):
    request.session.update(VALUES)
    return {"keys": list(VALUES)}


# What the Go app's values_go_write stores ("g." keys), as Python must
# read it.
GO_VALUES = {
    "g.int_zero": 0,
    "g.int_neg": -42,
    "g.int_2p53_plus_1": 9007199254740993,
    "g.int_2p100": 2**100,
    "g.float_tenth": 0.1,
    "g.float_1e100": 1e100,
    "g.float_neg_zero": -0.0,
    "g.float_one": 1.0,
    "g.nested": {"a": [0, 2.5, None, True], "z": {"é": "ß"}},
    "g.ключ 😀": "ü",
}


def v_values_check(request):
    """Compares the session with VALUES (or GO_VALUES with ?from=go).
    diffs: values whose types or values differ; order: dicts whose
    members are in another order; json: the bytes."""
    s = request.session
    want_values = GO_VALUES if request.GET.get("from") == "go" else VALUES
    diffs, order = [], []
    for key, want in want_values.items():
        got = s.get(key)
        if describe(got, False) != describe(want, False):
            diffs.append({"key": key, "want": describe(want, False), "got": describe(got, False)})
        elif describe(got, True) != describe(want, True):
            order.append({"key": key, "want": json.dumps(want), "got": json.dumps(got)})
    got_json = json.dumps({k: s[k] for k in want_values if k in s})
    return {"diffs": diffs, "order": order, "json": got_json, "want_json": json.dumps(want_values)}


VIEWS = {
    "info": v_info,
    "state": v_state,
    "login": v_login,
    "incr": v_incr,
    "flash": v_flash,
    "popflash": v_popflash,
    "form": v_form,
    "logout": v_logout,
    "fill": v_fill,
    "put": v_put,
    "values_write": v_values_write,
    "values_check": v_values_check,
}

# ----------------------------------------------------------------- server


def dispatcher(apps):
    def app(environ, start_response):
        parts = environ.get("PATH_INFO", "").split("/")
        if parts[1:3] == ["py", "_clock"]:
            query = dict(p.split("=", 1) for p in environ["QUERY_STRING"].split("&") if "=" in p)
            _now[0] = float(query["t"])
            start_response("204 No Content", [])
            return [b""]
        target = apps.get(parts[2]) if len(parts) > 3 and parts[1] == "py" else None
        if target is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such app\n"]
        return target(environ, start_response)

    return app


def startup_failure(message):
    """A WSGI app answering 503 with why the real one could not start."""
    body = json.dumps({"error": message}).encode("utf-8")

    def app(environ, start_response):
        start_response("503 Service Unavailable", [("Content-Type", "application/json")])
        return [body]

    return app


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def watch_stdin():
    sys.stdin.read()
    os._exit(0)


def run():
    # Paste Deploy imports "twoapp" for `use = call:twoapp:main`: let it
    # find this very module (and its clock), not a second copy.
    sys.modules.setdefault("twoapp", sys.modules["__main__"])
    apps = {}
    for arg in sys.argv[1:]:
        name, path = arg.split("=", 1)
        try:
            apps[name] = pyramid.paster.get_app(os.path.abspath(path), "main")
        except Exception as e:  # reported by the app's /info, for the config probes
            apps[name] = startup_failure("%s: %s" % (type(e).__name__, e))
    server = make_server("127.0.0.1", 0, dispatcher(apps), handler_class=QuietHandler)
    threading.Thread(target=watch_stdin, daemon=True).start()
    print("LISTEN %d" % server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    run()
